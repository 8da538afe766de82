package value

import (
	"fmt"
	"sort"
)

// Equal reports whether a and b are the same JSON value: numbers by value,
// arrays element by element, objects by their members regardless of order.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, m := range x.Members() {
			v, ok := y.Get(m.Key)
			if !ok || !Equal(m.Value, v) {
				return false
			}
		}
		return true
	default:
		return false
	}
}

// TypeName returns the JSON type of v: "null", "boolean", "number", "string",
// "array" or "object" ("unknown" for a Go value outside the model).
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case *Object:
		return "object"
	default:
		return "unknown"
	}
}

// FromGo converts a value built from Go's encoding/json shapes
// (map[string]any, []any, float64, int, string, bool, nil) into the model.
// Map keys are sorted, since a Go map has no order. It returns an error for
// a type it does not know.
func FromGo(v any) (any, error) {
	switch t := v.(type) {
	case nil, bool, float64, string, *Object:
		return t, nil
	case int:
		return float64(t), nil
	case int64:
		return float64(t), nil
	case float32:
		return float64(t), nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			c, err := FromGo(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := NewObject(len(keys))
		for _, k := range keys {
			c, err := FromGo(t[k])
			if err != nil {
				return nil, err
			}
			o.Set(k, c)
		}
		return o, nil
	default:
		return nil, fmt.Errorf("value: unsupported Go type %T", v)
	}
}
