package intrinsic

import "fmt"

// ErrorName is the Step Functions error name of a failed intrinsic function.
const ErrorName = "States.IntrinsicFailure"

// Error is an intrinsic function that failed on its arguments: a wrong type,
// a value out of range, an index past the end.
type Error struct {
	Name    string // Name is the Step Functions error name, ErrorName.
	Message string // Message says what was wrong, for the cause.
	Call    string // Call is the source text of the call that failed.
}

// Error returns the message, which names the function.
func (e *Error) Error() string { return e.Message }

// Resolver returns the value of a path argument, given as written: "$.a",
// "$$.Execution.Id", "$myVar.x" or "$myVar". The caller owns the input, the
// context object and the variables; its errors reach Eval's caller
// unchanged.
type Resolver func(path string) (any, error)

// Rand is a source of random numbers; *rand.Rand from math/rand/v2
// satisfies it.
type Rand interface {
	Int64N(n int64) int64
	Uint64() uint64
}

// Env is what evaluation needs from outside. The zero value resolves no
// paths and draws random numbers from math/rand/v2's global source.
type Env struct {
	// Resolve resolves path arguments. A nil Resolve fails every path.
	Resolve Resolver
	// Rand is the source for States.MathRandom without a seed and for the
	// default UUIDs. Nil means math/rand/v2's global source; a nil pointer
	// in a non-nil interface is not allowed.
	Rand Rand
	// NewUUID returns the string for States.UUID. Nil means a random
	// version 4 UUID drawn from Rand.
	NewUUID func() string
}

// Call is a parsed intrinsic function call. It is immutable and safe for
// concurrent use.
type Call struct {
	fn   *function
	args []arg
	src  string
}

type argKind uint8

const (
	argLiteral argKind = iota
	argPath
	argCall
)

type arg struct {
	kind argKind
	val  any    // argLiteral
	path string // argPath
	call *Call  // argCall
	// template holds a string literal's text split at each unescaped "{}".
	template []string
}

// Name returns the function's name, such as "States.Format".
func (c *Call) Name() string { return c.fn.name }

// String returns the call's source text.
func (c *Call) String() string { return c.src }

// Paths returns the text of every path argument, nested calls included, in
// the order they are written.
func (c *Call) Paths() []string {
	var out []string
	var walk func(*Call)
	walk = func(c *Call) {
		for _, a := range c.args {
			switch a.kind {
			case argPath:
				out = append(out, a.path)
			case argCall:
				walk(a.call)
			}
		}
	}
	walk(c)
	return out
}

// Eval evaluates the call: its arguments from left to right, nested calls
// first, then the function. Failures of the function are *Error values;
// errors from env.Resolve are returned unchanged.
func (c *Call) Eval(env *Env) (any, error) {
	if env == nil {
		env = &Env{}
	}
	vals := make([]any, len(c.args))
	for i, a := range c.args {
		switch a.kind {
		case argLiteral:
			vals[i] = a.val
		case argPath:
			if env.Resolve == nil {
				return nil, fmt.Errorf("resolve %s: no resolver", a.path)
			}
			v, err := env.Resolve(a.path)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		case argCall:
			v, err := a.call.Eval(env)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
	}
	return c.fn.eval(env, c, vals)
}

// fail returns the *Error for a failure of c.
func (c *Call) fail(format string, a ...any) *Error {
	return &Error{Name: ErrorName, Message: c.fn.name + ": " + fmt.Sprintf(format, a...), Call: c.src}
}
