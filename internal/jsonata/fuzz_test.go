package jsonata

import (
	"bufio"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/batonrun/baton/internal/value"
)

// Seeds: testdata/suite_exprs.txt holds the single-line expressions of the
// official JSONata test suite (MIT, jsonata-js 2.2.2), testdata/semantics.json
// the expressions of TestSemantics.
func addSeeds(f *testing.F) {
	file, err := os.Open("testdata/suite_exprs.txt")
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		f.Add(sc.Text())
	}
	if err := sc.Err(); err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile("testdata/semantics.json")
	if err != nil {
		f.Fatal(err)
	}
	cases, _ := value.MustDecode(string(b)).(*value.Object).Get("cases")
	for _, c := range cases.([]any) {
		e, _ := c.(*value.Object).Get("expr")
		f.Add(e.(string))
	}
}

func checkError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code == "" || e.Error() == "" {
		t.Fatalf("error %v (%T) is not an *Error with a code and message", err, err)
	}
}

func FuzzCompile(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Compile(src)
		if err != nil {
			checkError(t, err)
			return
		}
		if e.String() != src {
			t.Fatalf("String() = %q, want %q", e.String(), src)
		}
	})
}

var fuzzInput = value.MustDecode(`{"Account": {"Name": "Firefly", "Order": [
	{"OrderID": "order103", "Product": [{"Name": "Bowler Hat", "Price": 34.45, "Quantity": 2, "Tags": ["a", "b"]},
	                                    {"Name": "Trilby hat", "Price": 21.67, "Quantity": 1}]},
	{"OrderID": "order104", "Product": {"Name": "Cloak", "Price": 107.99, "Quantity": 1}}]},
	"nums": [3, 1, 4, 1, 5, 9, 2, 6], "s": "Hello World", "n": null, "b": true, "nested": [[1, [2]], {"x": [3]}]}`)

func FuzzEvaluate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Compile(src)
		if err != nil {
			return
		}
		r, defined, err := e.Evaluate(fuzzInput, &Options{MaxDepth: 300, Timeout: 200 * time.Millisecond})
		if err != nil {
			checkError(t, err)
			return
		}
		if defined {
			checkModel(t, r)
		} else if r != nil {
			t.Fatalf("undefined result carries %v", r)
		}
	})
}

// checkModel fails when v holds a type outside the value model other than
// *Function.
func checkModel(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case nil, bool, float64, string, *Function:
	case []any:
		for _, e := range x {
			checkModel(t, e)
		}
	case *value.Object:
		for _, m := range x.Members() {
			checkModel(t, m.Value)
		}
	default:
		t.Fatalf("result holds %T, outside the value model", v)
	}
}
