package jsonpath

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// filterParser compiles the text of one [?(...)] token.
type filterParser struct {
	s        string
	pos, end int
}

func compileFilter(criteria string) (expr, error) {
	f := &filterParser{s: criteria, end: len(criteria)}
	f.trim()
	if f.cur() != '[' || f.end == 0 || f.s[f.end-1] != ']' {
		return nil, f.fail("Filter must start with '[' and end with ']'. " + criteria)
	}
	f.pos++
	f.end--
	f.trim()
	if f.cur() != '?' {
		return nil, f.fail("Filter must start with '[?' and end with ']'. " + criteria)
	}
	f.pos++
	f.trim()
	if f.cur() != '(' || f.end <= f.pos || f.s[f.end-1] != ')' {
		return nil, f.fail("Filter must start with '[?(' and end with ')]'. " + criteria)
	}
	x, err := f.readOr()
	if err != nil {
		return nil, err
	}
	f.skipBlanks()
	if f.pos < f.end {
		return nil, f.fail("Expected end of filter expression instead of: " + f.s[f.pos:f.end])
	}
	return x, nil
}

func (f *filterParser) fail(msg string) error {
	return &SyntaxError{Offset: f.pos, Msg: msg}
}

// cur returns the current character, or 0 past the end.
func (f *filterParser) cur() byte {
	if f.pos < f.end {
		return f.s[f.pos]
	}
	return 0
}

func (f *filterParser) skipBlanks() {
	for f.pos < f.end && f.s[f.pos] == ' ' {
		f.pos++
	}
}

func (f *filterParser) trim() {
	f.skipBlanks()
	for f.end > f.pos && f.s[f.end-1] == ' ' {
		f.end--
	}
}

// take consumes s after blanks when it comes next.
func (f *filterParser) take(s string) bool {
	f.skipBlanks()
	if strings.HasPrefix(f.s[f.pos:f.end], s) {
		f.pos += len(s)
		return true
	}
	return false
}

func (f *filterParser) expect(c byte) error {
	f.skipBlanks()
	if f.cur() != c {
		return f.fail(fmt.Sprintf("Expected character: %c", c))
	}
	f.pos++
	return nil
}

func (f *filterParser) readOr() (expr, error) {
	var ops orExpr
	for {
		x, err := f.readAnd()
		if err != nil {
			return nil, err
		}
		ops = append(ops, x)
		if save := f.pos; !f.take("||") {
			f.pos = save
			break
		}
	}
	if len(ops) == 1 {
		return ops[0], nil
	}
	return ops, nil
}

func (f *filterParser) readAnd() (expr, error) {
	var ops andExpr
	for {
		x, err := f.readAndOperand()
		if err != nil {
			return nil, err
		}
		ops = append(ops, x)
		if save := f.pos; !f.take("&&") {
			f.pos = save
			break
		}
	}
	if len(ops) == 1 {
		return ops[0], nil
	}
	return ops, nil
}

func (f *filterParser) readAndOperand() (expr, error) {
	f.skipBlanks()
	save := f.pos
	if f.cur() == '!' {
		f.pos++
		f.skipBlanks()
		if c := f.cur(); c != '$' && c != '@' {
			x, err := f.readAndOperand()
			if err != nil {
				return nil, err
			}
			return notExpr{x}, nil
		}
		f.pos = save
	}
	f.skipBlanks()
	if f.cur() == '(' {
		f.pos++
		x, err := f.readOr()
		if err != nil {
			return nil, err
		}
		if err := f.expect(')'); err != nil {
			return nil, err
		}
		return x, nil
	}
	return f.readExpression()
}

func (f *filterParser) readExpression() (expr, error) {
	left, exists, err := f.readValue()
	if err != nil {
		return nil, err
	}
	save := f.pos
	if op, ok := f.readOperator(); ok {
		right, _, err := f.readValue()
		if err != nil {
			return nil, err
		}
		return relExpr{left: left, right: right, op: op}, nil
	}
	f.pos = save
	if left.path == nil {
		return nil, f.fail("Expected path node")
	}
	return existsExpr{path: left.path, want: exists}, nil
}

func isOperatorChar(c byte) bool {
	return c == '<' || c == '>' || c == '=' || c == '~' || c == '!'
}

// readOperator reads a relational operator: a run of <>=~! or a word up to
// the next space.
func (f *filterParser) readOperator() (relOp, bool) {
	f.skipBlanks()
	begin := f.pos
	if isOperatorChar(f.cur()) {
		for f.pos < f.end && isOperatorChar(f.s[f.pos]) {
			f.pos++
		}
	} else {
		for f.pos < f.end && f.s[f.pos] != ' ' {
			f.pos++
		}
	}
	op, ok := relOps[strings.ToUpper(f.s[begin:f.pos])]
	return op, ok
}

// readValue reads an operand. For a path it also reports whether the path
// should exist (false after '!').
func (f *filterParser) readValue() (operand, bool, error) {
	f.skipBlanks()
	switch f.cur() {
	case '$', '@':
		return f.readPath()
	case '!':
		f.pos++
		f.skipBlanks()
		if c := f.cur(); c == '$' || c == '@' {
			return f.readPath()
		}
		return operand{}, false, f.fail("Unexpected character: !")
	}
	n, err := f.readLiteral()
	return operand{lit: n}, true, err
}

func (f *filterParser) readPath() (operand, bool, error) {
	exists := f.previousSignificant() != '!'
	begin := f.pos
	f.pos++ // $ or @
	for f.pos < f.end {
		c := f.s[f.pos]
		if c == '[' {
			closeAt := matchingClose(f.s[:f.end], f.pos, '[', ']', false)
			if closeAt < 0 {
				return operand{}, false, f.fail("Square brackets does not match in filter " + f.s)
			}
			f.pos = closeAt + 1
			if f.pos >= f.end {
				break
			}
			c = f.s[f.pos]
		}
		if isOperatorChar(c) || c == ' ' || (c == ')' && !f.closesFunction(begin)) {
			break
		}
		f.pos++
	}
	p, err := compile(f.s[begin:f.pos], true)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return operand{}, false, &SyntaxError{Offset: begin + se.Offset, Msg: se.Msg}
		}
		return operand{}, false, err
	}
	return operand{path: p}, exists, nil
}

// closesFunction reports whether the ')' at the current position ends an
// argument-free function call of the path that starts at begin.
func (f *filterParser) closesFunction(begin int) bool {
	i := f.pos - 1
	for i >= 0 && f.s[i] == ' ' {
		i--
	}
	if i < 0 || f.s[i] != '(' {
		return false
	}
	for i--; i > begin; i-- {
		if f.s[i] == '.' {
			return true
		}
	}
	return false
}

func (f *filterParser) previousSignificant() byte {
	for i := f.pos - 1; i >= 0; i-- {
		if f.s[i] != ' ' {
			return f.s[i]
		}
	}
	return ' '
}

func (f *filterParser) readLiteral() (node, error) {
	f.skipBlanks()
	switch c := f.cur(); c {
	case '\'', '"':
		closeAt := indexUnescaped(f.s[:f.end], f.pos+1, c)
		if closeAt < 0 {
			return node{}, f.fail(fmt.Sprintf("String literal does not have matching quotes. Expected %c in %s", c, f.s))
		}
		s, err := javaUnescape(f.s[f.pos+1 : closeAt])
		if err != nil {
			return node{}, err
		}
		f.pos = closeAt + 1
		return node{kind: nodeString, str: s}, nil
	case 't', 'f':
		for _, w := range []string{"true", "false"} {
			if strings.HasPrefix(f.s[f.pos:f.end], w) {
				f.pos += len(w)
				return node{kind: nodeBool, b: w == "true"}, nil
			}
		}
		return node{}, f.fail("Expected boolean literal")
	case 'n':
		if strings.HasPrefix(f.s[f.pos:f.end], "null") {
			f.pos += 4
			return node{kind: nodeNull}, nil
		}
		return node{}, f.fail("Expected <null> value")
	case '[', '{':
		closer := byte(']')
		if c == '{' {
			closer = '}'
		}
		closeAt := matchingClose(f.s[:f.end], f.pos, c, closer, false)
		if closeAt < 0 {
			return node{}, f.fail("String not closed. Expected ' in " + f.s)
		}
		j, err := parseLooseJSON(f.s[f.pos : closeAt+1])
		if err != nil {
			return node{}, f.fail("Invalid JSON literal: " + err.Error())
		}
		f.pos = closeAt + 1
		return node{kind: nodeJSON, json: j}, nil
	case '/':
		return f.readPattern()
	}
	begin := f.pos
	for f.pos < f.end {
		c := f.s[f.pos]
		if !isDigit(c) && c != '-' && c != '.' && c != 'e' && c != 'E' {
			break
		}
		f.pos++
	}
	lit := f.s[begin:f.pos]
	text, ok := bigDecimalString(lit)
	if !ok {
		f.pos = begin
		return node{}, f.fail(fmt.Sprintf("Invalid number literal %q", lit))
	}
	num, err := strconv.ParseFloat(text, 64)
	if err != nil {
		f.pos = begin
		return node{}, f.fail(fmt.Sprintf("Number literal out of range %q", lit))
	}
	return node{kind: nodeNumber, num: num, str: text}, nil
}

// readPattern reads /regex/flags. Java's matches() must match the whole
// input, so the expression is anchored; the flags i, m and s map to RE2's,
// others are ignored.
func (f *filterParser) readPattern() (node, error) {
	closeAt := indexUnescaped(f.s[:f.end], f.pos+1, '/')
	if closeAt < 0 {
		return node{}, f.fail("Pattern not closed. Expected / in " + f.s)
	}
	src := f.s[f.pos+1 : closeAt]
	flagsEnd := closeAt + 1
	for flagsEnd < f.end && isLetter(f.s[flagsEnd]) {
		flagsEnd++
	}
	var flags []byte
	for _, c := range []byte(f.s[closeAt+1 : flagsEnd]) {
		if (c == 'i' || c == 'm' || c == 's') && !strings.ContainsRune(string(flags), rune(c)) {
			flags = append(flags, c)
		}
	}
	expr := `\A(?:` + src + `)\z`
	if len(flags) > 0 {
		expr = "(?" + string(flags) + ")" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return node{}, f.fail(fmt.Sprintf("Invalid regular expression /%s/: %v", src, err))
	}
	f.pos = flagsEnd
	return node{kind: nodePattern, re: re}, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
