package jsonata

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsRegex is a compiled regular expression literal. JavaScript syntax is
// translated to Go's RE2 syntax; lookaround assertions and backreferences,
// which RE2 lacks, are rejected at compile time with S0303.
type jsRegex struct {
	source string
	re     *regexp.Regexp
}

// jsSpace is JavaScript's \s.
const jsSpace = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

func compileRegex(src, flags string) (*jsRegex, *Error) {
	translated, err := translateRegex(src)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if strings.Contains(flags, "i") {
		prefix += "i"
	}
	if strings.Contains(flags, "m") {
		prefix += "m"
	}
	if prefix != "" {
		translated = "(?" + prefix + ")" + translated
	}
	re, cerr := regexp.Compile(translated)
	if cerr != nil {
		return nil, &Error{Code: "S0303", Value: src, Message: "Unsupported regular expression syntax: " + cerr.Error()}
	}
	return &jsRegex{source: src, re: re}, nil
}

func translateRegex(src string) (string, *Error) {
	var b strings.Builder
	unsupported := func(what string) *Error {
		return &Error{Code: "S0303", Value: src, Message: "Unsupported regular expression syntax (" + what + "): " + src}
	}
	inClass := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			i++
			e := src[i]
			switch {
			case e == 's':
				if inClass {
					b.WriteString(jsSpace)
				} else {
					b.WriteString("[" + jsSpace + "]")
				}
			case e == 'S':
				if inClass {
					return "", unsupported(`\S in a class`)
				}
				b.WriteString("[^" + jsSpace + "]")
			case e == 'u' && i+4 < len(src):
				if _, err := strconv.ParseUint(src[i+1:i+5], 16, 32); err == nil {
					b.WriteString(`\x{` + src[i+1:i+5] + `}`)
					i += 4
				} else {
					b.WriteByte('u')
				}
			case e == 'c' && i+1 < len(src) && isASCIILetter(src[i+1]):
				b.WriteString(`\x{` + strconv.FormatInt(int64(src[i+1]%32), 16) + `}`)
				i++
			case e == '0':
				b.WriteString(`\x00`)
			case e >= '1' && e <= '9':
				return "", unsupported("backreference")
			case e == 'k':
				return "", unsupported("named backreference")
			case e == 'd', e == 'D', e == 'w', e == 'W', e == 'b', e == 'B', e == 'n', e == 'r', e == 't', e == 'f', e == 'v', e == 'x':
				if e == 'v' {
					b.WriteString(`\x0B`)
				} else {
					b.WriteByte('\\')
					b.WriteByte(e)
				}
			case e < utf8.RuneSelf && !isASCIILetter(e) && !(e >= '0' && e <= '9'):
				b.WriteByte('\\')
				b.WriteByte(e)
			default:
				// An identity escape of a letter: the letter itself.
				r, size := utf8.DecodeRuneInString(src[i:])
				b.WriteString(regexp.QuoteMeta(string(r)))
				i += size - 1
			}
		case inClass:
			if c == ']' {
				inClass = false
			}
			if c == '[' {
				b.WriteString(`\[`)
				continue
			}
			b.WriteByte(c)
		case c == '[':
			if strings.HasPrefix(src[i:], "[^]") {
				b.WriteString(`[\x{0}-\x{10FFFF}]`)
				i += 2
				continue
			}
			if strings.HasPrefix(src[i:], "[]") {
				b.WriteString(`[^\x{0}-\x{10FFFF}]`)
				i++
				continue
			}
			inClass = true
			b.WriteByte(c)
			if i+1 < len(src) && src[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(src) && src[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == '(' && strings.HasPrefix(src[i:], "(?="), c == '(' && strings.HasPrefix(src[i:], "(?!"),
			c == '(' && strings.HasPrefix(src[i:], "(?<="), c == '(' && strings.HasPrefix(src[i:], "(?<!"):
			return "", unsupported("lookaround")
		case c == '.':
			b.WriteString(`[^\n\r\x{2028}\x{2029}]`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// regexMatch is one match, with byte offsets into the subject.
type regexMatch struct {
	start, end int
	groups     []int // pairs of byte offsets per group, -1 when unmatched
}

// findAll returns the successive matches of the regex in s. A JavaScript
// global regex iterated with lastIndex finds the same ones, except after an
// empty match, where jsonata-js fails with D1004 (see matchIter.next).
func (r *jsRegex) findAll(s string) []regexMatch {
	idx := r.re.FindAllStringSubmatchIndex(s, -1)
	out := make([]regexMatch, len(idx))
	for i, m := range idx {
		out[i] = regexMatch{start: m[0], end: m[1], groups: m[2:]}
	}
	return out
}
