package engine

import (
	"fmt"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/value"
)

// This file runs states written in JSONata: Arguments and Output replace
// the five JSONPath fields, and expressions read $states.

// statesVar builds $states: input, result (when there is one), errorOutput
// (in a catcher) and context.
func (x *Execution) statesVar(th *thread, input, result, errOut any, ctx any) *value.Object {
	s := value.NewObject(4)
	s.Set("input", input)
	if result != nil {
		s.Set("result", result)
	}
	if errOut != nil {
		s.Set("errorOutput", errOut)
	}
	if ctx == nil {
		ctx = x.contextObject(th, nil)
	}
	s.Set("context", ctx)
	return s
}

// resultMarker distinguishes "no result" from a null result in jsonataEnv.
type noResult struct{}

// jsonataEnv is the environment of a JSONata state's expressions.
func (x *Execution) jsonataEnv(th *thread, input, result, errOut any) *asl.Env {
	env := x.env(th, input)
	if _, none := result.(noResult); none {
		result = nil
	}
	env.States = x.statesVar(th, input, result, errOut, nil)
	return env
}

func (x *Execution) evalJSONata(th *thread, j *asl.Jsonata, env *asl.Env, field string) (any, error) {
	if env.States == nil {
		env.States = x.statesVar(th, th.raw, nil, nil, nil)
	}
	return j.EvalField(env, field)
}

func (x *Execution) runJSONata(th *thread) error {
	st := th.st
	env := x.jsonataEnv(th, th.raw, noResult{}, nil)
	th.eff = th.raw
	switch st.Type {
	case asl.TypePass:
		return x.finishJSONata(th, noResult{})
	case asl.TypeTask:
		x.prepareTask(th)
		env = x.jsonataEnv(th, th.raw, noResult{}, nil)
		input := th.raw
		if st.Arguments != nil {
			v, err := st.Arguments.Eval(env)
			if err != nil {
				return err
			}
			input = v
		}
		return x.dispatchTask(th, input)
	case asl.TypeChoice:
		for _, r := range st.Choices {
			ok, err := r.Eval(env)
			if err != nil {
				return err
			}
			if ok {
				return x.chooseJSONata(th, env, r.Next, r.Assign, r.Output)
			}
		}
		if st.Default == "" {
			return &asl.Failure{Name: asl.ErrNoChoiceMatched, Cause: "No Matches!"}
		}
		return x.chooseJSONata(th, env, st.Default, nil, nil)
	case asl.TypeWait:
		return x.runWait(th, th.raw)
	case asl.TypeSucceed:
		out, err := x.jsonataOutput(th, th.raw, noResult{}, nil)
		if err != nil {
			return err
		}
		x.exitState(th, out, nil, "")
		return nil
	case asl.TypeFail:
		return x.runFail(th, env)
	case asl.TypeParallel:
		input := th.raw
		if st.Arguments != nil {
			v, err := st.Arguments.Eval(env)
			if err != nil {
				return err
			}
			input = v
		}
		return x.startParallel(th, input)
	case asl.TypeMap:
		var items any = th.raw
		if st.Items != nil {
			v, err := st.Items.Eval(env)
			if err != nil {
				return err
			}
			items = v
		}
		arr, ok := items.([]any)
		if !ok {
			return x.itemsTypeError(st, items)
		}
		return x.runMap(th, arr, env)
	}
	return fmt.Errorf("unknown state type %s", st.Type)
}

// itemsTypeError is the failure for a Map whose items are not an array.
func (x *Execution) itemsTypeError(st *asl.State, items any) error {
	if j := st.Items.JSONataSource(); j != nil {
		if asl.IsFunctionValue(items) {
			return &asl.Failure{Name: asl.ErrQueryEvaluationError, Location: "Items", Cause: fmt.Sprintf(
				"The JSONata expression '%s' specified for the field 'Items' returned an unsupported result type.", j.Expr)}
		}
		return &asl.Failure{Name: asl.ErrQueryEvaluationError, Location: "Items", Cause: fmt.Sprintf(
			"The JSONata expression '%s' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '%s' for value: %s",
			j.Expr, value.TypeName(items), value.EncodeString(items))}
	}
	return &asl.Failure{Name: asl.ErrQueryEvaluationError, Cause: fmt.Sprintf(
		"Map state input must be an array but was: %s", value.EncodeString(items))}
}

func (x *Execution) chooseJSONata(th *thread, env *asl.Env, next string, ruleAssign, ruleOutput *asl.Template) error {
	st := th.st
	assign := st.Assign
	if ruleAssign != nil {
		assign = ruleAssign
	}
	assigned, err := asl.EvalAssign(assign, env)
	if err != nil {
		return err
	}
	var out any = th.raw
	switch {
	case ruleOutput != nil:
		if out, err = ruleOutput.Eval(env); err != nil {
			return err
		}
	case st.Output != nil:
		if out, err = st.Output.Eval(env); err != nil {
			return err
		}
	}
	x.assign(th, assigned)
	x.exitState(th, out, assigned, next)
	return nil
}

// jsonataOutput evaluates Output; without one, the output is the result,
// or the input for states without a result.
func (x *Execution) jsonataOutput(th *thread, input, result, errOut any) (any, error) {
	st := th.st
	if st.Output == nil {
		if _, none := result.(noResult); none || result == nil && st.Type == asl.TypeWait {
			return input, nil
		}
		return result, nil
	}
	env := x.jsonataEnv(th, input, result, errOut)
	return st.Output.Eval(env)
}

// finishJSONata completes a JSONata state: Assign and Output are evaluated
// together, against the variables as they were before the state.
func (x *Execution) finishJSONata(th *thread, result any) error {
	st := th.st
	env := x.jsonataEnv(th, th.raw, result, nil)
	assigned, err := asl.EvalAssign(st.Assign, env)
	if err != nil {
		return err
	}
	out, err := x.jsonataOutput(th, th.raw, result, nil)
	if err != nil {
		return err
	}
	x.assign(th, assigned)
	x.exitState(th, out, assigned, st.Next)
	return nil
}
