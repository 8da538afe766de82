package engine

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/value"
)

// startParallel runs every branch of th's Parallel state on input.
func (x *Execution) startParallel(th *thread, input any) error {
	st := th.st
	g := &group{owner: th, st: st, results: make([]any, len(st.Branches))}
	th.child, th.lastGroup = g, g
	x.emit(th, "ParallelStateStarted", "", nil)
	for i, b := range st.Branches {
		c := x.newThread(b, g, i, asl.NewVars(th.vars), th.silent)
		c.clog = th.clog
		c.last = th.last
		g.children = append(g.children, c)
		g.started++
		g.running++
		x.schedule(c, b.States[b.StartAt], input)
	}
	return nil
}

// startMap evaluates a Map state's items and starts its iterations.
func (x *Execution) startMap(th *thread, eff any, env *asl.Env) error {
	st := th.st
	var items any = eff
	if st.ItemsPath != nil {
		v, err := st.ItemsPath.Get(withInputEnv(env, eff))
		if err != nil {
			return &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"Invalid path '%s' : No results for path: %s", st.ItemsPath.Source, st.ItemsPath.JaywayString())}
		}
		items = v
	}
	arr, ok := items.([]any)
	if !ok {
		return &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
			"Map state input must be an array but was: %s", value.EncodeString(items))}
	}
	return x.runMap(th, arr, withInputEnv(env, eff))
}

// runMap starts a Map over items; itemEnv is what ItemSelector sees as $.
func (x *Execution) runMap(th *thread, items []any, itemEnv *asl.Env) error {
	st := th.st
	proc := st.ItemProcessor
	g := &group{
		owner:       th,
		st:          st,
		isMap:       true,
		distributed: proc.ProcessorConfig.Mode == asl.ModeDistributed,
		items:       items,
		itemEnv:     itemEnv,
		results:     make([]any, len(items)),
		tolPct:      -1,
	}
	if st.MaxConcurrency != nil {
		n, err := x.mapNumber(th, st.MaxConcurrency, itemEnv)
		if err != nil {
			return err
		}
		g.maxConc = int(n)
	}
	th.child, th.lastGroup = g, g
	x.emit(th, "MapStateStarted", "mapStateStartedEventDetails", value.ObjectOf("length", float64(len(g.items))))
	// AWS evaluates the tolerated-failure fields after MapStateStarted.
	g.tolCount = -1
	if st.ToleratedFailureCount != nil {
		n, err := x.mapNumber(th, st.ToleratedFailureCount, itemEnv)
		if err != nil {
			return err
		}
		if n < 0 {
			return &asl.Failure{Name: asl.ErrRuntime, Cause: "ToleratedFailureCount cannot be negative."}
		}
		g.tolCount = int(n)
	}
	if st.ToleratedFailurePercentage != nil {
		var err error
		if g.tolPct, err = x.mapPercentage(th, st.ToleratedFailurePercentage, itemEnv); err != nil {
			return err
		}
	}
	if g.distributed {
		if err := x.batchItems(th, g); err != nil {
			return err
		}
		g.mapRunARN = fmt.Sprintf("%s/%s:%s", mapRunPrefix(x.info.ExecutionARN), st.Name, x.newUUID())
		x.emit(th, "MapRunStarted", "mapRunStartedEventDetails", value.ObjectOf("mapRunArn", g.mapRunARN))
	}
	if len(g.items) == 0 {
		x.groupDone(g)
		return nil
	}
	if !g.distributed && !th.silent {
		// Each iteration records its start and end, and at least one state's
		// entry and exit.
		x.reserveEvents(len(g.items) * (2 + 2*len(proc.States)))
	}
	x.fillMap(g)
	return nil
}

// mapRunPrefix turns an execution ARN into the Map Run ARN prefix.
func mapRunPrefix(execARN string) string {
	// arn:aws:states:r:a:execution:machine:name → arn:aws:states:r:a:mapRun:machine/name
	parts := splitN(execARN, ':', 8)
	if len(parts) < 8 {
		return execARN
	}
	return fmt.Sprintf("%s:%s:%s:%s:%s:mapRun:%s/%s", parts[0], parts[1], parts[2], parts[3], parts[4], parts[6], parts[7])
}

func splitN(s string, sep byte, n int) []string {
	var out []string
	for len(out) < n-1 {
		i := indexByte(s, sep)
		if i < 0 {
			break
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
	return append(out, s)
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// mapNumber evaluates MaxConcurrency or ToleratedFailureCount and their
// Path forms with AWS's messages.
func (x *Execution) mapNumber(th *thread, n *asl.Number, env *asl.Env) (float64, error) {
	if n.Path != nil {
		v, err := n.Path.Get(env)
		if err != nil {
			return 0, &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"Invalid path '%s' : No results for path: %s", n.Path.Source, n.Path.JaywayString())}
		}
		f, ok := numericValue(v, true)
		if !ok {
			return 0, &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"The %s field refers to value %s which is not a valid integer: %s", n.Field, quoteForMessage(v), n.Path.Source)}
		}
		if f < 0 && n.Field == "ToleratedFailureCountPath" {
			return 0, &asl.Failure{Name: asl.ErrRuntime, Cause: "ToleratedFailureCount cannot be negative."}
		}
		return f, nil
	}
	return x.number(n, env, th)
}

func (x *Execution) mapPercentage(th *thread, n *asl.Number, env *asl.Env) (float64, error) {
	if n.Path != nil {
		v, err := n.Path.Get(env)
		if err != nil {
			return 0, &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"Invalid path '%s' : No results for path: %s", n.Path.Source, n.Path.JaywayString())}
		}
		f, ok := numericValue(v, false)
		if !ok {
			return 0, &asl.Failure{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"The %s field refers to value %s which is not a valid number: %s", n.Field, quoteForMessage(v), n.Path.Source)}
		}
		if f < 0 || f > 100 {
			return 0, &asl.Failure{Name: asl.ErrRuntime, Cause: "ToleratedFailurePercentage must be between 0 and 100."}
		}
		return f, nil
	}
	f, err := x.number(n, env, th)
	if err == nil && (f < 0 || f > 100) {
		return 0, &asl.Failure{Name: asl.ErrRuntime, Cause: "ToleratedFailurePercentage must be between 0 and 100."}
	}
	return f, err
}

// batchItems groups a distributed Map's items as ItemBatcher says.
func (x *Execution) batchItems(th *thread, g *group) error {
	b := g.st.ItemBatcher
	if b == nil {
		return nil
	}
	maxItems := 0
	if b.MaxItemsPerBatch != nil {
		n, err := x.mapNumber(th, b.MaxItemsPerBatch, g.itemEnv)
		if err != nil {
			return err
		}
		maxItems = int(n)
	}
	maxBytes := 256 * 1024
	if b.MaxInputBytesPerBatch != nil {
		n, err := x.mapNumber(th, b.MaxInputBytesPerBatch, g.itemEnv)
		if err != nil {
			return err
		}
		maxBytes = int(n)
	}
	var batchInput any
	if b.BatchInput != nil {
		v, err := b.BatchInput.Eval(g.itemEnv)
		if err != nil {
			return err
		}
		batchInput = v
	}
	var batches []any
	var cur []any
	size := 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		o := value.NewObject(2)
		if batchInput != nil {
			o.Set("BatchInput", batchInput)
		}
		o.Set("Items", cur)
		batches = append(batches, o)
		cur, size = nil, 0
	}
	for _, it := range g.items {
		n := len(value.Encode(it))
		if len(cur) > 0 && ((maxItems > 0 && len(cur) >= maxItems) || size+n > maxBytes) {
			flush()
		}
		cur = append(cur, it)
		size += n
	}
	flush()
	g.items = batches
	g.results = make([]any, len(batches))
	return nil
}

// fillMap starts iterations up to MaxConcurrency.
func (x *Execution) fillMap(g *group) {
	th := g.owner
	for len(g.pending) > 0 && (g.maxConc == 0 || g.running < g.maxConc) && !g.failed {
		c := g.pending[0]
		g.pending = g.pending[1:]
		g.running++
		if g.distributed && c.clog != nil {
			// A redriven child execution starts again, as a new child
			// execution of the Map Run, from the start with its input.
			input := c.clog.input
			c.done, c.succeeded, c.child, c.lastGroup = false, false, nil, nil
			c.vars = asl.NewVars(th.vars)
			x.startChild(g, c, input)
			x.schedule(c, g.st.ItemProcessor.States[g.st.ItemProcessor.StartAt], input)
			continue
		}
		if !g.distributed {
			if g.bodyLast != 0 {
				th.last = g.bodyLast
			}
			x.emit(th, "MapIterationStarted", "mapIterationStartedEventDetails", value.ObjectOf("index", float64(c.index), "name", g.st.Name))
		}
		c.last = th.last
		x.redriveThread(c)
	}
	for len(g.pending) == 0 && g.started < len(g.items) && (g.maxConc == 0 || g.running < g.maxConc) && !g.failed {
		i := g.started
		g.started++
		g.running++
		input, err := x.itemInput(g, i)
		if err != nil {
			g.failed = true
			x.cancelGroup(g)
			x.stateError(th, err)
			return
		}
		c := x.newThread(g.st.ItemProcessor, g, i, asl.NewVars(th.vars), th.silent || g.distributed)
		c.clog = th.clog
		if !g.distributed {
			if g.bodyLast != 0 {
				th.last = g.bodyLast
			}
			x.emit(th, "MapIterationStarted", "mapIterationStartedEventDetails", value.ObjectOf("index", float64(i), "name", g.st.Name))
		}
		c.last = th.last
		if g.distributed {
			x.startChild(g, c, input)
		}
		g.children = append(g.children, c)
		x.schedule(c, g.st.ItemProcessor.States[g.st.ItemProcessor.StartAt], input)
	}
}

// itemInput builds iteration i's input: the item, or ItemSelector with
// $$.Map.Item set.
func (x *Execution) itemInput(g *group, i int) (any, error) {
	item := g.items[i]
	if g.st.ItemSelector == nil {
		return item, nil
	}
	th := g.owner
	itemObj := value.ObjectOf("Index", float64(i), "Value", item)
	// A new Env, not a copy of itemEnv: a copy would keep the context
	// object itemEnv may have built (for MaxConcurrencyPath: "$$...."),
	// which has no Map member.
	ie := g.itemEnv
	env := &asl.Env{
		Input:   ie.Input,
		Context: func() any { return x.contextObject(th, itemObj) },
		Vars:    ie.Vars,
		States:  ie.States,
		Rand:    ie.Rand,
		NewUUID: ie.NewUUID,
	}
	if g.st.QueryLanguage == asl.JSONata {
		env.States = x.statesVar(th, th.raw, nil, nil, x.contextObject(th, itemObj))
	}
	return g.st.ItemSelector.Eval(env)
}

func (x *Execution) childSucceeded(c *thread, out any) {
	g := c.grp
	if g.failed {
		return
	}
	if g.distributed {
		x.endChild(c, StatusSucceeded, out, nil)
	}
	g.results[c.index] = out
	c.succeeded = true
	g.running--
	g.finished++
	if g.isMap && !g.distributed {
		g.owner.last = c.last
		g.bodyLast = c.last
		x.emit(g.owner, "MapIterationSucceeded", "mapIterationSucceededEventDetails", value.ObjectOf("index", float64(c.index), "name", g.st.Name))
	}
	if g.isMap {
		x.fillMap(g)
	}
	if g.finished == len(g.results) {
		x.groupDone(g)
	}
}

func (x *Execution) childFailed(c *thread, f *asl.Failure) {
	g := c.grp
	if g.failed {
		return
	}
	th := g.owner
	g.running--
	g.finished++
	if g.isMap && g.distributed {
		x.endChild(c, StatusFailed, nil, f)
		g.failures++
		if !x.exceedsTolerance(g) {
			g.results[c.index] = nil
			x.fillMap(g)
			if g.finished == len(g.results) {
				x.groupDone(g)
			}
			return
		}
		g.failed = true
		x.cancelGroup(g)
		th.child = nil
		x.emit(th, "MapRunFailed", "mapRunFailedEventDetails", nil)
		f := &asl.Failure{Name: asl.ErrExceedToleratedFailureThreshold, Cause: "The specified tolerated failure threshold was exceeded"}
		if !x.retryState(th, f) {
			x.emit(th, "MapStateFailed", "", nil)
			x.catchOrFail(th, f)
		}
		x.resume(th)
		return
	}
	g.failed = true
	x.cancelGroup(g)
	th.last = c.last
	if g.isMap {
		x.emit(th, "MapIterationFailed", "mapIterationFailedEventDetails", value.ObjectOf("index", float64(c.index), "name", g.st.Name))
		th.last = c.last // MapStateFailed follows the iteration's last event too
	}
	th.child = nil
	// A retried Parallel or Map starts again without a Failed event; AWS
	// records MapStateFailed/ParallelStateFailed only when the state gives up.
	if !x.retryState(th, f) {
		x.emit(th, g.st.Type+"StateFailed", "", nil)
		x.catchOrFail(th, f)
	}
	x.resume(th)
}

// exceedsTolerance reports whether a distributed Map's failures pass its
// tolerated count or percentage (with neither set, any failure does).
func (x *Execution) exceedsTolerance(g *group) bool {
	if g.tolCount < 0 && g.tolPct < 0 {
		return g.failures > 0
	}
	if g.tolCount >= 0 && g.failures <= g.tolCount {
		return false
	}
	if g.tolPct >= 0 && len(g.items) > 0 && float64(g.failures)*100/float64(len(g.items)) <= g.tolPct {
		return false
	}
	return true
}

// cancelGroup stops every running child of g.
func (x *Execution) cancelGroup(g *group) {
	for _, c := range g.children {
		if c.done {
			continue
		}
		if g.distributed {
			x.endChild(c, StatusAborted, nil, nil)
		}
		c.done = true
		x.cancelTimers(c)
		if c.taskID != "" {
			x.forgetTask(c.taskID)
			x.step.Commands = append(x.step.Commands, CancelTask{ID: c.taskID})
		}
		if c.child != nil {
			x.cancelGroup(c.child)
		}
		if g.isMap && !g.distributed {
			x.emit(g.owner, "MapIterationAborted", "mapIterationAbortedEventDetails", value.ObjectOf("index", float64(c.index), "name", g.st.Name))
		}
	}
}

// groupDone completes the Parallel or Map state with its results.
func (x *Execution) groupDone(g *group) {
	th := g.owner
	th.child = nil
	if g.isMap && g.distributed {
		x.emit(th, "MapRunSucceeded", "", nil)
	}
	// The state's exit event shares the Succeeded event's previousEventId.
	prev := th.last
	x.emit(th, g.st.Type+"StateSucceeded", "", nil)
	th.last = prev
	results := any(g.results)
	var err error
	if th.st.QueryLanguage == asl.JSONata {
		err = x.finishJSONata(th, results)
	} else {
		err = x.finishJSONPath(th, results, th.st.Assign)
	}
	if err != nil {
		x.stateError(th, err)
	}
	x.resume(th)
}

// resume puts th back on the run queue when it has moved to a new state.
func (x *Execution) resume(th *thread) {
	if th.needsEnter && !th.done {
		x.runnable = append(x.runnable, th)
	}
}

// numericValue reads a number from a path's value: a JSON number, or a
// string holding one ("1"), which AWS accepts for the Map's *Path fields.
func numericValue(v any, integer bool) (float64, bool) {
	var f float64
	switch t := v.(type) {
	case float64:
		f = t
	case string:
		var err error
		if integer {
			var n int64
			n, err = strconv.ParseInt(strings.TrimSpace(t), 10, 64)
			f = float64(n)
		} else {
			f, err = strconv.ParseFloat(strings.TrimSpace(t), 64)
		}
		if err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if integer && f != math.Trunc(f) {
		return 0, false
	}
	return f, true
}

// redrive restarts an execution that ended unsuccessfully (see Redrive).
func (x *Execution) redrive() {
	switch x.Status {
	case StatusFailed, StatusTimedOut, StatusAborted:
	default:
		return
	}
	x.info.RedriveCount++
	x.ctxExecution = nil // $$.Execution.RedriveCount changed
	x.Status, x.Output, x.Error, x.Cause = StatusRunning, nil, "", ""
	id := x.emitRaw(x.lastID, "ExecutionRedriven", "executionRedrivenEventDetails",
		value.ObjectOf("redriveCount", float64(x.info.RedriveCount)))
	if x.def.TimeoutSeconds > 0 {
		// The execution's timeout counts from the redrive.
		x.startTimer("execution", x.now.Add(time.Duration(x.def.TimeoutSeconds)*time.Second), timerTarget{kind: timerExecution})
	}
	x.root.last = id
	x.redriveThread(x.root)
}

// redriveThread makes th run again from the state it did not finish: a
// Parallel or Map state reruns its unsuccessful children, any other state
// is entered again with the input it was entered with.
func (x *Execution) redriveThread(th *thread) {
	th.done = false
	th.succeeded = false
	th.child = nil
	if g := th.lastGroup; g != nil && g.st == th.st && g.owner == th && !th.needsEnter {
		x.redriveGroup(th, g)
		return
	}
	x.schedule(th, th.st, th.raw)
}

// redriveGroup reruns the children of old, th's Parallel or Map state,
// that did not succeed, keeping the results of those that did; a Map's
// iterations that never started start as usual.
func (x *Execution) redriveGroup(th *thread, old *group) {
	g := &group{
		owner: th, st: old.st, isMap: old.isMap, distributed: old.distributed,
		items: old.items, itemEnv: old.itemEnv, results: slices.Clone(old.results),
		maxConc: old.maxConc, tolCount: old.tolCount, tolPct: old.tolPct, mapRunARN: old.mapRunARN,
	}
	th.child, th.lastGroup = g, g
	if g.distributed {
		x.emit(th, "MapRunRedriven", "mapRunRedrivenEventDetails",
			value.ObjectOf("mapRunArn", g.mapRunARN, "redriveCount", float64(x.info.RedriveCount)))
	}
	var rerun []*thread
	for _, c := range old.children {
		c.grp = g
		g.children = append(g.children, c)
		g.started++
		if c.succeeded {
			g.finished++
			continue
		}
		rerun = append(rerun, c)
	}
	if !g.isMap {
		for _, c := range rerun {
			g.running++
			c.last = th.last
			x.redriveThread(c)
		}
		if g.finished == len(g.results) {
			x.groupDone(g)
		}
		return
	}
	g.pending = rerun
	x.fillMap(g)
	if g.finished == len(g.results) {
		x.groupDone(g)
	}
}

// startChild begins the child execution of a distributed Map's iteration c.
func (x *Execution) startChild(g *group, c *thread, input any) {
	c.clog = &childLog{mapRunARN: g.mapRunARN, stateName: g.st.Name, name: x.newUUID(), input: input, start: x.now}
	d := value.NewObject(3)
	setInput(d, input)
	d.Set("roleArn", x.info.RoleARN)
	c.last = c.clog.add(x.now, 0, "ExecutionStarted", "executionStartedEventDetails", d)
}

// endChild ends the child execution of iteration c and hands it to the
// driver in the step.
func (x *Execution) endChild(c *thread, status string, out any, f *asl.Failure) {
	l := c.clog
	if l == nil {
		return
	}
	ce := ChildExecution{MapRunARN: l.mapRunARN, StateName: l.stateName, Name: l.name, Status: status, Input: l.input, StartDate: l.start, StopDate: x.now}
	d := value.NewObject(2)
	switch status {
	case StatusSucceeded:
		ce.Output = out
		setOutput(d, out)
		l.add(x.now, c.last, "ExecutionSucceeded", "executionSucceededEventDetails", d)
	case StatusFailed:
		ce.Error, ce.Cause = f.Name, f.Cause
		if f.Name != "" {
			d.Set("error", f.Name)
		}
		if f.Cause != "" {
			d.Set("cause", f.Cause)
		}
		l.add(x.now, c.last, "ExecutionFailed", "executionFailedEventDetails", d)
	default:
		l.add(x.now, c.last, "ExecutionAborted", "executionAbortedEventDetails", d)
	}
	ce.Events = l.events
	x.step.Children = append(x.step.Children, ce)
}

// abortChildren ends, as aborted, the child executions still running under
// th when the execution ends.
func (x *Execution) abortChildren(th *thread) {
	g := th.child
	if g == nil || g.failed {
		return
	}
	for _, c := range g.children {
		if c.done {
			continue
		}
		if g.distributed {
			x.endChild(c, StatusAborted, nil, nil)
		}
		x.abortChildren(c)
	}
}
