package jsonata

import (
	"time"
)

// DefaultMaxDepth is the evaluation depth limit when Options.MaxDepth is 0.
// Depth counts nested evaluations of expression nodes, as jsonata-js's
// stack guard does; a non-tail-recursive function uses about three per call.
const DefaultMaxDepth = 10000

// Expr is a compiled JSONata expression. It is immutable and safe for
// concurrent use by multiple goroutines.
type Expr struct {
	src string
	ast *node
}

// Options controls one evaluation. The zero value (or nil) evaluates with
// the input defined, no extra bindings, the default depth limit, no timeout
// and the system clock.
type Options struct {
	// Bindings are variables visible as $name: values of the value model or
	// *Function values.
	Bindings map[string]any
	// Functions are extra built-ins, visible as $name unless a binding of
	// the same name hides them.
	Functions map[string]*Function
	// InputUndefined evaluates with no input at all (JSONata's undefined),
	// rather than the input argument.
	InputUndefined bool
	// MaxDepth limits the evaluation depth; 0 means DefaultMaxDepth.
	// Exceeding it fails with code U1001.
	MaxDepth int
	// Timeout limits the evaluation time; 0 means none. Exceeding it fails
	// with code U1001.
	Timeout time.Duration
	// Now is the clock read once per evaluation for $now() and $millis();
	// nil means time.Now.
	Now func() time.Time
}

// Compile parses expr. A syntax error is returned as an *Error.
func Compile(expr string) (*Expr, error) {
	ast, err := parse(expr)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.populate()
		}
		return nil, err
	}
	return &Expr{src: expr, ast: ast}, nil
}

// MustCompile is Compile that panics on error, for expressions known to be
// valid.
func MustCompile(expr string) *Expr {
	e, err := Compile(expr)
	if err != nil {
		panic(err)
	}
	return e
}

// String returns the source text of the expression.
func (e *Expr) String() string { return e.src }

// Evaluate evaluates the expression against input, a value of the value
// model (ignored when opts.InputUndefined is set). It returns defined=false
// when the result is undefined. A result is a value of the value model,
// except that a function result (or a function inside an array or object)
// is a *Function. Evaluation errors are *Error values.
func (e *Expr) Evaluate(input any, opts *Options) (result any, defined bool, err error) {
	if opts == nil {
		opts = &Options{}
	}
	ev := &evaluator{maxDepth: opts.MaxDepth, funcs: opts.Functions}
	if ev.maxDepth <= 0 {
		ev.maxDepth = DefaultMaxDepth
	}
	if opts.Now != nil {
		ev.now = opts.Now()
	} else {
		ev.now = time.Now()
	}
	if opts.Timeout > 0 {
		ev.timed = true
		ev.deadline = time.Now().Add(opts.Timeout)
	}
	env := &frame{}
	for k, v := range opts.Bindings {
		env.bind(k, v)
	}
	if opts.InputUndefined {
		input = undefined
	}
	env.bind("$", input)
	if a, ok := input.([]any); ok {
		input = &sequence{items: []any{a}, outerWrapper: true}
	}
	r, err := ev.eval(e.ast, input, env)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.populate()
		}
		return nil, false, err
	}
	return export(r)
}

// export converts an internal result to the public value model.
func export(r any) (any, bool, error) {
	switch t := r.(type) {
	case undefinedType:
		return nil, false, nil
	case *sequence:
		if len(t.items) == 0 && !t.keepSingleton {
			return nil, false, nil
		}
		return undefinedToNull(normalize(t).([]any)), true, nil
	case []any:
		return undefinedToNull(t), true, nil
	case tupleStream:
		s := make([]any, len(t))
		for i, tp := range t {
			s[i] = tp.ctx
		}
		return s, true, nil
	}
	return r, true, nil
}

// undefinedToNull replaces undefined items of a result array by null, as
// JSON.stringify does, so that the sentinel never leaves the package.
func undefinedToNull(a []any) []any {
	for i, e := range a {
		if isUndef(e) {
			c := append([]any(nil), a...)
			for j := i; j < len(c); j++ {
				if isUndef(c[j]) {
					c[j] = nil
				}
			}
			return c
		}
	}
	return a
}
