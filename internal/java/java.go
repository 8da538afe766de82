// Package java reproduces the Java behaviour that shows through AWS Step
// Functions: Step Functions is written in Java on Jackson's JSON objects, so
// String.valueOf of those objects, Double.toString, String.compareTo and
// String.length (UTF-16), Math.round and java.util.Random decide what users
// see in intrinsic functions, JSONPath filters and JSONata's $random(seed).
// One copy of each lives here, for jsonpath, intrinsic and asl.
//
//	java.ValueOf(value.MustDecode(`{"a":[1,"x"]}`)) // {a=[1, x]}
//	java.NewRandom(42).NextInt(10)                  // 0, as new Random(42).nextInt(10)
//
// The package does no I/O and imports only internal/value.
package java

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/batonrun/baton/internal/value"
)

// AppendValueOf appends String.valueOf(v) for the Java object Jackson would
// have built for v: maps as {k=v, k2=v2}, lists as [a, b], strings raw.
func AppendValueOf(dst []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, t)
	case float64:
		return AppendNumber(dst, t)
	case string:
		return append(dst, t...)
	case []any:
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendValueOf(dst, e)
		}
		return append(dst, ']')
	case *value.Object:
		dst = append(dst, '{')
		for i, m := range t.Members() {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, m.Key...)
			dst = append(dst, '=')
			dst = AppendValueOf(dst, m.Value)
		}
		return append(dst, '}')
	default:
		return append(dst, "null"...)
	}
}

// ValueOf returns String.valueOf(v) for the object Jackson builds for v.
func ValueOf(v any) string { return string(AppendValueOf(nil, v)) }

// ClassName names the Java class Jackson would have used for v.
func ClassName(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "java.lang.Boolean"
	case float64:
		if IsInteger(t) {
			if t >= math.MinInt32 && t <= math.MaxInt32 {
				return "java.lang.Integer"
			}
			return "java.lang.Long"
		}
		return "java.lang.Double"
	case string:
		return "java.lang.String"
	case []any:
		return "java.util.ArrayList"
	case *value.Object:
		return "java.util.LinkedHashMap"
	default:
		return "java.lang.Object"
	}
}

// IsInteger reports whether Jackson would most likely have read f as an
// Integer or a Long: the model keeps no trace of how a number was written, so
// an integral value in long range is taken to have been written without a
// fraction or exponent.
func IsInteger(f float64) bool {
	return f == math.Trunc(f) && math.Abs(f) < 1<<63
}

// AppendNumber appends f as Integer.toString, Long.toString or
// Double.toString would print it (see IsInteger).
func AppendNumber(dst []byte, f float64) []byte {
	if IsInteger(f) {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	return AppendDouble(dst, f)
}

// AppendDouble appends Double.toString(f): the shortest digits that read
// back exactly, in plain notation with at least one fraction digit for
// magnitudes in [1e-3, 1e7), else as d.dddE±n.
func AppendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		start := len(dst)
		dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
		if !strings.Contains(string(dst[start:]), ".") {
			dst = append(dst, ".0"...)
		}
		return dst
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // -d.ddde±xx
	mant, exp, _ := strings.Cut(string(e), "e")
	dst = append(dst, mant...)
	if !strings.Contains(mant, ".") {
		dst = append(dst, ".0"...)
	}
	dst = append(dst, 'E')
	x, _ := strconv.Atoi(exp)
	return strconv.AppendInt(dst, int64(x), 10)
}

// Compare compares a and b as Java's String.compareTo does: by UTF-16
// code units, which orders supplementary characters below U+E000..U+FFFF.
func Compare(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ka, kb := utf16Key(ra), utf16Key(rb)
			if ka != kb {
				if ka < kb {
					return -1
				}
				return 1
			}
			if ra < rb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	default:
		return 1
	}
}

// utf16Key is the first UTF-16 code unit of r.
func utf16Key(r rune) rune {
	if r >= 0x10000 {
		r1, _ := utf16.EncodeRune(r)
		return r1
	}
	return r
}

// Length is String.length(): the number of UTF-16 code units.
func Length(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// Round is Math.round: the nearest integer, halves rounded up (2.5 is 3,
// -2.5 is -2), saturating at the long range. The evidence is States.MathAdd,
// which AWS documents as rounding and which gives 3 for 1.49 + 1.5 and -1
// for -1.5 + 0.
func Round(f float64) int64 {
	if math.IsNaN(f) {
		return 0
	}
	r := math.Floor(f)
	if f-r >= 0.5 {
		r++
	}
	if r >= 1<<63 {
		return math.MaxInt64
	}
	if r < -(1 << 63) {
		return math.MinInt64
	}
	return int64(r)
}

// Random is java.util.Random's 48-bit linear congruential generator, so that
// a seeded States.MathRandom or $random gives AWS's numbers for the seed.
type Random struct{ seed int64 }

const (
	javaMultiplier = 0x5DEECE66D
	javaMask       = 1<<48 - 1
)

// NewRandom seeds a generator as new java.util.Random(seed) does.
func NewRandom(seed int64) *Random {
	return &Random{seed: (seed ^ javaMultiplier) & javaMask}
}

func (r *Random) next(bits uint) int32 {
	r.seed = (r.seed*javaMultiplier + 0xB) & javaMask
	return int32(r.seed >> (48 - bits))
}

// NextInt returns a number in [0, bound), as Random.nextInt(bound); bound
// must be positive.
func (r *Random) NextInt(bound int32) int32 {
	v := r.next(31)
	m := bound - 1
	if bound&m == 0 {
		return int32((int64(bound) * int64(v)) >> 31)
	}
	for u := v; ; u = r.next(31) {
		v = u % bound
		if u-v+m >= 0 {
			return v
		}
	}
}

// NextDouble returns a number in [0, 1), as Random.nextDouble.
func (r *Random) NextDouble() float64 {
	return float64(int64(r.next(26))<<27+int64(r.next(27))) * (1.0 / (1 << 53))
}
