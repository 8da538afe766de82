package jsonpath

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// AWS runs Jayway on the objects Jackson builds from JSON: LinkedHashMap,
// ArrayList, String, Integer, Long, Double and Boolean. The helpers here
// render values as those Java objects print themselves, because Jayway puts
// that text into its messages and compares numbers through their text.

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
