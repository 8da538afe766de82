package engine

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/store"
	"github.com/batonrun/baton/internal/value"
)

// Caller runs one AWS service's actions for Task states: action is the
// operation's name ("SendMessage"), input and output are the operation's
// JSON shapes with AWS's PascalCase member names, as the AWS SDKs send them
// over awsJson. An error with an ErrorCode() method (awsapi.Error has one)
// names the AWS error; any other error is the service's internal failure.
type Caller interface {
	Call(ctx context.Context, action string, input []byte) ([]byte, error)
}

// Integrations is the durable engine's Dispatcher for Step Functions'
// service integrations:
//
//   - arn:aws:states:::states:startExecution, with .sync, .sync:2 and
//     .waitForTaskToken: nested executions;
//   - arn:aws:states:::sqs:sendMessage, sns:publish and events:putEvents
//     (each also .waitForTaskToken): the optimized integrations;
//   - arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken] for
//     the services in Callers.
//
// Any other resource goes to Fallback, or fails as unsupported. Set Service
// before the engine starts; it is the Step Functions service that nested
// executions start through.
type Integrations struct {
	Service *Service
	// Callers are the other services, by the name aws-sdk resources use:
	// "sqs", "sns", "eventbridge", "lambda".
	Callers map[string]Caller
	// Fallback performs resources the integrations do not know; nil fails
	// them.
	Fallback Dispatcher
}

// optimized maps an optimized integration's service and action to the
// Caller and operation that run it.
var optimized = map[string]struct{ caller, action, errPrefix string }{
	"sqs:sendMessage": {"sqs", "SendMessage", "SQS"},
	"sns:publish":     {"sns", "Publish", "SNS"},
	"events:putEvents": {"eventbridge", "PutEvents", "EventBridge"},
}

// sdkNames are the PascalCase service names of aws-sdk errors
// ("Sqs.QueueDoesNotExistException").
var sdkNames = map[string]string{"sqs": "Sqs", "sns": "Sns", "eventbridge": "EventBridge", "lambda": "Lambda", "sfn": "Sfn"}

// Dispatch implements Dispatcher.
func (in *Integrations) Dispatch(ctx context.Context, executionARN string, t RunTask, report func(Signal)) {
	svc, action, pattern, ok := parseIntegration(t.Resource)
	if !ok {
		in.fallback(ctx, executionARN, t, report)
		return
	}
	switch {
	case svc == "states" && action == "startExecution":
		go in.startExecution(ctx, executionARN, t, pattern, report)
	case svc == "aws-sdk":
		service, op, _ := strings.Cut(action, ":")
		c := in.Callers[service]
		if c == nil || op == "" {
			in.fallback(ctx, executionARN, t, report)
			return
		}
		name := sdkNames[service]
		go in.call(ctx, c, upperFirst(op), t, pattern, report, func(code string) string {
			return name + "." + strings.TrimSuffix(code, "Exception") + "Exception"
		})
	default:
		o, ok := optimized[svc+":"+action]
		c := in.Callers[o.caller]
		if !ok || c == nil || (pattern != "" && pattern != "waitForTaskToken") {
			in.fallback(ctx, executionARN, t, report)
			return
		}
		go in.call(ctx, c, o.action, t, pattern, report, func(code string) string { return o.errPrefix + "." + code })
	}
}

func (in *Integrations) fallback(ctx context.Context, executionARN string, t RunTask, report func(Signal)) {
	if in.Fallback != nil {
		in.Fallback.Dispatch(ctx, executionARN, t, report)
		return
	}
	if isCallback(t.Resource) {
		// Nothing runs the call, but the task's token, which its scheduled
		// event shows, completes it.
		return
	}
	report(TaskFailed{ID: t.ID, Error: asl.ErrTaskFailed, Cause: fmt.Sprintf("%v: %s", ErrUnsupportedResource, t.Resource)})
}

// parseIntegration splits arn:aws:states:::svc:action[.pattern].
func parseIntegration(resource string) (svc, action, pattern string, ok bool) {
	rest, found := strings.CutPrefix(resource, "arn:aws:states:::")
	if !found {
		return "", "", "", false
	}
	svc, action, found = strings.Cut(rest, ":")
	if !found {
		return "", "", "", false
	}
	// The pattern follows the last dot: .sync, .sync:2, .waitForTaskToken.
	if i := strings.LastIndex(action, "."); i >= 0 {
		action, pattern = action[:i], action[i+1:]
	}
	return svc, action, pattern, true
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// errorCode returns the AWS error code an error carries, if any.
func errorCode(err error) (string, bool) {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		return coded.ErrorCode(), true
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code, true
	}
	return "", false
}

// errorMessage is the message of an AWS error without its code prefix.
func errorMessage(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Message
	}
	var m interface{ ErrorMessage() string }
	if errors.As(err, &m) {
		return m.ErrorMessage()
	}
	return err.Error()
}

// call runs one action of a Caller and reports its output, or its failure
// named by errName. With .waitForTaskToken only a failure is reported: the
// outcome comes with the token.
func (in *Integrations) call(ctx context.Context, c Caller, action string, t RunTask, pattern string, report func(Signal), errName func(code string) string) {
	input := value.Encode(t.Input)
	out, err := c.Call(ctx, action, input)
	if err != nil {
		if code, ok := errorCode(err); ok {
			report(TaskFailed{ID: t.ID, Error: errName(code), Cause: errorMessage(err)})
			return
		}
		report(TaskFailed{ID: t.ID, Error: asl.ErrTaskFailed, Cause: err.Error()})
		return
	}
	if pattern == "waitForTaskToken" {
		return
	}
	v, err := value.Decode(out)
	if err != nil {
		report(TaskFailed{ID: t.ID, Error: asl.ErrTaskFailed, Cause: fmt.Sprintf("decode %s output: %v", action, err)})
		return
	}
	report(TaskSucceeded{ID: t.ID, Output: v})
}

// startExecution runs states:startExecution: it starts the child
// execution (named from the task's idempotency key when the parameters name
// none, so that a task re-dispatched after a crash finds the execution it
// started before) and, for .sync and .sync:2, reports the child's outcome
// when it ends.
func (in *Integrations) startExecution(ctx context.Context, parentARN string, t RunTask, pattern string, report func(Signal)) {
	fail := func(name, cause string) { report(TaskFailed{ID: t.ID, Error: name, Cause: cause}) }
	if in.Service == nil {
		fail(asl.ErrTaskFailed, "states:startExecution: no Step Functions service")
		return
	}
	params, ok := t.Input.(*value.Object)
	if !ok {
		fail("States.Runtime", "states:startExecution: the parameters must be an object")
		return
	}
	str := func(k string) string {
		v, _ := params.Get(k)
		s, _ := v.(string)
		return s
	}
	req := &StartExecutionInput{StateMachineArn: str("StateMachineArn"), Name: str("Name")}
	if v, ok := params.Get("Input"); ok {
		text, isString := v.(string)
		if !isString {
			text = value.EncodeString(v)
		}
		req.Input = &text
	}
	if req.Name == "" {
		req.Name = childName(t.IdempotencyKey)
	}
	sfnErr := func(err error) {
		if code, ok := errorCode(err); ok {
			fail("StepFunctions."+strings.TrimSuffix(code, "Exception")+"Exception", errorMessage(err))
			return
		}
		fail(asl.ErrTaskFailed, err.Error())
	}
	sm, _, _, err := in.Service.resolveStateMachine(ctx, "StateMachineArn", req.StateMachineArn)
	if err != nil {
		sfnErr(err)
		return
	}
	if sm.Type == "EXPRESS" && (pattern == "sync" || pattern == "sync:2") {
		out, err := in.Service.StartSyncExecution(ctx, req)
		if err != nil {
			sfnErr(err)
			return
		}
		in.reportChild(t, pattern, &store.Execution{
			ARN: out.ExecutionArn, StateMachineARN: out.StateMachineArn, Name: out.Name, Status: out.Status,
			StartDate: time.Time(out.StartDate), StopDate: time.Time(out.StopDate), Input: out.Input,
			Output: derefString(out.Output), Error: out.Error, Cause: out.Cause,
		}, report)
		return
	}
	started, err := in.Service.StartExecution(ctx, req)
	var childARN string
	switch {
	case err == nil:
		childARN = started.ExecutionArn
	case apiErrCode(err) == "ExecutionAlreadyExists":
		// A re-dispatch after a crash: the child started then is ours when
		// its input is the same.
		arn := in.Service.arn("execution", sm.Name+":"+req.Name)
		cur, gerr := in.Service.st.GetExecution(ctx, arn)
		if gerr != nil || req.Input == nil || cur.Input != *req.Input {
			sfnErr(err)
			return
		}
		childARN, started = arn, &StartExecutionOutput{ExecutionArn: arn, StartDate: Epoch(cur.StartDate)}
	default:
		sfnErr(err)
		return
	}
	switch pattern {
	case "", "waitForTaskToken":
		if pattern == "" {
			o := value.ObjectOf("ExecutionArn", started.ExecutionArn, "StartDate", formatSDKTime(time.Time(started.StartDate)))
			report(TaskSucceeded{ID: t.ID, Output: o})
		}
		return
	case "sync", "sync:2":
	default:
		fail(asl.ErrTaskFailed, fmt.Sprintf("%v: %s", ErrUnsupportedResource, t.Resource))
		return
	}
	eng := in.Service.eng
	for {
		ended := eng.endedChan(childARN)
		rec, err := in.Service.st.GetExecution(ctx, childARN)
		if err != nil {
			if ctx.Err() == nil {
				fail(asl.ErrTaskFailed, err.Error())
			}
			return
		}
		if rec.Status != store.StatusRunning {
			in.reportChild(t, pattern, rec, report)
			return
		}
		select {
		case <-ended:
		case <-ctx.Done():
			// The engine stops; the task is re-dispatched when it starts
			// again, and finds the child by its name.
			return
		}
	}
}

// reportChild reports a finished child execution as .sync (payloads as
// text) or .sync:2 (payloads as JSON) describes it: the output when it
// succeeded, else a failure whose cause is that description.
func (in *Integrations) reportChild(t RunTask, pattern string, rec *store.Execution, report func(Signal)) {
	o := value.NewObject(12)
	o.Set("ExecutionArn", rec.ARN)
	payload := func(text string) any {
		if pattern == "sync:2" {
			if v, err := value.DecodeString(text); err == nil {
				return v
			}
		}
		return text
	}
	o.Set("Input", payload(rec.Input))
	o.Set("InputDetails", value.ObjectOf("Included", true))
	o.Set("Name", rec.Name)
	if rec.Status == store.StatusSucceeded {
		o.Set("Output", payload(rec.Output))
		o.Set("OutputDetails", value.ObjectOf("Included", true))
	}
	o.Set("StartDate", formatSDKTime(rec.StartDate))
	o.Set("StateMachineArn", rec.StateMachineARN)
	o.Set("Status", rec.Status)
	o.Set("StopDate", formatSDKTime(rec.StopDate))
	if rec.Status == store.StatusSucceeded {
		report(TaskSucceeded{ID: t.ID, Output: o})
		return
	}
	if rec.Error != "" {
		o.Set("Error", rec.Error)
	}
	if rec.Cause != "" {
		o.Set("Cause", rec.Cause)
	}
	name := "States.TaskFailed"
	switch rec.Status {
	case store.StatusTimedOut:
		name = "States.Timeout"
	case store.StatusAborted:
		name = "States.TaskFailed"
	}
	report(TaskFailed{ID: t.ID, Error: name, Cause: value.EncodeString(o)})
}

// childName makes an execution name from a task's idempotency key: the
// same key gives the same name, shaped as the UUID AWS would give.
func childName(key string) string {
	h := sha256.Sum256([]byte(key))
	b := h[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// formatSDKTime is how a date appears in an integration's output: the
// milliseconds since the epoch, as the AWS Java SDK that Step Functions
// uses serializes it.
func formatSDKTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return float64(t.UnixMilli())
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
