package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/value"
)

var testStart = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)

func testInfo() Info {
	return Info{
		ExecutionARN:     "arn:aws:states:us-east-1:123456789012:execution:m:e",
		Name:             "e",
		StateMachineARN:  "arn:aws:states:us-east-1:123456789012:stateMachine:m",
		StateMachineName: "m",
		RoleARN:          "arn:aws:iam::123456789012:role/r",
		StartTime:        testStart,
	}
}

func mustParse(t *testing.T, src string) *asl.Definition {
	t.Helper()
	def, err := asl.Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return def
}

func run(t *testing.T, src, input string, h TaskHandler) *Result {
	t.Helper()
	res, err := Run(context.Background(), mustParse(t, src), value.MustDecode(input), RunOptions{Info: testInfo(), Handler: h})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func types(res *Result) string {
	var out []string
	for _, e := range res.Events {
		out = append(out, e.Type)
	}
	return strings.Join(out, ",")
}

func TestPassChainDataFlow(t *testing.T) {
	t.Parallel()
	res := run(t, `{"StartAt":"A","States":{
		"A":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.x, 1)","orig.$":"$"},"ResultPath":"$.a","Next":"B"},
		"B":{"Type":"Pass","InputPath":"$.a","Result":{"fixed":true},"ResultPath":"$.b","OutputPath":"$.b","End":true}}}`,
		`{"x":41}`, nil)
	if res.Status != StatusSucceeded {
		t.Fatalf("status %s: %s %s", res.Status, res.Error, res.Cause)
	}
	if got := value.EncodeString(res.Output); got != `{"fixed":true}` {
		t.Fatalf("output %s", got)
	}
	want := "ExecutionStarted,PassStateEntered,PassStateExited,PassStateEntered,PassStateExited,ExecutionSucceeded"
	if got := types(res); got != want {
		t.Fatalf("events %s", got)
	}
}

// TestVirtualClockWeekWaitAndHourBackoff runs a machine that waits 7 days
// and retries a task with a 1-hour back-off to the end, on the virtual
// clock.
func TestVirtualClockWeekWaitAndHourBackoff(t *testing.T) {
	t.Parallel()
	calls := 0
	var at []time.Duration
	h := TaskHandlerFunc(func(_ context.Context, rt RunTask) (any, error) {
		calls++
		if calls < 4 {
			return nil, &asl.Failure{Name: "Bank.Unavailable", Cause: "try later"}
		}
		return value.ObjectOf("ok", true), nil
	})
	src := `{"StartAt":"W","States":{
		"W":{"Type":"Wait","Seconds":604800,"Next":"T"},
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["Bank.Unavailable"],"IntervalSeconds":3600,"BackoffRate":1.0,"MaxAttempts":5}],"End":true}}}`
	res := run(t, src, `{}`, h)
	_ = at
	if res.Status != StatusSucceeded || calls != 4 {
		t.Fatalf("status %s after %d calls: %s", res.Status, calls, res.Cause)
	}
	want := 7*24*time.Hour + 3*time.Hour
	if got := res.End.Sub(testStart); got != want {
		t.Fatalf("virtual time elapsed %v, want %v", got, want)
	}
}

func TestRetryBackoffCapAndExhaustion(t *testing.T) {
	t.Parallel()
	calls := 0
	h := TaskHandlerFunc(func(context.Context, RunTask) (any, error) {
		calls++
		return nil, &asl.Failure{Name: "Flaky", Cause: "no"}
	})
	src := `{"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":10,"BackoffRate":3,"MaxAttempts":4,"MaxDelaySeconds":60}],"End":true}}}`
	res := run(t, src, `{}`, h)
	if res.Status != StatusFailed || res.Error != "Flaky" || calls != 5 {
		t.Fatalf("status %s error %s calls %d", res.Status, res.Error, calls)
	}
	// Delays: 10, 30, 60 (90 capped), 60 (270 capped).
	if got, want := res.End.Sub(testStart), 160*time.Second; got != want {
		t.Fatalf("elapsed %v, want %v", got, want)
	}
}

func TestCatchWithResultPathAndRuntimeNotCaught(t *testing.T) {
	t.Parallel()
	h := TaskHandlerFunc(func(context.Context, RunTask) (any, error) {
		return nil, &asl.Failure{Name: "Card.Declined", Cause: "insufficient funds"}
	})
	res := run(t, `{"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"F"}],"End":true},
		"F":{"Type":"Pass","End":true}}}`, `{"id":1}`, h)
	if got := value.EncodeString(res.Output); got != `{"id":1,"err":{"Error":"Card.Declined","Cause":"insufficient funds"}}` {
		t.Fatalf("output %s (%s)", got, types(res))
	}
	// States.Runtime (a path that selects nothing) is not caught by States.ALL.
	res = run(t, `{"StartAt":"P","States":{
		"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","InputPath":"$.missing","End":true}}}],
		     "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},
		"F":{"Type":"Pass","End":true}}}`, `{}`, nil)
	if res.Status != StatusFailed || res.Error != asl.ErrRuntime {
		t.Fatalf("status %s error %s", res.Status, res.Error)
	}
	if !strings.Contains(res.Cause, "Invalid path '$.missing' : No results for path: $['missing']") {
		t.Fatalf("cause %q", res.Cause)
	}
}

func TestMapAndParallelResults(t *testing.T) {
	t.Parallel()
	res := run(t, `{"StartAt":"M","States":{
		"M":{"Type":"Map","ItemsPath":"$.xs","MaxConcurrency":2,
		     "ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
		     "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
		        {"StartAt":"A","States":{"A":{"Type":"Pass","OutputPath":"$.v","End":true}}},
		        {"StartAt":"B","States":{"B":{"Type":"Pass","OutputPath":"$.i","End":true}}}],"End":true}}},
		     "End":true}}}`, `{"xs":["a","b","c"]}`, nil)
	if got := value.EncodeString(res.Output); got != `[["a",0],["b",1],["c",2]]` {
		t.Fatalf("output %s (%s %s)", got, res.Error, res.Cause)
	}
}

func TestMapTaskConcurrencyAndFailureAbortsOthers(t *testing.T) {
	t.Parallel()
	// With synchronous tasks, the failing item fails the Map and its
	// iteration is recorded as failed.
	h := TaskHandlerFunc(func(_ context.Context, rt RunTask) (any, error) {
		if value.EncodeString(rt.Input) == `2` {
			return nil, &asl.Failure{Name: "Bad", Cause: "item 2"}
		}
		return rt.Input, nil
	})
	res := run(t, `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"End":true}}}`, `[1,2,3]`, h)
	if res.Status != StatusFailed || res.Error != "Bad" {
		t.Fatalf("status %s error %s", res.Status, res.Error)
	}
	if !strings.Contains(types(res), "MapIterationFailed,MapStateFailed,ExecutionFailed") {
		t.Fatalf("events %s", types(res))
	}
}

func TestDistributedMapToleratedFailures(t *testing.T) {
	t.Parallel()
	src := `{"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
			"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"Boom"}],"Default":"Ok"},
			"Boom":{"Type":"Fail","Error":"Zero"},"Ok":{"Type":"Pass","End":true}}},"End":true}}}`
	res := run(t, src, `[1,0,2]`, nil)
	if res.Status != StatusSucceeded || value.EncodeString(res.Output) != `[1,null,2]` {
		t.Fatalf("status %s output %s error %s", res.Status, value.EncodeString(res.Output), res.Error)
	}
	res = run(t, src, `[0,0,2]`, nil)
	if res.Status != StatusFailed || res.Error != asl.ErrExceedToleratedFailureThreshold {
		t.Fatalf("status %s error %s", res.Status, res.Error)
	}
	if !strings.Contains(types(res), "MapRunStarted,MapRunFailed,MapStateFailed") {
		t.Fatalf("events %s", types(res))
	}
}

func TestVariablesScopeAndAssignOrder(t *testing.T) {
	t.Parallel()
	res := run(t, `{"StartAt":"A","States":{
		"A":{"Type":"Pass","Assign":{"x":1,"y":"keep"},"Next":"B"},
		"B":{"Type":"Pass","Assign":{"x":2,"old.$":"$x"},"Next":"M"},
		"M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"I","States":{
			"I":{"Type":"Pass","Parameters":{"x.$":"$x","y.$":"$y","old.$":"$old"},"End":true}}},"End":true}}}`,
		`{"items":[0]}`, nil)
	if got := value.EncodeString(res.Output); got != `[{"x":2,"y":"keep","old":1}]` {
		t.Fatalf("output %s (%s %s)", got, res.Error, res.Cause)
	}
}

func TestExecutionTimeout(t *testing.T) {
	t.Parallel()
	res := run(t, `{"TimeoutSeconds":60,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, `{}`, nil)
	if res.Status != StatusTimedOut || res.End.Sub(testStart) != time.Minute {
		t.Fatalf("status %s at %v", res.Status, res.End.Sub(testStart))
	}
}

func TestSignalsAfterEndAreIgnored(t *testing.T) {
	t.Parallel()
	def := mustParse(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"token.$":"$$.Task.Token"},"End":true}}}`)
	x, step := Start(def, testInfo(), value.NewObject(0), Options{})
	var task RunTask
	for _, c := range step.Commands {
		if rt, ok := c.(RunTask); ok {
			task = rt
		}
	}
	if task.TaskToken == "" {
		t.Fatalf("no task token; commands %v", step.Commands)
	}
	tok, _ := task.Input.(*value.Object).Get("token")
	if tok != task.TaskToken {
		t.Fatalf("$$.Task.Token = %v, want %s", tok, task.TaskToken)
	}
	x.Signal(TaskSucceeded{ID: task.ID, Output: "done"}, testStart.Add(time.Second))
	if x.Status != StatusSucceeded {
		t.Fatalf("status %s", x.Status)
	}
	if s := x.Signal(TaskSucceeded{ID: task.ID, Output: "again"}, testStart.Add(2*time.Second)); len(s.Events) != 0 {
		t.Fatalf("a duplicate result produced events: %v", s.Events)
	}
}

// TestReplayIsDeterministic checks the property the durable engine relies
// on: the same definition, input, seed and signals give the same events.
func TestReplayIsDeterministic(t *testing.T) {
	t.Parallel()
	def := mustParse(t, `{"StartAt":"P","States":{
		"P":{"Type":"Pass","Parameters":{"id.$":"States.UUID()","r.$":"States.MathRandom(1, 1000)"},"Next":"T"},
		"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"t.$":"$$.Task.Token"},
		     "Retry":[{"ErrorEquals":["X"],"JitterStrategy":"FULL","IntervalSeconds":100}],"End":true}}}`)
	drive := func() []Event {
		x, step := Start(def, testInfo(), value.NewObject(0), Options{Seed: 42})
		events := step.Events
		now := testStart
		for round := 0; !x.Done(); round++ {
			var sig Signal
			for _, c := range step.Commands {
				switch c := c.(type) {
				case RunTask:
					if round == 0 {
						sig = TaskFailed{ID: c.ID, Error: "X"}
					} else {
						sig = TaskSucceeded{ID: c.ID, Output: c.Input}
					}
				case StartTimer:
					now = c.At
					sig = TimerFired{ID: c.ID}
				}
			}
			if sig == nil {
				t.Fatal("execution stuck")
			}
			step = x.Signal(sig, now)
			events = append(events, step.Events...)
		}
		return events
	}
	a, b := drive(), drive()
	if len(a) != len(b) {
		t.Fatalf("%d events, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Type != b[i].Type || !a[i].Timestamp.Equal(b[i].Timestamp) || value.EncodeString(a[i].Details) != value.EncodeString(b[i].Details) {
			t.Fatalf("event %d differs:\n%s %s\n%s %s", i, a[i].Type, value.EncodeString(a[i].Details), b[i].Type, value.EncodeString(b[i].Details))
		}
	}
}

func TestSignalCodecRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)
	for _, sig := range []Signal{
		TaskSucceeded{ID: "task-1", Output: value.MustDecode(`{"a":[1,"x"]}`)},
		TaskFailed{ID: "task-2", Error: "E", Cause: "C"},
		TaskHeartbeat{ID: "task-3"},
		TimerFired{ID: "wait-4"},
		Stop{Error: "E", Cause: "stopped"},
	} {
		got, gotAt, err := DecodeSignal(EncodeSignal(sig, at))
		if err != nil {
			t.Fatal(err)
		}
		if !gotAt.Equal(at) || value.EncodeString(EncodeSignal(got, gotAt)) != value.EncodeString(EncodeSignal(sig, at)) {
			t.Fatalf("round trip of %#v gave %#v at %v", sig, got, gotAt)
		}
	}
}
