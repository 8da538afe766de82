package asl

import (
	"errors"
	"fmt"

	"github.com/batonrun/baton/internal/jsonpath"
	"github.com/batonrun/baton/internal/value"
)

// This file holds the JSONPath input/output pipeline:
//
//	raw input → InputPath → Parameters → (the state's work) → ResultSelector
//	→ ResultPath (merged into the raw input) → OutputPath → output
//
// Every step returns a *Failure for data the definition cannot process.

// SelectInput applies InputPath to the raw input; a null InputPath gives {}.
func (s *State) SelectInput(raw any, env *Env) (any, error) {
	if s.DiscardInput {
		return value.NewObject(0), nil
	}
	if s.InputPath == nil {
		return raw, nil
	}
	return selectPath(s.InputPath, withInput(env, raw))
}

// SelectOutput applies OutputPath to the state's output; a null OutputPath
// gives {}.
func (s *State) SelectOutput(out any, env *Env) (any, error) {
	if s.DiscardOutput {
		return value.NewObject(0), nil
	}
	if s.OutputPath == nil {
		return out, nil
	}
	return selectPath(s.OutputPath, withInput(env, out))
}

// selectPath evaluates InputPath or OutputPath: a path that selects nothing
// is a States.Runtime failure worded as AWS words it.
func selectPath(p *Path, env *Env) (any, error) {
	v, err := p.Get(env)
	if err != nil {
		if errors.Is(err, jsonpath.ErrNotFound) || errors.Is(err, ErrVariableNotFound) {
			return nil, &Failure{Name: ErrRuntime, Cause: fmt.Sprintf(
				"Invalid path '%s' : No results for path: %s", p.Source, p.JaywayString())}
		}
		return nil, &Failure{Name: ErrRuntime, Cause: fmt.Sprintf("Invalid path '%s' : %v", p.Source, err)}
	}
	return v, nil
}

// withInput returns a copy of env whose $ is input.
func withInput(env *Env, input any) *Env {
	c := *env
	c.Input = input
	return &c
}

// ApplyParameters evaluates Parameters (or returns the effective input
// when there are none).
func (s *State) ApplyParameters(eff any, env *Env) (any, error) {
	if s.Parameters == nil {
		return eff, nil
	}
	return s.Parameters.Eval(withInput(env, eff))
}

// ApplyResultSelector evaluates ResultSelector against the raw result.
func (s *State) ApplyResultSelector(result any, env *Env) (any, error) {
	if s.ResultSelector == nil {
		return result, nil
	}
	return s.ResultSelector.Eval(withInput(env, result))
}

// ApplyResultPath merges the result into the raw input.
func (s *State) ApplyResultPath(raw, result any) (any, error) {
	return applyResultPath(s.ResultPath, s.DiscardResult, raw, result)
}

func applyResultPath(p *Path, discard bool, raw, result any) (any, error) {
	if discard {
		return raw, nil
	}
	if p == nil {
		return result, nil
	}
	out, err := p.Set(raw, result)
	if err != nil {
		return nil, &Failure{Name: ErrResultPathMatchFailure, Cause: fmt.Sprintf(
			"Unable to apply ResultPath '%s' to input '%s'", p.Source, value.EncodeString(raw))}
	}
	return out, nil
}

// ApplyCatcherResultPath merges an error output into the raw input as a
// catcher's ResultPath says.
func (c *Catcher) ApplyResultPath(raw, errorOutput any) (any, error) {
	return applyResultPath(c.ResultPath, c.DiscardResult, raw, errorOutput)
}

// EvalAssign evaluates an Assign template in env and returns the variables
// to assign, in order. Every expression sees the variables as they were
// before the state, as AWS evaluates them; the caller assigns the result.
func EvalAssign(t *Template, env *Env) (*value.Object, error) {
	if t == nil {
		return nil, nil
	}
	v, err := t.Eval(env)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, &Failure{Name: ErrRuntime, Cause: "The Assign field must evaluate to an object"}
	}
	return o, nil
}

// ErrorOutput is the {"Error", "Cause"} object a failure gives a catcher.
// A failure without an error name or cause leaves the member out, as AWS
// does.
func (f *Failure) ErrorOutput() *value.Object {
	o := value.NewObject(2)
	if f.Name != "" {
		o.Set("Error", f.Name)
	}
	if f.Cause != "" {
		o.Set("Cause", f.Cause)
	}
	return o
}
