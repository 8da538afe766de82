package jsonpath

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/batonrun/baton/internal/value"
)

// parseLooseJSON parses a JSON literal written in a filter. Jayway reads
// these with json-smart's permissive mode; this accepts what people write in
// practice: standard JSON, plus strings in single quotes.
func parseLooseJSON(s string) (any, error) {
	p := looseParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.s) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

type looseParser struct {
	s   string
	pos int
}

func (p *looseParser) space() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *looseParser) value(depth int) (any, error) {
	if depth > value.MaxDepth {
		return nil, errors.New("nesting too deep")
	}
	p.space()
	if p.pos >= len(p.s) {
		return nil, errors.New("unexpected end of input")
	}
	switch c := p.s[p.pos]; {
	case c == '[':
		p.pos++
		arr := []any{}
		p.space()
		if p.pos < len(p.s) && p.s[p.pos] == ']' {
			p.pos++
			return arr, nil
		}
		for {
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
			p.space()
			if p.pos >= len(p.s) {
				return nil, errors.New("unexpected end of input in array")
			}
			switch p.s[p.pos] {
			case ',':
				p.pos++
			case ']':
				p.pos++
				return arr, nil
			default:
				return nil, errors.New("expected ',' or ']' in array")
			}
		}
	case c == '{':
		p.pos++
		obj := value.NewObject(2)
		p.space()
		if p.pos < len(p.s) && p.s[p.pos] == '}' {
			p.pos++
			return obj, nil
		}
		for {
			p.space()
			if p.pos >= len(p.s) || (p.s[p.pos] != '"' && p.s[p.pos] != '\'') {
				return nil, errors.New("expected a string key")
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.pos >= len(p.s) || p.s[p.pos] != ':' {
				return nil, errors.New("expected ':' after object key")
			}
			p.pos++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			obj.Set(k, v)
			p.space()
			if p.pos >= len(p.s) {
				return nil, errors.New("unexpected end of input in object")
			}
			switch p.s[p.pos] {
			case ',':
				p.pos++
			case '}':
				p.pos++
				return obj, nil
			default:
				return nil, errors.New("expected ',' or '}' in object")
			}
		}
	case c == '"' || c == '\'':
		return p.str()
	case c == '-' || isDigit(c):
		start := p.pos
		for p.pos < len(p.s) && strings.IndexByte("+-.eE0123456789", p.s[p.pos]) >= 0 {
			p.pos++
		}
		v, err := value.DecodeString(p.s[start:p.pos])
		if err != nil {
			return nil, err
		}
		return v, nil
	default:
		for _, lit := range []struct {
			word string
			v    any
		}{{"true", true}, {"false", false}, {"null", nil}} {
			if strings.HasPrefix(p.s[p.pos:], lit.word) {
				p.pos += len(lit.word)
				return lit.v, nil
			}
		}
		return nil, errors.New("unexpected character " + strconv.QuoteRune(rune(c)))
	}
}

// str reads a string in double or single quotes, with JSON's escapes and \'.
func (p *looseParser) str() (string, error) {
	q := p.s[p.pos]
	end := indexUnescaped(p.s, p.pos+1, q)
	if end < 0 {
		return "", errors.New("unterminated string")
	}
	raw := p.s[p.pos+1 : end]
	p.pos = end + 1
	if !strings.Contains(raw, `\`) {
		return raw, nil
	}
	var units []uint16
	var b strings.Builder
	flush := func() {
		if len(units) > 0 {
			b.WriteString(string(utf16.Decode(units)))
			units = units[:0]
		}
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 == len(raw) {
			flush()
			b.WriteByte(c)
			continue
		}
		i++
		if raw[i] == 'u' {
			if i+4 >= len(raw) {
				return "", errors.New("invalid \\u escape")
			}
			n, err := strconv.ParseUint(raw[i+1:i+5], 16, 16)
			if err != nil {
				return "", errors.New("invalid \\u escape")
			}
			units = append(units, uint16(n))
			i += 4
			continue
		}
		flush()
		switch e := raw[i]; e {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default:
			b.WriteByte(e)
		}
	}
	flush()
	return b.String(), nil
}
