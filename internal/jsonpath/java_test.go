package jsonpath

import (
	"testing"
)

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
