// Package jsonpath owns JSONPath as AWS Step Functions evaluates it: the
// dialect of Java's Jayway JsonPath, which AWS uses for InputPath,
// OutputPath, ResultPath, ItemsPath, Choice variables and the ".$" fields of
// Parameters and ResultSelector.
//
// Parse compiles a path once; Get evaluates it and Set applies it as a
// ResultPath. A definite path (names and single indexes only, as Jayway
// defines it) yields one value or an error wrapping ErrNotFound; any other
// path yields a []any of its matches. Errors carry Jayway's own messages and
// JaywayString gives Jayway's normal form, because AWS quotes both in the
// causes it reports:
//
//	Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']
//
// Behaviour follows Jayway 2.4 (the version AWS's recorded behaviour points
// to) including its quirks; the comments at each quirk say which.
//
// The package works on the values of package value and does no I/O. It
// knows nothing of the context object ($$) or variables ($name): callers
// resolve the root those refer to and pass it in. Paths are immutable and
// safe for concurrent use; values returned by Get are shared with the input
// and must not be modified.
//
//	p, err := jsonpath.Parse("$.items[?(@.price < 10)].id")
//	if err != nil {
//		return err
//	}
//	ids, err := p.Get(input) // []any{...}
//
//	rp := jsonpath.MustParse("$.result")
//	out, err := rp.Set(input, result) // input is left unchanged
package jsonpath
