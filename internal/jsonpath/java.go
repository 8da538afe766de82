package jsonpath

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/batonrun/baton/internal/value"
)

// AWS runs Jayway on the objects Jackson builds from JSON: LinkedHashMap,
// ArrayList, String, Integer, Long, Double and Boolean. The helpers here
// render values as those Java objects print themselves, because Jayway puts
// that text into its messages and compares numbers through their text.

// appendJava appends String.valueOf(v) for the Java object Jackson would have
// built for v: maps as {k=v, k2=v2}, lists as [a, b], strings raw.
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

func javaString(v any) string { return string(appendJava(nil, v)) }

// javaClassName names the Java class Jackson would have used for v.
func javaClassName(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "java.lang.Boolean"
	case float64:
		if isJavaInteger(t) {
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

// isJavaInteger reports whether Jackson would most likely have read f as an
// Integer or a Long: the model keeps no trace of how a number was written, so
// an integral value in long range is taken to have been written without a
// fraction or exponent.
func isJavaInteger(f float64) bool {
	return f == math.Trunc(f) && math.Abs(f) < 1<<63
}

// appendJavaNumber appends f as Integer.toString, Long.toString or
// Double.toString would print it (see isJavaInteger).
func appendJavaNumber(dst []byte, f float64) []byte {
	if isJavaInteger(f) {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	return appendJavaDouble(dst, f)
}

// appendJavaDouble appends Double.toString(f): the shortest digits that read
// back exactly, in plain notation with at least one fraction digit for
// magnitudes in [1e-3, 1e7), else as d.dddE±n.
func appendJavaDouble(dst []byte, f float64) []byte {
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

// bigDecimalString returns new BigDecimal(s).toString(), and false when s is
// not something BigDecimal accepts.
func bigDecimalString(s string) (string, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var digits []byte
	scale := 0
	seenDigit, seenPoint := false, false
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits = append(digits, c)
			seenDigit = true
			if seenPoint {
				scale++
			}
			continue
		}
		if c == '.' && !seenPoint {
			seenPoint = true
			continue
		}
		break
	}
	if !seenDigit {
		return "", false
	}
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return "", false
		}
		exp, err := strconv.Atoi(s[i+1:])
		if err != nil || exp > 1e9 || exp < -1e9 {
			return "", false
		}
		scale -= exp
	}
	// The unscaled value is a BigInteger: leading zeros go.
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	if len(digits) == 1 && digits[0] == '0' {
		neg = false
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	adjusted := -scale + len(digits) - 1
	switch {
	case scale == 0:
		b.Write(digits)
	case scale > 0 && adjusted >= -6:
		if len(digits) > scale {
			b.Write(digits[:len(digits)-scale])
			b.WriteByte('.')
			b.Write(digits[len(digits)-scale:])
		} else {
			b.WriteString("0.")
			b.WriteString(strings.Repeat("0", scale-len(digits)))
			b.Write(digits)
		}
	default:
		b.WriteByte(digits[0])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.Write(digits[1:])
		}
		b.WriteByte('E')
		if adjusted >= 0 {
			b.WriteByte('+')
		}
		b.WriteString(strconv.Itoa(adjusted))
	}
	return b.String(), true
}

// javaUnescape is Jayway's Utils.unescape, applied to string literals in
// filters: \\ \' \" \r \f \t \n \b and \uXXXX are decoded, a backslash before
// any other character is dropped, a trailing backslash is kept.
func javaUnescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var units []uint16
	var b strings.Builder
	flush := func() {
		if len(units) > 0 {
			b.WriteString(string(utf16.Decode(units)))
			units = units[:0]
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			flush()
			r, size := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += size
			continue
		}
		if i+1 >= len(s) {
			flush()
			b.WriteByte('\\')
			break
		}
		e := s[i+1]
		i += 2
		if e == 'u' {
			if len(s)-i < 4 {
				// Jayway drops an incomplete \u escape.
				i = len(s)
				continue
			}
			n, err := strconv.ParseUint(s[i:i+4], 16, 16)
			if err != nil {
				return "", &SyntaxError{Msg: "Unable to parse unicode value: " + s[i:i+4]}
			}
			units = append(units, uint16(n))
			i += 4
			continue
		}
		flush()
		switch e {
		case 'r':
			b.WriteByte('\r')
		case 'f':
			b.WriteByte('\f')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'b':
			b.WriteByte('\b')
		default:
			r, size := utf8.DecodeRuneInString(s[i-1:])
			b.WriteRune(r)
			i += size - 1
		}
	}
	flush()
	return b.String(), nil
}

// compareJava compares a and b as Java's String.compareTo does: by UTF-16
// code units, which orders supplementary characters below U+E000..U+FFFF.
func compareJava(a, b string) int {
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
