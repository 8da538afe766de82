package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/value"
)

// taskEvents names a resource's scheduled/started/succeeded/failed/timed-out
// event types: Lambda function ARNs and activities have their own, every
// other resource (service integrations) uses the Task* events.
type taskEvents struct {
	prefix string // "Task", "LambdaFunction" or "Activity"
	key    string // details key prefix: "task", "lambdaFunction", "activity"
}

func eventsFor(resource string) taskEvents {
	switch {
	case strings.Contains(resource, ":lambda:") && strings.Contains(resource, ":function:"):
		return taskEvents{prefix: "LambdaFunction", key: "lambdaFunction"}
	case strings.Contains(resource, ":states:") && strings.Contains(resource, ":activity:"):
		return taskEvents{prefix: "Activity", key: "activity"}
	default:
		return taskEvents{prefix: "Task", key: "task"}
	}
}

func (te taskEvents) details(resource string) *value.Object {
	d := value.NewObject(6)
	if te.prefix == "Task" {
		typ, name := resourceParts(resource)
		d.Set("resourceType", typ)
		d.Set("resource", name)
	} else {
		d.Set("resource", resource)
	}
	return d
}

// prepareTask gives a task that waits for a callback its token before its
// parameters are evaluated, so that $$.Task.Token resolves.
func (x *Execution) prepareTask(th *thread) {
	th.taskAttempt++
	th.taskToken = ""
	if strings.HasSuffix(th.st.Resource, ".waitForTaskToken") || eventsFor(th.st.Resource).prefix == "Activity" {
		th.taskToken = x.newToken()
	}
}

// dispatchTask schedules th's task with its effective input.
func (x *Execution) dispatchTask(th *thread, input any) error {
	st := th.st
	env := x.env(th, th.eff)
	timeout, heartbeat := 0, 0
	if st.TimeoutSeconds != nil {
		n, err := x.number(st.TimeoutSeconds, env, th)
		if err != nil {
			return err
		}
		timeout = int(n)
	}
	if st.HeartbeatSeconds != nil {
		n, err := x.number(st.HeartbeatSeconds, env, th)
		if err != nil {
			return err
		}
		heartbeat = int(n)
	}
	var creds any
	if st.Credentials != nil {
		var err error
		if creds, err = st.Credentials.Eval(env); err != nil {
			return err
		}
	}
	if x.tooLarge(input) {
		return x.dataLimit(st.Name)
	}
	te := eventsFor(st.Resource)
	d := te.details(st.Resource)
	if te.prefix == "Task" {
		d.Set("region", regionOf(x.info.StateMachineARN))
	}
	if te.prefix == "Task" {
		d.Set("parameters", input)
	} else {
		setInput(d, input)
	}
	if timeout > 0 {
		d.Set("timeoutInSeconds", float64(timeout))
	}
	if heartbeat > 0 {
		d.Set("heartbeatInSeconds", float64(heartbeat))
	}
	x.emit(th, te.prefix+"Scheduled", te.key+"ScheduledEventDetails", d)
	x.emit(th, te.prefix+"Started", te.key+"StartedEventDetails", te.started(st.Resource))

	id := x.nextID("task-")
	th.taskID = id
	x.tasks[id] = th
	cmd := RunTask{
		ID:               id,
		Resource:         st.Resource,
		Input:            input,
		StateName:        st.Name,
		Attempt:          th.taskAttempt,
		IdempotencyKey:   fmt.Sprintf("%s/%d/%d/%d", x.info.ExecutionARN, th.id, th.enteredID, th.taskAttempt),
		TimeoutSeconds:   timeout,
		HeartbeatSeconds: heartbeat,
		TaskToken:        th.taskToken,
		Credentials:      creds,
	}
	x.taskCmds[id] = cmd
	x.step.Commands = append(x.step.Commands, cmd)
	if timeout > 0 {
		x.startTimer(x.nextID("timeout-"), x.now.Add(time.Duration(timeout)*time.Second), timerTarget{kind: timerTaskTimeout, th: th})
	}
	if heartbeat > 0 {
		x.armHeartbeat(th)
	}
	return nil
}

func (te taskEvents) started(resource string) *value.Object {
	if te.prefix == "Task" {
		return te.details(resource)
	}
	if te.prefix == "Activity" {
		return value.ObjectOf("workerName", "")
	}
	return nil
}

func (x *Execution) armHeartbeat(th *thread) {
	for i, id := range th.timers {
		if t, ok := x.timers[id]; ok && t.kind == timerHeartbeat {
			delete(x.timers, id)
			x.step.Commands = append(x.step.Commands, CancelTimer{ID: id})
			th.timers = append(th.timers[:i], th.timers[i+1:]...)
			break
		}
	}
	n := th.st.HeartbeatSeconds.Value
	x.startTimer(x.nextID("heartbeat-"), x.now.Add(time.Duration(n)*time.Second), timerTarget{kind: timerHeartbeat, th: th})
}

func regionOf(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) > 3 {
		return parts[3]
	}
	return ""
}

func (x *Execution) taskSucceeded(th *thread, output any) {
	st := th.st
	x.cancelTimers(th)
	te := eventsFor(st.Resource)
	d := te.details(st.Resource)
	setOutput(d, output)
	x.emit(th, te.prefix+"Succeeded", te.key+"SucceededEventDetails", d)
	th.taskID = ""
	var err error
	if x.tooLarge(output) {
		err = x.dataLimit(st.Name)
	} else if st.QueryLanguage == asl.JSONata {
		err = x.finishJSONata(th, output)
	} else {
		err = x.finishJSONPath(th, output, st.Assign)
	}
	if err != nil {
		x.stateError(th, err)
	}
	if th.needsEnter {
		x.runnable = append(x.runnable, th)
	}
}

// taskFailed records a task's failure (event type TaskFailed or
// TaskTimedOut) and hands it to Retry and Catch.
func (x *Execution) taskFailed(th *thread, f *asl.Failure, kind string) {
	st := th.st
	te := eventsFor(st.Resource)
	d := te.details(st.Resource)
	if f.Name != "" {
		d.Set("error", f.Name)
	}
	if f.Cause != "" {
		d.Set("cause", f.Cause)
	}
	typ := te.prefix + "Failed"
	key := te.key + "FailedEventDetails"
	if kind == "TaskTimedOut" {
		typ, key = te.prefix+"TimedOut", te.key+"TimedOutEventDetails"
	}
	x.emit(th, typ, key, d)
	th.taskID = ""
	x.failState(th, f)
	if th.needsEnter {
		x.runnable = append(x.runnable, th)
	}
}

// newToken returns a task token: long and random enough to be unguessable,
// drawn from the execution's seeded source so that replays agree.
func (x *Execution) newToken() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, 96)
	for i := range b {
		b[i] = alphabet[x.rnd.IntN(len(alphabet))]
	}
	return "AQB" + string(b)
}
