package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/value"
)

// Execution statuses.
const (
	StatusRunning   = "RUNNING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
	StatusAborted   = "ABORTED"
)

// Info identifies an execution and feeds the context object ($$).
type Info struct {
	ExecutionARN     string
	Name             string
	StateMachineARN  string
	StateMachineName string
	RoleARN          string
	StartTime        time.Time
	RedriveCount     int
}

// Limits bounds an execution. Zero values take AWS's limits.
type Limits struct {
	// MaxPayloadBytes bounds a state's input, output and a task's result
	// (default 262144, AWS's 256 KiB).
	MaxPayloadBytes int
	// MaxHistoryEvents bounds the history (default 25000).
	MaxHistoryEvents int
}

func (l Limits) withDefaults() Limits {
	if l.MaxPayloadBytes == 0 {
		l.MaxPayloadBytes = 256 * 1024
	}
	if l.MaxHistoryEvents == 0 {
		l.MaxHistoryEvents = 25000
	}
	return l
}

// Options configures an execution.
type Options struct {
	Limits Limits
	// Seed seeds the execution's random source, which drives retry jitter,
	// task tokens, States.MathRandom, States.UUID and their JSONata
	// counterparts. Given the same definition, input, seed and signals, an
	// execution decides the same events: the durable engine rebuilds an
	// execution after a restart by replaying its signals.
	Seed uint64
	// Rand, when set, is used instead of a source seeded from Seed.
	Rand *rand.Rand
}

// Command is work the interpreter asks its driver to perform. The driver
// performs it after persisting the step that produced it, and reports the
// outcome with a Signal.
type Command interface{ command() }

// RunTask asks the driver to run a Task state's resource.
type RunTask struct {
	ID       string // answers carry this ID back
	Resource string
	// Input is the task's effective input. It is shared with the execution
	// and with its history (the scheduled event's parameters or input), so
	// a driver or handler must not modify it.
	Input any
	// StateName, Attempt and IdempotencyKey identify the dispatch:
	// IdempotencyKey is stable across re-dispatches of the same attempt.
	StateName        string
	Attempt          int
	IdempotencyKey   string
	TimeoutSeconds   int // 0: none
	HeartbeatSeconds int // 0: none
	TaskToken        string
	Credentials      any
}

// StartTimer asks the driver to send TimerFired{ID} at At.
type StartTimer struct {
	ID string
	At time.Time
}

// CancelTimer withdraws a timer that has not fired.
type CancelTimer struct{ ID string }

// CancelTask tells the driver that a task's result is no longer wanted (its
// branch failed or the execution ended).
type CancelTask struct{ ID string }

func (RunTask) command()     {}
func (StartTimer) command()  {}
func (CancelTimer) command() {}
func (CancelTask) command()  {}

// Signal is an outcome reported to the interpreter.
type Signal interface{ signal() }

// TaskSucceeded reports a task's result.
type TaskSucceeded struct {
	ID     string
	Output any
}

// TaskFailed reports a task's failure with its error name and cause.
type TaskFailed struct {
	ID, Error, Cause string
}

// TaskHeartbeat reports a heartbeat from a running task.
type TaskHeartbeat struct{ ID string }

// TimerFired reports that a timer's time has come.
type TimerFired struct{ ID string }

// Stop aborts the execution (StopExecution).
type Stop struct{ Error, Cause string }

func (TaskSucceeded) signal() {}
func (TaskFailed) signal()    {}
func (TaskHeartbeat) signal() {}
func (TimerFired) signal()    {}
func (Stop) signal()          {}
func (Redrive) signal()       {}

// Redrive restarts an execution that ended FAILED, TIMED_OUT or ABORTED
// from the states it did not finish, as RedriveExecution does: the top
// level re-enters the state it was in with that state's input; a Parallel
// or Map state it was in keeps its branches' and iterations' results and
// reruns, the same way, only those that did not succeed. It is ignored
// while the execution runs and after it succeeded.
type Redrive struct{}

// Step is what one call into the interpreter decided: events to append to
// the history and commands to perform, in order.
type Step struct {
	Events   []Event
	Commands []Command
	// Children are the distributed Map iterations that ended in this
	// step: child executions, each with its own history.
	Children []ChildExecution
}

// ChildExecution is a distributed Map iteration run as a child execution:
// its Map Run, its name (a UUID), how it ended and its history.
type ChildExecution struct {
	MapRunARN string
	StateName string // the Map state's
	Name      string
	Status    string
	Input     any
	Output    any // when it succeeded
	Error     string
	Cause     string
	StartDate time.Time
	StopDate  time.Time
	Events    []Event
}

// childLog is the history of a distributed Map iteration's child execution,
// kept by the threads that run it.
type childLog struct {
	mapRunARN string
	stateName string
	name      string
	input     any
	start     time.Time
	events    []Event
}

func (l *childLog) add(now time.Time, prev int64, typ, key string, d *value.Object) int64 {
	id := int64(len(l.events) + 1)
	ev := Event{ID: id, PreviousEventID: prev, Timestamp: now, Type: typ, DetailsKey: key, Details: d}
	if key == "" {
		ev.Details = nil
	}
	l.events = append(l.events, ev)
	return id
}

// Execution is one execution's interpreter state. It is not safe for
// concurrent use; a driver serialises the signals it delivers.
type Execution struct {
	def    *asl.Definition
	info   Info
	input  any
	limits Limits
	rnd    *rand.Rand

	Status string
	Output any
	Error  string
	Cause  string

	now      time.Time
	lastID   int64
	root     *thread
	runnable []*thread
	tasks    map[string]*thread
	taskCmds map[string]RunTask
	timers   map[string]timerTarget
	seq      int
	step     Step

	// ctxExecution and ctxStateMachine are $$.Execution and
	// $$.StateMachine, built on first use (see contextObject).
	ctxExecution    *value.Object
	ctxStateMachine *value.Object
	newUUIDFn       func() string // x.newUUID, for every Env
	// fits is the payload the last size check found within the limit: a
	// state's output is the next state's input, and values do not change,
	// so the check on entry can skip it (see tooLarge).
	fits any
}

type timerKind int

const (
	timerWait timerKind = iota
	timerRetry
	timerTaskTimeout
	timerHeartbeat
	timerExecution
)

type timerTarget struct {
	kind timerKind
	th   *thread
	at   time.Time
}

// thread is a line of control through a branch: the top level, a Parallel
// branch or a Map iteration.
type thread struct {
	id     int
	branch *asl.Branch
	grp    *group // the group the thread belongs to; nil at the top level
	index  int    // branch or item index in grp
	vars   *asl.Vars
	silent bool // a distributed Map's child: its events are not the parent's
	// clog, on a distributed Map's child and the threads inside it, is the
	// child execution's history.
	clog *childLog

	st          *asl.State
	raw         any // the state's raw input
	eff         any // effective input (after InputPath, and Parameters for a task)
	enteredID   int64
	enteredPrev int64 // previousEventId of the StateEntered event
	enteredAt   time.Time
	last        int64 // previousEventId for this thread's next event
	retryCounts []int
	retryTotal  int
	needsEnter  bool

	taskID      string
	taskAttempt int
	taskToken   string
	pendingWait *pendingExit
	timers      []string
	child       *group
	done        bool
	// succeeded is set when a Parallel branch or Map iteration ended
	// with its output; a redrive reruns the children without it.
	succeeded bool
	// lastGroup is the group the thread's current state started last,
	// kept after the state ends so that a redrive can rerun its
	// unsuccessful children.
	lastGroup *group

	// ctxState is $$.State as last built for state ctxStateOf after
	// ctxStateRetries retries (see stateContext).
	ctxState        *value.Object
	ctxStateOf      *asl.State
	ctxStateRetries int
	contextFn       func() any // builds $$ for the thread's current state
}

// group is a running Parallel or Map state's set of child threads.
type group struct {
	owner       *thread
	st          *asl.State
	isMap       bool
	distributed bool
	items       []any
	itemEnv     *asl.Env // for ItemSelector
	results     []any
	children    []*thread
	started     int
	running     int
	finished    int
	failures    int
	maxConc     int
	tolCount    int
	tolPct      float64
	failed      bool
	// bodyLast is the last event of the latest finished iteration: AWS
	// links the next MapIterationStarted to it.
	bodyLast int64
	// mapRunARN is a distributed Map's Map Run.
	mapRunARN string
	// pending are iterations a redrive reruns, started before new ones as
	// MaxConcurrency allows.
	pending []*thread
}

// Start begins an execution: it records ExecutionStarted and runs until
// every line of control waits for a task or a timer, or the execution ends.
func Start(def *asl.Definition, info Info, input any, opts Options) (*Execution, Step) {
	x := &Execution{
		def:      def,
		info:     info,
		input:    input,
		limits:   opts.Limits.withDefaults(),
		rnd:      opts.Rand,
		Status:   StatusRunning,
		now:      info.StartTime,
		tasks:    map[string]*thread{},
		taskCmds: map[string]RunTask{},
		timers:   map[string]timerTarget{},
	}
	if x.rnd == nil {
		x.rnd = rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	}
	x.reserveEvents(2*len(def.States) + 2)
	d := value.NewObject(3)
	setInput(d, input)
	d.Set("roleArn", info.RoleARN)
	x.emitRaw(0, "ExecutionStarted", "executionStartedEventDetails", d)
	if def.TimeoutSeconds > 0 {
		x.startTimer("execution", info.StartTime.Add(time.Duration(def.TimeoutSeconds)*time.Second), timerTarget{kind: timerExecution})
	}
	x.root = x.newThread(&def.Branch, nil, 0, asl.NewVars(nil), false)
	x.root.last = 0
	x.schedule(x.root, def.States[def.StartAt], input)
	x.drain()
	return x, x.takeStep()
}

// Signal delivers an outcome at time now and runs the execution until it
// blocks again. Signals for tasks or timers the execution no longer waits
// for are ignored, so a driver may deliver a result twice.
func (x *Execution) Signal(sig Signal, now time.Time) Step {
	if now.After(x.now) {
		x.now = now
	}
	if _, ok := sig.(Redrive); ok {
		x.redrive()
		x.drain()
		return x.takeStep()
	}
	if x.Status != StatusRunning {
		return x.takeStep()
	}
	switch s := sig.(type) {
	case TaskSucceeded:
		if th, ok := x.tasks[s.ID]; ok {
			x.forgetTask(s.ID)
			x.taskSucceeded(th, s.Output)
		}
	case TaskFailed:
		if th, ok := x.tasks[s.ID]; ok {
			x.forgetTask(s.ID)
			x.taskFailed(th, &asl.Failure{Name: s.Error, Cause: s.Cause}, "TaskFailed")
		}
	case TaskHeartbeat:
		if th, ok := x.tasks[s.ID]; ok && th.st.HeartbeatSeconds != nil {
			x.armHeartbeat(th)
		}
	case TimerFired:
		if t, ok := x.timers[s.ID]; ok {
			delete(x.timers, s.ID)
			x.timerFired(s.ID, t)
		}
	case Stop:
		x.abort(s.Error, s.Cause)
	}
	x.drain()
	return x.takeStep()
}

// Outstanding returns the tasks the execution waits for and its armed
// timers, in ID order. A driver that rebuilt an execution by replaying its
// signals re-dispatches these tasks and re-arms these timers.
func (x *Execution) Outstanding() ([]RunTask, []StartTimer) {
	tasks := make([]RunTask, 0, len(x.tasks))
	for id := range x.tasks {
		tasks = append(tasks, x.taskCmds[id])
	}
	timers := make([]StartTimer, 0, len(x.timers))
	for id, t := range x.timers {
		timers = append(timers, StartTimer{ID: id, At: t.at})
	}
	sort.Slice(tasks, func(i, j int) bool { return tasks[i].ID < tasks[j].ID })
	sort.Slice(timers, func(i, j int) bool { return timers[i].ID < timers[j].ID })
	return tasks, timers
}

// Done reports whether the execution has ended.
func (x *Execution) Done() bool { return x.Status != StatusRunning }

func (x *Execution) takeStep() Step {
	s := x.step
	x.step = Step{}
	return s
}

func (x *Execution) newThread(b *asl.Branch, g *group, index int, vars *asl.Vars, silent bool) *thread {
	x.seq++
	return &thread{id: x.seq, branch: b, grp: g, index: index, vars: vars, silent: silent}
}

// schedule makes th enter st with input on the next drain.
func (x *Execution) schedule(th *thread, st *asl.State, input any) {
	th.st, th.raw, th.needsEnter = st, input, true
	x.runnable = append(x.runnable, th)
}

func (x *Execution) drain() {
	for len(x.runnable) > 0 && x.Status == StatusRunning {
		th := x.runnable[0]
		x.runnable = x.runnable[1:]
		for th.needsEnter && !th.done && x.Status == StatusRunning {
			th.needsEnter = false
			x.enter(th)
		}
	}
	x.runnable = x.runnable[:0]
}

// emit records an event on th's chain.
func (x *Execution) emit(th *thread, typ, key string, d *value.Object) int64 {
	if th != nil && th.silent {
		if th.clog != nil {
			th.last = th.clog.add(x.now, th.last, typ, key, d)
		}
		return th.last
	}
	prev := int64(0)
	if th != nil {
		prev = th.last
	}
	id := x.emitRaw(prev, typ, key, d)
	if th != nil {
		th.last = id
	}
	return id
}

// maxReservedEvents bounds reserveEvents, so that a guess never holds
// much memory.
const maxReservedEvents = 4096

// reserveEvents makes room in the step for n more events, up to
// maxReservedEvents in all, when a state is about to emit about that many
// (an execution its states' entries and exits, a Map its iterations'): the
// events slice then grows once instead of doubling its way there.
func (x *Execution) reserveEvents(n int) {
	n = min(n, maxReservedEvents-len(x.step.Events))
	if n > cap(x.step.Events)-len(x.step.Events) {
		x.step.Events = slices.Grow(x.step.Events, n)
	}
}

func (x *Execution) emitRaw(prev int64, typ, key string, d *value.Object) int64 {
	x.lastID++
	x.step.Events = append(x.step.Events, Event{
		ID: x.lastID, PreviousEventID: prev, Timestamp: x.now, Type: typ, DetailsKey: key, Details: d,
	})
	if key == "" {
		x.step.Events[len(x.step.Events)-1].Details = nil
	}
	return x.lastID
}

func (x *Execution) startTimer(id string, at time.Time, t timerTarget) {
	t.at = at
	x.timers[id] = t
	x.step.Commands = append(x.step.Commands, StartTimer{ID: id, At: at})
	if t.th != nil {
		t.th.timers = append(t.th.timers, id)
	}
}

func (x *Execution) cancelTimers(th *thread) {
	for _, id := range th.timers {
		if _, ok := x.timers[id]; ok {
			delete(x.timers, id)
			x.step.Commands = append(x.step.Commands, CancelTimer{ID: id})
		}
	}
	th.timers = th.timers[:0]
}

func (x *Execution) nextID(prefix string) string {
	x.seq++
	return prefix + strconv.Itoa(x.seq)
}

// env builds the evaluation environment of th's current state. Its
// functions are made once per thread and execution: a state evaluates
// several environments.
func (x *Execution) env(th *thread, input any) *asl.Env {
	if th.contextFn == nil {
		th.contextFn = func() any { return x.contextObject(th, nil) }
	}
	if x.newUUIDFn == nil {
		x.newUUIDFn = x.newUUID
	}
	return &asl.Env{
		Input:   input,
		Context: th.contextFn,
		Vars:    th.vars,
		Rand:    x.rnd,
		NewUUID: x.newUUIDFn,
	}
}

func (x *Execution) newUUID() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(x.rnd.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0xf])
	}
	return string(out)
}

// formatTime formats a time as the context object shows it.
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// contextObject builds $$ for th's current state; item is set while a Map
// evaluates ItemSelector. Its Execution and StateMachine members are built
// once per execution, its State member once per state entry and retry: like
// every value, they are never modified once shared.
func (x *Execution) contextObject(th *thread, item *value.Object) any {
	if x.ctxExecution == nil {
		exec := value.NewObject(6)
		exec.Set("Id", x.info.ExecutionARN)
		exec.Set("Input", x.input)
		exec.Set("StartTime", formatTime(x.info.StartTime))
		exec.Set("Name", x.info.Name)
		exec.Set("RoleArn", x.info.RoleARN)
		exec.Set("RedriveCount", float64(x.info.RedriveCount))
		x.ctxExecution = exec
		x.ctxStateMachine = value.ObjectOf("Id", x.info.StateMachineARN, "Name", x.info.StateMachineName)
	}
	ctx := value.NewObject(5)
	ctx.Set("Execution", x.ctxExecution)
	ctx.Set("StateMachine", x.ctxStateMachine)
	if th != nil && th.st != nil {
		ctx.Set("State", th.stateContext())
	}
	if th != nil && th.taskToken != "" {
		ctx.Set("Task", value.ObjectOf("Token", th.taskToken))
	}
	if item != nil {
		ctx.Set("Map", value.ObjectOf("Item", item))
	}
	return ctx
}

// stateContext returns $$.State for th's current state, building it on
// the first call after the state's entry (enter clears it) or a retry.
func (th *thread) stateContext() *value.Object {
	if c := th.ctxState; c != nil && th.ctxStateOf == th.st && th.ctxStateRetries == th.retryTotal {
		return c
	}
	state := value.NewObject(3)
	state.Set("Name", th.st.Name)
	state.Set("EnteredTime", formatTime(th.enteredAt))
	if th.st.Type == asl.TypeTask || th.st.Type == asl.TypeParallel || th.st.Type == asl.TypeMap {
		state.Set("RetryCount", float64(th.retryTotal))
	}
	th.ctxState, th.ctxStateOf, th.ctxStateRetries = state, th.st, th.retryTotal
	return state
}

// enter records th's entry into its current state and runs the state.
func (x *Execution) enter(th *thread) {
	st := th.st
	th.enteredAt = x.now
	th.retryCounts = nil
	th.retryTotal = 0
	th.ctxState = nil
	if x.tooLarge(th.raw) {
		x.failState(th, x.dataLimit(st.Name))
		return
	}
	d := value.NewObject(3)
	d.Set("name", st.Name)
	setInput(d, th.raw)
	th.enteredPrev = th.last
	th.enteredID = x.emit(th, stateEnteredType(st.Type), "stateEnteredEventDetails", d)
	if x.lastID >= int64(x.limits.MaxHistoryEvents) {
		x.failExecution(th, &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
			"The execution reached the maximum number of history events (%d).", x.limits.MaxHistoryEvents)})
		return
	}
	x.run(th)
}

// run performs the current state's work after its entry (and again on each
// retry).
func (x *Execution) run(th *thread) {
	st := th.st
	var err error
	if st.QueryLanguage == asl.JSONata {
		err = x.runJSONata(th)
	} else {
		err = x.runJSONPath(th)
	}
	if err != nil {
		x.stateError(th, err)
	}
}

// stateError turns an evaluation error into the state's failure, with the
// prefix AWS puts on errors it raises itself.
func (x *Execution) stateError(th *thread, err error) {
	f, ok := err.(*asl.Failure)
	if !ok {
		f = &asl.Failure{Name: asl.ErrRuntime, Cause: err.Error()}
	}
	f = &asl.Failure{Name: f.Name, Location: f.Location, Cause: fmt.Sprintf(
		"An error occurred while executing the state '%s' (entered at the event id #%d). %s", th.st.Name, th.enteredID, f.Cause)}
	if f.Name == asl.ErrQueryEvaluationError {
		d := value.NewObject(4)
		d.Set("error", f.Name)
		d.Set("cause", f.Cause)
		if f.Location != "" {
			d.Set("location", f.Location)
		}
		d.Set("state", th.st.Name)
		// AWS links EvaluationFailed to the event before the state's entry.
		th.last = th.enteredPrev
		x.emit(th, "EvaluationFailed", "evaluationFailedEventDetails", d)
		if th.st.Type == asl.TypeMap || th.st.Type == asl.TypeParallel {
			x.emit(th, th.st.Type+"StateFailed", "", nil)
		}
	}
	x.failState(th, f)
}

func (x *Execution) runJSONPath(th *thread) error {
	st := th.st
	env := x.env(th, th.raw)
	eff, err := st.SelectInput(th.raw, env)
	if err != nil {
		return err
	}
	th.eff = eff
	switch st.Type {
	case asl.TypePass:
		result := eff
		if st.Parameters != nil {
			if result, err = st.ApplyParameters(eff, env); err != nil {
				return err
			}
		}
		if st.HasResult {
			result = st.Result
		}
		return x.finishJSONPath(th, result, st.Assign)
	case asl.TypeTask:
		x.prepareTask(th)
		input, err := st.ApplyParameters(eff, env)
		if err != nil {
			return err
		}
		return x.dispatchTask(th, input)
	case asl.TypeChoice:
		return x.runChoice(th, eff)
	case asl.TypeWait:
		return x.runWait(th, eff)
	case asl.TypeSucceed:
		out, err := st.SelectOutput(eff, env)
		if err != nil {
			return err
		}
		x.exitState(th, out, nil, "")
		return nil
	case asl.TypeFail:
		return x.runFail(th, env)
	case asl.TypeParallel:
		input, err := st.ApplyParameters(eff, env)
		if err != nil {
			return err
		}
		return x.startParallel(th, input)
	case asl.TypeMap:
		return x.startMap(th, eff, env)
	}
	return fmt.Errorf("unknown state type %s", st.Type)
}

// finishJSONPath completes a state that produced result: ResultSelector,
// Assign, ResultPath, OutputPath, then the exit and the transition.
func (x *Execution) finishJSONPath(th *thread, result any, assign *asl.Template) error {
	st := th.st
	env := x.env(th, result)
	if st.Type != asl.TypePass {
		var err error
		if result, err = st.ApplyResultSelector(result, env); err != nil {
			return err
		}
	}
	var assigned *value.Object
	if assign != nil {
		var err error
		if assigned, err = asl.EvalAssign(assign, withInputEnv(env, result)); err != nil {
			return err
		}
	}
	merged, err := st.ApplyResultPath(th.raw, result)
	if err != nil {
		return err
	}
	out, err := st.SelectOutput(merged, env)
	if err != nil {
		return err
	}
	x.assign(th, assigned)
	x.exitState(th, out, assigned, st.Next)
	return nil
}

func withInputEnv(env *asl.Env, input any) *asl.Env {
	c := *env
	c.Input = input
	return &c
}

func (x *Execution) assign(th *thread, vars *value.Object) {
	for _, m := range vars.Members() {
		th.vars.Set(m.Key, m.Value)
	}
}

// tooLarge reports whether v's JSON text is longer than the payload limit,
// without writing the text.
func (x *Execution) tooLarge(v any) bool {
	if x.limits.MaxPayloadBytes <= 0 || sameValue(v, x.fits) {
		return false
	}
	if value.EncodedLenExceeds(v, x.limits.MaxPayloadBytes) {
		return true
	}
	x.fits = v
	return false
}

// sameValue reports whether a and b are the same object or the same array
// (not merely equal ones).
func sameValue(a, b any) bool {
	switch t := a.(type) {
	case *value.Object:
		u, ok := b.(*value.Object)
		return ok && t == u
	case []any:
		u, ok := b.([]any)
		return ok && len(t) == len(u) && (len(t) == 0 || &t[0] == &u[0])
	}
	return false
}

func (x *Execution) dataLimit(state string) *asl.Failure {
	return &asl.Failure{Name: asl.ErrDataLimitExceeded, Cause: fmt.Sprintf(
		"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", state)}
}

// exitState records the state's exit and moves th on: to next, or to the
// end of its branch when next is empty and the state ends it.
func (x *Execution) exitState(th *thread, out any, assigned *value.Object, next string) {
	st := th.st
	if x.tooLarge(out) {
		x.failState(th, x.dataLimit(st.Name))
		return
	}
	if st.Type != asl.TypeFail {
		d := value.NewObject(3 + 2*min(assigned.Len(), 1))
		d.Set("name", st.Name)
		if assigned.Len() > 0 {
			setAssigned(d, assigned)
		}
		setOutput(d, out)
		x.emit(th, stateExitedType(st.Type), "stateExitedEventDetails", d)
	}
	if next == "" {
		x.finishThread(th, out)
		return
	}
	th.st, th.raw, th.needsEnter = th.branch.States[next], out, true
}

func (x *Execution) runChoice(th *thread, eff any) error {
	st := th.st
	env := x.env(th, eff)
	for _, r := range st.Choices {
		ok, err := r.Eval(env)
		if err != nil {
			return err
		}
		if ok {
			return x.choose(th, eff, r.Next, r.Assign, env)
		}
	}
	if st.Default == "" {
		return &asl.Failure{Name: asl.ErrNoChoiceMatched, Cause: "No Matches!"}
	}
	return x.choose(th, eff, st.Default, nil, env)
}

func (x *Execution) choose(th *thread, eff any, next string, ruleAssign *asl.Template, env *asl.Env) error {
	st := th.st
	assign := st.Assign
	if ruleAssign != nil {
		assign = ruleAssign
	}
	assigned, err := asl.EvalAssign(assign, env)
	if err != nil {
		return err
	}
	out, err := st.SelectOutput(eff, env)
	if err != nil {
		return err
	}
	x.assign(th, assigned)
	x.exitState(th, out, assigned, next)
	return nil
}

// maxWaitSeconds is the longest delay a Wait accepts (2^31-1 seconds).
const maxWaitSeconds = math.MaxInt32

func (x *Execution) runWait(th *thread, eff any) error {
	st := th.st
	env := x.env(th, eff)
	var until time.Time
	switch {
	case st.Seconds != nil:
		n, err := x.number(st.Seconds, env, th)
		if err != nil {
			return err
		}
		if n < 0 {
			return &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf("The %s field refers to a negative value: %v", st.Seconds.Field, n)}
		}
		if n > maxWaitSeconds {
			return &asl.Failure{Name: asl.ErrRuntime, Cause: "Wait state delay is too long."}
		}
		until = x.now.Add(time.Duration(n) * time.Second)
	case st.Timestamp != nil:
		t, err := x.timestamp(st.Timestamp, env, th)
		if err != nil {
			return err
		}
		if t.Sub(x.now) > maxWaitSeconds*time.Second {
			return &asl.Failure{Name: asl.ErrRuntime, Cause: "Wait state delay is too long."}
		}
		until = t
	}
	assigned, err := asl.EvalAssign(st.Assign, env)
	if err != nil {
		return err
	}
	var out any
	if st.QueryLanguage == asl.JSONata {
		out, err = x.jsonataOutput(th, eff, nil, nil)
	} else {
		out, err = st.SelectOutput(eff, env)
	}
	if err != nil {
		return err
	}
	th.pendingWait = &pendingExit{out: out, assigned: assigned}
	if !until.After(x.now) {
		x.finishWait(th)
		return nil
	}
	x.startTimer(x.nextID("wait-"), until, timerTarget{kind: timerWait, th: th})
	return nil
}

func (x *Execution) finishWait(th *thread) {
	p := th.pendingWait
	th.pendingWait = nil
	x.assign(th, p.assigned)
	x.exitState(th, p.out, p.assigned, th.st.Next)
	if th.needsEnter {
		x.runnable = append(x.runnable, th)
	}
}

// pendingExit holds a state's output while it waits to exit.
type pendingExit struct {
	out      any
	assigned *value.Object
}

// number evaluates an integer field: a literal, a path or JSONata.
func (x *Execution) number(n *asl.Number, env *asl.Env, th *thread) (float64, error) {
	switch {
	case n.Path != nil:
		v, err := n.Path.Get(env)
		if err != nil {
			return 0, &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"Invalid path '%s' : No results for path: %s", n.Path.Source, n.Path.JaywayString())}
		}
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			return 0, &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"The %s field refers to value %s which is not a valid integer: %s",
				n.Field, quoteForMessage(v), n.Path.Source)}
		}
		return f, nil
	case n.JSONata != nil:
		v, err := x.evalJSONata(th, n.JSONata, env, n.Field)
		if err != nil {
			return 0, err
		}
		f, ok := v.(float64)
		if !ok {
			return 0, &asl.Failure{Name: asl.ErrQueryEvaluationError, Cause: fmt.Sprintf(
				"The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected 'integer', but was '%s' for value: %s",
				n.JSONata.Expr, n.Field, value.TypeName(v), value.EncodeString(v))}
		}
		return f, nil
	}
	return n.Value, nil
}

// quoteForMessage renders a value as AWS's messages quote it: strings
// without JSON quotes, anything else as JSON, all in double quotes.
func quoteForMessage(v any) string {
	if s, ok := v.(string); ok {
		return `"` + s + `"`
	}
	return `"` + value.EncodeString(v) + `"`
}

func (x *Execution) timestamp(ts *asl.TimestampField, env *asl.Env, th *thread) (time.Time, error) {
	var s string
	switch {
	case ts.Path != nil:
		v, err := ts.Path.Get(env)
		if err != nil {
			return time.Time{}, &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"Invalid path '%s' : No results for path: %s", ts.Path.Source, ts.Path.JaywayString())}
		}
		str, ok := v.(string)
		t, err := asl.ParseTimestamp(str)
		if !ok || err != nil {
			return time.Time{}, &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s",
				ts.Path.Source, value.EncodeString(v))}
		}
		return t, nil
	case ts.JSONata != nil:
		v, err := x.evalJSONata(th, ts.JSONata, env, "Timestamp")
		if err != nil {
			return time.Time{}, err
		}
		str, _ := v.(string)
		t, err := asl.ParseTimestamp(str)
		if err != nil {
			return time.Time{}, &asl.Failure{Name: asl.ErrQueryEvaluationError, Cause: fmt.Sprintf(
				"The JSONata expression '%s' specified for the field 'Timestamp' returned an invalid timestamp: %s",
				ts.JSONata.Expr, value.EncodeString(v))}
		}
		return t, nil
	default:
		s = ts.Literal
	}
	return asl.ParseTimestamp(s)
}

func (x *Execution) runFail(th *thread, env *asl.Env) error {
	st := th.st
	f := &asl.Failure{}
	var err error
	if f.Name, err = x.failString(th, st.Error, env); err != nil {
		return err
	}
	if f.Cause, err = x.failString(th, st.Cause, env); err != nil {
		return err
	}
	x.failState(th, f)
	return nil
}

func (x *Execution) failString(th *thread, sf *asl.StringField, env *asl.Env) (string, error) {
	if sf == nil {
		return "", nil
	}
	var v any
	var err error
	switch {
	case sf.Path != nil:
		v, err = sf.Path.Get(env)
		if err != nil {
			return "", &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
				sf.Path.Source, sf.Field, value.EncodeString(env.Input))}
		}
	case sf.Call != nil:
		v, err = sf.Call.Eval(env)
		if err != nil {
			return "", err
		}
	case sf.JSONata != nil:
		v, err = x.evalJSONata(th, sf.JSONata, env, sf.Field)
		if err != nil {
			return "", err
		}
	default:
		return sf.Literal, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
			"The value of the field '%s' must be a string, but was '%s'", sf.Field, value.EncodeString(v))}
	}
	return s, nil
}

// failState handles a failure raised in th's current state: retry, catch,
// or fail the branch.
func (x *Execution) failState(th *thread, f *asl.Failure) {
	if !x.retryState(th, f) {
		x.catchOrFail(th, f)
	}
}

// retryState schedules a retry of th's state when a retrier matches, and
// reports whether it did.
func (x *Execution) retryState(th *thread, f *asl.Failure) bool {
	x.cancelTimers(th)
	return len(th.st.Retry) > 0 && x.retry(th, f)
}

// catchOrFail hands a failure to the first matching catcher, or fails the
// branch.
func (x *Execution) catchOrFail(th *thread, f *asl.Failure) {
	st := th.st
	for _, c := range st.Catch {
		if !f.Matches(c.ErrorEquals) {
			continue
		}
		if err := x.catch(th, c, f); err != nil {
			// A catcher that cannot build its output fails the branch.
			ff, _ := err.(*asl.Failure)
			if ff == nil {
				ff = &asl.Failure{Name: asl.ErrRuntime, Cause: err.Error()}
			}
			x.failThread(th, ff)
		}
		return
	}
	x.failThread(th, f)
}

func (x *Execution) catch(th *thread, c *asl.Catcher, f *asl.Failure) error {
	st := th.st
	errOut := f.ErrorOutput()
	var out any
	var assigned *value.Object
	var err error
	if st.QueryLanguage == asl.JSONata {
		env := x.jsonataEnv(th, th.raw, nil, errOut)
		if assigned, err = asl.EvalAssign(c.Assign, env); err != nil {
			return err
		}
		if c.Output != nil {
			out, err = c.Output.Eval(env)
			if err != nil {
				return err
			}
		} else {
			out = errOut
		}
	} else {
		env := x.env(th, errOut)
		if assigned, err = asl.EvalAssign(c.Assign, env); err != nil {
			return err
		}
		if out, err = c.ApplyResultPath(th.raw, errOut); err != nil {
			return err
		}
	}
	x.assign(th, assigned)
	x.exitState(th, out, assigned, c.Next)
	if th.needsEnter {
		x.runnable = append(x.runnable, th)
	}
	return nil
}

// retry schedules another attempt of th's state when a retrier matches and
// has attempts left, and reports whether it did.
func (x *Execution) retry(th *thread, f *asl.Failure) bool {
	st := th.st
	if th.retryCounts == nil {
		th.retryCounts = make([]int, len(st.Retry))
	}
	for i, r := range st.Retry {
		if !f.Matches(r.ErrorEquals) {
			continue
		}
		n := th.retryCounts[i]
		if n >= r.MaxAttempts {
			return false
		}
		th.retryCounts[i]++
		th.retryTotal++
		delay := float64(r.IntervalSeconds) * math.Pow(r.BackoffRate, float64(n))
		if r.MaxDelaySeconds > 0 && delay > float64(r.MaxDelaySeconds) {
			delay = float64(r.MaxDelaySeconds)
		}
		if r.JitterStrategy == "FULL" {
			delay = x.rnd.Float64() * delay
		}
		d := time.Duration(delay * float64(time.Second))
		if d <= 0 {
			x.run(th)
			return true
		}
		x.startTimer(x.nextID("retry-"), x.now.Add(d), timerTarget{kind: timerRetry, th: th})
		return true
	}
	return false
}

func (x *Execution) timerFired(id string, t timerTarget) {
	switch t.kind {
	case timerExecution:
		x.endExecution(StatusTimedOut, "ExecutionTimedOut", "executionTimedOutEventDetails", &asl.Failure{Name: asl.ErrTimeout, Cause: "The execution timed out."})
	case timerWait:
		if !t.th.done {
			x.finishWait(t.th)
		}
	case timerRetry:
		if !t.th.done {
			x.run(t.th)
			if t.th.needsEnter {
				x.runnable = append(x.runnable, t.th)
			}
		}
	case timerTaskTimeout, timerHeartbeat:
		th := t.th
		if th.done || th.taskID == "" {
			return
		}
		if _, waiting := x.tasks[th.taskID]; !waiting {
			return
		}
		x.forgetTask(th.taskID)
		x.step.Commands = append(x.step.Commands, CancelTask{ID: th.taskID})
		name := asl.ErrTimeout
		if t.kind == timerHeartbeat {
			name = asl.ErrHeartbeatTimeout
		}
		x.taskFailed(th, &asl.Failure{Name: name}, "TaskTimedOut")
		if th.needsEnter {
			x.runnable = append(x.runnable, th)
		}
	}
}

// failThread ends th with a failure: the execution fails at the top level;
// in a branch the failure goes to the Parallel or Map state.
func (x *Execution) failThread(th *thread, f *asl.Failure) {
	th.done = true
	x.cancelTimers(th)
	if th.grp == nil {
		x.failExecution(th, f)
		return
	}
	x.childFailed(th, f)
}

func (x *Execution) failExecution(th *thread, f *asl.Failure) {
	x.endExecution(StatusFailed, "ExecutionFailed", "executionFailedEventDetails", f)
}

func (x *Execution) endExecution(status, typ, key string, f *asl.Failure) {
	if x.Status != StatusRunning {
		return
	}
	x.Status = status
	x.Error, x.Cause = f.Name, f.Cause
	d := value.NewObject(2)
	if f.Name != "" {
		d.Set("error", f.Name)
	}
	if f.Cause != "" {
		d.Set("cause", f.Cause)
	}
	prev := int64(0)
	if x.root != nil {
		prev = x.root.last
		x.abortChildren(x.root)
	}
	x.emitRaw(prev, typ, key, d)
	x.cancelAll()
}

// cancelAll withdraws every outstanding task and timer.
func (x *Execution) cancelAll() {
	for id := range x.tasks {
		x.step.Commands = append(x.step.Commands, CancelTask{ID: id})
	}
	for id := range x.timers {
		x.step.Commands = append(x.step.Commands, CancelTimer{ID: id})
	}
	clear(x.tasks)
	clear(x.taskCmds)
	clear(x.timers)
	x.runnable = x.runnable[:0]
}

func (x *Execution) abort(errName, cause string) {
	x.endExecution(StatusAborted, "ExecutionAborted", "executionAbortedEventDetails", &asl.Failure{Name: errName, Cause: cause})
}

// finishThread ends th with its branch's output.
func (x *Execution) finishThread(th *thread, out any) {
	th.done = true
	if th.grp == nil {
		x.Status = StatusSucceeded
		x.Output = out
		d := value.NewObject(2)
		setOutput(d, out)
		x.emit(th, "ExecutionSucceeded", "executionSucceededEventDetails", d)
		x.cancelAll()
		return
	}
	x.childSucceeded(th, out)
}

// failureName is used in messages for the kind of a failed event.
func resourceParts(resource string) (typ, name string) {
	// arn:aws:states:::lambda:invoke → lambda, invoke
	// arn:aws:lambda:region:acct:function:name → lambda, the ARN
	parts := strings.SplitN(resource, ":", 7)
	if len(parts) >= 7 && parts[2] == "states" && parts[3] == "" && parts[4] == "" {
		return parts[5], parts[6]
	}
	if len(parts) >= 3 {
		return parts[2], resource
	}
	return "", resource
}

func (x *Execution) forgetTask(id string) {
	delete(x.tasks, id)
	delete(x.taskCmds, id)
}
