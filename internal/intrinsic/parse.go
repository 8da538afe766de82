package intrinsic

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxDepth is the deepest nesting of calls Parse accepts. AWS allows up to 10
// intrinsic functions nested in one field.
const MaxDepth = 10

// SyntaxError reports an intrinsic function call that does not parse, names
// an unknown function or passes a wrong number of arguments.
type SyntaxError struct {
	Text   string // Text is the string given to Parse.
	Offset int    // Offset is the byte offset at which the problem was found.
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid intrinsic function %q at offset %d: %s", e.Text, e.Offset, e.Msg)
}

// IsCall reports whether s is written as an intrinsic function call: it
// begins with "States.", a name and "(". It says nothing of whether the call
// is valid; Parse does.
func IsCall(s string) bool {
	rest, ok := strings.CutPrefix(s, "States.")
	if !ok {
		return false
	}
	n := identLen(rest)
	if n == 0 {
		return false
	}
	rest = strings.TrimLeft(rest[n:], " \t\r\n")
	return strings.HasPrefix(rest, "(")
}

// Parse parses one call, such as "States.Format('Hello {}', $.name)".
// Arguments are string literals in single quotes (\' \{ \} and \\ escape
// those characters; any other escaped character stands for itself),
// numbers, true, false, null, paths ($..., $$... and $name...) and nested
// calls, separated by commas with optional white space.
func Parse(s string) (*Call, error) {
	p := parser{s: s}
	p.space()
	c, err := p.call(1)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(s) {
		return nil, p.fail("unexpected text after the call")
	}
	return c, nil
}

type parser struct {
	s   string
	pos int
}

func (p *parser) fail(msg string) error {
	return &SyntaxError{Text: p.s, Offset: p.pos, Msg: msg}
}

func (p *parser) space() {
	for p.pos < len(p.s) && isSpace(p.s[p.pos]) {
		p.pos++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func identLen(s string) int {
	n := 0
	for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
		n++
	}
	return n
}

func (p *parser) call(depth int) (*Call, error) {
	start := p.pos
	if !strings.HasPrefix(p.s[p.pos:], "States.") {
		return nil, p.fail("expected an intrinsic function call, States.<Name>(...)")
	}
	p.pos += len("States.")
	n := identLen(p.s[p.pos:])
	name := "States." + p.s[p.pos:p.pos+n]
	f, ok := functions[name]
	if !ok {
		if n == 0 {
			return nil, p.fail("expected a function name after 'States.'")
		}
		return nil, p.fail(fmt.Sprintf("unknown intrinsic function %s", name))
	}
	if depth > MaxDepth {
		return nil, p.fail(fmt.Sprintf("intrinsic functions are nested more than %d deep", MaxDepth))
	}
	p.pos += n
	p.space()
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return nil, p.fail(fmt.Sprintf("expected '(' after %s", name))
	}
	p.pos++
	c := &Call{fn: f}
	p.space()
	if p.pos < len(p.s) && p.s[p.pos] == ')' {
		p.pos++
	} else {
		for {
			a, err := p.arg(depth)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
			p.space()
			if p.pos >= len(p.s) {
				return nil, p.fail(fmt.Sprintf("the arguments of %s are not closed with ')'", name))
			}
			if p.s[p.pos] == ')' {
				p.pos++
				break
			}
			if p.s[p.pos] != ',' {
				return nil, p.fail("expected ',' or ')' after an argument")
			}
			p.pos++
		}
	}
	c.src = p.s[start:p.pos]
	if len(c.args) < f.minArgs || (f.maxArgs >= 0 && len(c.args) > f.maxArgs) {
		return nil, &SyntaxError{Text: p.s, Offset: start, Msg: fmt.Sprintf("%s takes %s, got %d", name, f.arity(), len(c.args))}
	}
	lits := make([]*arg, len(c.args))
	for i := range c.args {
		if c.args[i].kind != argLiteral {
			continue
		}
		if msg := f.checkLiteral(i, c.args[i].val); msg != "" {
			return nil, &SyntaxError{Text: p.s, Offset: start, Msg: msg}
		}
		lits[i] = &c.args[i]
	}
	if f.literals != nil {
		if msg := f.literals(lits); msg != "" {
			return nil, &SyntaxError{Text: p.s, Offset: start, Msg: fmt.Sprintf("%s: %s", name, msg)}
		}
	}
	return c, nil
}

func (p *parser) arg(depth int) (arg, error) {
	p.space()
	if p.pos >= len(p.s) {
		return arg{}, p.fail("expected an argument")
	}
	switch c := p.s[p.pos]; {
	case c == '\'':
		return p.str()
	case c == '$':
		return p.path()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	rest := p.s[p.pos:]
	if strings.HasPrefix(rest, "States.") {
		c, err := p.call(depth + 1)
		if err != nil {
			return arg{}, err
		}
		return arg{kind: argCall, call: c}, nil
	}
	n := identLen(rest)
	switch rest[:n] {
	case "true":
		p.pos += n
		return arg{kind: argLiteral, val: true}, nil
	case "false":
		p.pos += n
		return arg{kind: argLiteral, val: false}, nil
	case "null":
		p.pos += n
		return arg{kind: argLiteral, val: nil}, nil
	}
	return arg{}, p.fail("expected a string, number, boolean, null, path or intrinsic function")
}

// str reads a string literal. It also records where the literal has an
// unescaped "{}", which States.Format fills in.
func (p *parser) str() (arg, error) {
	start := p.pos
	p.pos++ // opening quote
	var seg strings.Builder
	var parts []string
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '\'':
			p.pos++
			parts = append(parts, seg.String())
			return arg{kind: argLiteral, val: strings.Join(parts, "{}"), template: parts}, nil
		case c == '\\':
			if p.pos+1 >= len(p.s) {
				p.pos++
				continue
			}
			seg.WriteByte(p.s[p.pos+1])
			p.pos += 2
		case c == '{' && p.pos+1 < len(p.s) && p.s[p.pos+1] == '}':
			parts = append(parts, seg.String())
			seg.Reset()
			p.pos += 2
		default:
			seg.WriteByte(c)
			p.pos++
		}
	}
	p.pos = start
	return arg{}, p.fail("the string literal is not closed with '")
}

// path reads a path argument: everything up to the next ',', ')' or white
// space outside brackets, parentheses and quotes. The text is passed to the
// Resolver as written.
func (p *parser) path() (arg, error) {
	start := p.pos
	depth := 0
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '\'' || c == '"':
			end := indexUnescaped(p.s, p.pos+1, c)
			if end < 0 {
				return arg{}, p.fail("the quoted name in the path is not closed")
			}
			p.pos = end + 1
			continue
		case c == '[' || c == '(':
			depth++
		case c == ']' || c == ')':
			if depth == 0 {
				return arg{kind: argPath, path: p.s[start:p.pos]}, nil
			}
			depth--
		case depth == 0 && (c == ',' || isSpace(c)):
			return arg{kind: argPath, path: p.s[start:p.pos]}, nil
		}
		p.pos++
	}
	if depth > 0 {
		return arg{}, p.fail("the brackets in the path are not closed")
	}
	return arg{kind: argPath, path: p.s[start:p.pos]}, nil
}

func indexUnescaped(s string, from int, c byte) int {
	escaped := false
	for i := from; i < len(s); i++ {
		switch {
		case escaped:
			escaped = false
		case s[i] == '\\':
			escaped = true
		case s[i] == c:
			return i
		}
	}
	return -1
}

// number reads -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
func (p *parser) number() (arg, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.s[p.pos] == '-' {
		p.pos++
	}
	intStart := p.pos
	if digits() == 0 || (p.s[intStart] == '0' && p.pos-intStart > 1) {
		p.pos = start
		return arg{}, p.fail("invalid number")
	}
	if p.pos < len(p.s) && p.s[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			p.pos = start
			return arg{}, p.fail("invalid number: no digits after '.'")
		}
	}
	if p.pos < len(p.s) && (p.s[p.pos] == 'e' || p.s[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			p.pos = start
			return arg{}, p.fail("invalid number: no digits in the exponent")
		}
	}
	f, err := strconv.ParseFloat(p.s[start:p.pos], 64)
	if err != nil {
		p.pos = start
		return arg{}, p.fail("number out of range")
	}
	return arg{kind: argLiteral, val: f}, nil
}
