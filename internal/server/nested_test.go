package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestNestedExecutions runs states:startExecution in its three patterns:
// .sync:2 and .sync wait for the child and return its description (output
// as JSON, then as text), the plain form returns at once, and a failing
// child fails the parent's task with States.TaskFailed, which Catch sees.
func TestNestedExecutions(t *testing.T) {
	t.Parallel()
	_, c := startServer(t, ":memory:", nil)
	ctx := context.Background()
	child := newMachine(t, c, "child", `{"StartAt":"Double","States":{"Double":{"Type":"Pass","Parameters":{"y.$":"States.MathAdd($.x, $.x)"},"End":true}}}`)
	failing := newMachine(t, c, "failing-child", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"ChildBroke","Cause":"on purpose"}}}`)
	parent := newMachine(t, c, "parent", `{"StartAt":"Sync2","States":{
		"Sync2":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
			"Parameters":{"StateMachineArn":"`+child+`","Input":{"x.$":"$.x"}},"ResultSelector":{"y.$":"$.Output.y","status.$":"$.Status"},"ResultPath":"$.sync2","Next":"Sync"},
		"Sync":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
			"Parameters":{"StateMachineArn":"`+child+`","Input":{"x":5}},"ResultSelector":{"output.$":"$.Output"},"ResultPath":"$.sync","Next":"Async"},
		"Async":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
			"Parameters":{"StateMachineArn":"`+child+`","Name":"fire-and-forget","Input":{"x":1}},"ResultSelector":{"arn.$":"$.ExecutionArn"},"ResultPath":"$.async","Next":"Broken"},
		"Broken":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
			"Parameters":{"StateMachineArn":"`+failing+`"},
			"Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.caught","Next":"Done"}],"End":true},
		"Done":{"Type":"Pass","End":true}}}`)
	start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(parent), Input: aws.String(`{"x":21}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := waitStatus(t, c, *start.ExecutionArn)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("parent: %s %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	var out struct {
		Sync2 struct {
			Y      float64 `json:"y"`
			Status string  `json:"status"`
		} `json:"sync2"`
		Sync struct {
			Output string `json:"output"`
		} `json:"sync"`
		Async struct {
			ARN string `json:"arn"`
		} `json:"async"`
		Caught struct {
			Error string `json:"Error"`
			Cause string `json:"Cause"`
		} `json:"caught"`
	}
	if err := json.Unmarshal([]byte(*d.Output), &out); err != nil {
		t.Fatal(err)
	}
	if out.Sync2.Y != 42 || out.Sync2.Status != "SUCCEEDED" || out.Sync.Output != `{"y":10}` {
		t.Errorf("sync results: %s", *d.Output)
	}
	if !strings.HasSuffix(out.Async.ARN, ":child:fire-and-forget") {
		t.Errorf("async result: %s", *d.Output)
	}
	if d := waitStatus(t, c, out.Async.ARN); d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"y":2}` {
		t.Errorf("async child: %s %s", d.Status, aws.ToString(d.Output))
	}
	if out.Caught.Error != "States.TaskFailed" || !strings.Contains(out.Caught.Cause, `"Error":"ChildBroke"`) || !strings.Contains(out.Caught.Cause, `"Status":"FAILED"`) {
		t.Errorf("caught: %+v", out.Caught)
	}
	// The children are executions of their own machines.
	list, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(child)})
	if err != nil || len(list.Executions) != 3 {
		t.Fatalf("child executions: %v %d", err, len(list.Executions))
	}
	// A machine that does not exist fails the task with the API's error.
	missing := newMachine(t, c, "missing", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution","Parameters":{"StateMachineArn":"`+child+`-nope"},"End":true}}}`)
	start, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(missing)})
	if err != nil {
		t.Fatal(err)
	}
	if d := waitStatus(t, c, *start.ExecutionArn); d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "StepFunctions.StateMachineDoesNotExistException" {
		t.Errorf("missing machine: %s %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
}
