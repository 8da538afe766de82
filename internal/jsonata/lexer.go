package jsonata

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

type tokenType uint8

const (
	tokEnd tokenType = iota
	tokName
	tokVariable
	tokOperator
	tokString
	tokNumber
	tokValue // true, false, null
	tokRegex
)

type token struct {
	typ tokenType
	str string // name, variable name, operator, string literal, regex source
	num float64
	val any // tokValue: true, false or nil
	// flags holds a regex literal's flags.
	flags string
	pos   int
}

// operatorPrecedence is jsonata-js's operator table; characters listed here
// also end a name.
var operatorPrecedence = map[string]int{
	".": 75, "[": 80, "]": 0, "{": 70, "}": 0, "(": 80, ")": 0, ",": 0,
	"@": 80, "#": 80, ";": 80, ":": 80, "?": 20, "+": 50, "-": 50, "*": 60,
	"/": 60, "%": 60, "|": 20, "=": 40, "<": 40, ">": 40, "^": 40, "**": 60,
	"..": 20, ":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40, "?:": 40,
	"??": 40, "and": 30, "or": 25, "in": 40, "&": 50, "!": 0, "~": 0,
}

func isOperatorChar(c byte) bool {
	switch c {
	case '.', '[', ']', '{', '}', '(', ')', ',', '@', '#', ';', ':', '?', '+', '-', '*', '/', '%', '|', '=', '<', '>', '^', '&', '!', '~':
		return true
	}
	return false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
}

type lexer struct {
	src string
	pos int
}

func (l *lexer) next(infix bool) (token, error) {
	src := l.src
	for {
		for l.pos < len(src) && isSpace(src[l.pos]) {
			l.pos++
		}
		if l.pos+1 < len(src) && src[l.pos] == '/' && src[l.pos+1] == '*' {
			start := l.pos
			end := strings.Index(src[l.pos+2:], "*/")
			if end < 0 {
				l.pos = len(src)
				return token{}, &Error{Code: "S0106", Position: start}
			}
			l.pos += 2 + end + 2
			continue
		}
		break
	}
	if l.pos >= len(src) {
		return token{typ: tokEnd, pos: len(src)}, nil
	}
	start := l.pos
	c := src[l.pos]
	if !infix && c == '/' {
		l.pos++
		return l.scanRegex()
	}
	if l.pos+1 < len(src) {
		two := src[l.pos : l.pos+2]
		switch two {
		case "..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??":
			l.pos += 2
			return token{typ: tokOperator, str: two, pos: start}, nil
		}
	}
	if isOperatorChar(c) {
		l.pos++
		return token{typ: tokOperator, str: src[start:l.pos], pos: start}, nil
	}
	if c == '"' || c == '\'' {
		return l.scanString(c)
	}
	if c >= '0' && c <= '9' {
		end := scanNumber(src, l.pos)
		f, err := strconv.ParseFloat(src[l.pos:end], 64)
		if err != nil {
			return token{}, &Error{Code: "S0102", Position: start, Token: src[l.pos:end]}
		}
		l.pos = end
		return token{typ: tokNumber, num: f, pos: start}, nil
	}
	if c == '`' {
		end := strings.IndexByte(src[l.pos+1:], '`')
		if end < 0 {
			l.pos = len(src)
			return token{}, &Error{Code: "S0105", Position: len(src)}
		}
		name := src[l.pos+1 : l.pos+1+end]
		l.pos += end + 2
		return token{typ: tokName, str: name, pos: start}, nil
	}
	i := l.pos
	for i < len(src) && !isSpace(src[i]) && !isOperatorChar(src[i]) {
		i++
	}
	name := src[l.pos:i]
	l.pos = i
	if c == '$' {
		return token{typ: tokVariable, str: name[1:], pos: start}, nil
	}
	switch name {
	case "or", "in", "and":
		return token{typ: tokOperator, str: name, pos: start}, nil
	case "true":
		return token{typ: tokValue, val: true, pos: start}, nil
	case "false":
		return token{typ: tokValue, val: false, pos: start}, nil
	case "null":
		return token{typ: tokValue, val: nil, pos: start}, nil
	}
	return token{typ: tokName, str: name, pos: start}, nil
}

// scanNumber returns the end of the JSON-style number starting at i.
func scanNumber(s string, i int) int {
	digits := func(i int) int {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	if s[i] == '0' {
		i++
	} else {
		i = digits(i)
	}
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		i = digits(i + 1)
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			i = digits(j)
		}
	}
	return i
}

func (l *lexer) scanString(quote byte) (token, error) {
	start := l.pos
	src := l.src
	l.pos++
	var b []byte
	for l.pos < len(src) {
		c := src[l.pos]
		switch {
		case c == quote:
			l.pos++
			if b == nil {
				return token{typ: tokString, str: src[start+1 : l.pos-1], pos: start}, nil
			}
			return token{typ: tokString, str: string(b), pos: start}, nil
		case c == '\\':
			if b == nil {
				b = append(make([]byte, 0, l.pos-start+16), src[start+1:l.pos]...)
			}
			l.pos++
			if l.pos >= len(src) {
				return token{}, &Error{Code: "S0101", Position: l.pos}
			}
			e := src[l.pos]
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(src, l.pos+1)
				if !ok {
					return token{}, &Error{Code: "S0104", Position: l.pos}
				}
				l.pos += 4
				if utf16.IsSurrogate(r) {
					if r2, ok := hex4(src, l.pos+3); ok && l.pos+2 < len(src) && src[l.pos+1] == '\\' && src[l.pos+2] == 'u' {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							r = d
							l.pos += 6
						}
					}
				}
				if utf16.IsSurrogate(r) {
					// A lone surrogate, kept as WTF-8 so that functions
					// that reject it (as JavaScript's do) can see it.
					b = append(b, 0xED, byte(0xA0|(r>>6)&0x1F), byte(0x80|r&0x3F))
				} else {
					b = utf8.AppendRune(b, r)
				}
			default:
				_, size := utf8.DecodeRuneInString(src[l.pos:])
				return token{}, &Error{Code: "S0103", Position: l.pos, Token: src[l.pos : l.pos+size]}
			}
			l.pos++
		default:
			if b != nil {
				b = append(b, c)
			}
			l.pos++
		}
	}
	return token{}, &Error{Code: "S0101", Position: l.pos}
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i:i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}

// scanRegex scans a /pattern/flags literal; the opening slash is consumed.
func (l *lexer) scanRegex() (token, error) {
	src := l.src
	start := l.pos
	depth := 0
	for l.pos < len(src) {
		c := src[l.pos]
		if c == '/' && depth == 0 {
			n := 0
			for l.pos-n-1 >= 0 && src[l.pos-n-1] == '\\' {
				n++
			}
			if n%2 == 0 {
				pattern := src[start:l.pos]
				if pattern == "" {
					return token{}, &Error{Code: "S0301", Position: l.pos}
				}
				l.pos++
				fstart := l.pos
				for l.pos < len(src) && (src[l.pos] == 'i' || src[l.pos] == 'm') {
					l.pos++
				}
				return token{typ: tokRegex, str: pattern, flags: src[fstart:l.pos], pos: start - 1}, nil
			}
		}
		prevBackslash := l.pos > 0 && src[l.pos-1] == '\\'
		if (c == '(' || c == '[' || c == '{') && !prevBackslash {
			depth++
		}
		if (c == ')' || c == ']' || c == '}') && !prevBackslash {
			depth--
		}
		l.pos++
	}
	return token{}, &Error{Code: "S0302", Position: l.pos}
}
