package engine

import (
	"container/heap"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/clock"
	"github.com/batonrun/baton/internal/store"
	"github.com/batonrun/baton/internal/value"
)

// Config configures the durable engine.
type Config struct {
	// Store persists executions; required.
	Store store.Store
	// Clock gives the time; default the system clock.
	Clock clock.Clock
	// Logger receives the engine's logs; default discards them.
	Logger *slog.Logger
	// Limits bounds executions; zero fields take AWS's limits.
	Limits Limits
	// MaxBatch bounds how many executions' steps one transaction commits
	// (default 512).
	MaxBatch int
	// Dispatcher performs tasks other than activities; nil fails them.
	Dispatcher Dispatcher
}

// Dispatcher performs a Task state's work for the durable engine: a service
// integration, a function invocation. Dispatch must not block for long; it
// reports the outcome by calling report (from any goroutine, exactly once),
// except for a .waitForTaskToken task, whose outcome comes from the callback
// API instead and which reports only a failure to start.
type Dispatcher interface {
	Dispatch(ctx context.Context, executionARN string, t RunTask, report func(Signal))
}

// ErrUnsupportedResource is the cause of the failure of a Task whose
// resource no dispatcher can run.
var ErrUnsupportedResource = errors.New("Baton cannot run this resource")

// Errors returned by the engine's operations.
var (
	// ErrExecutionNotRunning is returned when a signal is sent to an
	// execution that has ended.
	ErrExecutionNotRunning = errors.New("execution is not running")
	// ErrExecutionNotRedrivable is returned by RedriveExecution for an
	// execution that is running or succeeded.
	ErrExecutionNotRedrivable = errors.New("execution is not redrivable")
	// ErrTaskNotFound is returned for an unknown or completed task token.
	ErrTaskNotFound = errors.New("task does not exist")
	// ErrStopped is returned by operations after Stop.
	ErrStopped = errors.New("engine stopped")
)

// Engine runs durable (Standard) executions: every step of every execution
// is committed before its effects are performed, and a restart resumes every
// running execution by replaying its signals.
//
// An Engine is safe for concurrent use.
type Engine struct {
	cfg  Config
	log  *slog.Logger
	clk  clock.Clock
	st   store.Store
	defs sync.Map // definition hash → *asl.Definition
	mu   sync.Mutex
	// redriveMu serialises RedriveExecution calls (taken before any
	// liveExec.mu, see docs/locking.md).
	redriveMu sync.Mutex
	// ended holds, by execution ARN, channels closed when that execution
	// ends (see endedChan); guarded by mu.
	ended map[string]chan struct{}
	live      map[string]*liveExec
	timers    timerQueue
	wake      chan struct{}

	commits  chan *commitReq
	activity *activityNotifier

	runCtx  context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	started bool
	stopped bool
}

// liveExec is a running execution held in memory. mu serialises its
// signals: one step is decided, committed and performed before the next.
type liveExec struct {
	mu  sync.Mutex
	rec *store.Execution
	x   *Execution
}

type commitReq struct {
	steps []store.StepWrite // committed together
	done  chan error
}

// New returns an engine; it does no I/O until Start.
func New(cfg Config) (*Engine, error) {
	if cfg.Store == nil {
		return nil, errors.New("engine: Config.Store is required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 512
	}
	cfg.Limits = cfg.Limits.withDefaults()
	return &Engine{
		cfg:      cfg,
		log:      cfg.Logger.With("component", "engine"),
		clk:      cfg.Clock,
		st:       cfg.Store,
		live:     map[string]*liveExec{},
		wake:     make(chan struct{}, 1),
		commits:  make(chan *commitReq, 4096),
		activity: newActivityNotifier(),
	}, nil
}

// Start resumes every running execution and starts the committer and the
// timer loop; they run until Stop.
func (e *Engine) Start(ctx context.Context) error {
	e.mu.Lock()
	if e.started {
		e.mu.Unlock()
		return errors.New("engine: already started")
	}
	e.started = true
	e.runCtx, e.cancel = context.WithCancel(context.Background())
	e.mu.Unlock()

	// A task claimed just before the last process ended may never have
	// reached its worker: hand every claimed task out again (at least once).
	released, err := e.st.ReleaseActivityTasks(ctx, nil)
	if err != nil {
		return fmt.Errorf("release activity tasks: %w", err)
	}

	e.wg.Add(2)
	go e.commitLoop()
	go e.timerLoop()

	running, err := e.st.RunningExecutions(ctx)
	if err != nil {
		return fmt.Errorf("list running executions: %w", err)
	}
	for _, rec := range running {
		if rec.Type == "EXPRESS" {
			continue
		}
		le, err := e.rebuild(ctx, rec)
		if err != nil {
			e.log.Error("resume execution failed", "execution", rec.ARN, "error", err)
			continue
		}
		tasks, timers := le.x.Outstanding()
		cmds := make([]Command, 0, len(tasks)+len(timers))
		for _, t := range timers {
			cmds = append(cmds, t)
		}
		for _, t := range tasks {
			cmds = append(cmds, t)
		}
		e.perform(rec.ARN, cmds)
	}
	e.log.Info("engine started", "resumed", len(running), "activity_tasks_released", released)
	return nil
}

// Stop stops accepting work, waits for the goroutines the engine started and
// leaves running executions in the store, to resume on the next Start. It is
// safe to call twice or before Start.
func (e *Engine) Stop(ctx context.Context) error {
	e.mu.Lock()
	if !e.started || e.stopped {
		e.stopped = true
		e.mu.Unlock()
		return nil
	}
	e.stopped = true
	e.mu.Unlock()
	e.cancel()
	done := make(chan struct{})
	go func() { e.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// definition parses a definition once per distinct text.
func (e *Engine) definition(src string) (*asl.Definition, error) {
	key := sha256.Sum256([]byte(src))
	if d, ok := e.defs.Load(key); ok {
		return d.(*asl.Definition), nil
	}
	d, err := asl.Parse([]byte(src))
	if err != nil {
		return nil, err
	}
	e.defs.Store(key, d)
	return d, nil
}

func infoOf(rec *store.Execution, smName string) Info {
	return Info{
		ExecutionARN:     rec.ARN,
		Name:             rec.Name,
		StateMachineARN:  rec.StateMachineARN,
		StateMachineName: smName,
		RoleARN:          rec.RoleARN,
		StartTime:        rec.StartDate,
		RedriveCount:     rec.RedriveCount,
	}
}

// stateMachineName is the name part of a state machine ARN.
func stateMachineName(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 {
		return parts[6]
	}
	return arn
}

// StartExecution starts a Standard execution of rec.Definition with
// rec.Input. rec must have ARN, StateMachineARN, Name, Definition, RoleARN
// and Input set; StartDate, Seed and Status are filled in. It returns
// store.ErrAlreadyExists when the name is taken.
func (e *Engine) StartExecution(ctx context.Context, rec *store.Execution) error {
	if e.isStopped() {
		return ErrStopped
	}
	def, err := e.definition(rec.Definition)
	if err != nil {
		return err
	}
	input, err := value.DecodeString(rec.Input)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	rec.StartDate = e.clk.Now()
	rec.Status = store.StatusRunning
	if rec.Seed == 0 {
		rec.Seed = rand.Uint64()
	}
	x, step := Start(def, infoOf(rec, stateMachineName(rec.StateMachineARN)), input, Options{Limits: e.cfg.Limits, Seed: rec.Seed})
	first := e.stepWrite(rec.ARN, nil, nil, step, x)
	if first.Status != "" {
		rec.Status, rec.Output, rec.Error, rec.Cause, rec.StopDate = first.Status, first.Output, first.Error, first.Cause, first.StopDate
	}
	le := &liveExec{rec: rec, x: x}
	le.mu.Lock()
	defer le.mu.Unlock()
	// The start shares a group commit with other executions' steps.
	first.Create = rec
	if err := e.commit(ctx, first, e.childWrites(rec, step)...); err != nil {
		return err
	}
	if !x.Done() {
		e.mu.Lock()
		e.live[rec.ARN] = le
		e.mu.Unlock()
	} else {
		e.notifyEnded(rec.ARN)
	}
	e.perform(rec.ARN, step.Commands)
	return nil
}

// endedChan returns a channel closed when the execution next ends. The
// caller checks the execution's status after taking the channel: an end
// committed before the call closes nothing.
func (e *Engine) endedChan(arn string) <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ended == nil {
		e.ended = map[string]chan struct{}{}
	}
	c, ok := e.ended[arn]
	if !ok {
		c = make(chan struct{})
		e.ended[arn] = c
	}
	return c
}

// notifyEnded wakes those waiting for the execution's end.
func (e *Engine) notifyEnded(arn string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.ended[arn]; ok {
		close(c)
		delete(e.ended, arn)
	}
}

// childWrites turns the child executions a step ended (distributed Map
// iterations) into store writes that create them, ended, with their
// histories. Their ARNs follow the Map Run's
// (...:execution:machine/execution/state:run:child), and they list under
// the Map Run (ParentARN).
func (e *Engine) childWrites(parent *store.Execution, step Step) []store.StepWrite {
	if len(step.Children) == 0 {
		return nil
	}
	ws := make([]store.StepWrite, 0, len(step.Children))
	var buf []byte
	for _, c := range step.Children {
		arn := strings.Replace(c.MapRunARN, ":mapRun:", ":execution:", 1) + ":" + c.Name
		rec := &store.Execution{
			ARN: arn, StateMachineARN: parent.StateMachineARN + "/" + c.StateName, Name: c.Name, Type: parent.Type,
			Definition: parent.Definition, VersionARN: parent.VersionARN, ParentARN: c.MapRunARN,
			RoleARN: parent.RoleARN, Status: StatusRunning, Input: value.EncodeString(c.Input), StartDate: c.StartDate,
		}
		w := store.StepWrite{ExecutionARN: arn, Create: rec, Status: c.Status, Error: c.Error, Cause: c.Cause, StopDate: c.StopDate}
		if c.Status == StatusSucceeded {
			w.Output = value.EncodeString(c.Output)
		}
		w.Events = make([]store.Event, len(c.Events))
		for i, ev := range c.Events {
			se := store.Event{ID: ev.ID, PreviousEventID: ev.PreviousEventID, Timestamp: ev.Timestamp, Type: ev.Type, DetailsKey: ev.DetailsKey}
			if ev.Details != nil {
				buf = ev.AppendDetails(buf[:0])
				se.Details = string(buf)
			}
			w.Events[i] = se
		}
		ws = append(ws, w)
	}
	return ws
}

// stepWrite turns a step into what the store commits: its events, the
// signal, the new status, and the timers and tasks it schedules or
// withdraws.
func (e *Engine) stepWrite(arn string, sig Signal, sigData []byte, step Step, x *Execution) store.StepWrite {
	w := store.StepWrite{ExecutionARN: arn, Signal: sigData}
	w.Events = make([]store.Event, len(step.Events))
	var buf []byte // the details' text, written here and copied into se.Details
	for i, ev := range step.Events {
		se := store.Event{ID: ev.ID, PreviousEventID: ev.PreviousEventID, Timestamp: ev.Timestamp, Type: ev.Type, DetailsKey: ev.DetailsKey}
		if ev.Details != nil {
			buf = ev.AppendDetails(buf[:0])
			se.Details = string(buf)
		}
		w.Events[i] = se
	}
	switch s := sig.(type) {
	case TaskSucceeded:
		w.RemoveTasks = append(w.RemoveTasks, s.ID)
	case TaskFailed:
		w.RemoveTasks = append(w.RemoveTasks, s.ID)
	case TimerFired:
		w.RemoveTimers = append(w.RemoveTimers, s.ID)
	}
	for _, c := range step.Commands {
		switch c := c.(type) {
		case StartTimer:
			w.AddTimers = append(w.AddTimers, store.Timer{ID: c.ID, ExecutionARN: arn, FireAt: c.At})
		case CancelTimer:
			w.RemoveTimers = append(w.RemoveTimers, c.ID)
		case CancelTask:
			w.RemoveTasks = append(w.RemoveTasks, c.ID)
		case RunTask:
			t := store.Task{
				ID: c.ID, ExecutionARN: arn, Resource: c.Resource, Input: value.EncodeString(c.Input),
				Token: c.TaskToken, IdempotencyKey: c.IdempotencyKey, StateName: c.StateName, Attempt: c.Attempt,
				TimeoutSeconds: c.TimeoutSeconds, HeartbeatSeconds: c.HeartbeatSeconds, CreatedAt: x.now,
			}
			if isActivity(c.Resource) {
				t.ActivityARN = c.Resource
			}
			w.AddTasks = append(w.AddTasks, t)
		}
	}
	if x.Done() {
		w.Status = x.Status
		w.Error, w.Cause = x.Error, x.Cause
		if x.Status == StatusSucceeded {
			w.Output = value.EncodeString(x.Output)
		}
		w.StopDate = x.now
	}
	return w
}

func isActivity(resource string) bool {
	return strings.HasPrefix(resource, "arn:") && strings.Contains(resource, ":states:") && strings.Contains(resource, ":activity:")
}

func isCallback(resource string) bool { return strings.HasSuffix(resource, ".waitForTaskToken") }

// Signal delivers sig to a running execution: the interpreter decides the
// step, the store commits it, and then its commands are performed.
func (e *Engine) Signal(ctx context.Context, arn string, sig Signal) error {
	if e.isStopped() {
		return ErrStopped
	}
	le, err := e.liveExec(ctx, arn)
	if err != nil {
		return err
	}
	le.mu.Lock()
	if le.x.Done() {
		le.mu.Unlock()
		return ErrExecutionNotRunning
	}
	now := e.clk.Now()
	if now.Before(le.x.now) {
		now = le.x.now
	}
	step := le.x.Signal(sig, now)
	w := e.stepWrite(arn, sig, EncodeSignal(sig, now), step, le.x)
	if err := e.commit(ctx, w, e.childWrites(le.rec, step)...); err != nil {
		// The store did not take the step: forget the in-memory state, so
		// the next signal rebuilds the execution from what was committed.
		e.mu.Lock()
		delete(e.live, arn)
		e.mu.Unlock()
		le.mu.Unlock()
		return fmt.Errorf("commit step of %s: %w", arn, err)
	}
	done := le.x.Done()
	if done {
		le.rec.Status = le.x.Status
		e.mu.Lock()
		delete(e.live, arn)
		e.mu.Unlock()
	}
	le.mu.Unlock()
	if done {
		e.notifyEnded(arn)
	}
	e.perform(arn, step.Commands)
	return nil
}

func (e *Engine) isStopped() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stopped
}

// liveExec returns the in-memory execution, rebuilding it from the store
// when needed.
func (e *Engine) liveExec(ctx context.Context, arn string) (*liveExec, error) {
	e.mu.Lock()
	le := e.live[arn]
	e.mu.Unlock()
	if le != nil {
		return le, nil
	}
	rec, err := e.st.GetExecution(ctx, arn)
	if err != nil {
		return nil, err
	}
	if rec.Status != store.StatusRunning {
		return nil, ErrExecutionNotRunning
	}
	return e.rebuild(ctx, rec)
}

// rebuild replays an execution's signals to recover its interpreter state.
func (e *Engine) rebuild(ctx context.Context, rec *store.Execution) (*liveExec, error) {
	def, err := e.definition(rec.Definition)
	if err != nil {
		return nil, fmt.Errorf("parse definition: %w", err)
	}
	input, err := value.DecodeString(rec.Input)
	if err != nil {
		return nil, fmt.Errorf("decode input: %w", err)
	}
	sigs, err := e.st.Signals(ctx, rec.ARN)
	if err != nil {
		return nil, fmt.Errorf("load signals: %w", err)
	}
	info := infoOf(rec, stateMachineName(rec.StateMachineARN))
	info.RedriveCount = 0 // the Redrive signals in the log count them again
	x, _ := Start(def, info, input, Options{Limits: e.cfg.Limits, Seed: rec.Seed})
	for i, data := range sigs {
		sig, at, err := DecodeSignal(data)
		if err != nil {
			return nil, fmt.Errorf("signal %d: %w", i, err)
		}
		x.Signal(sig, at)
	}
	le := &liveExec{rec: rec, x: x}
	e.mu.Lock()
	if cur := e.live[rec.ARN]; cur != nil {
		le = cur // another goroutine rebuilt it first
	} else if !x.Done() {
		e.live[rec.ARN] = le
	}
	e.mu.Unlock()
	return le, nil
}

// commit hands a step to the committer and waits until it is durable.
func (e *Engine) commit(ctx context.Context, w store.StepWrite, more ...store.StepWrite) error {
	req := &commitReq{steps: append([]store.StepWrite{w}, more...), done: make(chan error, 1)}
	select {
	case e.commits <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-e.runCtx.Done():
		return ErrStopped
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// commitLoop is the group committer: it writes the steps waiting at any
// moment in one transaction, so throughput comes from batching rather than
// from weaker durability.
func (e *Engine) commitLoop() {
	defer e.wg.Done()
	batch := make([]*commitReq, 0, e.cfg.MaxBatch)
	steps := make([]store.StepWrite, 0, e.cfg.MaxBatch)
	for {
		select {
		case <-e.runCtx.Done():
			return
		case req := <-e.commits:
			batch = append(batch[:0], req)
		}
	fill:
		for len(batch) < e.cfg.MaxBatch {
			select {
			case req := <-e.commits:
				batch = append(batch, req)
			default:
				break fill
			}
		}
		steps = steps[:0]
		for _, r := range batch {
			steps = append(steps, r.steps...)
		}
		err := e.st.WriteSteps(context.Background(), steps)
		if err != nil && len(batch) > 1 {
			// One bad step must not fail the others: commit them one by one.
			for _, r := range batch {
				r.done <- e.st.WriteSteps(context.Background(), r.steps)
			}
			continue
		}
		for _, r := range batch {
			r.done <- err
		}
	}
}

// perform carries out a committed step's commands.
func (e *Engine) perform(arn string, cmds []Command) {
	for _, c := range cmds {
		switch c := c.(type) {
		case StartTimer:
			e.mu.Lock()
			e.timers.add(arn, c.ID, c.At)
			e.mu.Unlock()
			e.nudge()
		case CancelTimer:
			e.mu.Lock()
			e.timers.cancel(arn, c.ID)
			e.mu.Unlock()
		case RunTask:
			e.dispatch(arn, c)
		}
	}
}

// dispatch starts a task: an activity waits for a worker, a callback task
// waits for its token (after its integration, if a dispatcher runs it), and
// anything else goes to the dispatcher.
func (e *Engine) dispatch(arn string, t RunTask) {
	report := func(sig Signal) {
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			if err := e.Signal(e.runCtx, arn, sig); err != nil && !errors.Is(err, ErrExecutionNotRunning) && !errors.Is(err, ErrStopped) {
				e.log.Error("deliver task outcome failed", "execution", arn, "task", t.ID, "error", err)
			}
		}()
	}
	switch {
	case isActivity(t.Resource):
		e.activity.notify(t.Resource)
	case e.cfg.Dispatcher != nil:
		e.cfg.Dispatcher.Dispatch(e.runCtx, arn, t, report)
	case isCallback(t.Resource):
		// No integration runs the call itself: the task waits for its token,
		// which the scheduled event's parameters show.
	default:
		report(TaskFailed{ID: t.ID, Error: asl.ErrTaskFailed, Cause: fmt.Sprintf("%v: %s", ErrUnsupportedResource, t.Resource)})
	}
}

func (e *Engine) nudge() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// timerLoop fires due timers on the engine's clock.
func (e *Engine) timerLoop() {
	defer e.wg.Done()
	for {
		e.mu.Lock()
		next, ok := e.timers.peek()
		e.mu.Unlock()
		var wait <-chan time.Time
		if ok {
			wait = e.clk.After(next.Sub(e.clk.Now()))
		}
		select {
		case <-e.runCtx.Done():
			return
		case <-e.wake:
			continue
		case <-wait:
		}
		now := e.clk.Now()
		for {
			e.mu.Lock()
			t, ok := e.timers.popDue(now)
			e.mu.Unlock()
			if !ok {
				break
			}
			// Timers due together fire concurrently so that their steps share
			// group commits; one execution's signals still take turns on its
			// lock, and replay follows the order they were committed in.
			e.wg.Add(1)
			go func(t timerItem) {
				defer e.wg.Done()
				if err := e.Signal(e.runCtx, t.arn, TimerFired{ID: t.id}); err != nil &&
					!errors.Is(err, ErrExecutionNotRunning) && !errors.Is(err, ErrStopped) {
					e.log.Error("fire timer failed", "execution", t.arn, "timer", t.id, "error", err)
				}
			}(t)
		}
	}
}

// SendTaskSuccess completes the task with the token.
func (e *Engine) SendTaskSuccess(ctx context.Context, token string, output any) error {
	t, err := e.st.TaskByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return ErrTaskNotFound
	}
	if err != nil {
		return err
	}
	return e.taskSignal(ctx, t, TaskSucceeded{ID: t.ID, Output: output})
}

// SendTaskFailure fails the task with the token.
func (e *Engine) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	t, err := e.st.TaskByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return ErrTaskNotFound
	}
	if err != nil {
		return err
	}
	return e.taskSignal(ctx, t, TaskFailed{ID: t.ID, Error: errName, Cause: cause})
}

// SendTaskHeartbeat records a heartbeat for the task with the token.
func (e *Engine) SendTaskHeartbeat(ctx context.Context, token string) error {
	t, err := e.st.TaskByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return ErrTaskNotFound
	}
	if err != nil {
		return err
	}
	return e.taskSignal(ctx, t, TaskHeartbeat{ID: t.ID})
}

func (e *Engine) taskSignal(ctx context.Context, t *store.Task, sig Signal) error {
	err := e.Signal(ctx, t.ExecutionARN, sig)
	if errors.Is(err, ErrExecutionNotRunning) {
		return ErrTaskNotFound
	}
	return err
}

// RedriveExecution restarts an execution that ended FAILED, TIMED_OUT or
// ABORTED (see Redrive) and returns the redrive's time. It returns
// ErrExecutionNotRedrivable, wrapped with the reason, when the execution is
// running or succeeded; the caller checks AWS's other conditions.
func (e *Engine) RedriveExecution(ctx context.Context, arn string) (time.Time, error) {
	if e.isStopped() {
		return time.Time{}, ErrStopped
	}
	// One redrive at a time: the status read below must not race another
	// redrive's commit.
	e.redriveMu.Lock()
	defer e.redriveMu.Unlock()
	rec, err := e.st.GetExecution(ctx, arn)
	if err != nil {
		return time.Time{}, err
	}
	switch rec.Status {
	case store.StatusFailed, store.StatusTimedOut, store.StatusAborted:
	default:
		return time.Time{}, fmt.Errorf("%w: execution is %s", ErrExecutionNotRedrivable, rec.Status)
	}
	le, err := e.rebuild(ctx, rec)
	if err != nil {
		return time.Time{}, err
	}
	le.mu.Lock()
	if !le.x.Done() {
		le.mu.Unlock()
		return time.Time{}, fmt.Errorf("%w: execution is running", ErrExecutionNotRedrivable)
	}
	now := e.clk.Now()
	if now.Before(le.x.now) {
		now = le.x.now
	}
	sig := Redrive{}
	step := le.x.Signal(sig, now)
	w := e.stepWrite(arn, sig, EncodeSignal(sig, now), step, le.x)
	w.RedriveCount, w.RedriveDate = le.x.info.RedriveCount, now
	if !le.x.Done() {
		w.Status = StatusRunning
	}
	if err := e.commit(ctx, w, e.childWrites(le.rec, step)...); err != nil {
		le.mu.Unlock()
		return time.Time{}, fmt.Errorf("commit redrive of %s: %w", arn, err)
	}
	le.rec.Status, le.rec.RedriveCount, le.rec.RedriveDate = le.x.Status, le.x.info.RedriveCount, now
	if !le.x.Done() {
		e.mu.Lock()
		e.live[arn] = le
		e.mu.Unlock()
	}
	le.mu.Unlock()
	e.perform(arn, step.Commands)
	return now, nil
}

// StopExecution aborts a running execution.
func (e *Engine) StopExecution(ctx context.Context, arn, errName, cause string) error {
	return e.Signal(ctx, arn, Stop{Error: errName, Cause: cause})
}

// GetActivityTask waits up to wait for a task of the activity and claims it
// for worker; it returns (nil, nil) when none came.
func (e *Engine) GetActivityTask(ctx context.Context, activityARN, worker string, wait time.Duration) (*store.Task, error) {
	deadline := e.clk.After(wait)
	for {
		ch := e.activity.wait(activityARN)
		t, err := e.st.ClaimActivityTask(ctx, activityARN, worker)
		if err == nil {
			if ctx.Err() != nil {
				// The poller hung up: the answer would go nowhere.
				e.releaseClaim(t.Token)
				return nil, ctx.Err()
			}
			return t, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		select {
		case <-ch:
		case <-deadline:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-e.runCtx.Done():
			return nil, ErrStopped
		}
	}
}

// releaseClaim makes a claimed task claimable again and wakes its pollers.
func (e *Engine) releaseClaim(token string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t, err := e.st.TaskByToken(ctx, token)
	if err != nil {
		return // completed meanwhile
	}
	if _, err := e.st.ReleaseActivityTasks(ctx, []string{token}); err != nil {
		e.log.Error("release activity task failed", "execution", t.ExecutionARN, "error", err)
		return
	}
	e.activity.notify(t.ActivityARN)
}

// activityNotifier wakes GetActivityTask pollers when a task arrives.
type activityNotifier struct {
	mu sync.Mutex
	ch map[string]chan struct{}
}

func newActivityNotifier() *activityNotifier {
	return &activityNotifier{ch: map[string]chan struct{}{}}
}

// wait returns a channel closed at the next notify for the activity.
func (n *activityNotifier) wait(arn string) <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	c, ok := n.ch[arn]
	if !ok {
		c = make(chan struct{})
		n.ch[arn] = c
	}
	return c
}

func (n *activityNotifier) notify(arn string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if c, ok := n.ch[arn]; ok {
		close(c)
		delete(n.ch, arn)
	}
}

// timerQueue holds armed timers in time order; cancelled ones are skipped
// lazily.
type timerQueue struct {
	h         timerItems
	cancelled map[timerKey]bool
	seq       uint64 // orders timers due at the same time by arming order
}

type timerKey struct{ arn, id string }

type timerItem struct {
	arn, id string
	at      time.Time
	seq     uint64
}

type timerItems []timerItem

func (q *timerQueue) add(arn, id string, at time.Time) {
	if q.cancelled == nil {
		q.cancelled = map[timerKey]bool{}
	}
	delete(q.cancelled, timerKey{arn, id})
	q.seq++
	heap.Push(&q.h, timerItem{arn: arn, id: id, at: at, seq: q.seq})
}

func (q *timerQueue) cancel(arn, id string) {
	if q.cancelled == nil {
		q.cancelled = map[timerKey]bool{}
	}
	q.cancelled[timerKey{arn, id}] = true
}

func (q *timerQueue) skipCancelled() {
	for len(q.h) > 0 && q.cancelled[timerKey{q.h[0].arn, q.h[0].id}] {
		delete(q.cancelled, timerKey{q.h[0].arn, q.h[0].id})
		heap.Pop(&q.h)
	}
}

func (q *timerQueue) peek() (time.Time, bool) {
	q.skipCancelled()
	if len(q.h) == 0 {
		return time.Time{}, false
	}
	return q.h[0].at, true
}

func (q *timerQueue) popDue(now time.Time) (timerItem, bool) {
	q.skipCancelled()
	if len(q.h) == 0 || q.h[0].at.After(now) {
		return timerItem{}, false
	}
	return heap.Pop(&q.h).(timerItem), true
}

func (h timerItems) Len() int { return len(h) }
func (h timerItems) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h timerItems) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerItems) Push(x any)   { *h = append(*h, x.(timerItem)) }
func (h *timerItems) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}

// NextTimer returns when the earliest armed timer fires. Tests and virtual
// time drivers use it to move a virtual clock straight to the next moment
// anything happens.
func (e *Engine) NextTimer() (time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.timers.peek()
}
