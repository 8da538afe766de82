package value

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// encodeCases returns values that exercise every branch of Encode: scalars,
// strings that need escapes or hold non-ASCII and invalid UTF-8, numbers at
// the edges of their formats, Go ints, values outside the model, nesting,
// and random documents.
func encodeCases() []any {
	strs := []string{
		"", "a", "hello world", `"`, `\`, `a"b\c`, "\b\f\n\r\t", "\x00\x01\x1f", "\x7f", "<&>", "/",
		"é", "日本語", "😀", "\ufffd", "\u2028\u2029", "\xff", "a\xffb", "\xed\xa0\x80", "\xe2\x82", "\xf0\x9f\x98",
		"\xc0\xaf", strings.Repeat("x\"\n\x02é\xff", 50),
	}
	vs := []any{nil, true, false, 0, -1, 42, int64(math.MinInt64), int64(math.MaxInt64), math.MinInt, struct{}{}, []int{1}, map[string]any{},
		[]any{}, []any(nil), (*Object)(nil), NewObject(0), []any{nil}, []any{1.0, "a", []any{}}}
	for _, s := range strs {
		vs = append(vs, s, ObjectOf(s, s), []any{s, s})
	}
	for _, f := range numberCases(200) {
		vs = append(vs, f)
	}
	vs = append(vs, MustDecode(`{"order":{"id":"ORD-1","lines":[{"sku":"A","qty":1,"price":49.5}],"note":null,"ok":true}}`))
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 500; i++ {
		vs = append(vs, randomValue(r, 4))
	}
	return vs
}

// edgeNumbers are numberCases' edge cases.
var edgeNumbers = numberCases(0)

// randomValue returns a random value nested up to depth levels, with
// strings drawn from bytes that need every kind of treatment.
func randomValue(r *rand.Rand, depth int) any {
	k := r.IntN(8)
	if depth == 0 {
		k %= 5
	}
	switch k {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return edgeNumbers[r.IntN(len(edgeNumbers))] * float64(r.IntN(3)-1)
	case 3:
		return math.Float64frombits(r.Uint64())
	case 4:
		return randomString(r)
	case 5:
		a := make([]any, r.IntN(5))
		for i := range a {
			a[i] = randomValue(r, depth-1)
		}
		return a
	default:
		o := NewObject(0)
		for n := r.IntN(6); n > 0; n-- {
			o.Set(randomString(r), randomValue(r, depth-1))
		}
		return o
	}
}

func randomString(r *rand.Rand) string {
	const pieces = "ab \"\\\x00\x1f\n\t\x7f\xff\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80"
	b := make([]byte, r.IntN(12))
	for i := range b {
		b[i] = pieces[r.IntN(len(pieces))]
	}
	return string(b)
}

func TestEncodedLen(t *testing.T) {
	t.Parallel()
	for _, v := range encodeCases() {
		want := len(Encode(v))
		if got := EncodedLen(v); got != want {
			t.Fatalf("EncodedLen(%s) = %d, want %d", Encode(v), got, want)
		}
		if b := lenBound(v, math.MaxInt); b < want {
			t.Fatalf("lenBound(%s) = %d, below the length %d", Encode(v), b, want)
		}
		for _, limit := range []int{want - 1, want, want + 1, want / 7, 0} {
			if got := EncodedLenExceeds(v, limit); got != (want > limit) {
				t.Fatalf("EncodedLenExceeds(%s, %d) = %v, length %d", Encode(v), limit, got, want)
			}
		}
	}
}

func TestNumberLenBound(t *testing.T) {
	t.Parallel()
	for _, f := range numberCases(100_000) {
		if n := len(AppendNumber(nil, f)); n > maxNumberLen {
			t.Fatalf("AppendNumber(%v) is %d bytes, more than maxNumberLen", f, n)
		}
	}
}

// TestEncodedLenExceedsAtLimit checks the exact answer where the cheap bound
// passes the limit: payloads one byte either side of 256 KiB, made of
// strings, numbers and escapes.
func TestEncodedLenExceedsAtLimit(t *testing.T) {
	t.Parallel()
	const limit = 256 * 1024
	build := func(n int, unit string) any {
		o := NewObject(2)
		o.Set("data", strings.Repeat(unit, n))
		nums := make([]any, 1000)
		for i := range nums {
			nums[i] = float64(i) + 0.25
		}
		o.Set("nums", nums)
		return o
	}
	for _, unit := range []string{"a", "\n", "\x01", "é", "\xff"} {
		base := len(Encode(build(0, unit)))
		per := len(Encode(unit)) - 2
		n := (limit - base) / per
		for _, k := range []int{n - 1, n, n + 1} {
			v := build(k, unit)
			want := len(Encode(v))
			if got := EncodedLenExceeds(v, limit); got != (want > limit) {
				t.Fatalf("unit %q, %d bytes: EncodedLenExceeds = %v", unit, want, got)
			}
			if got := EncodedLen(v); got != want {
				t.Fatalf("unit %q: EncodedLen = %d, want %d", unit, got, want)
			}
		}
	}
}

func TestEncodedLenAllocs(t *testing.T) {
	v := MustDecode(`{"order":{"id":"ORD-1","lines":[{"sku":"A\"é","qty":1,"price":49.5},1e-9,1e300],"ok":true}}`)
	if n := testing.AllocsPerRun(100, func() { EncodedLen(v) }); n != 0 {
		t.Errorf("EncodedLen allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { EncodedLenExceeds(v, 10) }); n != 0 {
		t.Errorf("EncodedLenExceeds allocates %v times", n)
	}
}

// FuzzEncodedLen checks AppendQuote against appendQuoteBytes, and EncodedLen,
// EncodedLenExceeds and AppendEncodeQuoted against Encode, on decoded
// documents, on the input as a raw string (any bytes, including
// invalid UTF-8) and on numbers from its first 8 bytes.
func FuzzEncodedLen(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,{"b":null}]}`, `"\ud83d\ude00\n\u0001"`, `-0.5e-3`, `[]`, "\xff\"\\", `1e21`, `0.000001`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := string(AppendQuote(nil, string(data))), string(appendQuoteBytes(nil, string(data))); got != want {
			t.Fatalf("AppendQuote(%q) = %s, want %s", data, got, want)
		}
		vs := []any{string(data)}
		if v, err := Decode(data); err == nil {
			vs = append(vs, v)
		}
		if len(data) >= 8 {
			var bits uint64
			for _, b := range data[:8] {
				bits = bits<<8 | uint64(b)
			}
			vs = append(vs, math.Float64frombits(bits))
		}
		for _, v := range vs {
			want := len(Encode(v))
			if got := EncodedLen(v); got != want {
				t.Fatalf("EncodedLen(%s) = %d, want %d", Encode(v), got, want)
			}
			for _, limit := range []int{want - 1, want} {
				if got := EncodedLenExceeds(v, limit); got != (want > limit) {
					t.Fatalf("EncodedLenExceeds(%s, %d) = %v", Encode(v), limit, got)
				}
			}
			if got, want := string(AppendEncodeQuoted(nil, v)), string(AppendQuote(nil, EncodeString(v))); got != want {
				t.Fatalf("AppendEncodeQuoted(%s) = %s, want %s", Encode(v), got, want)
			}
		}
	})
}

func benchmarkPayload() any {
	o := NewObject(0)
	for i := 0; i < 20; i++ {
		o.Set("key"+string(rune('a'+i)), ObjectOf("id", "ORD-2026-000123", "qty", float64(i), "price", 12.25+float64(i), "tags", []any{"gold", "GB", true}))
	}
	return o
}

func BenchmarkEncode(b *testing.B) {
	v := benchmarkPayload()
	b.ReportAllocs()
	for b.Loop() {
		Encode(v)
	}
}

func BenchmarkEncodeString(b *testing.B) {
	v := benchmarkPayload()
	b.ReportAllocs()
	for b.Loop() {
		_ = EncodeString(v)
	}
}

func BenchmarkEncodedLen(b *testing.B) {
	v := benchmarkPayload()
	b.ReportAllocs()
	for b.Loop() {
		EncodedLen(v)
	}
}

func BenchmarkEncodedLenExceeds(b *testing.B) {
	v := benchmarkPayload()
	b.ReportAllocs()
	for b.Loop() {
		EncodedLenExceeds(v, 256*1024)
	}
}
