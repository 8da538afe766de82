// Package jsonata owns Baton's JSONata engine: a parser and evaluator for
// JSONata 2.x expressions with the semantics of jsonata-js 2.2 (the
// reference implementation AWS Step Functions follows), including its error
// codes and messages and every function of its standard library.
//
// Inputs and results are values of package value (nil, bool, float64,
// string, []any, *value.Object). Internally the engine also has JSONata's
// undefined, result sequences, tuple streams and function values; none of
// these leaves the package except functions, which are returned as
// *Function so that callers can detect them with IsFunction, or anywhere
// inside a result with ContainsFunction (Step Functions rejects a function
// result). An error returned by a function made with NewFunction stays
// reachable through errors.As on the *Error that Evaluate returns.
//
// The package is pure: it imports only the standard library and package
// value, does no I/O, keeps no global mutable state beyond bounded caches of
// analysed picture strings, and must not learn about Step Functions (the
// interpreter adds $partition, $hash and the like through
// Options.Functions). A compiled *Expr is immutable and safe for concurrent
// Evaluate calls.
//
//	expr, err := jsonata.Compile(`$sum(Account.Order.Product.(Price * Quantity))`)
//	if err != nil {
//		return err // a *jsonata.Error with a code such as S0202
//	}
//	result, defined, err := expr.Evaluate(input, &jsonata.Options{
//		Bindings: map[string]any{"states": states},
//		Timeout:  time.Second,
//	})
//
// Deviations from jsonata-js:
//
//   - Regular expressions are translated from JavaScript syntax to Go's RE2.
//     Lookahead, lookbehind and backreferences are not supported and fail
//     to compile with code S0303 (a code jsonata-js does not have). Case
//     folding under the i flag and \w, \d, \b follow RE2 (ASCII for the
//     character classes, as JavaScript without the u flag).
//   - The depth and time guards (Options.MaxDepth, Options.Timeout) fail
//     with code U1001, as jsonata-js's test harness reports them, rather
//     than jsonata-js's own D1011/D1012 options.
//   - Strings are UTF-8; functions that count characters count code points,
//     as jsonata-js does, and $match reports UTF-16 offsets, as JavaScript
//     does. An object's integer-like keys keep insertion order, where a
//     JavaScript object would list them first.
package jsonata
