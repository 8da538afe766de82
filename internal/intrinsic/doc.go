// Package intrinsic owns the intrinsic functions of the Amazon States
// Language (States.Format, States.Array, States.MathAdd and the rest of the
// 18): parsing a call written in a ".$" field and evaluating it as AWS does.
//
// AWS implements them in Java, and it shows: States.Format prints objects as
// {a=1, b=[]}, numbers that must be integers are rounded as Math.round
// rounds, States.StringSplit splits at any character of its delimiter as
// java.util.StringTokenizer does. The function comments name each such
// behaviour and the recorded execution that shows it.
//
// The package parses and evaluates; it resolves no paths. Eval hands each
// path argument's text ("$.a", "$$.Execution.Id", "$var.x") to the caller's
// Resolver, which owns the state input, the context object and the
// variables. It does no I/O and imports nothing of the project but value.
//
//	c, err := intrinsic.Parse("States.Format('Hello {}', $.name)")
//	if err != nil {
//		return err // a *SyntaxError: bad syntax, unknown function, wrong arity
//	}
//	v, err := c.Eval(&intrinsic.Env{Resolve: func(path string) (any, error) {
//		return jsonpath.MustParse(path).Get(input)
//	}})
//	// v == "Hello World"; a failing function returns an *Error named
//	// States.IntrinsicFailure.
package intrinsic
