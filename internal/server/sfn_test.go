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
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/batonrun/baton/internal/clock"
)

const testRole = "arn:aws:iam::000000000000:role/test"

// NoHostPrefix turns off the "sync-" host prefix that StartSyncExecution
// and TestState put on the endpoint's host name: a local endpoint such as
// 127.0.0.1 has no sync-127.0.0.1. docs/clients.md shows the same for each
// SDK.
func NoHostPrefix(o *sfn.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("BatonNoHostPrefix",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
	})
}

// startServer runs a server on a free port with its database at db.
func startServer(t *testing.T, db string, clk clock.Clock) (*Server, *sfn.Client) {
	t.Helper()
	srv, err := New(Config{Addr: "127.0.0.1:0", DB: db, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	client := sfn.New(sfn.Options{
		BaseEndpoint: aws.String(srv.URL()),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	}, NoHostPrefix)
	return srv, client
}

func newMachine(t *testing.T, c *sfn.Client, name, def string) string {
	t.Helper()
	out, err := c.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(def), RoleArn: aws.String(testRole),
	})
	if err != nil {
		t.Fatalf("CreateStateMachine: %v", err)
	}
	return *out.StateMachineArn
}

// waitStatus polls DescribeExecution until the status is not RUNNING or
// the deadline passes.
func waitStatus(t *testing.T, c *sfn.Client, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatalf("DescribeExecution: %v", err)
		}
		if out.Status != types.ExecutionStatusRunning || time.Now().After(deadline) {
			return out
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestStateMachineLifecycleAndErrors(t *testing.T) {
	t.Parallel()
	_, c := startServer(t, ":memory:", nil)
	ctx := context.Background()
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('hello {}', $.name)"},"End":true}}}`
	arn := newMachine(t, c, "hello", def)
	if !strings.HasPrefix(arn, "arn:aws:states:us-east-1:000000000000:stateMachine:hello") {
		t.Fatalf("arn %s", arn)
	}
	// Creating the same machine again is idempotent; a different one is not.
	if again := newMachine(t, c, "hello", def); again != arn {
		t.Fatalf("idempotent create returned %s", again)
	}
	_, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("hello"), Definition: aws.String(strings.Replace(def, "hello", "bye", 1)), RoleArn: aws.String(testRole)})
	var exists *types.StateMachineAlreadyExists
	if !errors.As(err, &exists) {
		t.Fatalf("want StateMachineAlreadyExists, got %v", err)
	}
	_, err = c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad"), Definition: aws.String(`{"StartAt":"X","States":{}}`), RoleArn: aws.String(testRole)})
	var invDef *types.InvalidDefinition
	if !errors.As(err, &invDef) || !strings.Contains(*invDef.Message, "MISSING_TRANSITION_TARGET") {
		t.Fatalf("want InvalidDefinition naming the problem, got %v", err)
	}
	_, err = c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad name"), Definition: aws.String(def), RoleArn: aws.String(testRole)})
	var invName *types.InvalidName
	if !errors.As(err, &invName) {
		t.Fatalf("want InvalidName, got %v", err)
	}
	_, err = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("not-an-arn")})
	var invArn *types.InvalidArn
	if !errors.As(err, &invArn) {
		t.Fatalf("want InvalidArn, got %v", err)
	}
	_, err = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn + "-missing")})
	var noSM *types.StateMachineDoesNotExist
	if !errors.As(err, &noSM) {
		t.Fatalf("want StateMachineDoesNotExist, got %v", err)
	}

	desc, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if err != nil || *desc.Definition != def || desc.Type != types.StateMachineTypeStandard {
		t.Fatalf("DescribeStateMachine: %v %+v", err, desc)
	}
	list, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(list.StateMachines) != 1 || *list.StateMachines[0].Name != "hello" {
		t.Fatalf("ListStateMachines: %v %+v", err, list)
	}

	start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String("e1"), Input: aws.String(`{"name":"world"}`)})
	if err != nil {
		t.Fatalf("StartExecution: %v", err)
	}
	d := waitStatus(t, c, *start.ExecutionArn)
	if d.Status != types.ExecutionStatusSucceeded || *d.Output != `{"greeting":"hello world"}` {
		t.Fatalf("execution %s output %v", d.Status, aws.ToString(d.Output))
	}
	// The same name again: ExecutionAlreadyExists once it has ended.
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String("e1"), Input: aws.String(`{"name":"world"}`)})
	var dup *types.ExecutionAlreadyExists
	if !errors.As(err, &dup) {
		t.Fatalf("want ExecutionAlreadyExists, got %v", err)
	}
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(`{not json`)})
	var badInput *types.InvalidExecutionInput
	if !errors.As(err, &badInput) {
		t.Fatalf("want InvalidExecutionInput, got %v", err)
	}
	hist, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: start.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range hist.Events {
		got = append(got, string(e.Type))
	}
	if strings.Join(got, ",") != "ExecutionStarted,PassStateEntered,PassStateExited,ExecutionSucceeded" {
		t.Fatalf("history %v", got)
	}
	if hist.Events[2].StateExitedEventDetails == nil || *hist.Events[2].StateExitedEventDetails.Output != `{"greeting":"hello world"}` {
		t.Fatalf("exited details %+v", hist.Events[2].StateExitedEventDetails)
	}
	execs, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), StatusFilter: types.ExecutionStatusSucceeded})
	if err != nil || len(execs.Executions) != 1 {
		t.Fatalf("ListExecutions: %v %+v", err, execs)
	}
	_, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(strings.Replace(*start.ExecutionArn, "e1", "nope", 1))})
	var noExec *types.ExecutionDoesNotExist
	if !errors.As(err, &noExec) {
		t.Fatalf("want ExecutionDoesNotExist, got %v", err)
	}
	v, err := c.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`)})
	if err != nil || v.Result != types.ValidateStateMachineDefinitionResultCodeFail || len(v.Diagnostics) == 0 || *v.Diagnostics[0].Location == "" {
		t.Fatalf("Validate: %v %+v", err, v)
	}
	if _, err := c.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("payments")}}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 || *tags.Tags[0].Value != "payments" {
		t.Fatalf("tags %v %+v", err, tags)
	}
	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)}); !errors.As(err, &noSM) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestActivitiesCallbacksAndStop(t *testing.T) {
	t.Parallel()
	_, c := startServer(t, ":memory:", nil)
	ctx := context.Background()
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("approve")})
	if err != nil {
		t.Fatal(err)
	}
	arn := newMachine(t, c, "flow", `{"StartAt":"Approve","States":{
		"Approve":{"Type":"Task","Resource":"`+*act.ActivityArn+`","ResultPath":"$.approval","Next":"Notify"},
		"Notify":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		          "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},
		          "Catch":[{"ErrorEquals":["Rejected"],"ResultPath":"$.error","Next":"Done"}],"Next":"Done"},
		"Done":{"Type":"Succeed"}}}`)
	start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(`{"order":7}`)})
	if err != nil {
		t.Fatal(err)
	}
	task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("w1")})
	if err != nil || task.TaskToken == nil || *task.Input != `{"order":7}` {
		t.Fatalf("GetActivityTask: %v %+v", err, task)
	}
	if _, err := c.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"ok":true}`)}); err != nil {
		t.Fatal(err)
	}
	// The same token again: the task no longer exists.
	_, err = c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)})
	var noTask *types.TaskDoesNotExist
	if !errors.As(err, &noTask) {
		t.Fatalf("want TaskDoesNotExist, got %v", err)
	}
	token := callbackToken(t, c, *start.ExecutionArn)
	if _, err := c.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(token), Error: aws.String("Rejected"), Cause: aws.String("no")}); err != nil {
		t.Fatal(err)
	}
	d := waitStatus(t, c, *start.ExecutionArn)
	if d.Status != types.ExecutionStatusSucceeded || *d.Output != `{"order":7,"approval":{"ok":true},"error":{"Error":"Rejected","Cause":"no"}}` {
		t.Fatalf("%s %s", d.Status, aws.ToString(d.Output))
	}

	// StopExecution aborts a waiting execution.
	start2, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: start2.ExecutionArn, Error: aws.String("Cancelled"), Cause: aws.String("by test")}); err != nil {
		t.Fatal(err)
	}
	d = waitStatus(t, c, *start2.ExecutionArn)
	if d.Status != types.ExecutionStatusAborted || aws.ToString(d.Error) != "Cancelled" {
		t.Fatalf("after stop: %s %s", d.Status, aws.ToString(d.Error))
	}
}

// callbackToken reads the task token from the last TaskScheduled event's
// parameters, where the definition put it.
func callbackToken(t *testing.T, c *sfn.Client, execARN string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		h, err := c.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execARN), ReverseOrder: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range h.Events {
			if e.Type == types.HistoryEventTypeTaskScheduled {
				var p struct {
					MessageBody struct {
						Token string `json:"token"`
					}
				}
				if err := json.Unmarshal([]byte(*e.TaskScheduledEventDetails.Parameters), &p); err != nil {
					t.Fatal(err)
				}
				return p.MessageBody.Token
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no TaskScheduled event")
	return ""
}

// TestExecutionsSurviveRestart stops a server while an execution waits for
// an activity, starts another on the same database, and finishes it there.
func TestExecutionsSurviveRestart(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "baton.db")
	srv, c := startServer(t, db, nil)
	ctx := context.Background()
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("work")})
	if err != nil {
		t.Fatal(err)
	}
	arn := newMachine(t, c, "durable", `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"`+*act.ActivityArn+`","End":true}}}`)
	start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(`{"n":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	_, c2 := startServer(t, db, nil)
	task, err := c2.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
	if err != nil || task.TaskToken == nil {
		t.Fatalf("after restart, GetActivityTask: %v %+v", err, task)
	}
	if _, err := c2.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"done":true}`)}); err != nil {
		t.Fatal(err)
	}
	if d := waitStatus(t, c2, *start.ExecutionArn); d.Status != types.ExecutionStatusSucceeded || *d.Output != `{"done":true}` {
		t.Fatalf("%s %s", d.Status, aws.ToString(d.Output))
	}
}

// TestVirtualClockWeekLongExecution runs a machine that waits 7 days and
// retries a task with a 1-hour back-off, on the durable engine with a
// virtual clock: it finishes without real waiting.
func TestVirtualClockWeekLongExecution(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	clk := clock.NewVirtual(start)
	srv, c := startServer(t, ":memory:", clk)
	ctx := context.Background()
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("bank")})
	if err != nil {
		t.Fatal(err)
	}
	arn := newMachine(t, c, "week", `{"StartAt":"Wait","States":{
		"Wait":{"Type":"Wait","Seconds":604800,"Next":"Pay"},
		"Pay":{"Type":"Task","Resource":"`+*act.ActivityArn+`","TimeoutSeconds":60,
		       "Retry":[{"ErrorEquals":["States.Timeout"],"IntervalSeconds":3600,"BackoffRate":1,"MaxAttempts":3}],"End":true}}}`)
	exec, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	// Move the clock from timer to timer: the week's wait, then twice a
	// 60-second task timeout followed by an hour's back-off. Each firing
	// arms the next timer; the third attempt is then answered.
	next := func() (time.Time, bool) {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if at, ok := srv.eng.NextTimer(); ok && at.After(clk.Now()) {
				return at, true
			}
			time.Sleep(time.Millisecond)
		}
		return time.Time{}, false
	}
	for i := 0; i < 5; i++ {
		at, ok := next()
		if !ok {
			t.Fatalf("no timer armed after %d firings", i)
		}
		clk.Set(at)
	}
	if _, ok := next(); !ok {
		t.Fatal("the third attempt armed no timeout")
	}
	task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
	if err != nil || task.TaskToken == nil {
		t.Fatalf("GetActivityTask: %v", err)
	}
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`"paid"`)}); err != nil {
		t.Fatal(err)
	}
	d := waitStatus(t, c, *exec.ExecutionArn)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s: %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	if got, want := d.StopDate.Sub(start), 7*24*time.Hour+2*(time.Minute+time.Hour); got != want {
		t.Fatalf("virtual duration %v, want %v", got, want)
	}
}

func TestExpressStartSyncExecution(t *testing.T) {
	t.Parallel()
	_, c := startServer(t, ":memory:", nil)
	ctx := context.Background()
	out, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("quick"), Type: types.StateMachineTypeExpress, RoleArn: aws.String(testRole),
		Definition: aws.String(`{"QueryLanguage":"JSONata","StartAt":"Sum","States":{"Sum":{"Type":"Pass","Output":"{% $sum($states.input.xs) %}","End":true}}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: out.StateMachineArn, Input: aws.String(`{"xs":[1,2,3.5]}`)})
	if err != nil {
		t.Fatalf("StartSyncExecution: %v", err)
	}
	if res.Status != types.SyncExecutionStatusSucceeded || *res.Output != "6.5" {
		t.Fatalf("%s %s", res.Status, aws.ToString(res.Output))
	}
	std := newMachine(t, c, "standard", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	_, err = c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(std)})
	var notSupported *types.StateMachineTypeNotSupported
	if !errors.As(err, &notSupported) {
		t.Fatalf("want StateMachineTypeNotSupported, got %v", err)
	}
}
