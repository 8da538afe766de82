package value

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// appendNumberDigits is AppendNumber as it was written before it used
// strconv's 'f' format: ECMA-262's Number::toString steps over the shortest
// round-trip digits. TestAppendNumberMatchesDigitAlgorithm keeps the two in
// agreement.
func appendNumberDigits(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	if f == 0 {
		return append(dst, '0')
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 && math.Abs(f) < 1<<63 {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	e := strconv.AppendFloat(nil, f, 'e', -1, 64)
	neg := e[0] == '-'
	if neg {
		e = e[1:]
	}
	mant, exp, _ := strings.Cut(string(e), "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	n := x + 1 // position of the decimal point relative to the digits
	k := len(digits)
	if neg {
		dst = append(dst, '-')
	}
	switch {
	case k <= n && n <= 21:
		dst = append(dst, digits...)
		for i := 0; i < n-k; i++ {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, digits[:n]...)
		dst = append(dst, '.')
		dst = append(dst, digits[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for i := 0; i < -n; i++ {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	default:
		dst = append(dst, digits[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}

// numberCases returns edge cases of AppendNumber (range boundaries, their
// neighbours, extremes) followed by n random floats drawn from every
// exponent, from decimal literals and from plain integers.
func numberCases(n int) []float64 {
	fs := []float64{
		0, math.Copysign(0, -1), 1, -1, 0.1, 0.5, 1.5, 100, 123.456, -2.5e25, 1e20, 1e21, 1e-6, 1e-7, 1.5e-7,
		0.000001, 0.0000012345678901234567, 9.999999999999999e-7, 9.999999999999999e20, 1e15 + 0.5,
		1 << 52, 1<<52 + 1, 1<<53 - 1, 1 << 53, 1<<53 + 2, 1 << 62, 1 << 63, 1 << 64, -(1 << 63), 4503599627370495.5,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308, math.MaxInt64, math.MinInt64,
		math.Pi, math.E, 1.0 / 3, 2.0 / 3, 0.1 + 0.2, 5e-324, 1e300, 1e-300, 123e18, 1.7976931348623157e308,
		math.Inf(1), math.Inf(-1), math.NaN(),
	}
	for _, b := range []float64{1e-6, 1e-7, 1e21, 1e20, 1 << 63, 1 << 53} {
		for _, s := range []float64{b, -b} {
			fs = append(fs, s, math.Nextafter(s, 0), math.Nextafter(s, math.Inf(1)), math.Nextafter(s, math.Inf(-1)))
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < n; i++ {
		var f float64
		switch i % 4 {
		case 0: // any bit pattern
			f = math.Float64frombits(r.Uint64())
		case 1: // a decimal literal such as 49.5 or 0.00012
			f, _ = strconv.ParseFloat(strconv.Itoa(r.IntN(1_000_000))+"e"+strconv.Itoa(r.IntN(40)-25), 64)
		case 2: // a magnitude in the fixed-notation range and around it
			f = math.Pow(10, r.Float64()*30-8) * float64(1-2*r.IntN(2))
		default: // an integer of up to 70 bits
			f = math.Ldexp(float64(r.Uint64()>>11), r.IntN(18))
		}
		fs = append(fs, f)
	}
	return fs
}

func TestAppendNumberMatchesDigitAlgorithm(t *testing.T) {
	t.Parallel()
	for _, f := range numberCases(400_000) {
		want := string(appendNumberDigits(nil, f))
		if got := string(AppendNumber(nil, f)); got != want {
			t.Fatalf("AppendNumber(%b = %v) = %s, want %s", f, f, got, want)
		}
		if got := string(AppendNumber([]byte("x"), f)); got != "x"+want {
			t.Fatalf("AppendNumber(x, %v) = %s, want x%s", f, got, want)
		}
	}
}

func TestAppendNumberAllocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	for _, f := range []float64{49.5, 1.5e-7, 1e21, -2.5e25, 123456789, 1 << 64} {
		if n := testing.AllocsPerRun(100, func() { buf = AppendNumber(buf[:0], f) }); n != 0 {
			t.Errorf("AppendNumber(%v) allocates %v times", f, n)
		}
	}
}

func TestEncodeMatchesAppendEncode(t *testing.T) {
	t.Parallel()
	for _, v := range encodeCases() {
		want := string(AppendEncode(nil, v))
		if got := string(Encode(v)); got != want {
			t.Errorf("Encode = %s, want %s", got, want)
		}
		if got := EncodeString(v); got != want {
			t.Errorf("EncodeString = %s, want %s", got, want)
		}
	}
}

// appendQuoteBytes is AppendQuote as it was written before it tested 8 bytes
// at a time: the reference for TestAppendQuote.
func appendQuoteBytes(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, "\ufffd"...)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		default:
			dst = append(dst, c)
		}
		i++
	}
	return append(dst, '"')
}

// quoteCases returns strings with every kind of byte at every offset of an
// 8-byte word, and random strings of bytes that need escaping or checking.
func quoteCases() []string {
	var ss []string
	for _, c := range []string{"\"", "\\", "\x00", "\x1f", "\x20", "\x7f", "\x80", "\xff", "é", "😀", "\xe2\x82", "!", "#", "[", "]", "\x21", "\x5b", "\x5d"} {
		for n := 0; n < 20; n++ {
			ss = append(ss, strings.Repeat("a", n)+c, strings.Repeat("a", n)+c+strings.Repeat("b", 20-n))
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.IntN(40))
		for j := range b {
			if r.IntN(4) == 0 {
				b[j] = byte(r.IntN(256))
			} else {
				b[j] = byte('a' + r.IntN(26))
			}
		}
		ss = append(ss, string(b))
	}
	return ss
}

func TestAppendQuote(t *testing.T) {
	t.Parallel()
	for _, s := range quoteCases() {
		want := string(appendQuoteBytes(nil, s))
		if got := string(AppendQuote(nil, s)); got != want {
			t.Fatalf("AppendQuote(%q) = %s, want %s", s, got, want)
		}
		if got := quotedLen(s); got != len(want) {
			t.Fatalf("quotedLen(%q) = %d, want %d", s, got, len(want))
		}
	}
}

func TestAppendEncodeQuoted(t *testing.T) {
	t.Parallel()
	vs := encodeCases()
	for _, s := range quoteCases()[:2000] {
		vs = append(vs, s, ObjectOf(s, []any{s, 1.5}))
	}
	for _, v := range vs {
		want := string(AppendQuote([]byte("x"), EncodeString(v)))
		if got := string(AppendEncodeQuoted([]byte("x"), v)); got != want {
			t.Fatalf("AppendEncodeQuoted(%s) = %s, want %s", Encode(v), got, want)
		}
	}
}
