package intrinsic

import (
	"math"
	"strconv"
	"strings"

	"github.com/batonrun/baton/internal/value"
)

// AWS implements the intrinsic functions in Java on the objects Jackson
// builds from JSON. These helpers reproduce the Java behaviour that shows
// through: how objects print, how numbers round, java.util.Random.

// appendJava appends String.valueOf(v) for the Java object Jackson builds
// for v: objects as {k=v, k2=v2}, arrays as [a, b], strings raw, integral
// numbers without a fraction, other numbers as Double.toString prints them.
// States.Format renders its arguments this way.
func appendJava(dst []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, t)
	case float64:
		return appendJavaNumber(dst, t)
	case string:
		return append(dst, t...)
	case []any:
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendJava(dst, e)
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
			dst = appendJava(dst, m.Value)
		}
		return append(dst, '}')
	default:
		return append(dst, "null"...)
	}
}

// appendJavaNumber prints f as Jackson's Integer or Long would when f is
// integral and in long range (the model cannot tell 1 from 1.0, and 1 is the
// common case), else as Double.toString: the shortest digits that read back
// exactly, plain for magnitudes in [1e-3, 1e7), d.dddE±n outside.
func appendJavaNumber(dst []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(string(e), "e")
	dst = append(dst, mant...)
	if !strings.Contains(mant, ".") {
		dst = append(dst, ".0"...)
	}
	x, _ := strconv.Atoi(exp)
	dst = append(dst, 'E')
	return strconv.AppendInt(dst, int64(x), 10)
}

// javaRound is Math.round: the nearest integer, halves rounded up (2.5 is 3,
// -2.5 is -2), saturating at the long range. The evidence is States.MathAdd,
// which AWS documents as rounding and which gives 3 for 1.49 + 1.5 and -1
// for -1.5 + 0.
func javaRound(f float64) int64 {
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

// javaRandom is java.util.Random, so that States.MathRandom with a seed
// gives the same sequence for the same seed.
type javaRandom struct{ seed int64 }

const (
	javaMultiplier = 0x5DEECE66D
	javaMask       = 1<<48 - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ javaMultiplier) & javaMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*javaMultiplier + 0xB) & javaMask
	return int32(r.seed >> (48 - bits))
}

// nextInt returns a number in [0, bound); bound must be positive.
func (r *javaRandom) nextInt(bound int32) int32 {
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

// javaLength is String.length(): the number of UTF-16 code units.
func javaLength(s string) int {
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
