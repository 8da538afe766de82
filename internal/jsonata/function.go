package jsonata

import (
	"errors"

	"github.com/batonrun/baton/internal/value"
)

type fnKind uint8

const (
	fnBuiltin fnKind = iota
	fnLambda
	fnPartial
	fnRegex
	fnTransform
	fnChain
	fnNative
	fnMatcherNext
)

// Function is a JSONata function value: a built-in, a lambda (closure), a
// partial application, a regular expression or a function defined with
// NewFunction. A result of Evaluate that is a function is a *Function; arrays
// and objects in a result may hold *Function values too. Functions are
// immutable and safe for concurrent use.
type Function struct {
	kind  fnKind
	name  string
	sig   *signature
	arity int

	// fnBuiltin
	impl builtinFunc
	// fnNative
	native func(args []any) (any, error)

	// fnLambda: a closure over node's parameters and body.
	node  *node
	env   *frame
	input any
	// params overrides node.params for a partially applied lambda.
	params []string
	thunk  bool

	// fnPartial: target applied to args, whose placeholders are filled in
	// order by the call's arguments.
	target *Function
	args   []any

	// fnRegex
	regex *jsRegex

	// fnChain: g(f(x)).
	f, g *Function

	// fnMatcherNext: the rest of a regex match iteration.
	subject string
	matches []regexMatch
	next    int
}

type builtinFunc func(ev *evaluator, args []any, input any, env *frame) (any, error)

// placeholderType marks an argument slot left open by a partial application.
type placeholderType struct{}

var placeholder any = placeholderType{}

// ErrUndefined may be returned by a function given to NewFunction to make
// its result undefined rather than a value.
var ErrUndefined = errors.New("jsonata: undefined result")

// NewFunction defines a function for Options.Bindings or Options.Functions.
// signature uses JSONata's signature syntax (for example "<s-n?:s>"), or ""
// for none; arguments are validated against it before fn is called, and the
// context value stands in for a missing argument marked '-'.
//
// fn receives one element per argument, as values of the value model (a
// function argument as a *Function). Trailing undefined arguments are
// omitted; an undefined argument followed by a defined one is passed as nil.
// fn returns a value of the value model, or ErrUndefined for an undefined
// result; any other error aborts the evaluation and is returned by Evaluate
// (an *Error as is, another error wrapped in an *Error with code D3137 whose
// Message is the error's text and whose Unwrap returns it).
func NewFunction(name, signature string, fn func(args []any) (any, error)) (*Function, error) {
	f := &Function{kind: fnNative, name: name, native: fn}
	if signature != "" {
		s, err := parseSignature(signature)
		if err != nil {
			err.populate()
			return nil, err
		}
		f.sig = s
		f.arity = len(s.params)
	}
	return f, nil
}

// Name returns the function's name, or "" for an anonymous lambda.
func (f *Function) Name() string { return f.name }

// IsFunction reports whether v, a result of Evaluate or a part of one, is a
// JSONata function. Step Functions rejects such results.
func IsFunction(v any) bool {
	_, ok := v.(*Function)
	return ok
}

// arityOf is the number of parameters a function declares, which decides
// how many arguments higher-order functions pass to it.
func arityOf(f *Function) int {
	switch f.kind {
	case fnLambda:
		if f.params != nil || f.node == nil {
			return len(f.params)
		}
		return len(f.node.params)
	case fnPartial:
		n := 0
		for _, a := range f.args {
			if a == placeholder {
				n++
			}
		}
		return n
	case fnChain, fnTransform:
		return 1
	case fnRegex:
		return 2
	}
	return f.arity
}

// ContainsFunction reports whether v, a result of Evaluate, is a function
// or holds one at any depth inside its arrays and objects.
func ContainsFunction(v any) bool {
	switch t := v.(type) {
	case *Function:
		return true
	case []any:
		for _, e := range t {
			if ContainsFunction(e) {
				return true
			}
		}
	case *value.Object:
		for _, m := range t.Members() {
			if ContainsFunction(m.Value) {
				return true
			}
		}
	}
	return false
}
