package java

import (
	"math"
	"slices"
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
		if got := string(AppendDouble(nil, f)); got != want {
			t.Errorf("Double.toString(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestJavaStringOfValues(t *testing.T) {
	t.Parallel()
	v := value.MustDecode(`{"a":1,"b":[1.5,"x",null,true],"c":{}}`)
	if got, want := ValueOf(v), "{a=1, b=[1.5, x, null, true], c={}}"; got != want {
		t.Errorf("ValueOf = %q, want %q", got, want)
	}
}

func TestCompareJava(t *testing.T) {
	t.Parallel()
	// U+FFFD sorts after U+1F600 in UTF-16 order, before it in code points.
	if Compare("\uFFFD", "😀") <= 0 {
		t.Error("Compare does not follow UTF-16 order")
	}
	if Compare("a", "b") >= 0 || Compare("b", "a") <= 0 || Compare("ab", "ab") != 0 || Compare("a", "ab") >= 0 {
		t.Error("Compare is wrong on ASCII")
	}
}

func TestJavaRandom(t *testing.T) {
	t.Parallel()
	// Well-known values of new Random(seed).NextInt().
	for seed, want := range map[int64]int32{0: -1155484576, 42: -1170105035} {
		if got := NewRandom(seed).next(32); got != want {
			t.Errorf("new Random(%d).NextInt() = %d, want %d", seed, got, want)
		}
	}
	// new Random(42).NextInt(10) gives 0, 3, 8, 4, 0 in Java.
	r := NewRandom(42)
	var got []int32
	for i := 0; i < 5; i++ {
		got = append(got, r.NextInt(10))
	}
	if want := []int32{0, 3, 8, 4, 0}; !slices.Equal(got, want) {
		t.Errorf("new Random(42).NextInt(10) x5 = %v, want %v", got, want)
	}
}

func TestRandomNextDouble(t *testing.T) {
	t.Parallel()
	// new Random(42).nextDouble() in Java.
	if got, want := NewRandom(42).NextDouble(), 0.7275636800328681; got != want {
		t.Errorf("new Random(42).nextDouble() = %v, want %v", got, want)
	}
}

func TestRound(t *testing.T) {
	t.Parallel()
	for f, want := range map[float64]int64{2.5: 3, -2.5: -2, 1.49: 1, -1.5: -1, 0.5: 1, math.NaN(): 0} {
		if got := Round(f); got != want {
			t.Errorf("Math.round(%v) = %d, want %d", f, got, want)
		}
	}
}
