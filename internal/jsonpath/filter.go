package jsonpath

import (
	"errors"
	"github.com/batonrun/baton/internal/java"
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
		s, _ := bigDecimalString(string(java.AppendNumber(nil, n.num)))
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
			c = java.Compare(l.str, r.str)
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
			return java.Length(l.str) == want, nil
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
