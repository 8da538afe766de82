package asl

import (
	"errors"
	"fmt"
	"github.com/batonrun/baton/internal/java"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/jsonpath"
	"github.com/batonrun/baton/internal/value"
)

// ChoiceRule is a Choice state's rule: a comparison on Variable, a boolean
// combination (And, Or, Not), or in JSONata a Condition.
type ChoiceRule struct {
	Next    string // top-level rules only
	Comment string
	Assign  *Template
	Output  *Template // JSONata

	And []*ChoiceRule
	Or  []*ChoiceRule
	Not *ChoiceRule

	Variable *Path
	// Operator is the comparison's name without a "Path" suffix, e.g.
	// "StringEquals" for both StringEquals and StringEqualsPath.
	Operator string
	// Operand is the literal compared with; OperandPath is set for the
	// *Path forms instead.
	Operand     any
	OperandPath *Path
	glob        []globPart // StringMatches
	timestamp   time.Time  // Timestamp* with a literal operand

	Condition *Jsonata
}

// comparison operators, with the JSON type each compares.
var choiceOperators = map[string]string{
	"StringEquals": "string", "StringLessThan": "string", "StringGreaterThan": "string",
	"StringLessThanEquals": "string", "StringGreaterThanEquals": "string", "StringMatches": "string",
	"NumericEquals": "number", "NumericLessThan": "number", "NumericGreaterThan": "number",
	"NumericLessThanEquals": "number", "NumericGreaterThanEquals": "number",
	"BooleanEquals":   "boolean",
	"TimestampEquals": "timestamp", "TimestampLessThan": "timestamp", "TimestampGreaterThan": "timestamp",
	"TimestampLessThanEquals": "timestamp", "TimestampGreaterThanEquals": "timestamp",
	"IsNull": "boolean", "IsPresent": "boolean", "IsNumeric": "boolean", "IsString": "boolean",
	"IsBoolean": "boolean", "IsTimestamp": "boolean",
}

// isTypeTest reports whether op is one of the Is* tests, whose operand is a
// boolean and which have no Path form.
func isTypeTest(op string) bool { return strings.HasPrefix(op, "Is") }

// Eval evaluates the rule in env.
func (r *ChoiceRule) Eval(env *Env) (bool, error) {
	switch {
	case r.Condition != nil:
		v, err := r.Condition.EvalField(env, "Condition")
		if err != nil {
			return false, err
		}
		b, ok := v.(bool)
		if !ok {
			return false, &Failure{Name: ErrQueryEvaluationError, Cause: fmt.Sprintf(
				"The JSONata expression '%s' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '%s' for value: %s",
				r.Condition.Expr, jsonataTypeName(v), value.EncodeString(v))}
		}
		return b, nil
	case r.And != nil:
		for _, c := range r.And {
			ok, err := c.Eval(env)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case r.Or != nil:
		for _, c := range r.Or {
			ok, err := c.Eval(env)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case r.Not != nil:
		ok, err := r.Not.Eval(env)
		return !ok, err
	}
	return r.compare(env)
}

func (r *ChoiceRule) compare(env *Env) (bool, error) {
	v, err := r.Variable.Get(env)
	present := err == nil
	if err != nil && !errors.Is(err, jsonpath.ErrNotFound) && !errors.Is(err, ErrVariableNotFound) {
		return false, &Failure{Name: ErrRuntime, Cause: fmt.Sprintf("Invalid path '%s': %v", r.Variable.Source, err)}
	}
	if r.Operator == "IsPresent" {
		return present == r.Operand.(bool), nil
	}
	if !present {
		return false, &Failure{Name: ErrRuntime, Cause: fmt.Sprintf(
			"Invalid path '%s' : No results for path: %s", r.Variable.Source, r.Variable.JaywayString())}
	}
	if isTypeTest(r.Operator) {
		var is bool
		switch r.Operator {
		case "IsNull":
			is = v == nil
		case "IsNumeric":
			_, is = v.(float64)
		case "IsString":
			_, is = v.(string)
		case "IsBoolean":
			_, is = v.(bool)
		case "IsTimestamp":
			s, ok := v.(string)
			is = ok && isTimestamp(s)
		}
		return is == r.Operand.(bool), nil
	}
	operand := r.Operand
	if r.OperandPath != nil {
		operand, err = r.OperandPath.Get(env)
		if err != nil {
			return false, &Failure{Name: ErrRuntime, Cause: fmt.Sprintf(
				"Invalid path '%s' : No results for path: %s", r.OperandPath.Source, r.OperandPath.JaywayString())}
		}
	}
	switch choiceOperators[r.Operator] {
	case "string":
		s, ok := v.(string)
		if !ok {
			return false, nil
		}
		if r.Operator == "StringMatches" {
			return matchGlob(r.glob, s), nil
		}
		o, ok := operand.(string)
		if !ok {
			return false, nil
		}
		return compareResult(r.Operator, java.Compare(s, o)), nil
	case "number":
		n, ok := v.(float64)
		o, ok2 := operand.(float64)
		if !ok || !ok2 {
			return false, nil
		}
		c := 0
		if n < o {
			c = -1
		} else if n > o {
			c = 1
		}
		return compareResult(r.Operator, c), nil
	case "boolean":
		b, ok := v.(bool)
		o, ok2 := operand.(bool)
		return ok && ok2 && b == o, nil
	case "timestamp":
		s, ok := v.(string)
		if !ok {
			return false, nil
		}
		t, err := ParseTimestamp(s)
		if err != nil {
			return false, nil
		}
		o := r.timestamp
		if r.OperandPath != nil {
			os, ok := operand.(string)
			if !ok {
				return false, nil
			}
			if o, err = ParseTimestamp(os); err != nil {
				return false, nil
			}
		}
		return compareResult(r.Operator, t.Compare(o)), nil
	}
	return false, fmt.Errorf("choice: unknown operator %s", r.Operator)
}

func compareResult(op string, c int) bool {
	switch {
	case strings.HasSuffix(op, "LessThanEquals"):
		return c <= 0
	case strings.HasSuffix(op, "GreaterThanEquals"):
		return c >= 0
	case strings.HasSuffix(op, "LessThan"):
		return c < 0
	case strings.HasSuffix(op, "GreaterThan"):
		return c > 0
	default: // Equals
		return c == 0
	}
}

// globPart is one piece of a StringMatches pattern: literal text or a "*".
type globPart struct {
	star bool
	text string
}

// compileGlob compiles a StringMatches pattern: "*" matches any run of
// characters; "\*" is a literal star and "\\" a literal backslash.
func compileGlob(p string) ([]globPart, error) {
	var parts []globPart
	var lit strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\\':
			if i+1 < len(p) && (p[i+1] == '*' || p[i+1] == '\\') {
				lit.WriteByte(p[i+1])
				i++
				continue
			}
			lit.WriteByte(c)
		case '*':
			if lit.Len() > 0 {
				parts = append(parts, globPart{text: lit.String()})
				lit.Reset()
			}
			parts = append(parts, globPart{star: true})
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		parts = append(parts, globPart{text: lit.String()})
	}
	return parts, nil
}

// matchGlob matches s against a compiled pattern in linear time: the first
// literal must be a prefix, the last a suffix, and the ones between are found
// left to right (greedy leftmost matching is exact for "*"-only globs).
func matchGlob(parts []globPart, s string) bool {
	if len(parts) == 0 {
		return s == ""
	}
	if !parts[0].star {
		if !strings.HasPrefix(s, parts[0].text) {
			return false
		}
		s = s[len(parts[0].text):]
		parts = parts[1:]
		if len(parts) == 0 {
			return s == ""
		}
	}
	last := parts[len(parts)-1]
	if !last.star {
		if !strings.HasSuffix(s, last.text) {
			return false
		}
		s = s[:len(s)-len(last.text)]
		parts = parts[:len(parts)-1]
	}
	for _, p := range parts {
		if p.star {
			continue
		}
		i := strings.Index(s, p.text)
		if i < 0 {
			return false
		}
		s = s[i+len(p.text):]
	}
	return true
}
