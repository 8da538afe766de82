package value

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
)

func TestDecodeEncodeRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{`{"b":1,"a":2}`, `{"b":1,"a":2}`},
		{` [ 1 , 2.5 , -0.5e3 , true , false , null ] `, `[1,2.5,-500,true,false,null]`},
		{`"a\u00e9\n\"\\\/"`, `"aé\n\"\\/"`},
		{`"\ud83d\ude00"`, `"😀"`},
		{`{"a":{"b":[{}]},"a":3}`, `{"a":3}`},
		{`1e21`, `1e+21`},
		{`123456789012345678`, `123456789012345680`},
		{`0.000001`, `0.000001`},
		{`1e-7`, `1e-7`},
		{`"<&>"`, `"<&>"`},
		{`"\u0001"`, `"\u0001"`},
	}
	for _, c := range cases {
		v, err := DecodeString(c.in)
		if err != nil {
			t.Fatalf("Decode(%s): %v", c.in, err)
		}
		if got := EncodeString(v); got != c.want {
			t.Errorf("Encode(Decode(%s)) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{``, `{`, `[1,]`, `{"a":1,}`, `01`, `1.`, `.5`, `+1`, `tru`, `"a`, "\"a\x01\"", `{"a" 1}`, `1 2`, `1e400`, `{a:1}`, `"\x"`} {
		if _, err := DecodeString(in); err == nil {
			t.Errorf("Decode(%q) succeeded, want an error", in)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	cases := map[float64]string{
		0: "0", 1: "1", -1: "-1", 0.1: "0.1", 1.5: "1.5", 100: "100", 1e20: "100000000000000000000",
		1e21: "1e+21", 1.5e-7: "1.5e-7", 1e-6: "0.000001", 123.456: "123.456", -2.5e25: "-2.5e+25",
		math.MaxFloat64: "1.7976931348623157e+308", 5e-324: "5e-324", math.Inf(1): "null",
	}
	for f, want := range cases {
		if got := FormatNumber(f); got != want {
			t.Errorf("FormatNumber(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestObjectOrderAndIndex(t *testing.T) {
	t.Parallel()
	o := NewObject(0)
	for i := 0; i < 40; i++ {
		o.Set(string(rune('A'+i)), float64(i))
	}
	o.Set("C", "replaced")
	o.Delete("B")
	keys := o.Keys()
	if keys[0] != "A" || keys[1] != "C" || len(keys) != 39 {
		t.Fatalf("keys = %v", keys)
	}
	if v, _ := o.Get("C"); v != "replaced" {
		t.Fatalf("C = %v", v)
	}
	if v, ok := o.Get(string(rune('A' + 39))); !ok || v != 39.0 {
		t.Fatalf("last = %v %v", v, ok)
	}
	c := Clone(o).(*Object)
	c.Set("A", "changed")
	if v, _ := o.Get("A"); v != 0.0 {
		t.Fatalf("Clone shares members: A = %v", v)
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	a := MustDecode(`{"x":[1,{"y":null}],"z":"s"}`)
	b := MustDecode(`{"z":"s","x":[1.0,{"y":null}]}`)
	if !Equal(a, b) {
		t.Fatal("equal values reported different")
	}
	if Equal(a, MustDecode(`{"z":"s","x":[1,{"y":false}]}`)) {
		t.Fatal("different values reported equal")
	}
}

func TestEncodeIndent(t *testing.T) {
	t.Parallel()
	got := string(EncodeIndent(MustDecode(`{"a":[1,2],"b":{}}`), "  "))
	want := "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// FuzzDecode checks that Decode agrees with encoding/json on validity, and
// that whatever it accepts re-encodes to text that decodes to an equal value.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `"\ud83d\ude00"`, `-0.5e-3`, `[]`, `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		var std any
		stdErr := json.Unmarshal(data, &std)
		if (err == nil) != (stdErr == nil) {
			// encoding/json accepts numbers that overflow to ±Inf? No: it
			// rejects them too. Both must agree on everything else.
			t.Fatalf("Decode err=%v, encoding/json err=%v for %q", err, stdErr, data)
		}
		if err != nil {
			return
		}
		again, err := Decode(Encode(v))
		if err != nil {
			t.Fatalf("re-decode of %s: %v", Encode(v), err)
		}
		if !Equal(v, again) {
			t.Fatalf("round trip changed %s into %s", Encode(v), Encode(again))
		}
	})
}

func TestDecodeStrictRejectsDuplicateKeys(t *testing.T) {
	t.Parallel()
	_, err := DecodeStrict([]byte(`{"a":{"b":1,"b":2}}`))
	var dup *DuplicateKeyError
	if !errors.As(err, &dup) || dup.Key != "b" {
		t.Fatalf("err = %v, want a DuplicateKeyError for b", err)
	}
	if _, err := DecodeStrict([]byte(`{"a":{"b":1},"b":2}`)); err != nil {
		t.Fatalf("same key in different objects rejected: %v", err)
	}
}
