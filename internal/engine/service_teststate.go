package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/value"
)

// This file holds TestState: one state run in isolation. The state is
// wrapped in a state machine of its own, whose transition targets are
// Succeed stubs, and run in memory with Run, the same interpreter that runs
// executions. The wrapper differs from the state as written in three ways,
// each undone when the result is read:
//   - Retry is removed: TestState reports a matching retrier as RETRIABLE
//     (with the back-off the retry would wait) instead of retrying;
//   - each catcher assigns two extra variables, which tell that the state
//     exited through that catcher and with which error;
//   - a mocked Map or Parallel state becomes a Task with the same data flow
//     fields, whose task returns the mock.
// Input variables come in through a Pass state before the tested one. The
// inspection stages (afterInputPath, afterParameters, ...) are evaluated
// separately with the asl package's pipeline functions.

// testStateName is the name a state tested on its own gets, as on AWS.
const testStateName = "StateName"

// Variables the wrapper's catchers assign; the leading '_' keeps them apart
// from what definitions usually name their variables.
const (
	testCatchVar = "_batonTestStateCatch"
	testErrorVar = "_batonTestStateError"
	testVarsName = "_BatonTestStateVariables"
)

// testMockResource is the Resource of the Task that stands in for a mocked
// Map or Parallel state.
const testMockResource = "arn:aws:states:::baton:testState.mock"

// testMaxEvents bounds the wrapper's history: a state whose transition loops
// back to itself would otherwise run until the history limit.
const testMaxEvents = 500

// MockErrorOutput is a mocked task error.
type MockErrorOutput struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// MockInput is TestState's mock: the result or the error of the state's
// task (or of the whole Map or Parallel state).
type MockInput struct {
	Result              *string          `json:"result,omitempty"`
	ErrorOutput         *MockErrorOutput `json:"errorOutput,omitempty"`
	FieldValidationMode string           `json:"fieldValidationMode,omitempty"`
}

// TestStateConfiguration is TestState's stateConfiguration.
type TestStateConfiguration struct {
	ErrorCausedByState       string  `json:"errorCausedByState,omitempty"`
	MapItemReaderData        *string `json:"mapItemReaderData,omitempty"`
	MapIterationFailureCount *int    `json:"mapIterationFailureCount,omitempty"`
	RetrierRetryCount        *int    `json:"retrierRetryCount,omitempty"`
}

// TestStateInput is the TestState request.
type TestStateInput struct {
	Definition         string                  `json:"definition"`
	RoleArn            string                  `json:"roleArn,omitempty"`
	Input              *string                 `json:"input,omitempty"`
	InspectionLevel    string                  `json:"inspectionLevel,omitempty"`
	RevealSecrets      bool                    `json:"revealSecrets"`
	StateName          string                  `json:"stateName,omitempty"`
	Variables          *string                 `json:"variables,omitempty"`
	Context            *string                 `json:"context,omitempty"`
	Mock               *MockInput              `json:"mock,omitempty"`
	StateConfiguration *TestStateConfiguration `json:"stateConfiguration,omitempty"`
}

// InspectionErrorDetails says which catcher or retrier handled an error.
type InspectionErrorDetails struct {
	CatchIndex                  *int `json:"catchIndex,omitempty"`
	RetryIndex                  *int `json:"retryIndex,omitempty"`
	RetryBackoffIntervalSeconds *int `json:"retryBackoffIntervalSeconds,omitempty"`
}

// InspectionData is the data flow of a tested state, each stage as JSON
// text.
type InspectionData struct {
	Input                      *string                 `json:"input,omitempty"`
	AfterInputPath             *string                 `json:"afterInputPath,omitempty"`
	AfterParameters            *string                 `json:"afterParameters,omitempty"`
	AfterArguments             *string                 `json:"afterArguments,omitempty"`
	AfterItemsPath             *string                 `json:"afterItemsPath,omitempty"`
	Result                     *string                 `json:"result,omitempty"`
	AfterResultSelector        *string                 `json:"afterResultSelector,omitempty"`
	AfterResultPath            *string                 `json:"afterResultPath,omitempty"`
	Variables                  *string                 `json:"variables,omitempty"`
	MaxConcurrency             *int                    `json:"maxConcurrency,omitempty"`
	ToleratedFailureCount      *int                    `json:"toleratedFailureCount,omitempty"`
	ToleratedFailurePercentage *float64                `json:"toleratedFailurePercentage,omitempty"`
	ErrorDetails               *InspectionErrorDetails `json:"errorDetails,omitempty"`
}

// TestStateOutput is the TestState response.
type TestStateOutput struct {
	Status         string          `json:"status"`
	Output         *string         `json:"output,omitempty"`
	Error          string          `json:"error,omitempty"`
	Cause          string          `json:"cause,omitempty"`
	NextState      string          `json:"nextState,omitempty"`
	InspectionData *InspectionData `json:"inspectionData,omitempty"`
}

// TestState statuses.
const (
	testSucceeded   = "SUCCEEDED"
	testFailed      = "FAILED"
	testCaughtError = "CAUGHT_ERROR"
	testRetriable   = "RETRIABLE"
)

// testedState is the state under test: its JSON as written, its parsed
// form and its name.
type testedState struct {
	name string
	raw  *value.Object
	st   *asl.State
}

func jsonText(v any) *string {
	s := value.EncodeString(v)
	return &s
}

// TestState runs one state in isolation and reports its outcome: SUCCEEDED
// with its output and next state, CAUGHT_ERROR when a catcher handled a
// failure, RETRIABLE when a retrier would retry it, FAILED otherwise. Tasks
// are not performed: a Task, Map or Parallel state's work comes from the
// mock, and a Task without a mock fails with States.TaskFailed.
func (s *Service) TestState(ctx context.Context, in *TestStateInput) (*TestStateOutput, error) {
	level := in.InspectionLevel
	if level == "" {
		level = "INFO"
	}
	if level != "INFO" && level != "DEBUG" && level != "TRACE" {
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%s' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]", level)
	}
	ts, err := s.testedState(in.Definition, in.StateName)
	if err != nil {
		return nil, err
	}
	mockResult, err := s.checkTestRequest(in, ts.st)
	if err != nil {
		return nil, err
	}
	inputText, err := s.checkInput(in.Input)
	if err != nil {
		return nil, err
	}
	input, _ := value.DecodeString(inputText)
	vars, err := testVariables(in.Variables)
	if err != nil {
		return nil, err
	}
	var userCtx *value.Object
	if in.Context != nil {
		c, err := value.DecodeString(*in.Context)
		o, ok := c.(*value.Object)
		if err != nil || !ok {
			return nil, apiErr("ValidationException", "The context must be a JSON object")
		}
		userCtx = o
	}

	wrapper := testWrapper(ts, vars, in.Mock != nil)
	def, err := asl.Parse(value.Encode(wrapper))
	if err != nil {
		return nil, apiErr("InvalidDefinition", "%v", err)
	}
	info := s.testInfo(in.RoleArn, input, userCtx)
	var (
		taskInput  any
		taskResult any
		dispatched bool
		succeeded  bool
	)
	handler := TaskHandlerFunc(func(_ context.Context, t RunTask) (any, error) {
		if t.StateName == ts.name && !dispatched {
			dispatched, taskInput = true, t.Input
		}
		switch {
		case in.Mock != nil && in.Mock.ErrorOutput != nil:
			return nil, &asl.Failure{Name: in.Mock.ErrorOutput.Error, Cause: in.Mock.ErrorOutput.Cause}
		case in.Mock != nil:
			if t.StateName == ts.name && !succeeded {
				succeeded, taskResult = true, value.Clone(mockResult)
			}
			return value.Clone(mockResult), nil
		default:
			return nil, &asl.Failure{Name: asl.ErrTaskFailed, Cause: fmt.Sprintf(
				"Baton's TestState does not call %s; give a mock to set the task's result or error", t.Resource)}
		}
	})
	limits := s.eng.cfg.Limits
	limits.MaxHistoryEvents = testMaxEvents
	res, err := Run(ctx, def, input, RunOptions{
		Info: info, Handler: handler, Limits: limits, MaxSteps: 10 * testMaxEvents,
		Rand: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
	})
	if err != nil {
		return nil, fmt.Errorf("test state: %w", err)
	}
	out, assigned, enteredAt := testOutcome(ts, res)
	retryCount := 0
	if c := in.StateConfiguration; c != nil && c.RetrierRetryCount != nil {
		retryCount = *c.RetrierRetryCount
	}
	var details *InspectionErrorDetails
	if out.Status == testFailed || out.Status == testCaughtError {
		if i, backoff, ok := retriable(ts.st, &asl.Failure{Name: out.Error, Cause: out.Cause}, retryCount); ok {
			out.Status, out.Output, out.NextState = testRetriable, nil, ""
			details = &InspectionErrorDetails{RetryIndex: &i, RetryBackoffIntervalSeconds: &backoff}
		}
	}
	if out.Status == testCaughtError {
		if i, ok := catchIndex(assigned); ok {
			details = &InspectionErrorDetails{CatchIndex: &i}
		}
	}
	if level != "INFO" {
		ctxObj := any(userCtx)
		if userCtx == nil {
			ctxObj = testContextObject(info, ts, input, enteredAt)
		}
		stages := testStages{input: input, ctx: ctxObj, vars: vars, taskInput: taskInput, dispatched: dispatched,
			result: taskResult, hasResult: succeeded}
		data := stages.inspect(ts.st)
		data.ErrorDetails = details
		if all := testVisibleVariables(vars, assigned); all.Len() > 0 {
			data.Variables = jsonText(all)
		}
		out.InspectionData = data
	}
	return out, nil
}

// testedState finds the state a TestState request tests and validates its
// definition: a single state, or, with stateName, a whole state machine. A
// single state that has neither Next nor End (and needs one) is tested as
// if it had End: true.
func (s *Service) testedState(definition, stateName string) (*testedState, error) {
	if strings.TrimSpace(definition) == "" {
		return nil, apiErr("ValidationException", "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must not be empty")
	}
	v, err := value.DecodeString(definition)
	if err != nil {
		return nil, apiErr("InvalidDefinition", "Invalid State Machine Definition: '%v'", err)
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, apiErr("InvalidDefinition", "Invalid State Machine Definition: the definition must be a JSON object")
	}
	if stateName != "" || (o.Has("States") && o.Has("StartAt")) {
		if err := s.checkDefinition(definition); err != nil {
			return nil, err
		}
		def, _ := asl.Parse([]byte(definition))
		if stateName == "" {
			stateName = def.StartAt
		}
		st := findState(&def.Branch, stateName)
		raw := findRawState(o, stateName)
		if st == nil || raw == nil {
			return nil, apiErr("ValidationException", "The state '%s' does not exist in the definition", stateName)
		}
		return &testedState{name: stateName, raw: raw, st: st}, nil
	}
	raw := o.ShallowCopy()
	if typ, _ := raw.Get("Type"); typ != "Choice" && typ != "Succeed" && typ != "Fail" && !raw.Has("Next") && !raw.Has("End") {
		raw.Set("End", true)
	}
	states := value.NewObject(4)
	states.Set(testStateName, raw)
	for _, t := range rawTargets(raw) {
		if t != testStateName {
			states.Set(t, value.ObjectOf("Type", "Succeed"))
		}
	}
	machine := value.ObjectOf("StartAt", testStateName, "States", states)
	if err := s.checkDefinition(value.EncodeString(machine)); err != nil {
		return nil, err
	}
	def, _ := asl.Parse(value.Encode(machine))
	return &testedState{name: testStateName, raw: raw, st: def.States[testStateName]}, nil
}

// findRawState finds a state's JSON by name in a state machine's or
// branch's JSON, looking into Parallel branches and Map item processors.
func findRawState(branch *value.Object, name string) *value.Object {
	sv, _ := branch.Get("States")
	states, ok := sv.(*value.Object)
	if !ok {
		return nil
	}
	if v, ok := states.Get(name); ok {
		o, _ := v.(*value.Object)
		return o
	}
	for _, m := range states.Members() {
		st, ok := m.Value.(*value.Object)
		if !ok {
			continue
		}
		if bs, ok := st.Get("Branches"); ok {
			arr, _ := bs.([]any)
			for _, b := range arr {
				if bo, ok := b.(*value.Object); ok {
					if f := findRawState(bo, name); f != nil {
						return f
					}
				}
			}
		}
		for _, k := range []string{"ItemProcessor", "Iterator"} {
			if p, ok := st.Get(k); ok {
				if po, ok := p.(*value.Object); ok {
					if f := findRawState(po, name); f != nil {
						return f
					}
				}
			}
		}
	}
	return nil
}

// rawTargets lists the states a state's JSON transitions to.
func rawTargets(st *value.Object) []string {
	var out []string
	add := func(v any) {
		if s, ok := v.(string); ok && s != "" {
			for _, t := range out {
				if t == s {
					return
				}
			}
			out = append(out, s)
		}
	}
	n, _ := st.Get("Next")
	add(n)
	d, _ := st.Get("Default")
	add(d)
	for _, k := range []string{"Choices", "Catch"} {
		v, _ := st.Get(k)
		arr, _ := v.([]any)
		for _, e := range arr {
			if o, ok := e.(*value.Object); ok {
				nx, _ := o.Get("Next")
				add(nx)
			}
		}
	}
	return out
}

// checkTestRequest applies TestState's rules on mocks, roles and state
// configuration, and returns the mocked result.
func (s *Service) checkTestRequest(in *TestStateInput, st *asl.State) (any, error) {
	if in.RoleArn != "" && !strings.HasPrefix(in.RoleArn, "arn:") {
		return nil, apiErr("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: %s' (roleArn)", in.RoleArn)
	}
	if in.Context != nil && in.Mock == nil {
		return nil, apiErr("ValidationException", "A context may only be specified together with a mock")
	}
	if c := in.StateConfiguration; c != nil {
		if c.RetrierRetryCount != nil && *c.RetrierRetryCount < 0 {
			return nil, apiErr("ValidationException", "1 validation error detected: Value '%d' at 'stateConfiguration.retrierRetryCount' failed to satisfy constraint: Member must have value greater than or equal to 0", *c.RetrierRetryCount)
		}
		if c.MapIterationFailureCount != nil && *c.MapIterationFailureCount < 0 {
			return nil, apiErr("ValidationException", "1 validation error detected: Value '%d' at 'stateConfiguration.mapIterationFailureCount' failed to satisfy constraint: Member must have value greater than or equal to 0", *c.MapIterationFailureCount)
		}
	}
	isTask := st.Type == asl.TypeTask
	if in.Mock == nil {
		switch {
		case st.Type == asl.TypeMap || st.Type == asl.TypeParallel:
			return nil, apiErr("ValidationException", "A %s state can only be tested with a mock", st.Type)
		case isTask && (isActivity(st.Resource) || isCallback(st.Resource) || strings.HasSuffix(st.Resource, ".sync") || strings.Contains(st.Resource, ".sync:")):
			return nil, apiErr("ValidationException", "Activity tasks and the .sync and .waitForTaskToken integration patterns can only be tested with a mock")
		case isTask && in.RoleArn == "":
			return nil, apiErr("ValidationException", "RoleArn must be specified when testing a Task state")
		}
		return nil, nil
	}
	m := in.Mock
	if !isTask && st.Type != asl.TypeMap && st.Type != asl.TypeParallel {
		return nil, apiErr("ValidationException", "A mock can only be specified for Task, Map, or Parallel states; '%s' is a %s state", st.Name, st.Type)
	}
	switch m.FieldValidationMode {
	case "", "STRICT", "PRESENT", "NONE":
	default:
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%s' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]", m.FieldValidationMode)
	}
	if (m.Result == nil) == (m.ErrorOutput == nil) {
		return nil, apiErr("ValidationException", "A mock must specify exactly one of result and errorOutput")
	}
	if m.Result == nil {
		return nil, nil
	}
	v, err := value.DecodeString(*m.Result)
	if err != nil {
		return nil, apiErr("ValidationException", "The mock result is not valid JSON: %v", err)
	}
	return v, nil
}

// testVariables reads TestState's variables: a JSON object of variable
// names to values.
func testVariables(text *string) (*value.Object, error) {
	if text == nil {
		return value.NewObject(0), nil
	}
	v, err := value.DecodeString(*text)
	o, ok := v.(*value.Object)
	if err != nil || !ok {
		return nil, apiErr("ValidationException", "The variables must be a JSON object")
	}
	for _, m := range o.Members() {
		if !testVariableName(m.Key) {
			return nil, apiErr("ValidationException", "The variable name '%s' is invalid: it must start with a letter or '_' and contain only letters, digits, '_' and '-'", m.Key)
		}
	}
	return o, nil
}

func testVariableName(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '-')) {
			return false
		}
	}
	return true
}

// testWrapper builds the state machine TestState runs: the tested state
// (without Retry, with marked catchers, a mocked Map or Parallel turned
// into a Task), a Succeed stub for each state it transitions to, and, when
// there are input variables, a Pass state before it that assigns them.
func testWrapper(ts *testedState, vars *value.Object, mocked bool) *value.Object {
	lang := ts.st.QueryLanguage
	var st *value.Object
	if mocked && (ts.st.Type == asl.TypeMap || ts.st.Type == asl.TypeParallel) {
		st = mockedGroupAsTask(ts.raw, ts.st.Type, lang)
	} else {
		st = ts.raw.ShallowCopy()
	}
	st.Set("QueryLanguage", lang)
	st.Delete("Retry")
	if cv, ok := st.Get("Catch"); ok {
		if arr, ok := cv.([]any); ok {
			marked := make([]any, len(arr))
			for i, c := range arr {
				co, ok := c.(*value.Object)
				if !ok {
					marked[i] = c
					continue
				}
				co = co.ShallowCopy()
				assign := value.NewObject(2)
				if av, ok := co.Get("Assign"); ok {
					if ao, ok := av.(*value.Object); ok {
						assign = ao.ShallowCopy()
					}
				}
				assign.Set(testCatchVar, float64(i))
				if lang == asl.JSONata {
					assign.Set(testErrorVar, "{% $states.errorOutput %}")
				} else {
					assign.Set(testErrorVar+".$", "$")
				}
				co.Set("Assign", assign)
				marked[i] = co
			}
			st.Set("Catch", marked)
		}
	}
	states := value.NewObject(4)
	start := ts.name
	if vars.Len() > 0 {
		start = testVarsName
		assign := value.NewObject(vars.Len())
		for _, m := range vars.Members() {
			assign.Set(m.Key+".$", "$['"+m.Key+"']")
		}
		states.Set(testVarsName, value.ObjectOf("Type", "Pass", "QueryLanguage", asl.JSONPath,
			"Result", vars, "Assign", assign, "ResultPath", nil, "Next", ts.name))
	}
	states.Set(ts.name, st)
	for _, t := range rawTargets(st) {
		if t != ts.name && t != testVarsName {
			states.Set(t, value.ObjectOf("Type", "Succeed", "QueryLanguage", asl.JSONPath))
		}
	}
	return value.ObjectOf("StartAt", start, "States", states)
}

// mockedGroupAsTask turns a Map or Parallel state into a Task with the same
// data flow fields, whose task TestState's handler answers with the mock.
func mockedGroupAsTask(raw *value.Object, typ, lang string) *value.Object {
	keep := []string{"Comment", "Next", "End", "Assign", "Catch"}
	switch {
	case lang == asl.JSONata && typ == asl.TypeParallel:
		keep = append(keep, "Arguments", "Output")
	case lang == asl.JSONata:
		keep = append(keep, "Output")
	case typ == asl.TypeParallel:
		keep = append(keep, "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath")
	default:
		keep = append(keep, "InputPath", "OutputPath", "ResultSelector", "ResultPath")
	}
	t := value.ObjectOf("Type", asl.TypeTask, "Resource", testMockResource)
	for _, k := range keep {
		if v, ok := raw.Get(k); ok {
			t.Set(k, v)
		}
	}
	return t
}

// testInfo identifies TestState's execution: an Express-style execution of
// a state machine of its own, as AWS's context object shows. A context
// given with the request overrides what it names.
func (s *Service) testInfo(roleARN string, input any, userCtx *value.Object) Info {
	machine := "TestState-" + newExecutionName()
	name := newExecutionName()
	info := Info{
		ExecutionARN: fmt.Sprintf("arn:%s:states:%s:%s:express:%s:%s", s.cfg.Partition, s.cfg.Region, s.cfg.Account, machine, name),
		Name:         name, StateMachineARN: s.arn("stateMachine", machine), StateMachineName: machine,
		RoleARN: roleARN, StartTime: s.eng.clk.Now(),
	}
	if userCtx == nil {
		return info
	}
	str := func(o any, key string) (string, bool) {
		oo, _ := o.(*value.Object)
		v, _ := oo.Get(key)
		sv, ok := v.(string)
		return sv, ok
	}
	exec, _ := userCtx.Get("Execution")
	if v, ok := str(exec, "Id"); ok {
		info.ExecutionARN = v
	}
	if v, ok := str(exec, "Name"); ok {
		info.Name = v
	}
	if v, ok := str(exec, "RoleArn"); ok {
		info.RoleARN = v
	}
	if v, ok := str(exec, "StartTime"); ok {
		if t, err := asl.ParseTimestamp(v); err == nil {
			info.StartTime = t
		}
	}
	sm, _ := userCtx.Get("StateMachine")
	if v, ok := str(sm, "Id"); ok {
		info.StateMachineARN = v
	}
	if v, ok := str(sm, "Name"); ok {
		info.StateMachineName = v
	}
	return info
}

// testContextObject is the context object the tested state saw, for the
// inspection stages.
func testContextObject(info Info, ts *testedState, input any, enteredAt time.Time) any {
	exec := value.NewObject(6)
	exec.Set("Id", info.ExecutionARN)
	exec.Set("Input", input)
	exec.Set("StartTime", formatTime(info.StartTime))
	exec.Set("Name", info.Name)
	exec.Set("RoleArn", info.RoleARN)
	exec.Set("RedriveCount", float64(0))
	state := value.NewObject(3)
	state.Set("Name", ts.name)
	state.Set("EnteredTime", formatTime(enteredAt))
	if t := ts.st.Type; t == asl.TypeTask || t == asl.TypeParallel || t == asl.TypeMap {
		state.Set("RetryCount", float64(0))
	}
	return value.ObjectOf("Execution", exec,
		"StateMachine", value.ObjectOf("Id", info.StateMachineARN, "Name", info.StateMachineName),
		"State", state)
}

// testOutcome reads the run's history: the tested state's exit (its output,
// the variables it assigned, whether a catcher handled a failure) and the
// state entered next. A state that never exited failed the run.
func testOutcome(ts *testedState, res *Result) (out *TestStateOutput, assigned *value.Object, enteredAt time.Time) {
	str := func(d *value.Object, key string) string {
		v, _ := d.Get(key)
		s, _ := v.(string)
		return s
	}
	entered, exited := -1, -1
	for i, ev := range res.Events {
		switch {
		case entered < 0 && strings.HasSuffix(ev.Type, "StateEntered") && str(ev.Details, "name") == ts.name:
			entered, enteredAt = i, ev.Timestamp
		case entered >= 0 && strings.HasSuffix(ev.Type, "StateExited") && str(ev.Details, "name") == ts.name:
			exited = i
		}
		if exited >= 0 {
			break
		}
	}
	if exited < 0 {
		return &TestStateOutput{Status: testFailed, Error: res.Error, Cause: res.Cause}, nil, enteredAt
	}
	d := res.Events[exited].Render()
	output := str(d, "output")
	out = &TestStateOutput{Status: testSucceeded, Output: &output}
	for _, ev := range res.Events[exited+1:] {
		if strings.HasSuffix(ev.Type, "StateEntered") {
			out.NextState = str(ev.Details, "name")
			break
		}
	}
	assigned = value.NewObject(0)
	if av, ok := d.Get("assignedVariables"); ok {
		if ao, ok := av.(*value.Object); ok {
			for _, m := range ao.Members() {
				text, _ := m.Value.(string)
				if v, err := value.DecodeString(text); err == nil {
					assigned.Set(m.Key, v)
				}
			}
		}
	}
	if ev, ok := assigned.Get(testErrorVar); ok {
		out.Status = testCaughtError
		if eo, ok := ev.(*value.Object); ok {
			out.Error, out.Cause = str(eo, "Error"), str(eo, "Cause")
		}
	}
	return out, assigned, enteredAt
}

// catchIndex reads which catcher handled the failure.
func catchIndex(assigned *value.Object) (int, bool) {
	v, ok := assigned.Get(testCatchVar)
	f, isNum := v.(float64)
	return int(f), ok && isNum
}

// testVisibleVariables are the variables after the state: the input
// variables with what the state assigned, without the wrapper's own.
func testVisibleVariables(vars, assigned *value.Object) *value.Object {
	all := vars.ShallowCopy()
	for _, m := range assigned.Members() {
		if m.Key != testCatchVar && m.Key != testErrorVar {
			all.Set(m.Key, m.Value)
		}
	}
	return all
}

// retriable reports whether the state's retriers would retry failure f
// after retryCount retries: the first retrier that matches decides, as in
// an execution. It returns the retrier's index and the back-off in whole
// seconds (before jitter).
func retriable(st *asl.State, f *asl.Failure, retryCount int) (index, backoff int, ok bool) {
	for i, r := range st.Retry {
		if !f.Matches(r.ErrorEquals) {
			continue
		}
		if retryCount >= r.MaxAttempts {
			return 0, 0, false
		}
		delay := float64(r.IntervalSeconds) * math.Pow(r.BackoffRate, float64(retryCount))
		if r.MaxDelaySeconds > 0 && delay > float64(r.MaxDelaySeconds) {
			delay = float64(r.MaxDelaySeconds)
		}
		return i, int(delay), true
	}
	return 0, 0, false
}

// testStages evaluates a tested state's data flow for inspection, with the
// asl package's pipeline functions. The task's input and result come from
// the run.
type testStages struct {
	input      any
	ctx        any
	vars       *value.Object
	taskInput  any
	dispatched bool
	result     any
	hasResult  bool
}

// inspect returns the stages AWS reports for the state's type, up to the
// first one that fails.
func (t *testStages) inspect(st *asl.State) *InspectionData {
	data := &InspectionData{Input: jsonText(t.input)}
	if st.Type == asl.TypeMap {
		mc := 0
		if v, ok := literal(st.MaxConcurrency); ok {
			mc = int(v)
		}
		data.MaxConcurrency = &mc
		if v, ok := literal(st.ToleratedFailureCount); ok {
			n := int(v)
			data.ToleratedFailureCount = &n
		}
		if v, ok := literal(st.ToleratedFailurePercentage); ok {
			data.ToleratedFailurePercentage = &v
		}
	}
	if st.QueryLanguage == asl.JSONata {
		if t.dispatched && st.Type != asl.TypeMap {
			data.AfterArguments = jsonText(t.taskInput)
		}
		if t.hasResult {
			data.Result = jsonText(t.result)
		}
		return data
	}
	scope := asl.NewVars(nil)
	for _, m := range t.vars.Members() {
		scope.Set(m.Key, m.Value)
	}
	env := &asl.Env{Input: t.input, Context: func() any { return t.ctx }, Vars: scope}
	if st.Type == asl.TypePass && st.HasResult {
		data.Result = jsonText(st.Result)
		data.AfterResultSelector = data.Result
		if merged, err := st.ApplyResultPath(t.input, st.Result); err == nil {
			data.AfterResultPath = jsonText(merged)
		}
		return data
	}
	eff, err := st.SelectInput(t.input, env)
	if err != nil {
		return data
	}
	data.AfterInputPath = jsonText(eff)
	var result any
	switch st.Type {
	case asl.TypePass:
		if result, err = st.ApplyParameters(eff, env); err != nil {
			return data
		}
		data.AfterParameters = jsonText(result)
	case asl.TypeTask, asl.TypeParallel:
		params := t.taskInput
		if !t.dispatched {
			if params, err = st.ApplyParameters(eff, env); err != nil {
				return data
			}
		}
		data.AfterParameters = jsonText(params)
		if !t.hasResult {
			return data
		}
		result = t.result
		data.Result = jsonText(result)
	case asl.TypeMap:
		items := eff
		if st.ItemsPath != nil {
			if items, err = st.ItemsPath.Get(&asl.Env{Input: eff, Context: env.Context, Vars: scope}); err != nil {
				return data
			}
		}
		data.AfterItemsPath = jsonText(items)
		if !t.hasResult {
			return data
		}
		result = t.result
		data.Result = jsonText(result)
	default:
		// Choice, Wait, Succeed and Fail only select their input.
		return data
	}
	if st.Type != asl.TypePass {
		if result, err = st.ApplyResultSelector(result, &asl.Env{Input: result, Context: env.Context, Vars: scope}); err != nil {
			return data
		}
	}
	data.AfterResultSelector = jsonText(result)
	merged, err := st.ApplyResultPath(t.input, result)
	if err != nil {
		return data
	}
	data.AfterResultPath = jsonText(merged)
	return data
}
