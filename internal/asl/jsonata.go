package asl

import (
	"fmt"
	"strings"

	"github.com/batonrun/baton/internal/value"
)

// Jsonata is a compiled "{% ... %}" expression of a JSONata-mode field.
type Jsonata struct {
	Source string // the whole string, with the {% %} delimiters
	Expr   string // the expression between them
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
	return &Jsonata{Source: s, Expr: expr}
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

// EvalField evaluates the expression for the named field. It returns
// undefined (package-private) when the expression's value is undefined.
func (j *Jsonata) EvalField(env *Env, field string) (any, error) {
	return nil, &Failure{Name: ErrQueryEvaluationError, Cause: fmt.Sprintf(
		"The JSONata expression '%s' specified for the field '%s' cannot be evaluated: JSONata is not available in this build", j.Expr, field)}
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
func IsFunctionValue(v any) bool { return false }
