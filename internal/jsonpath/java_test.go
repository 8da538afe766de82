package jsonpath

import (
	"math"
	"testing"

	"github.com/batonrun/baton/internal/value"
)

func TestJavaDouble(t *testing.T) {
	t.Parallel()
	cases := map[float64]string{
		1.5: "1.5", 0.001: "0.001", 1e-4: "1.0E-4", 1234567.5: "1234567.5", 1e7: "1.0E7",
		12345678.9: "1.23456789E7", -2.5e-10: "-2.5E-10", 0.1: "0.1", 100.25: "100.25",
		math.Inf(1): "Infinity", 0: "0.0",
	}
	for f, want := range cases {
		if got := string(appendJavaDouble(nil, f)); got != want {
			t.Errorf("Double.toString(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestBigDecimalString(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"1": "1", "1.0": "1.0", "-0": "0", "007": "7", "1e5": "1E+5", "1.0E20": "1.0E+20",
		"1.0E-5": "0.000010", "1E-7": "1E-7", "0.00": "0.00", "+3.14": "3.14", ".5": "0.5", "5.": "5",
		"12.5e1": "125", "123E-2": "1.23",
	}
	for in, want := range cases {
		got, ok := bigDecimalString(in)
		if !ok || got != want {
			t.Errorf("new BigDecimal(%q).toString() = %q, %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-", ".", "1e", "1e+", "a", "1.2.3", "--1", " 1", "1 "} {
		if got, ok := bigDecimalString(in); ok {
			t.Errorf("new BigDecimal(%q) = %q, want NumberFormatException", in, got)
		}
	}
}

func TestJavaStringOfValues(t *testing.T) {
	t.Parallel()
	v := value.MustDecode(`{"a":1,"b":[1.5,"x",null,true],"c":{}}`)
	if got, want := javaString(v), "{a=1, b=[1.5, x, null, true], c={}}"; got != want {
		t.Errorf("javaString = %q, want %q", got, want)
	}
}

func TestJavaUnescape(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`a\'b`: `a'b`, `a\\b`: `a\b`, `\n\t`: "\n\t", `\u0041\u00e9`: "Aé", `\ud83d\ude00`: "😀",
		`\q`: "q", `end\`: `end\`, `\u12`: "",
	}
	for in, want := range cases {
		got, err := javaUnescape(in)
		if err != nil || got != want {
			t.Errorf("unescape(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
}

func TestCompareJava(t *testing.T) {
	t.Parallel()
	// U+FFFD sorts after U+1F600 in UTF-16 order, before it in code points.
	if compareJava("\uFFFD", "😀") <= 0 {
		t.Error("compareJava does not follow UTF-16 order")
	}
	if compareJava("a", "b") >= 0 || compareJava("b", "a") <= 0 || compareJava("ab", "ab") != 0 || compareJava("a", "ab") >= 0 {
		t.Error("compareJava is wrong on ASCII")
	}
}
