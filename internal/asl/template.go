package asl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/batonrun/baton/internal/jsonpath"
	"github.com/batonrun/baton/internal/value"
)

// Template is a compiled payload template: Parameters, ResultSelector,
// ItemSelector, Assign and Credentials in JSONPath, where a key ending in
// ".$" takes its value from a path or an intrinsic function; and Arguments,
// Output, Assign and friends in JSONata, where a string "{% ... %}" is an
// expression. Static parts are shared, never copied, between evaluations.
type Template struct {
	kind    templateKind
	static  any
	path    *Path
	call    *Intrinsic
	jsonata *Jsonata
	fields  []templateField
	items   []*Template
	// field is the key this template is the value of ("value.$"), for
	// error messages.
	field string
}

type templateKind int

const (
	tmplStatic templateKind = iota
	tmplPath
	tmplIntrinsic
	tmplJSONata
	tmplObject
	tmplArray
)

type templateField struct {
	key string
	val *Template
}

// IsStatic reports whether the template evaluates to a constant.
func (t *Template) IsStatic() bool { return t.kind == tmplStatic }

// compileTemplate compiles raw (a value-model value) in the given language;
// problems are reported to diag at loc.
func compileTemplate(raw any, lang string, loc string, diag *diagnostics) *Template {
	if lang == JSONata {
		return compileJSONataTemplate(raw, loc, diag)
	}
	return compileJSONPathTemplate(raw, "", loc, diag)
}

func compileJSONPathTemplate(raw any, field, loc string, diag *diagnostics) *Template {
	switch v := raw.(type) {
	case *value.Object:
		t := &Template{kind: tmplObject, field: field}
		dynamic := false
		seen := make(map[string]bool, v.Len())
		for _, m := range v.Members() {
			at := loc + "/" + m.Key
			name := strings.TrimSuffix(m.Key, ".$")
			if seen[name] {
				diag.schema(at, "The field '%s' conflicts with another field named '%s' once '.$' is removed", m.Key, name)
			}
			seen[name] = true
			if key, ok := strings.CutSuffix(m.Key, ".$"); ok {
				s, isStr := m.Value.(string)
				if !isStr {
					diag.schema(at, "The value for the field '%s' must be a STRING that contains a JSONPath or an intrinsic function", m.Key)
					continue
				}
				sub := compileDynamicString(s, m.Key, at, diag)
				if sub == nil {
					continue
				}
				t.fields = append(t.fields, templateField{key: key, val: sub})
				dynamic = true
				continue
			}
			sub := compileJSONPathTemplate(m.Value, m.Key, at, diag)
			if !sub.IsStatic() {
				dynamic = true
			}
			t.fields = append(t.fields, templateField{key: m.Key, val: sub})
		}
		if !dynamic {
			return &Template{kind: tmplStatic, static: raw, field: field}
		}
		return t
	case []any:
		t := &Template{kind: tmplArray, field: field}
		dynamic := false
		for i, e := range v {
			sub := compileJSONPathTemplate(e, field, fmt.Sprintf("%s[%d]", loc, i), diag)
			if !sub.IsStatic() {
				dynamic = true
			}
			t.items = append(t.items, sub)
		}
		if !dynamic {
			return &Template{kind: tmplStatic, static: raw, field: field}
		}
		return t
	default:
		return &Template{kind: tmplStatic, static: raw, field: field}
	}
}

// compileDynamicString compiles the value of a ".$" field: a path or an
// intrinsic function call.
func compileDynamicString(s, field, loc string, diag *diagnostics) *Template {
	if strings.HasPrefix(s, "States.") {
		in, err := ParseIntrinsic(s)
		if err != nil {
			diag.schema(loc, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call: %v", field, err)
			return nil
		}
		return &Template{kind: tmplIntrinsic, call: in, field: field}
	}
	p, err := ParsePath(s)
	if err != nil {
		diag.schema(loc, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", field)
		return nil
	}
	return &Template{kind: tmplPath, path: p, field: field}
}

// Eval evaluates the template in env. Failures are *Failure values.
func (t *Template) Eval(env *Env) (any, error) {
	switch t.kind {
	case tmplStatic:
		return t.static, nil
	case tmplPath:
		v, err := t.path.Get(env)
		if err != nil {
			return nil, pathFieldFailure(t.path, t.field, env, err)
		}
		return v, nil
	case tmplIntrinsic:
		v, err := t.call.Eval(env)
		if err != nil {
			return nil, intrinsicFailure(t.call, t.field, env, err)
		}
		return v, nil
	case tmplJSONata:
		return t.jsonata.EvalField(env, t.field)
	case tmplObject:
		out := value.NewObject(len(t.fields))
		for _, f := range t.fields {
			v, err := f.val.Eval(env)
			if err != nil {
				return nil, err
			}
			if f.val.kind == tmplJSONata && v == undefined {
				continue // an undefined JSONata value drops the field
			}
			out.Set(f.key, v)
		}
		return out, nil
	case tmplArray:
		out := make([]any, 0, len(t.items))
		for _, it := range t.items {
			v, err := it.Eval(env)
			if err != nil {
				return nil, err
			}
			if it.kind == tmplJSONata && v == undefined {
				continue
			}
			out = append(out, v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("template: unknown kind %d", t.kind)
}

// undefinedValue marks a JSONata result that is undefined; it never leaves
// the package.
type undefinedValue struct{}

var undefined any = undefinedValue{}

// pathFieldFailure is the States.Runtime failure for a path in a payload
// template (or ErrorPath/CausePath) that selects nothing.
func pathFieldFailure(p *Path, field string, env *Env, err error) error {
	if errors.Is(err, jsonpath.ErrNotFound) || errors.Is(err, ErrVariableNotFound) {
		return &Failure{Name: ErrRuntime, Cause: fmt.Sprintf(
			"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
			p.Source, field, value.EncodeString(env.Input))}
	}
	return &Failure{Name: ErrRuntime, Cause: fmt.Sprintf(
		"The JSONPath '%s' specified for the field '%s' could not be evaluated: %v", p.Source, field, err)}
}

func intrinsicFailure(in *Intrinsic, field string, env *Env, err error) error {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	if errors.Is(err, jsonpath.ErrNotFound) || errors.Is(err, ErrVariableNotFound) {
		return &Failure{Name: ErrRuntime, Cause: fmt.Sprintf(
			"The JSONPath specified for the field '%s' in the intrinsic function '%s' could not be found in the input '%s'",
			field, in.Source, value.EncodeString(env.Input))}
	}
	return &Failure{Name: ErrIntrinsicFailure, Cause: fmt.Sprintf(
		"The evaluation of the intrinsic function '%s' specified for the field '%s' failed: %v", in.Source, field, err)}
}
