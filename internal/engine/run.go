package engine

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/batonrun/baton/internal/asl"
)

// TaskHandler runs a Task state's resource for the in-memory runner. It
// returns the task's result, or an error: a *asl.Failure names the error
// (its Name is what Retry and Catch match); any other error is reported as
// States.TaskFailed with the error's text as the cause.
type TaskHandler interface {
	RunTask(ctx context.Context, t RunTask) (any, error)
}

// TaskHandlerFunc adapts a function to TaskHandler.
type TaskHandlerFunc func(ctx context.Context, t RunTask) (any, error)

// RunTask calls f.
func (f TaskHandlerFunc) RunTask(ctx context.Context, t RunTask) (any, error) { return f(ctx, t) }

// ErrNoTaskHandler is the failure cause for a Task when Run has no handler.
var ErrNoTaskHandler = errors.New("no task handler is configured")

// RunOptions configures Run.
type RunOptions struct {
	Info    Info
	Handler TaskHandler
	Limits  Limits
	Rand    *rand.Rand
	// MaxSteps bounds the number of signals Run delivers (default 10
	// million), so that a definition that loops forever on timers ends.
	MaxSteps int
}

// Result is a finished in-memory execution.
type Result struct {
	Status string
	Output any
	Error  string
	Cause  string
	Events []Event
	// End is the virtual time at which the execution ended.
	End time.Time
}

// Run executes def on input in memory, on a virtual clock that starts at
// opts.Info.StartTime and jumps to each timer: a Wait of a week and a retry
// back-off of an hour take no real time. Tasks are answered by
// opts.Handler, synchronously.
func Run(ctx context.Context, def *asl.Definition, input any, opts RunOptions) (*Result, error) {
	if opts.Info.StartTime.IsZero() {
		opts.Info.StartTime = time.Now().UTC()
	}
	maxSteps := opts.MaxSteps
	if maxSteps == 0 {
		maxSteps = 10_000_000
	}
	rnd := opts.Rand
	if rnd == nil {
		rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	x, step := Start(def, opts.Info, input, Options{Limits: opts.Limits, Rand: rnd})
	res := &Result{}
	res.Events = append(res.Events, step.Events...)
	now := opts.Info.StartTime
	timers := &timerHeap{}
	cancelled := map[string]bool{}
	queue := step.Commands
	seq := 0
	for steps := 0; !x.Done(); steps++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if steps > maxSteps {
			return nil, fmt.Errorf("run: execution did not finish within %d steps", maxSteps)
		}
		var sig Signal
		for sig == nil && len(queue) > 0 {
			cmd := queue[0]
			queue = queue[1:]
			switch c := cmd.(type) {
			case RunTask:
				sig = runTask(ctx, opts.Handler, c)
			case StartTimer:
				seq++
				heap.Push(timers, queuedTimer{StartTimer: c, seq: seq})
				delete(cancelled, c.ID)
			case CancelTimer:
				cancelled[c.ID] = true
			}
		}
		if sig == nil {
			for timers.Len() > 0 && cancelled[(*timers)[0].ID] {
				heap.Pop(timers)
			}
			if timers.Len() == 0 {
				return nil, errors.New("run: the execution waits for something that will never happen")
			}
			t := heap.Pop(timers).(queuedTimer)
			if t.At.After(now) {
				now = t.At
			}
			sig = TimerFired{ID: t.ID}
		}
		step := x.Signal(sig, now)
		res.Events = append(res.Events, step.Events...)
		queue = append(queue, step.Commands...)
	}
	res.Status, res.Output, res.Error, res.Cause, res.End = x.Status, x.Output, x.Error, x.Cause, now
	return res, nil
}

func runTask(ctx context.Context, h TaskHandler, t RunTask) Signal {
	if h == nil {
		return TaskFailed{ID: t.ID, Error: asl.ErrTaskFailed, Cause: fmt.Sprintf("%v: %s", ErrNoTaskHandler, t.Resource)}
	}
	out, err := h.RunTask(ctx, t)
	if err != nil {
		var f *asl.Failure
		if errors.As(err, &f) {
			return TaskFailed{ID: t.ID, Error: f.Name, Cause: f.Cause}
		}
		return TaskFailed{ID: t.ID, Error: asl.ErrTaskFailed, Cause: err.Error()}
	}
	return TaskSucceeded{ID: t.ID, Output: out}
}

// queuedTimer is a pending timer; seq orders timers due at the same time
// by when they were started.
type queuedTimer struct {
	StartTimer
	seq int
}

// timerHeap orders timers by time, then by the order they were started.
type timerHeap []queuedTimer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].At.Equal(h[j].At) {
		return h[i].At.Before(h[j].At)
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(queuedTimer)) }
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	*h = old[:n-1]
	return t
}
