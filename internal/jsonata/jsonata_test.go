package jsonata

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/batonrun/baton/internal/value"
)

// exportForCompare maps a result to JSON the way testdata/semantics.json
// records jsonata-js results: functions as "<fn>", NaN and infinities as
// null.
func exportForCompare(v any) any {
	switch t := v.(type) {
	case *Function:
		return "<fn>"
	case float64:
		if t != t || t > 1.7976931348623157e308 || t < -1.7976931348623157e308 {
			return nil
		}
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = exportForCompare(e)
		}
		return out
	case *value.Object:
		o := value.NewObject(t.Len())
		for _, m := range t.Members() {
			o.Set(m.Key, exportForCompare(m.Value))
		}
		return o
	}
	return v
}

// TestSemantics checks tricky expressions (paths and flattening, tuple
// binding, parent, grouping, number formatting, dates, regexes, errors)
// against results recorded from jsonata-js 2.2.2.
func TestSemantics(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/semantics.json")
	if err != nil {
		t.Fatal(err)
	}
	suite := value.MustDecode(string(b)).(*value.Object)
	data, _ := suite.Get("data")
	cases, _ := suite.Get("cases")
	for _, c := range cases.([]any) {
		c := c.(*value.Object)
		exprV, _ := c.Get("expr")
		src := exprV.(string)
		t.Run(src, func(t *testing.T) {
			var got any
			r, defined, err := evaluate(src, data)
			switch {
			case err != nil:
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %v is not an *Error", err)
				}
				got = value.ObjectOf("code", e.Code)
			case !defined:
				got = value.ObjectOf("undefined", true)
			default:
				got = value.ObjectOf("result", exportForCompare(r))
			}
			want := value.NewObject(1)
			for _, k := range []string{"code", "undefined", "result"} {
				if v, ok := c.Get(k); ok {
					want.Set(k, v)
				}
			}
			if !value.Equal(want, got) {
				t.Errorf("got %s, want %s", value.EncodeString(got), value.EncodeString(want))
			}
		})
	}
}

func evaluate(src string, input any) (any, bool, error) {
	e, err := Compile(src)
	if err != nil {
		return nil, false, err
	}
	return e.Evaluate(input, nil)
}

var errFailed = errors.New("it failed")

func TestEvaluateAPI(t *testing.T) {
	t.Parallel()
	input := value.MustDecode(`{"a": [1, 2, 3], "s": "x"}`)
	double, err := NewFunction("double", "<n-:n>", func(args []any) (any, error) {
		return args[0].(float64) * 2, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	nothing, err := NewFunction("nothing", "<x?:x>", func(args []any) (any, error) {
		return nil, ErrUndefined
	})
	if err != nil {
		t.Fatal(err)
	}
	failing, err := NewFunction("fail", "", func(args []any) (any, error) {
		return nil, errFailed
	})
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		name      string
		expr      string
		opts      *Options
		input     any
		want      string // JSON of the result; "" for undefined
		wantCode  string
		wantMsg   string
		wantFuncs bool
	}{
		{name: "path", expr: "a[1]", want: "2"},
		{name: "sequence result is an array", expr: "a[$ > 1]", want: "[2,3]"},
		{name: "singleton array kept", expr: "a[$ > 2][]", want: "[3]"},
		{name: "undefined", expr: "missing", want: ""},
		{name: "null is defined", expr: "null", want: "null"},
		{name: "undefined input", expr: "$exists($)", opts: &Options{InputUndefined: true}, want: "false"},
		{name: "binding", expr: "$states.input.n + 1", opts: &Options{Bindings: map[string]any{"states": value.MustDecode(`{"input":{"n":41}}`)}}, want: "42"},
		{name: "function binding", expr: "$double(21)", opts: &Options{Bindings: map[string]any{"double": double}}, want: "42"},
		{name: "extra built-in", expr: "a.$double()", opts: &Options{Functions: map[string]*Function{"double": double}}, want: "[2,4,6]"},
		{name: "extra built-in as argument", expr: "$map(a, $double)", opts: &Options{Functions: map[string]*Function{"double": double}}, want: "[2,4,6]"},
		{name: "built-in signature checked", expr: "$double('x')", opts: &Options{Functions: map[string]*Function{"double": double}}, wantCode: "T0410"},
		{name: "native undefined result", expr: "$nothing(1)", opts: &Options{Functions: map[string]*Function{"nothing": nothing}}, want: ""},
		{name: "native error", expr: "$fail()", opts: &Options{Functions: map[string]*Function{"fail": failing}}, wantCode: "D3137", wantMsg: "it failed"},
		{name: "clock", expr: "$now()", opts: &Options{Now: clock}, want: `"2024-02-29T12:00:00.000Z"`},
		{name: "millis", expr: "$millis()", opts: &Options{Now: clock}, want: "1709208000000"},
		{name: "function result", expr: "function($x){$x}", wantFuncs: true},
		{name: "function inside object", expr: "{'f': $sum}", wantFuncs: true},
		{name: "type error message", expr: "1 + 'a'", wantCode: "T2002", wantMsg: `The right side of the "+" operator must evaluate to a number`},
		{name: "syntax error", expr: "a.(", wantCode: "S0203"},
		{name: "unknown function", expr: "$nope()", wantCode: "T1006"},
		{name: "depth guard", expr: "($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(1000))", opts: &Options{MaxDepth: 100}, wantCode: "U1001"},
		{name: "tail calls do not grow the depth", expr: "($f := function($n, $acc){$n = 0 ? $acc : $f($n - 1, $acc + 1)}; $f(100000, 0))", opts: &Options{MaxDepth: 100}, want: "100000"},
		{name: "timeout", expr: "($f := function(){$f()}; $f())", opts: &Options{Timeout: 50 * time.Millisecond}, wantCode: "U1001", wantMsg: "Expression evaluation timeout: Check for infinite loop"},
		{name: "input array is wrapped", expr: "$", input: value.MustDecode(`[1,2]`), want: "[1,2]"},
		{name: "input array paths", expr: "$[0]", input: value.MustDecode(`[[1,2]]`), want: "[1,2]"},
		{name: "error function", expr: "$error('custom')", wantCode: "D3137", wantMsg: "custom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, err := Compile(tc.expr)
			var r any
			var defined bool
			if err == nil {
				in := tc.input
				if in == nil {
					in = input
				}
				r, defined, err = e.Evaluate(in, tc.opts)
			}
			if tc.wantCode != "" {
				var je *Error
				if !errors.As(err, &je) || je.Code != tc.wantCode {
					t.Fatalf("got error %v, want code %s", err, tc.wantCode)
				}
				if tc.wantMsg != "" && je.Error() != tc.wantMsg {
					t.Errorf("got message %q, want %q", je.Error(), tc.wantMsg)
				}
				if tc.wantMsg == errFailed.Error() && !errors.Is(err, errFailed) {
					t.Errorf("error %v does not wrap the function's error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantFuncs {
				if !defined || !ContainsFunction(r) {
					t.Fatalf("got %v, want a function", r)
				}
				return
			}
			if tc.want == "" {
				if defined {
					t.Fatalf("got %s, want undefined", value.EncodeString(r))
				}
				return
			}
			if !defined || !value.Equal(r, value.MustDecode(tc.want)) {
				t.Fatalf("got %s (defined %v), want %s", value.EncodeString(r), defined, tc.want)
			}
		})
	}
}

// TestConcurrentEvaluate evaluates one expression from many goroutines;
// run with -race.
func TestConcurrentEvaluate(t *testing.T) {
	t.Parallel()
	e := MustCompile(`(
		$total := $sum(orders.items.(qty * price));
		$byStatus := orders{status: $count(id)};
		{"total": $total, "byStatus": $byStatus, "ids": orders^(>id)[[0..1]].id,
		 "t": orders[0] ~> |items|{"qty": qty + 1}|}
	)`)
	input := value.MustDecode(`{"orders": [
		{"id": "a", "status": "new", "items": [{"qty": 1, "price": 2}, {"qty": 3, "price": 4}]},
		{"id": "b", "status": "done", "items": {"qty": 5, "price": 6}},
		{"id": "c", "status": "new", "items": []}]}`)
	want, _, err := e.Evaluate(input, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				got, _, err := e.Evaluate(input, nil)
				if err != nil || !value.Equal(got, want) {
					errs <- "concurrent evaluation differed"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Fatal(msg)
	}
	if s := value.EncodeString(input); !strings.Contains(s, `{"qty":1,"price":2}`) {
		t.Fatalf("transform modified the input: %s", s)
	}
}

func TestExprString(t *testing.T) {
	t.Parallel()
	const src = "a.b[0]"
	if got := MustCompile(src).String(); got != src {
		t.Fatalf("String() = %q, want %q", got, src)
	}
}
