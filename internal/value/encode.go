package value

import (
	"math"
	"strconv"
	"sync"
	"unicode/utf8"
)

// Encode returns the compact JSON text of v, as JSON.stringify and Jackson
// write it: members in order, no HTML escaping, numbers as JavaScript prints
// them. NaN and infinities, which JSON cannot carry, encode as null. A Go
// value outside the model (see the package comment) encodes as null.
func Encode(v any) []byte {
	if lenBound(v, smallText) <= smallText {
		var stack [smallText]byte
		return append([]byte(nil), AppendEncode(stack[:0], v)...)
	}
	buf := encodeBuffers.Get().(*[]byte)
	b := AppendEncode((*buf)[:0], v)
	out := append([]byte(nil), b...)
	putEncodeBuffer(buf, b)
	return out
}

// EncodeString is Encode returning a string.
func EncodeString(v any) string {
	if lenBound(v, smallText) <= smallText {
		var stack [smallText]byte
		return string(AppendEncode(stack[:0], v))
	}
	buf := encodeBuffers.Get().(*[]byte)
	b := AppendEncode((*buf)[:0], v)
	out := string(b)
	putEncodeBuffer(buf, b)
	return out
}

// smallText is the size of the stack buffer Encode and EncodeString write a
// value's text into when lenBound says it fits.
const smallText = 256

// encodeBuffers holds scratch buffers for Encode and EncodeString, which
// write a larger value's text there and then copy it once into a result of
// the exact size, instead of growing a new buffer step by step.
var encodeBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, 1024)
	return &b
}}

// maxPooledBuffer is the largest scratch buffer put back into
// encodeBuffers, so that one large payload does not stay allocated.
const maxPooledBuffer = 64 * 1024

func putEncodeBuffer(buf *[]byte, b []byte) {
	if cap(b) > maxPooledBuffer {
		return
	}
	*buf = b
	encodeBuffers.Put(buf)
}

// AppendEncode appends the compact JSON text of v to dst.
func AppendEncode(dst []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		if t {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case float64:
		return AppendNumber(dst, t)
	case int:
		return strconv.AppendInt(dst, int64(t), 10)
	case int64:
		return strconv.AppendInt(dst, t, 10)
	case string:
		return AppendQuote(dst, t)
	case []any:
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendEncode(dst, e)
		}
		return append(dst, ']')
	case *Object:
		dst = append(dst, '{')
		for i, m := range t.Members() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendQuote(dst, m.Key)
			dst = append(dst, ':')
			dst = AppendEncode(dst, m.Value)
		}
		return append(dst, '}')
	default:
		return append(dst, "null"...)
	}
}

// EncodeIndent returns JSON text of v with each member and element on its own
// line, indented by indent per level, as JSON.stringify(v, null, indent).
func EncodeIndent(v any, indent string) []byte {
	return appendIndent(nil, v, indent, 0)
}

func appendIndent(dst []byte, v any, indent string, level int) []byte {
	newline := func(dst []byte, level int) []byte {
		dst = append(dst, '\n')
		for i := 0; i < level; i++ {
			dst = append(dst, indent...)
		}
		return dst
	}
	switch t := v.(type) {
	case []any:
		if len(t) == 0 {
			return append(dst, "[]"...)
		}
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, level+1)
			dst = appendIndent(dst, e, indent, level+1)
		}
		dst = newline(dst, level)
		return append(dst, ']')
	case *Object:
		if t.Len() == 0 {
			return append(dst, "{}"...)
		}
		dst = append(dst, '{')
		for i, m := range t.Members() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, level+1)
			dst = AppendQuote(dst, m.Key)
			dst = append(dst, ": "...)
			dst = appendIndent(dst, m.Value, indent, level+1)
		}
		dst = newline(dst, level)
		return append(dst, '}')
	default:
		return AppendEncode(dst, v)
	}
}

const hexDigits = "0123456789abcdef"

// quoteSpecial marks the bytes AppendQuote cannot copy as they are: the
// quote, the backslash and control characters, which it escapes, and the
// bytes of multi-byte UTF-8 sequences, which it validates.
var quoteSpecial = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf
	}
	return t
}()

// Byte-wise constants for plainEnd's word-at-a-time test.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainEnd returns the index of the first byte at or after i that
// quoteSpecial marks, or len(s). It tests 8 bytes at a time: a word holds
// no such byte when no byte has its high bit set, is below 0x20, or equals
// the quote or the backslash (x-ones &^ x has a high bit set exactly when
// some byte of x is zero, and likewise for below 0x20).
func plainEnd(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		q := w ^ (ones * '"')
		b := w ^ (ones * '\\')
		if (w|(w-ones*0x20)&^w|(q-ones)&^q|(b-ones)&^b)&highs != 0 {
			break
		}
	}
	for i < len(s) && !quoteSpecial[s[i]] {
		i++
	}
	return i
}

// AppendQuote appends s as a JSON string literal. Only the quote, the
// backslash and control characters are escaped; invalid UTF-8 becomes U+FFFD.
func AppendQuote(dst []byte, s string) []byte {
	return appendQuote(dst, s, false)
}

// appendQuote appends s as a JSON string literal; nested, it appends that
// literal's text escaped for use inside another JSON string, as
// AppendEncodeQuoted needs: its quotes and backslashes escaped once more.
func appendQuote(dst []byte, s string, nested bool) []byte {
	if nested {
		dst = append(dst, '\\')
	}
	dst = append(dst, '"')
	start := 0
	for i := plainEnd(s, 0); i < len(s); i = plainEnd(s, i) {
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			if nested {
				dst = append(dst, '\\', '\\')
			} else {
				dst = append(dst, '\\')
			}
			switch c {
			case '"', '\\':
				if nested {
					dst = append(dst, '\\')
				}
				dst = append(dst, c)
			case '\b':
				dst = append(dst, 'b')
			case '\f':
				dst = append(dst, 'f')
			case '\n':
				dst = append(dst, 'n')
			case '\r':
				dst = append(dst, 'r')
			case '\t':
				dst = append(dst, 't')
			default:
				dst = append(dst, 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\ufffd"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	if nested {
		dst = append(dst, '\\')
	}
	return append(dst, '"')
}

// AppendEncodeQuoted appends v's compact JSON text as a JSON string
// literal, as AWS history events carry payloads: what
// AppendQuote(dst, EncodeString(v)) appends, written in one pass without
// building the text first.
func AppendEncodeQuoted(dst []byte, v any) []byte {
	dst = append(dst, '"')
	dst = appendEncodeNested(dst, v)
	return append(dst, '"')
}

// appendEncodeNested appends v's JSON text escaped for use inside a JSON
// string.
func appendEncodeNested(dst []byte, v any) []byte {
	switch t := v.(type) {
	case string:
		return appendQuote(dst, t, true)
	case []any:
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendEncodeNested(dst, e)
		}
		return append(dst, ']')
	case *Object:
		dst = append(dst, '{')
		for i, m := range t.Members() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendQuote(dst, m.Key, true)
			dst = append(dst, ':')
			dst = appendEncodeNested(dst, m.Value)
		}
		return append(dst, '}')
	default:
		// null, booleans and numbers hold nothing to escape.
		return AppendEncode(dst, v)
	}
}

// FormatNumber formats f as JavaScript's Number.prototype.toString does:
// integers below 1e21 without a fraction or exponent, other values in the
// shortest form that reads back exactly, with an exponent outside
// [1e-6, 1e21). Integers of magnitude below 2^63 print every digit, as
// Jackson prints a long, where JavaScript would round them to 17 significant
// digits.
func FormatNumber(f float64) string {
	return string(AppendNumber(nil, f))
}

// AppendNumber appends FormatNumber(f) to dst; NaN and infinities append null.
// It allocates only when dst must grow.
func AppendNumber(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	if f == 0 {
		return append(dst, '0')
	}
	a := math.Abs(f)
	if f == math.Trunc(f) && a < 1<<63 {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	if a >= 1e-6 && a < 1e21 {
		// Shortest round-trip digits around the decimal point, as
		// JavaScript writes numbers in this range.
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	// Outside it JavaScript writes the shortest digits with an exponent, as
	// strconv's 'e' format does, but without the exponent's leading zeros
	// (1e-7, not 1e-07).
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	i := len(e) - 1
	for e[i-1] != '+' && e[i-1] != '-' {
		i--
	}
	// e[:i] ends with the exponent's sign; e[i:] is its digits.
	dst = append(dst, e[:i]...)
	for i < len(e)-1 && e[i] == '0' {
		i++
	}
	return append(dst, e[i:]...)
}
