package intrinsic

import (
	"errors"
	"hash/fnv"
	"math/rand/v2"
	"testing"

	"github.com/batonrun/baton/internal/value"
)

// fuzzValues are what the fuzzer's resolver returns, chosen by the path.
var fuzzValues = []string{
	`null`, `true`, `0`, `-1.5`, `3`, `1e300`, `""`, `"a,b,,c"`, `"{\"a\":[1,2]}"`, `"SGVsbG8="`,
	`"It's {} and {}"`, `"MD5"`, `[]`, `[1,"1",1,{"a":1},{"a":1}]`, `{"a":{"b":[null]}}`, `{"x":1,"y":"z"}`,
}

// FuzzParse checks that Parse never panics, that a call's text parses to
// the same call, and that Eval never panics and gives the same answer twice
// given the same resolver and random source.
func FuzzParse(f *testing.F) {
	// Seeds from the recorded executions and the AWS documentation.
	for _, s := range []string{
		"States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)",
		"States.Format('Hello {}, welcome to {}!', $name, $place)",
		"States.Format($AnswerTemplate, $$.Map.Item.Value)",
		"States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
		"States.MathAdd(States.MathAdd(States.MathAdd($yCurrent, $xCurrent), $zCurrent), $bias)",
		`States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $$.Execution.Input.input_field, false)`,
		"States.StringSplit('Hello\nWorld', '\n')", "States.ArrayRange(0, 3, 1)", "States.Hash($inputString, 'SHA-256')",
		"States.Base64Decode($encodedString)", "States.UUID()", "States.MathRandom($.a, $.b, 7)",
		"States.ArrayPartition($.a, 2)", "States.ArrayUnique($.a)", "States.ArrayContains($.a, 1)",
		`States.Format('\{\} {} \\ \'', $.x)`, "States.JsonToString($.a[?(@.b == 'c, d')])",
		"States.Array('Foo', 2020, $.someJson, null, -1.5e3, true)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) returned %T, want *SyntaxError", s, err)
			}
			return
		}
		again, err := Parse(c.String())
		if err != nil {
			t.Fatalf("Parse(%q) failed on its own String %q: %v", s, c.String(), err)
		}
		if again.Name() != c.Name() || len(again.Paths()) != len(c.Paths()) {
			t.Fatalf("Parse(%q) and Parse(String()) differ", s)
		}
		resolve := func(p string) (any, error) {
			h := fnv.New32a()
			h.Write([]byte(p))
			return value.MustDecode(fuzzValues[h.Sum32()%uint32(len(fuzzValues))]), nil
		}
		eval := func() (any, error) {
			return c.Eval(&Env{
				Resolve: resolve,
				Rand:    rand.New(rand.NewPCG(1, 2)),
				NewUUID: func() string { return "00000000-0000-4000-8000-000000000000" },
			})
		}
		v1, err1 := eval()
		v2, err2 := eval()
		if err1 != nil {
			var ie *Error
			if !errors.As(err1, &ie) || ie.Name != ErrorName {
				t.Fatalf("Eval(%q) returned %v, want an *Error", s, err1)
			}
			if err2 == nil || err2.Error() != err1.Error() {
				t.Fatalf("Eval(%q) failed with %v, then %v", s, err1, err2)
			}
			return
		}
		if err2 != nil || value.EncodeString(v1) != value.EncodeString(v2) {
			t.Fatalf("Eval(%q) gave %s, then %s, %v", s, value.Encode(v1), value.Encode(v2), err2)
		}
	})
}
