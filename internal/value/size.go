package value

import (
	"math"
	"unicode/utf8"
)

// EncodedLen returns len(Encode(v)), the length of v's compact JSON text, by
// walking v without writing the text. It does not allocate.
func EncodedLen(v any) int {
	switch t := v.(type) {
	case nil:
		return len("null")
	case bool:
		if t {
			return len("true")
		}
		return len("false")
	case float64:
		return numberLen(t)
	case int:
		return intLen(int64(t))
	case int64:
		return intLen(t)
	case string:
		return quotedLen(t)
	case []any:
		n := 2 + max(len(t)-1, 0) // brackets and commas
		for _, e := range t {
			n += EncodedLen(e)
		}
		return n
	case *Object:
		ms := t.Members()
		n := 2 + max(len(ms)-1, 0) // braces and commas
		for _, m := range ms {
			n += quotedLen(m.Key) + 1 + EncodedLen(m.Value)
		}
		return n
	default:
		return len("null")
	}
}

// EncodedLenExceeds reports whether len(Encode(v)) > limit. It first sums an
// upper bound of the length that costs one step per value, not per byte or
// digit, and walks v exactly (as EncodedLen) only when that bound passes
// limit; the answer is exact either way.
func EncodedLenExceeds(v any, limit int) bool {
	if limit < 0 {
		return true
	}
	if lenBound(v, limit) <= limit {
		return false
	}
	return EncodedLen(v) > limit
}

// maxNumberLen is the longest text AppendNumber writes for a float64:
// -0.0000012345678901234567 (25 bytes).
const maxNumberLen = 25

// maxQuoteExpansion is the most bytes AppendQuote writes for one byte of a
// string: a control character becomes \u00XX. (An invalid byte becomes the
// 3 bytes of U+FFFD.)
const maxQuoteExpansion = 6

// lenBound returns an upper bound of EncodedLen(v), or any number above
// limit as soon as the bound passes limit.
func lenBound(v any, limit int) int {
	switch t := v.(type) {
	case string:
		return 2 + maxQuoteExpansion*len(t)
	case []any:
		n := 2 + len(t)
		for _, e := range t {
			if n > limit {
				return n
			}
			n += lenBound(e, limit-n)
		}
		return n
	case *Object:
		ms := t.Members()
		n := 2 + len(ms)
		for _, m := range ms {
			if n > limit {
				return n
			}
			n += 3 + maxQuoteExpansion*len(m.Key)
			n += lenBound(m.Value, limit-n)
		}
		return n
	case float64:
		return maxNumberLen
	default:
		// null, booleans, int, int64 and values outside the model: at most
		// 20 bytes (math.MinInt64).
		return 20
	}
}

// numberLen returns len(AppendNumber(nil, f)).
func numberLen(f float64) int {
	if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return intLen(int64(f)) // also 0; NaN and infinities fail the test
	}
	var buf [32]byte
	return len(AppendNumber(buf[:0], f))
}

// intLen returns the number of bytes of i in decimal, with its sign.
func intLen(i int64) int {
	n := 1
	u := uint64(i)
	if i < 0 {
		n++
		u = -u
	}
	for u >= 10 {
		u /= 10
		n++
	}
	return n
}

// quotedLen returns len(AppendQuote(nil, s)).
func quotedLen(s string) int {
	n := 2 + len(s)
	for i := plainEnd(s, 0); i < len(s); i = plainEnd(s, i) {
		c := s[i]
		if c < utf8.RuneSelf {
			n += quoteExtra[c]
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			n += len("\ufffd") - 1
		}
		i += size
	}
	return n
}

// quoteExtra is how many bytes AppendQuote adds to an ASCII character it
// escapes: one for \", \\, \b, \f, \n, \r and \t, five for \u00XX.
var quoteExtra = [utf8.RuneSelf]int{
	0: 5, 1: 5, 2: 5, 3: 5, 4: 5, 5: 5, 6: 5, 7: 5, '\b': 1, '\t': 1, '\n': 1, 11: 5, '\f': 1, '\r': 1, 14: 5, 15: 5,
	16: 5, 17: 5, 18: 5, 19: 5, 20: 5, 21: 5, 22: 5, 23: 5, 24: 5, 25: 5, 26: 5, 27: 5, 28: 5, 29: 5, 30: 5, 31: 5,
	'"': 1, '\\': 1,
}
