package jsonpath

import (
	"math"

	"github.com/batonrun/baton/internal/value"
)

// function is one of Jayway's path functions, called without arguments at the
// end of a path: $.items.length().
type function struct {
	name  string
	apply func(model any) (any, error)
}

// functions are the argument-free functions of Jayway 2.4, the version AWS's
// behaviour points to. first(), last() and index() came later.
var functions = map[string]*function{
	"length": {name: "length", apply: length},
	"size":   {name: "size", apply: length},
	"min":    {name: "min", apply: aggregate(math.Inf(1), math.Min, nil)},
	"max":    {name: "max", apply: aggregate(math.Inf(-1), math.Max, nil)},
	"sum":    {name: "sum", apply: aggregate(0, add, nil)},
	"avg":    {name: "avg", apply: aggregate(0, add, func(sum float64, n int) float64 { return sum / float64(n) })},
	"stddev": {name: "stddev", apply: stddev},
	"keys":   {name: "keys", apply: keys},
	"concat": {name: "concat", apply: concat},
	"append": {name: "append", apply: func(model any) (any, error) { return model, nil }},
}

// errEmptyAggregation is Jayway's message for an aggregation over no numbers.
const errEmptyAggregation = "Aggregation function attempted to calculate value using empty array"

// length returns the length of an array or object, and null for anything
// else.
func length(model any) (any, error) {
	switch t := model.(type) {
	case []any:
		return float64(len(t)), nil
	case *value.Object:
		return float64(t.Len()), nil
	}
	return nil, nil
}

// aggregate folds the numbers of an array (other elements are skipped) with
// step, then applies final; an array without numbers, or a model that is not
// an array, is an error.
func aggregate(start float64, step func(acc, x float64) float64, final func(acc float64, n int) float64) func(any) (any, error) {
	return func(model any) (any, error) {
		arr, _ := model.([]any)
		acc, n := start, 0
		for _, e := range arr {
			if f, ok := e.(float64); ok {
				acc = step(acc, f)
				n++
			}
		}
		if n == 0 {
			return nil, &Error{Msg: errEmptyAggregation}
		}
		if final != nil {
			acc = final(acc, n)
		}
		return acc, nil
	}
}

func add(a, b float64) float64 { return a + b }

// stddev is the population standard deviation, computed as Jayway does.
func stddev(model any) (any, error) {
	arr, _ := model.([]any)
	var sum, sumSq float64
	n := 0
	for _, e := range arr {
		if f, ok := e.(float64); ok {
			sum += f
			sumSq += f * f
			n++
		}
	}
	if n == 0 {
		return nil, &Error{Msg: errEmptyAggregation}
	}
	c := float64(n)
	return math.Sqrt(sumSq/c - sum*sum/c/c), nil
}

// keys returns the keys of an object, and null for anything else.
func keys(model any) (any, error) {
	obj, ok := model.(*value.Object)
	if !ok {
		return nil, nil
	}
	out := make([]any, 0, obj.Len())
	for _, m := range obj.Members() {
		out = append(out, m.Key)
	}
	return out, nil
}

// concat joins the strings of an array; other elements are skipped.
func concat(model any) (any, error) {
	arr, _ := model.([]any)
	var b []byte
	for _, e := range arr {
		if s, ok := e.(string); ok {
			b = append(b, s...)
		}
	}
	return string(b), nil
}
