package asl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/batonrun/baton/internal/jsonata"
	"github.com/batonrun/baton/internal/value"
)

// Jsonata is a compiled "{% ... %}" expression of a JSONata-mode field.
type Jsonata struct {
	Source string // the whole string, with the {% %} delimiters
	Expr   string // the expression between them
	expr   *jsonata.Expr
}

// isJSONataString reports whether s is a JSONata expression string:
// "{%" and "%}" around it, as AWS requires.
func isJSONataString(s string) bool {
	return strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}") && len(s) >= 4
}

func compileJSONata(s, loc string, diag *diagnostics) *Jsonata {
	expr := strings.TrimSpace(s[2 : len(s)-2])
	if expr == "" {
		diag.schema(loc, "The JSONata expression is empty")
		return nil
	}
	e, err := jsonata.Compile(expr)
	if err != nil {
		diag.schema(loc, "The JSONata expression '%s' is not valid: %v", expr, err)
		return nil
	}
	if usesEval(e) {
		diag.schema(loc, "The JSONata function $eval is not supported by Step Functions; use $parse")
		return nil
	}
	return &Jsonata{Source: s, Expr: expr, expr: e}
}

// usesEval reports whether an expression calls $eval, which Step Functions
// refuses. The check is textual on the compiled source: a variable named
// $eval cannot be bound in a state machine, so every "$eval(" is the
// built-in.
func usesEval(e *jsonata.Expr) bool {
	return strings.Contains(e.String(), "$eval(")
}

func compileJSONataTemplate(raw any, loc string, diag *diagnostics) *Template {
	switch v := raw.(type) {
	case string:
		if isJSONataString(v) {
			j := compileJSONata(v, loc, diag)
			if j == nil {
				return &Template{kind: tmplStatic, static: raw}
			}
			return &Template{kind: tmplJSONata, jsonata: j}
		}
		return &Template{kind: tmplStatic, static: raw}
	case *value.Object:
		t := &Template{kind: tmplObject}
		dynamic := false
		for _, m := range v.Members() {
			sub := compileJSONataTemplate(m.Value, loc+"/"+m.Key, diag)
			sub.field = m.Key
			if !sub.IsStatic() {
				dynamic = true
			}
			t.fields = append(t.fields, templateField{key: m.Key, val: sub})
		}
		if !dynamic {
			return &Template{kind: tmplStatic, static: raw}
		}
		return t
	case []any:
		t := &Template{kind: tmplArray}
		dynamic := false
		for i, e := range v {
			sub := compileJSONataTemplate(e, fmt.Sprintf("%s[%d]", loc, i), diag)
			if !sub.IsStatic() {
				dynamic = true
			}
			t.items = append(t.items, sub)
		}
		if !dynamic {
			return &Template{kind: tmplStatic, static: raw}
		}
		return t
	default:
		return &Template{kind: tmplStatic, static: raw}
	}
}

// EvalField evaluates the expression for the named field, with $states and
// every variable in scope bound. It returns the package's undefined marker
// when the value is undefined; callers drop such fields.
func (j *Jsonata) EvalField(env *Env, field string) (any, error) {
	bindings := make(map[string]any, 8)
	if env.Vars != nil {
		for _, m := range env.Vars.All().Members() {
			bindings[m.Key] = m.Value
		}
	}
	if env.States != nil {
		bindings["states"] = env.States
	}
	opts := &jsonata.Options{
		Bindings:       bindings,
		Functions:      stepFunctionsFunctions(env),
		InputUndefined: true,
	}
	v, defined, err := j.expr.Evaluate(nil, opts)
	if err != nil {
		var f *Failure
		if errors.As(err, &f) {
			return nil, f
		}
		return nil, &Failure{Name: ErrQueryEvaluationError, Location: field, Cause: fmt.Sprintf(
			"An error occurred while evaluating the JSONata expression '%s' specified for the field '%s': %v", j.Expr, field, err)}
	}
	if !defined {
		return undefined, nil
	}
	if jsonata.IsFunction(v) {
		return nil, &Failure{Name: ErrQueryEvaluationError, Location: field, Cause: fmt.Sprintf(
			"The JSONata expression '%s' specified for the field '%s' returned an unsupported result type.", j.Expr, field)}
	}
	return v, nil
}

// jsonataTypeName names a JSONata result's type as AWS's messages do.
func jsonataTypeName(v any) string {
	if v == undefined {
		return "undefined"
	}
	return value.TypeName(v)
}

// JSONataSource returns the expression when the whole template is one
// JSONata expression, else nil.
func (t *Template) JSONataSource() *Jsonata {
	if t != nil && t.kind == tmplJSONata {
		return t.jsonata
	}
	return nil
}

// IsFunctionValue reports whether a JSONata result is a function, which AWS
// refuses as a field's value.
func IsFunctionValue(v any) bool { return jsonata.IsFunction(v) }

// IsUndefined reports whether v is the marker for an undefined JSONata
// result.
func IsUndefined(v any) bool { return v == undefined }
