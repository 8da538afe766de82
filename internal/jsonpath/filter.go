package jsonpath

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/batonrun/baton/internal/value"
)

// Filters follow Jayway's FilterCompiler and evaluators: operands are paths
// (@ for the current item, $ for the document), string, number, boolean and
// null literals, JSON literals and /regex/flags patterns; a path alone tests
// that the member exists (even when null), !path that it does not; &&, ||,
// ! and parentheses combine tests.

// expr is a compiled filter expression.
type expr interface {
	eval(e *evaluator, item any) (bool, error)
}

type orExpr []expr

func (x orExpr) eval(e *evaluator, item any) (bool, error) {
	for _, sub := range x {
		ok, err := sub.eval(e, item)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

type andExpr []expr

func (x andExpr) eval(e *evaluator, item any) (bool, error) {
	for _, sub := range x {
		ok, err := sub.eval(e, item)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

type notExpr struct{ x expr }

func (x notExpr) eval(e *evaluator, item any) (bool, error) {
	ok, err := x.x.eval(e, item)
	return !ok, err
}

// existsExpr tests whether a path selects something, evaluated as Jayway does
// with REQUIRE_PROPERTIES: any missing member along the way means no.
type existsExpr struct {
	path *Path
	want bool
}

func (x existsExpr) eval(e *evaluator, item any) (bool, error) {
	_, err := x.path.get(x.path.doc(e, item), e.root, true)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return !x.want, nil
		}
		return false, err
	}
	return x.want, nil
}

// doc returns the document a filter path starts from: the item for @, the
// whole document for $.
func (p *Path) doc(e *evaluator, item any) any {
	if p.root == '$' {
		return e.root
	}
	return item
}

type relOp uint8

const (
	opEQ relOp = iota
	opNE
	opTSEQ
	opTSNE
	opLT
	opLTE
	opGT
	opGTE
	opRegex
	opIn
	opNin
	opContains
	opAll
	opSize
	opEmpty
	opExists
	opSubsetOf
	opAnyOf
	opNoneOf
)

var relOps = map[string]relOp{
	"==": opEQ, "!=": opNE, "===": opTSEQ, "!==": opTSNE,
	"<": opLT, "<=": opLTE, ">": opGT, ">=": opGTE, "=~": opRegex,
	"IN": opIn, "NIN": opNin, "CONTAINS": opContains, "ALL": opAll, "SIZE": opSize,
	"EMPTY": opEmpty, "EXISTS": opExists, "SUBSETOF": opSubsetOf, "ANYOF": opAnyOf, "NONEOF": opNoneOf,
}

// operand is a literal, or a path evaluated against the item or document.
type operand struct {
	lit  node
	path *Path
}

func (o operand) value(e *evaluator, item any) (node, error) {
	if o.path == nil {
		return o.lit, nil
	}
	v, err := o.path.get(o.path.doc(e, item), e.root, false)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return node{kind: nodeUndefined}, nil
		}
		return node{}, err
	}
	return toNode(v), nil
}

type relExpr struct {
	left, right operand
	op          relOp
}

func (x relExpr) eval(e *evaluator, item any) (bool, error) {
	l, err := x.left.value(e, item)
	if err != nil {
		return false, err
	}
	r, err := x.right.value(e, item)
	if err != nil {
		return false, err
	}
	return compare(x.op, l, r)
}

type nodeKind uint8

const (
	nodeUndefined nodeKind = iota // a path that selected nothing
	nodeNull
	nodeBool
	nodeNumber
	nodeString
	nodeJSON    // an array or object
	nodePattern // a /regex/
	nodeOpaque  // a list element Jayway reads as a path: equal to nothing
)

// node is Jayway's ValueNode.
type node struct {
	kind nodeKind
	b    bool
	num  float64
	str  string // a string's value; a number literal's BigDecimal text
	json any
	re   *regexp.Regexp
}

func toNode(v any) node {
	switch t := v.(type) {
	case nil:
		return node{kind: nodeNull}
	case bool:
		return node{kind: nodeBool, b: t}
	case float64:
		return node{kind: nodeNumber, num: t}
	case string:
		return node{kind: nodeString, str: t}
	default:
		return node{kind: nodeJSON, json: v}
	}
}

// text is the string Jayway reads from a string, number or boolean node.
func (n node) text() string {
	switch n.kind {
	case nodeString:
		return n.str
	case nodeNumber:
		if n.str != "" {
			return n.str
		}
		s, _ := bigDecimalString(string(appendJavaNumber(nil, n.num)))
		return s
	case nodeBool:
		return strconv.FormatBool(n.b)
	}
	return ""
}

// equals is Java's left.equals(right) for value nodes: numbers and strings
// compare through each other's text, JSON structurally, and an undefined
// node equals nothing.
func (n node) equals(r node) bool {
	switch n.kind {
	case nodeNumber:
		switch r.kind {
		case nodeNumber:
			return n.num == r.num
		case nodeString:
			t, ok := bigDecimalString(r.str)
			if !ok {
				return false
			}
			f, err := strconv.ParseFloat(t, 64)
			return err == nil && f == n.num
		}
	case nodeString:
		switch r.kind {
		case nodeString:
			return n.str == r.str
		case nodeNumber:
			return n.str == r.text()
		}
	case nodeBool:
		return r.kind == nodeBool && n.b == r.b
	case nodeNull:
		return r.kind == nodeNull
	case nodeJSON:
		return r.kind == nodeJSON && value.Equal(n.json, r.json)
	case nodePattern:
		return r.kind == nodePattern && n.re.String() == r.re.String()
	}
	return false
}

// list converts an array node to the nodes of its elements, as Jayway's
// asValueListNode; ok is false for anything that is not an array.
func (n node) list() ([]node, bool) {
	arr, ok := n.json.([]any)
	if n.kind != nodeJSON || !ok {
		return nil, false
	}
	out := make([]node, len(arr))
	for i, v := range arr {
		out[i] = elementNode(v)
	}
	return out, true
}

// elementNode is Jayway's ValueNode.toValueNode for an element of a list:
// strings that compile as paths or parse as JSON are not strings to it, and
// other strings are unescaped once more.
func elementNode(v any) node {
	s, ok := v.(string)
	if !ok {
		return toNode(v)
	}
	t := strings.TrimSpace(s)
	if t != "" && (t[0] == '$' || t[0] == '@') {
		if _, err := compile(t, true); err == nil {
			return node{kind: nodeOpaque}
		}
	}
	if len(t) > 1 && (t[0] == '[' && t[len(t)-1] == ']' || t[0] == '{' && t[len(t)-1] == '}') {
		if j, err := parseLooseJSON(t); err == nil {
			return node{kind: nodeJSON, json: j}
		}
	}
	if u, err := javaUnescape(s); err == nil {
		s = u
	}
	return node{kind: nodeString, str: s}
}

func contains(list []node, n node) bool {
	for _, e := range list {
		if n.equals(e) {
			return true
		}
	}
	return false
}

// errValueList is Jayway's failure when an operator needs a list and gets
// something else.
func errValueList() error { return &Error{Msg: "Expected value list node"} }

// compare applies a relational operator as Jayway's EvaluatorFactory does.
func compare(op relOp, l, r node) (bool, error) {
	switch op {
	case opEQ:
		return l.equals(r), nil
	case opNE:
		return !l.equals(r), nil
	case opTSEQ:
		return l.kind == r.kind && l.equals(r), nil
	case opTSNE:
		return !(l.kind == r.kind && l.equals(r)), nil
	case opLT, opLTE, opGT, opGTE:
		var c int
		switch {
		case l.kind == nodeNumber && r.kind == nodeNumber:
			switch {
			case l.num < r.num:
				c = -1
			case l.num > r.num:
				c = 1
			}
		case l.kind == nodeString && r.kind == nodeString:
			c = compareJava(l.str, r.str)
		default:
			return false, nil
		}
		switch op {
		case opLT:
			return c < 0, nil
		case opLTE:
			return c <= 0, nil
		case opGT:
			return c > 0, nil
		default:
			return c >= 0, nil
		}
	case opRegex:
		switch {
		case l.kind == nodePattern && r.kind != nodePattern:
			return l.re.MatchString(r.text()), nil
		case r.kind == nodePattern && l.kind != nodePattern:
			return r.re.MatchString(l.text()), nil
		}
		return false, nil
	case opIn, opNin:
		if r.kind != nodeJSON {
			return false, errValueList()
		}
		list, ok := r.list()
		in := ok && contains(list, l)
		return in == (op == opIn), nil
	case opContains:
		if l.kind == nodeString && r.kind == nodeString {
			return strings.Contains(l.str, r.str), nil
		}
		list, ok := l.list()
		if !ok {
			return false, nil
		}
		for _, e := range list {
			if r.equals(e) {
				return true, nil
			}
		}
		return false, nil
	case opAll:
		need, ok := r.list()
		if !ok {
			return false, errValueList()
		}
		if l.kind != nodeJSON {
			return false, nil
		}
		have, ok := l.list()
		if !ok {
			// Jayway answers true for an object on the left.
			return true, nil
		}
		for _, n := range need {
			if !contains(have, n) {
				return false, nil
			}
		}
		return true, nil
	case opSize:
		if r.kind != nodeNumber {
			return false, nil
		}
		want := int(r.num)
		switch l.kind {
		case nodeString:
			return javaLength(l.str) == want, nil
		case nodeJSON:
			return jsonLen(l.json) == want, nil
		}
		return false, nil
	case opEmpty:
		if r.kind != nodeBool {
			return false, &Error{Msg: "Expected boolean node"}
		}
		switch l.kind {
		case nodeString:
			return (l.str == "") == r.b, nil
		case nodeJSON:
			return (jsonLen(l.json) == 0) == r.b, nil
		}
		return false, nil
	case opExists:
		if l.kind != nodeBool || r.kind != nodeBool {
			return false, &Error{Msg: "Failed to evaluate exists expression"}
		}
		return l.b == r.b, nil
	case opSubsetOf, opAnyOf, opNoneOf:
		ll, err := listOperand(l)
		if err != nil {
			return false, err
		}
		rl, err := listOperand(r)
		if err != nil {
			return false, err
		}
		if ll == nil || rl == nil {
			return false, nil
		}
		switch op {
		case opSubsetOf:
			for _, n := range ll {
				if !contains(rl, n) {
					return false, nil
				}
			}
			return true, nil
		case opAnyOf:
			for _, n := range ll {
				if contains(rl, n) {
					return true, nil
				}
			}
			return false, nil
		default:
			for _, n := range ll {
				if contains(rl, n) {
					return false, nil
				}
			}
			return true, nil
		}
	}
	return false, nil
}

// listOperand returns the elements of an array node, nil for another JSON
// node, and an error for anything else.
func listOperand(n node) ([]node, error) {
	if n.kind != nodeJSON {
		return nil, errValueList()
	}
	list, ok := n.list()
	if !ok {
		return nil, nil
	}
	if list == nil {
		list = []node{}
	}
	return list, nil
}

func jsonLen(v any) int {
	switch t := v.(type) {
	case []any:
		return len(t)
	case *value.Object:
		return t.Len()
	}
	return -1
}

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
