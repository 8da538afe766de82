package jsonata

import (
	"math"
	"strconv"

	"github.com/batonrun/baton/internal/value"
)

// undefinedType is the type of undefined, JSONata's "no value", which is
// distinct from null. It never leaves the package: the public API reports it
// as defined=false.
type undefinedType struct{}

// undefined is the internal representation of JSONata's undefined.
var undefined any = undefinedType{}

func isUndef(v any) bool {
	_, ok := v.(undefinedType)
	return ok
}

// sequence is a JSONata result sequence: an array produced by path
// navigation rather than written as an array in the data. A sequence of one
// item stands for that item unless keepSingleton is set.
type sequence struct {
	items         []any
	keepSingleton bool
	// outerWrapper marks the singleton sequence that wraps an input array.
	outerWrapper bool
}

func newSeq(n int) *sequence { return &sequence{items: make([]any, 0, n)} }

func seqOf(items ...any) *sequence { return &sequence{items: items} }

// arrayItems returns the items of an array or sequence.
func arrayItems(v any) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case *sequence:
		return t.items, true
	}
	return nil, false
}

func isArray(v any) bool {
	switch v.(type) {
	case []any, *sequence:
		return true
	}
	return false
}

// normalize turns a sequence into a plain array so it can be stored inside an
// array or object or returned to a caller.
func normalize(v any) any {
	s, ok := v.(*sequence)
	if !ok {
		return v
	}
	out := s.items
	for i, e := range out {
		if _, ok := e.(*sequence); ok {
			c := make([]any, len(out))
			copy(c, out)
			for j := i; j < len(c); j++ {
				c[j] = normalize(c[j])
			}
			return c
		}
	}
	if out == nil {
		out = []any{}
	}
	return out
}

// checkFinite returns D1001 for an infinite number, which JSON cannot carry.
func checkFinite(f float64) error {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return &Error{Code: "D1001", Value: f}
	}
	return nil
}

// truthy is $boolean: the effective boolean value of v (undefined is false).
func truthy(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return t != ""
	case float64:
		return t != 0 && !math.IsNaN(t)
	case nil, undefinedType:
		return false
	case []any:
		return truthyArray(t)
	case *sequence:
		return truthyArray(t.items)
	case *value.Object:
		return t.Len() > 0
	}
	return false
}

func truthyArray(a []any) bool {
	if len(a) == 1 {
		return truthy(a[0])
	}
	for _, e := range a {
		if truthy(e) {
			return true
		}
	}
	return false
}

// deepEqual is JSONata's equality: JSON values by value, functions by
// identity.
func deepEqual(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case undefinedType:
		return isUndef(b)
	case *Function:
		y, ok := b.(*Function)
		return ok && x == y
	case *value.Object:
		y, ok := b.(*value.Object)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		if x.Len() != y.Len() {
			return false
		}
		for _, m := range x.Members() {
			v, ok := y.Get(m.Key)
			if !ok || !deepEqual(m.Value, v) {
				return false
			}
		}
		return true
	}
	xa, ok := arrayItems(a)
	if !ok {
		return false
	}
	ya, ok := arrayItems(b)
	if !ok || len(xa) != len(ya) {
		return false
	}
	for i := range xa {
		if !deepEqual(xa[i], ya[i]) {
			return false
		}
	}
	return true
}

// typeName is $type's answer for v.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case float64:
		return "number"
	case string:
		return "string"
	case bool:
		return "boolean"
	case []any, *sequence:
		return "array"
	case *Function:
		return "function"
	case *value.Object:
		return "object"
	}
	return "undefined"
}

// formatJSNumber formats f as JSONata's $string does: integers exactly,
// other numbers rounded to 15 significant digits, in JavaScript's notation.
func formatJSNumber(f float64) string {
	return string(appendJSNumber(nil, f))
}

func appendJSNumber(dst []byte, f float64) []byte {
	if f != math.Trunc(f) {
		var buf [32]byte
		r, err := strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], f, 'g', 15, 64)), 64)
		if err == nil {
			f = r
		}
	}
	return value.AppendNumber(dst, f)
}

// stringify is $string for a value that is not a string: JSON text with
// numbers at 15 significant digits and functions as "". indent "" is compact.
func stringify(v any, indent string) string {
	if indent == "" {
		return string(appendCompact(nil, v))
	}
	return string(appendPretty(nil, v, indent, 0))
}

func appendCompact(dst []byte, v any) []byte {
	switch t := v.(type) {
	case float64:
		return appendJSNumber(dst, t)
	case string:
		return value.AppendQuote(dst, t)
	case *Function:
		return append(dst, `""`...)
	case *value.Object:
		dst = append(dst, '{')
		first := true
		for _, m := range t.Members() {
			if isUndef(m.Value) {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = value.AppendQuote(dst, m.Key)
			dst = append(dst, ':')
			dst = appendCompact(dst, m.Value)
		}
		return append(dst, '}')
	case nil, undefinedType:
		return append(dst, "null"...)
	case bool:
		if t {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	}
	if items, ok := arrayItems(v); ok {
		dst = append(dst, '[')
		for i, e := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendCompact(dst, e)
		}
		return append(dst, ']')
	}
	return append(dst, "null"...)
}

func appendPretty(dst []byte, v any, indent string, level int) []byte {
	newline := func(dst []byte, level int) []byte {
		dst = append(dst, '\n')
		for i := 0; i < level; i++ {
			dst = append(dst, indent...)
		}
		return dst
	}
	if o, ok := v.(*value.Object); ok {
		n := 0
		start := len(dst)
		dst = append(dst, '{')
		for _, m := range o.Members() {
			if isUndef(m.Value) {
				continue
			}
			if n > 0 {
				dst = append(dst, ',')
			}
			n++
			dst = newline(dst, level+1)
			dst = value.AppendQuote(dst, m.Key)
			dst = append(dst, ": "...)
			dst = appendPretty(dst, m.Value, indent, level+1)
		}
		if n == 0 {
			return append(dst[:start], "{}"...)
		}
		dst = newline(dst, level)
		return append(dst, '}')
	}
	if items, ok := arrayItems(v); ok {
		if len(items) == 0 {
			return append(dst, "[]"...)
		}
		dst = append(dst, '[')
		for i, e := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, level+1)
			dst = appendPretty(dst, e, indent, level+1)
		}
		dst = newline(dst, level)
		return append(dst, ']')
	}
	return appendCompact(dst, v)
}
