package sqlite_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/batonrun/baton/internal/store"
	"github.com/batonrun/baton/internal/store/sqlite"
)

// BenchmarkWriteSteps measures group commit on a file with synchronous=FULL:
// each op is one WriteSteps call of 64 steps, each of 64 executions appending
// 3 events and a signal, arming a timer and removing the previous one. The
// steps/s metric is steps committed per second.
func BenchmarkWriteSteps(b *testing.B) {
	const batch = 64
	ctx := b.Context()
	st := open(b, sqlite.Config{Path: filepath.Join(b.TempDir(), "baton.db"), Synchronous: "FULL"})
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	arns := make([]string, batch)
	for i := range arns {
		arns[i] = fmt.Sprintf("arn:aws:states:us-east-1:123456789012:execution:bench:e%03d", i)
		e := &store.Execution{
			ARN: arns[i], StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:bench",
			Name: fmt.Sprintf("e%03d", i), Type: "STANDARD", Status: store.StatusRunning,
			Definition: `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"Next":"A"}}}`,
			Input:      `{}`, StartDate: t0,
		}
		first := store.StepWrite{
			ExecutionARN: arns[i],
			Events:       []store.Event{{ID: 1, Timestamp: t0, Type: "ExecutionStarted", DetailsKey: "executionStartedEventDetails", Details: `{"input":"{}"}`}},
			AddTimers:    []store.Timer{{ID: "t0", FireAt: t0}},
		}
		if err := st.CreateExecution(ctx, e, first); err != nil {
			b.Fatal(err)
		}
	}
	signal := []byte(`{"type":"TimerFired","id":"t0"}`)
	details := `{"name":"Wait","input":"{\"orderId\":\"12345\",\"amount\":42.5}","inputDetails":{"truncated":false}}`
	steps := make([]store.StepWrite, batch)
	next := int64(2)
	for n := 0; b.Loop(); n++ {
		now := t0.Add(time.Duration(n) * time.Second)
		for i := range steps {
			steps[i] = store.StepWrite{
				ExecutionARN: arns[i],
				Signal:       signal,
				Events: []store.Event{
					{ID: next, PreviousEventID: next - 1, Timestamp: now, Type: "WaitStateExited", DetailsKey: "stateExitedEventDetails", Details: details},
					{ID: next + 1, PreviousEventID: next, Timestamp: now, Type: "WaitStateEntered", DetailsKey: "stateEnteredEventDetails", Details: details},
					{ID: next + 2, PreviousEventID: next + 1, Timestamp: now, Type: "WaitStateEntered", DetailsKey: "stateEnteredEventDetails", Details: details},
				},
				RemoveTimers: []string{"t" + strconv.Itoa(n)},
				AddTimers:    []store.Timer{{ID: "t" + strconv.Itoa(n+1), FireAt: now.Add(time.Second)}},
			}
		}
		next += 3
		if err := st.WriteSteps(ctx, steps); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "steps/s")
}
