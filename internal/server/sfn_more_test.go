package server

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/batonrun/baton/internal/clock"
)

// wantCode fails the test unless err is an AWS error with the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

// jsonEqual fails the test unless the JSON text got equals want, ignoring
// formatting and member order.
func jsonEqual(t *testing.T, what string, got *string, want string) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: missing, want %s", what, want)
	}
	var g, w any
	if err := json.Unmarshal([]byte(*got), &g); err != nil {
		t.Fatalf("%s: %v in %s", what, err, *got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("%s: got %s, want %s", what, gb, wb)
	}
}

const passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"v1","End":true}}}`

func TestStateMachineVersions(t *testing.T) {
	t.Parallel()
	_, c := startServer(t, ":memory:", nil)
	ctx := context.Background()
	arn := newMachine(t, c, "versioned", passDef)
	desc, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn), RevisionId: aws.String("stale")})
	wantCode(t, err, "ConflictException")

	v1, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn), RevisionId: desc.RevisionId, Description: aws.String("first")})
	if err != nil || *v1.StateMachineVersionArn != arn+":1" || v1.CreationDate == nil {
		t.Fatalf("publish: %v %+v", err, v1)
	}
	// The revision is unchanged: publishing again returns version 1.
	again, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn)})
	if err != nil || *again.StateMachineVersionArn != arn+":1" {
		t.Fatalf("idempotent publish: %v %+v", err, again)
	}
	upd, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(strings.Replace(passDef, "v1", "v2", 1))})
	if err != nil {
		t.Fatal(err)
	}
	// The revision the caller last saw is no longer current.
	_, err = c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn), RevisionId: desc.RevisionId})
	wantCode(t, err, "ConflictException")
	v2, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn), RevisionId: upd.RevisionId})
	if err != nil || *v2.StateMachineVersionArn != arn+":2" {
		t.Fatalf("publish v2: %v %+v", err, v2)
	}
	dv, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: v1.StateMachineVersionArn})
	if err != nil || !strings.Contains(*dv.Definition, `"v1"`) {
		t.Fatalf("describe v1: %v %+v", err, dv)
	}

	page1, err := c.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(arn), MaxResults: 1})
	if err != nil || len(page1.StateMachineVersions) != 1 || *page1.StateMachineVersions[0].StateMachineVersionArn != arn+":2" || page1.NextToken == nil {
		t.Fatalf("versions page 1: %v %+v", err, page1)
	}
	page2, err := c.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(arn), MaxResults: 1, NextToken: page1.NextToken})
	if err != nil || len(page2.StateMachineVersions) != 1 || *page2.StateMachineVersions[0].StateMachineVersionArn != arn+":1" {
		t.Fatalf("versions page 2: %v %+v", err, page2)
	}
	_, err = c.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(arn), NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidToken")

	_, err = c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn + "-missing")})
	wantCode(t, err, "StateMachineDoesNotExist")
	_, err = c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: v1.StateMachineVersionArn})
	wantCode(t, err, "InvalidArn")

	if _, err := c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: v1.StateMachineVersionArn}); err != nil {
		t.Fatal(err)
	}
	// Deleting a version that no longer exists succeeds, as on AWS.
	if _, err := c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: v1.StateMachineVersionArn}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(arn)})
	wantCode(t, err, "InvalidArn")
	list, err := c.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(arn)})
	if err != nil || len(list.StateMachineVersions) != 1 || *list.StateMachineVersions[0].StateMachineVersionArn != arn+":2" {
		t.Fatalf("after delete: %v %+v", err, list)
	}
	// Version numbers are not reused.
	if _, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(strings.Replace(passDef, "v1", "v3", 1))}); err != nil {
		t.Fatal(err)
	}
	v3, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn)})
	if err != nil || *v3.StateMachineVersionArn != arn+":3" {
		t.Fatalf("publish v3: %v %+v", err, v3)
	}
}

func TestStateMachineAliases(t *testing.T) {
	t.Parallel()
	_, c := startServer(t, ":memory:", nil)
	ctx := context.Background()
	arn := newMachine(t, c, "aliased", passDef)
	other := newMachine(t, c, "other", passDef)
	v1, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(strings.Replace(passDef, "v1", "v2", 1))}); err != nil {
		t.Fatal(err)
	}
	v2, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	ov, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(other)})
	if err != nil {
		t.Fatal(err)
	}
	route := func(kv ...any) []types.RoutingConfigurationListItem {
		var out []types.RoutingConfigurationListItem
		for i := 0; i < len(kv); i += 2 {
			out = append(out, types.RoutingConfigurationListItem{StateMachineVersionArn: aws.String(kv[i].(string)), Weight: int32(kv[i+1].(int))})
		}
		return out
	}
	create := func(name string, r []types.RoutingConfigurationListItem) (*sfn.CreateStateMachineAliasOutput, error) {
		return c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String(name), RoutingConfiguration: r, Description: aws.String("prod")})
	}
	live, err := create("live", route(*v1.StateMachineVersionArn, 100))
	if err != nil || *live.StateMachineAliasArn != arn+":live" {
		t.Fatalf("create alias: %v %+v", err, live)
	}
	again, err := create("live", route(*v1.StateMachineVersionArn, 100))
	if err != nil || *again.StateMachineAliasArn != *live.StateMachineAliasArn {
		t.Fatalf("idempotent create: %v %+v", err, again)
	}
	_, err = create("live", route(*v2.StateMachineVersionArn, 100))
	wantCode(t, err, "ConflictException")

	for _, tc := range []struct {
		name, alias string
		routes      []types.RoutingConfigurationListItem
		code        string
	}{
		{"all digits", "123", route(*v1.StateMachineVersionArn, 100), "ValidationException"},
		{"space", "bad name", route(*v1.StateMachineVersionArn, 100), "ValidationException"},
		{"too long", strings.Repeat("a", 81), route(*v1.StateMachineVersionArn, 100), "ValidationException"},
		{"sum below 100", "a", route(*v1.StateMachineVersionArn, 70, *v2.StateMachineVersionArn, 29), "ValidationException"},
		{"weight above 100", "a", route(*v1.StateMachineVersionArn, 101), "ValidationException"},
		{"three versions", "a", route(*v1.StateMachineVersionArn, 50, *v2.StateMachineVersionArn, 30, arn+":3", 20), "ValidationException"},
		{"same version twice", "a", route(*v1.StateMachineVersionArn, 50, *v1.StateMachineVersionArn, 50), "ValidationException"},
		{"not a version", "a", route(arn, 100), "ValidationException"},
		{"two machines", "a", route(*v1.StateMachineVersionArn, 50, *ov.StateMachineVersionArn, 50), "ValidationException"},
		{"missing version", "a", route(arn+":9", 100), "ResourceNotFound"},
	} {
		_, err := create(tc.alias, tc.routes)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != tc.code {
			t.Errorf("%s: want %s, got %v", tc.name, tc.code, err)
		}
	}

	d, err := c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: live.StateMachineAliasArn})
	if err != nil || *d.Name != "live" || *d.Description != "prod" || len(d.RoutingConfiguration) != 1 || d.RoutingConfiguration[0].Weight != 100 || d.UpdateDate == nil {
		t.Fatalf("describe alias: %v %+v", err, d)
	}
	_, err = c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String(arn + ":nope")})
	wantCode(t, err, "ResourceNotFound")
	_, err = c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: v1.StateMachineVersionArn})
	wantCode(t, err, "InvalidArn")

	_, err = c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: live.StateMachineAliasArn})
	wantCode(t, err, "ValidationException")
	_, err = c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: live.StateMachineAliasArn, RoutingConfiguration: route(*ov.StateMachineVersionArn, 100)})
	wantCode(t, err, "ValidationException")
	_, err = c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: aws.String(arn + ":nope"), Description: aws.String("x")})
	wantCode(t, err, "ResourceNotFound")
	if _, err := c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: live.StateMachineAliasArn,
		Description: aws.String("canary"), RoutingConfiguration: route(*v1.StateMachineVersionArn, 50, *v2.StateMachineVersionArn, 50)}); err != nil {
		t.Fatal(err)
	}
	d, err = c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: live.StateMachineAliasArn})
	if err != nil || *d.Description != "canary" || len(d.RoutingConfiguration) != 2 {
		t.Fatalf("after update: %v %+v", err, d)
	}

	// Executions through the alias run one of its versions and record both.
	start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: live.StateMachineAliasArn})
	if err != nil {
		t.Fatal(err)
	}
	ex := waitStatus(t, c, *start.ExecutionArn)
	if ex.Status != types.ExecutionStatusSucceeded || aws.ToString(ex.StateMachineAliasArn) != *live.StateMachineAliasArn ||
		(aws.ToString(ex.StateMachineVersionArn) != *v1.StateMachineVersionArn && aws.ToString(ex.StateMachineVersionArn) != *v2.StateMachineVersionArn) {
		t.Fatalf("execution through alias: %+v", ex)
	}

	_, err = c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: v1.StateMachineVersionArn})
	wantCode(t, err, "ConflictException")
	if !strings.Contains(err.Error(), "[live]") {
		t.Fatalf("conflict should name the alias: %v", err)
	}

	if _, err := create("beta", route(*v2.StateMachineVersionArn, 100)); err != nil {
		t.Fatal(err)
	}
	all, err := c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(arn)})
	if err != nil || len(all.StateMachineAliases) != 2 || *all.StateMachineAliases[0].StateMachineAliasArn != arn+":beta" {
		t.Fatalf("list aliases: %v %+v", err, all)
	}
	p1, err := c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(arn), MaxResults: 1})
	if err != nil || len(p1.StateMachineAliases) != 1 || p1.NextToken == nil {
		t.Fatalf("aliases page 1: %v %+v", err, p1)
	}
	p2, err := c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(arn), MaxResults: 1, NextToken: p1.NextToken})
	if err != nil || len(p2.StateMachineAliases) != 1 || *p2.StateMachineAliases[0].StateMachineAliasArn != arn+":live" {
		t.Fatalf("aliases page 2: %v %+v", err, p2)
	}
	// Given a version, only the aliases that route to it.
	byVersion, err := c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: v1.StateMachineVersionArn})
	if err != nil || len(byVersion.StateMachineAliases) != 1 || *byVersion.StateMachineAliases[0].StateMachineAliasArn != arn+":live" {
		t.Fatalf("aliases of v1: %v %+v", err, byVersion)
	}
	_, err = c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(arn + "-missing")})
	wantCode(t, err, "StateMachineDoesNotExist")

	if _, err := c.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: live.StateMachineAliasArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: live.StateMachineAliasArn}); err != nil {
		t.Fatalf("deleting a deleted alias: %v", err)
	}
	_, err = c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: live.StateMachineAliasArn})
	wantCode(t, err, "ResourceNotFound")
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: live.StateMachineAliasArn})
	wantCode(t, err, "ResourceNotFound")
	// With no alias routing to it any more, version 1 can go.
	if _, err := c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: v1.StateMachineVersionArn}); err != nil {
		t.Fatal(err)
	}
}

// distributedMap is a state machine whose Map runs its items as a
// distributed Map; inner is the item processor's states.
func distributedMap(extra, inner string) string {
	return `{"StartAt":"M","States":{"M":{"Type":"Map",` + extra + `
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":` + inner + `},"End":true}}}`
}

func TestMapRuns(t *testing.T) {
	t.Parallel()
	_, c := startServer(t, ":memory:", nil)
	ctx := context.Background()
	ok := newMachine(t, c, "maps", distributedMap(`"MaxConcurrency":2,"ToleratedFailurePercentage":10,`, `{"C":{"Type":"Pass","End":true}}`))
	start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(ok), Input: aws.String(`[1,2,3]`)})
	if err != nil {
		t.Fatal(err)
	}
	if d := waitStatus(t, c, *start.ExecutionArn); d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s", d.Status)
	}
	runs, err := c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: start.ExecutionArn})
	if err != nil || len(runs.MapRuns) != 1 {
		t.Fatalf("ListMapRuns: %v %+v", err, runs)
	}
	r := runs.MapRuns[0]
	if *r.ExecutionArn != *start.ExecutionArn || *r.StateMachineArn != ok+"/M" || r.StartDate == nil || r.StopDate == nil ||
		!strings.Contains(*r.MapRunArn, ":mapRun:maps/") {
		t.Fatalf("map run item %+v", r)
	}
	d, err := c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: r.MapRunArn})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != types.MapRunStatusSucceeded || d.MaxConcurrency != 2 || d.ToleratedFailurePercentage != 10 || d.StopDate == nil ||
		d.ItemCounts.Total != 3 || d.ItemCounts.Succeeded != 3 || d.ItemCounts.ResultsWritten != 3 || d.ExecutionCounts.Total != 3 {
		t.Fatalf("DescribeMapRun %+v items %+v executions %+v", d, d.ItemCounts, d.ExecutionCounts)
	}
	// Each item ran as a child execution of the Map Run, with its own
	// history.
	children, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: r.MapRunArn})
	if err != nil || len(children.Executions) != 3 {
		t.Fatalf("children: %v %+v", err, children)
	}
	outputs := map[string]bool{}
	for _, e := range children.Executions {
		if e.Status != types.ExecutionStatusSucceeded || *e.StateMachineArn != ok+"/M" || !strings.Contains(*e.ExecutionArn, ":execution:maps/") {
			t.Fatalf("child %+v", e)
		}
		cd, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: e.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		outputs[aws.ToString(cd.Output)] = true
		if cd.RedriveStatus != types.ExecutionRedriveStatusNotRedrivable {
			t.Errorf("child redrive status %s", cd.RedriveStatus)
		}
		h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: e.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		var types_ []string
		for _, ev := range h.Events {
			types_ = append(types_, string(ev.Type))
		}
		if strings.Join(types_, ",") != "ExecutionStarted,PassStateEntered,PassStateExited,ExecutionSucceeded" {
			t.Errorf("child history %v", types_)
		}
	}
	if !outputs["1"] || !outputs["2"] || !outputs["3"] {
		t.Errorf("child outputs %v", outputs)
	}
	if _, err := c.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: r.MapRunArn, MaxConcurrency: aws.Int32(5)}); err != nil {
		t.Fatalf("UpdateMapRun: %v", err)
	}
	_, err = c.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: r.MapRunArn, ToleratedFailurePercentage: aws.Float32(150)})
	wantCode(t, err, "ValidationException")
	missing := (*r.MapRunArn)[:strings.LastIndexByte(*r.MapRunArn, ':')] + ":00000000-0000-4000-8000-000000000000"
	_, err = c.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: aws.String(missing), MaxConcurrency: aws.Int32(1)})
	wantCode(t, err, "ResourceNotFound")
	_, err = c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(missing)})
	wantCode(t, err, "ResourceNotFound")
	_, err = c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(ok)})
	wantCode(t, err, "InvalidArn")
	_, err = c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: aws.String(*start.ExecutionArn + "-missing")})
	wantCode(t, err, "ExecutionDoesNotExist")

	// Two failures in three items exceed a tolerance of one: the Map Run
	// fails with the execution.
	bad := newMachine(t, c, "failing", distributedMap(`"ToleratedFailureCount":1,`, `{
		"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"Boom"}],"Default":"Ok"},
		"Boom":{"Type":"Fail","Error":"Zero"},"Ok":{"Type":"Pass","End":true}}`))
	start, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(bad), Input: aws.String(`[0,0,2]`)})
	if err != nil {
		t.Fatal(err)
	}
	if d := waitStatus(t, c, *start.ExecutionArn); d.Status != types.ExecutionStatusFailed {
		t.Fatalf("status %s", d.Status)
	}
	runs, err = c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: start.ExecutionArn})
	if err != nil || len(runs.MapRuns) != 1 {
		t.Fatalf("ListMapRuns: %v %+v", err, runs)
	}
	d, err = c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: runs.MapRuns[0].MapRunArn})
	if err != nil || d.Status != types.MapRunStatusFailed || d.ToleratedFailureCount != 1 || d.ItemCounts.Failed != 2 || d.ItemCounts.Aborted != 1 {
		t.Fatalf("failed run: %v %+v %+v", err, d, d.ItemCounts)
	}
	statuses := map[types.ExecutionStatus]int{}
	children, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: runs.MapRuns[0].MapRunArn})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range children.Executions {
		statuses[e.Status]++
	}
	if statuses[types.ExecutionStatusFailed] != 2 || statuses[types.ExecutionStatusAborted] != 1 {
		t.Errorf("failed run's children: %v", statuses)
	}

	// Two Map Runs in one execution, one page each.
	two := newMachine(t, c, "two", `{"StartAt":"A","States":{
		"A":{"Type":"Map","ResultPath":null,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"Next":"B"},
		"B":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}},"End":true}}}`)
	start, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(two), Input: aws.String(`[1]`)})
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, c, *start.ExecutionArn)
	p1, err := c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: start.ExecutionArn, MaxResults: 1})
	if err != nil || len(p1.MapRuns) != 1 || *p1.MapRuns[0].StateMachineArn != two+"/A" || p1.NextToken == nil {
		t.Fatalf("page 1: %v %+v", err, p1)
	}
	p2, err := c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: start.ExecutionArn, MaxResults: 1, NextToken: p1.NextToken})
	if err != nil || len(p2.MapRuns) != 1 || *p2.MapRuns[0].StateMachineArn != two+"/B" || p2.NextToken != nil {
		t.Fatalf("page 2: %v %+v", err, p2)
	}
	_, err = c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: start.ExecutionArn, NextToken: aws.String("bogus")})
	wantCode(t, err, "InvalidToken")
}

func TestRedriveExecution(t *testing.T) {
	t.Parallel()
	clk := clock.NewVirtual(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	_, c := startServer(t, ":memory:", clk)
	ctx := context.Background()
	failing := newMachine(t, c, "failing", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom"}}}`)
	failed, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(failing)})
	if err != nil {
		t.Fatal(err)
	}
	if d := waitStatus(t, c, *failed.ExecutionArn); d.Status != types.ExecutionStatusFailed || d.RedriveStatus != types.ExecutionRedriveStatusRedrivable {
		t.Fatalf("%s %s", d.Status, d.RedriveStatus)
	}
	var notRedrivable *types.ExecutionNotRedrivable
	// A Fail state fails again when redriven, as on AWS.
	clk.Advance(time.Minute)
	if _, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: failed.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	if d := waitStatus(t, c, *failed.ExecutionArn); d.Status != types.ExecutionStatusFailed || d.RedriveCount == nil || *d.RedriveCount != 1 || d.RedriveDate == nil {
		t.Fatalf("after a redrive: %s count %v date %v", d.Status, d.RedriveCount, d.RedriveDate)
	}

	ok := newMachine(t, c, "ok", passDef)
	succeeded, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(ok)})
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, c, *succeeded.ExecutionArn)
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: succeeded.ExecutionArn})
	if !errors.As(err, &notRedrivable) || !strings.Contains(*notRedrivable.Message, "SUCCEEDED") {
		t.Fatalf("a succeeded execution: %v", err)
	}

	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("wait")})
	if err != nil {
		t.Fatal(err)
	}
	waiting := newMachine(t, c, "waiting", `{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"`+*act.ActivityArn+`","End":true}}}`)
	running, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(waiting)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: running.ExecutionArn})
	if !errors.As(err, &notRedrivable) || !strings.Contains(*notRedrivable.Message, "RUNNING") {
		t.Fatalf("a running execution: %v", err)
	}

	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(*failed.ExecutionArn + "-missing")})
	var noExec *types.ExecutionDoesNotExist
	if !errors.As(err, &noExec) {
		t.Fatalf("want ExecutionDoesNotExist, got %v", err)
	}
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:000000000000:express:quick:e1:abc")})
	if !errors.As(err, &notRedrivable) {
		t.Fatalf("an Express execution: %v", err)
	}
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String("not-an-arn")})
	wantCode(t, err, "InvalidArn")
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: failed.ExecutionArn, ClientToken: aws.String(strings.Repeat("t", 65))})
	wantCode(t, err, "ValidationException")

	// Fifteen days later the failed execution is past the redrive window.
	clk.Set(clk.Now().Add(15 * 24 * time.Hour))
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: failed.ExecutionArn})
	if !errors.As(err, &notRedrivable) || !strings.Contains(*notRedrivable.Message, "14 days") {
		t.Fatalf("an old execution: %v", err)
	}
}

func TestTestStateDataFlow(t *testing.T) {
	t.Parallel()
	_, c := startServer(t, ":memory:", nil)
	ctx := context.Background()
	input := `{"initialData":{"fieldFromInput":"value from input","otherField":"other"},"unrelatedData":{"someOtherField":1234}}`
	out, err := c.TestState(ctx, &sfn.TestStateInput{
		Definition: aws.String(`{"Type":"Pass","InputPath":"$.initialData","Parameters":{"staticValue":"some value","inputValue.$":"$.fieldFromInput"},
			"ResultPath":"$.modifiedData","Next":"After"}`),
		Input: aws.String(input), InspectionLevel: types.InspectionLevelDebug,
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.TestExecutionStatusSucceeded || aws.ToString(out.NextState) != "After" || out.InspectionData == nil {
		t.Fatalf("pass: %+v", out)
	}
	modified := `{"staticValue":"some value","inputValue":"value from input"}`
	jsonEqual(t, "output", out.Output, `{"initialData":{"fieldFromInput":"value from input","otherField":"other"},"unrelatedData":{"someOtherField":1234},"modifiedData":`+modified+`}`)
	id := out.InspectionData
	jsonEqual(t, "input", id.Input, input)
	jsonEqual(t, "afterInputPath", id.AfterInputPath, `{"fieldFromInput":"value from input","otherField":"other"}`)
	jsonEqual(t, "afterParameters", id.AfterParameters, modified)
	jsonEqual(t, "afterResultSelector", id.AfterResultSelector, modified)
	jsonEqual(t, "afterResultPath", id.AfterResultPath, *out.Output)

	// INFO shows no inspection data.
	out, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","Result":{"k":1},"End":true}`)})
	if err != nil || out.Status != types.TestExecutionStatusSucceeded || out.InspectionData != nil || out.NextState != nil {
		t.Fatalf("pass INFO: %v %+v", err, out)
	}
	jsonEqual(t, "output", out.Output, `{"k":1}`)

	out, err = c.TestState(ctx, &sfn.TestStateInput{
		Definition: aws.String(`{"Type":"Choice","Choices":[{"Variable":"$.value","NumericGreaterThanEquals":20,"Next":"ValueInTwenties"}],"Default":"Other"}`),
		Input:      aws.String(`{"value":22}`),
	})
	if err != nil || out.Status != types.TestExecutionStatusSucceeded || aws.ToString(out.NextState) != "ValueInTwenties" {
		t.Fatalf("choice: %v %+v", err, out)
	}

	out, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Fail","Error":"SomeFailure","Cause":"because"}`)})
	if err != nil || out.Status != types.TestExecutionStatusFailed || aws.ToString(out.Error) != "SomeFailure" || aws.ToString(out.Cause) != "because" || out.Output != nil {
		t.Fatalf("fail: %v %+v", err, out)
	}

	// A state of a whole state machine, chosen by name.
	out, err = c.TestState(ctx, &sfn.TestStateInput{
		Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Parameters":{"b.$":"$.x"},"End":true}}}`),
		StateName:  aws.String("B"), Input: aws.String(`{"x":7}`),
	})
	if err != nil || out.Status != types.TestExecutionStatusSucceeded {
		t.Fatalf("stateName: %v %+v", err, out)
	}
	jsonEqual(t, "output", out.Output, `{"b":7}`)

	// JSONata with variables given by the request.
	out, err = c.TestState(ctx, &sfn.TestStateInput{
		Definition: aws.String(`{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $base + $states.input.n %}","Assign":{"seen":"{% $states.input.n %}"},"End":true}`),
		Input:      aws.String(`{"n":2}`), Variables: aws.String(`{"base":40}`), InspectionLevel: types.InspectionLevelTrace,
	})
	if err != nil || out.Status != types.TestExecutionStatusSucceeded {
		t.Fatalf("jsonata: %v %+v", err, out)
	}
	jsonEqual(t, "output", out.Output, `42`)
	jsonEqual(t, "variables", out.InspectionData.Variables, `{"base":40,"seen":2}`)

	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","Next":"X","End":true}`)})
	wantCode(t, err, "InvalidDefinition")
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), InspectionLevel: "LOUD"})
	wantCode(t, err, "ValidationException")
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), Input: aws.String(`{oops`)})
	wantCode(t, err, "InvalidExecutionInput")
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`), StateName: aws.String("Z")})
	wantCode(t, err, "ValidationException")
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), Variables: aws.String(`[1]`)})
	wantCode(t, err, "ValidationException")
}

func TestTestStateTasksAndMocks(t *testing.T) {
	t.Parallel()
	_, c := startServer(t, ":memory:", nil)
	ctx := context.Background()
	lambda := `"Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"}`

	out, err := c.TestState(ctx, &sfn.TestStateInput{
		Definition: aws.String(`{"Type":"Task",` + lambda + `,"ResultSelector":{"body.$":"$.Payload"},"ResultPath":"$.result","Next":"Done"}`),
		Input:      aws.String(`{"id":1}`), InspectionLevel: types.InspectionLevelDebug,
		Mock: &types.MockInput{Result: aws.String(`{"StatusCode":200,"Payload":{"ok":true}}`)},
	})
	if err != nil || out.Status != types.TestExecutionStatusSucceeded || aws.ToString(out.NextState) != "Done" {
		t.Fatalf("mocked task: %v %+v", err, out)
	}
	jsonEqual(t, "output", out.Output, `{"id":1,"result":{"body":{"ok":true}}}`)
	id := out.InspectionData
	jsonEqual(t, "afterParameters", id.AfterParameters, `{"FunctionName":"f","Payload":{"id":1}}`)
	jsonEqual(t, "result", id.Result, `{"StatusCode":200,"Payload":{"ok":true}}`)
	jsonEqual(t, "afterResultSelector", id.AfterResultSelector, `{"body":{"ok":true}}`)
	jsonEqual(t, "afterResultPath", id.AfterResultPath, *out.Output)

	// A mocked error that the second catcher handles.
	catching := `{"Type":"Task",` + lambda + `,
		"Retry":[{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2.0}],
		"Catch":[{"ErrorEquals":["Other"],"Next":"HandleOther"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"HandleAll"}],
		"Next":"Done"}`
	out, err = c.TestState(ctx, &sfn.TestStateInput{
		Definition: aws.String(catching), Input: aws.String(`{"id":1}`), InspectionLevel: types.InspectionLevelDebug,
		Mock: &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String("Lambda.TooManyRequestsException"), Cause: aws.String("slow down")}},
	})
	if err != nil || out.Status != types.TestExecutionStatusCaughtError || aws.ToString(out.NextState) != "HandleAll" ||
		aws.ToString(out.Error) != "Lambda.TooManyRequestsException" || aws.ToString(out.Cause) != "slow down" {
		t.Fatalf("caught: %v %+v", err, out)
	}
	jsonEqual(t, "output", out.Output, `{"id":1,"error":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}}`)
	if d := out.InspectionData.ErrorDetails; d == nil || aws.ToInt32(d.CatchIndex) != 1 {
		t.Fatalf("errorDetails %+v", d)
	}
	if out.InspectionData.Variables != nil {
		t.Fatalf("the wrapper's variables leaked: %s", *out.InspectionData.Variables)
	}

	// An error a retrier matches is RETRIABLE until its attempts run out.
	retry := func(count int32) *sfn.TestStateOutput {
		t.Helper()
		out, err := c.TestState(ctx, &sfn.TestStateInput{
			Definition: aws.String(catching), InspectionLevel: types.InspectionLevelDebug,
			StateConfiguration: &types.TestStateConfiguration{RetrierRetryCount: aws.Int32(count)},
			Mock:               &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String("Lambda.ServiceException"), Cause: aws.String("down")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out = retry(1)
	if d := out.InspectionData.ErrorDetails; out.Status != types.TestExecutionStatusRetriable || d == nil ||
		aws.ToInt32(d.RetryIndex) != 0 || aws.ToInt32(d.RetryBackoffIntervalSeconds) != 4 || out.Output != nil {
		t.Fatalf("retriable: %+v %+v", out, out.InspectionData.ErrorDetails)
	}
	if out = retry(3); out.Status != types.TestExecutionStatusCaughtError || aws.ToString(out.NextState) != "HandleAll" {
		t.Fatalf("retries exhausted: %+v", out)
	}

	// Without a mock the task is not performed.
	out, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Task",` + lambda + `,"End":true}`), RoleArn: aws.String(testRole)})
	if err != nil || out.Status != types.TestExecutionStatusFailed || aws.ToString(out.Error) != "States.TaskFailed" {
		t.Fatalf("unmocked task: %v %+v", err, out)
	}
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Task",` + lambda + `,"End":true}`)})
	wantCode(t, err, "ValidationException")
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), Mock: &types.MockInput{Result: aws.String(`1`)}})
	wantCode(t, err, "ValidationException")
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Task",` + lambda + `,"End":true}`), Mock: &types.MockInput{Result: aws.String(`{bad`)}})
	wantCode(t, err, "ValidationException")
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Task",` + lambda + `,"End":true}`), RoleArn: aws.String(testRole), Context: aws.String(`{}`)})
	wantCode(t, err, "ValidationException")
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Task",` + lambda + `,"End":true}`), RoleArn: aws.String("role")})
	wantCode(t, err, "InvalidArn")

	// A Map is tested only with a mock, which stands for its whole result.
	mapDef := `{"Type":"Map","ItemsPath":"$.Values","MaxConcurrency":1,"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"ResultPath":"$.out","End":true}`
	_, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(mapDef), Input: aws.String(`{"Values":[1,2,3]}`)})
	wantCode(t, err, "ValidationException")
	out, err = c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(mapDef), Input: aws.String(`{"Values":[1,2,3]}`),
		InspectionLevel: types.InspectionLevelDebug, Mock: &types.MockInput{Result: aws.String(`[1,1,1]`)}})
	if err != nil || out.Status != types.TestExecutionStatusSucceeded || aws.ToInt32(out.InspectionData.MaxConcurrency) != 1 {
		t.Fatalf("mocked map: %v %+v", err, out)
	}
	jsonEqual(t, "output", out.Output, `{"Values":[1,2,3],"out":[1,1,1]}`)
	jsonEqual(t, "afterItemsPath", out.InspectionData.AfterItemsPath, `[1,2,3]`)
}

// TestRedriveReruns redrives an execution whose Parallel state failed in
// one branch and whose Map state failed in one iteration: only those rerun,
// the other branch's and iterations' results are kept, and the redrive
// survives a restart of the server.
func TestRedriveReruns(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "baton.db")
	srv, c := startServer(t, db, nil)
	ctx := context.Background()
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("flaky")})
	if err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"P","States":{
		"P":{"Type":"Parallel","Next":"M","Branches":[
			{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
			{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"` + *act.ActivityArn + `","End":true}}}]},
		"M":{"Type":"Map","ItemsPath":"$[1].items","MaxConcurrency":1,"ItemProcessor":{"StartAt":"I","States":{
			"I":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"T"}],"Default":"Ok"},
			"T":{"Type":"Task","Resource":"` + *act.ActivityArn + `","End":true},
			"Ok":{"Type":"Pass","End":true}}},"End":true}}}`
	arn := newMachine(t, c, "rerun", def)
	start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	exec := start.ExecutionArn
	task := func(c *sfn.Client) *string {
		t.Helper()
		out, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
		if err != nil || out.TaskToken == nil {
			t.Fatalf("GetActivityTask: %v", err)
		}
		return out.TaskToken
	}
	fail := func(c *sfn.Client) {
		t.Helper()
		if _, err := c.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: task(c), Error: aws.String("Flaky")}); err != nil {
			t.Fatal(err)
		}
	}
	succeed := func(c *sfn.Client, out string) {
		t.Helper()
		if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task(c), Output: aws.String(out)}); err != nil {
			t.Fatal(err)
		}
	}
	redrive := func(c *sfn.Client, want int32) {
		t.Helper()
		if d := waitStatus(t, c, *exec); d.Status != types.ExecutionStatusFailed || d.Error == nil || *d.Error != "Flaky" {
			t.Fatalf("before redrive %d: %s %v", want, d.Status, d.Error)
		}
		if _, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: exec}); err != nil {
			t.Fatal(err)
		}
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: exec})
		if err != nil || d.RedriveCount == nil || *d.RedriveCount != want {
			t.Fatalf("redrive %d: %v %+v", want, err, d)
		}
	}

	fail(c) // branch B fails the Parallel state
	redrive(c, 1)
	// Only branch B reruns; its output feeds the Map.
	succeed(c, `{"items":[1,2,3]}`)
	fail(c) // iteration 1 (item 2) fails the Map state
	redrive(c, 2)
	// The redrive is in the signal log: a restart resumes it.
	if err := srv.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	_, c2 := startServer(t, db, nil)
	succeed(c2, `"two"`)
	d := waitStatus(t, c2, *exec)
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `[1,"two",3]` {
		t.Fatalf("after the redrives: %s %s", d.Status, aws.ToString(d.Output))
	}
	h, err := c2.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: exec, MaxResults: 1000})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for i, e := range h.Events {
		if e.Id != int64(i+1) {
			t.Fatalf("event %d has id %d", i+1, e.Id)
		}
		count[string(e.Type)]++
		if e.StateEnteredEventDetails != nil {
			count[*e.StateEnteredEventDetails.Name]++
		}
	}
	// A ran once, B twice; items 1 and 3 went through Ok once each; item 2
	// entered I once and T twice: its rerun continues at T, the state that
	// failed.
	want := map[string]int{"ExecutionRedriven": 2, "A": 1, "B": 2, "Ok": 2, "T": 2, "I": 3, "MapIterationStarted": 4, "ExecutionFailed": 2, "ExecutionSucceeded": 1}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d, want %d (%v)", k, count[k], n, count)
		}
	}
}
