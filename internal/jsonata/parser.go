package jsonata

import "strconv"

// parser is a Pratt (top-down operator precedence) parser, a port of
// jsonata-js's, followed by the same post-parse stage that flattens paths
// and resolves parent (%) references.
type parser struct {
	lex   lexer
	tok   token
	id    string // the current token's symbol id
	depth int    // nesting of expression calls

	ancestorLabel int
	ancestry      []*node
}

func parse(src string) (*node, error) {
	p := &parser{lex: lexer{src: src}}
	if err := p.advance("", false); err != nil {
		return nil, err
	}
	n, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	if p.id != "(end)" {
		return nil, &Error{Code: "S0201", Position: p.tok.pos, Token: p.tokenValue()}
	}
	n, err = p.process(n)
	if err != nil {
		return nil, err
	}
	if n.kind == kindParent || n.seekingParent != nil {
		return nil, &Error{Code: "S0217", Position: n.pos, Token: kindLabel(n.kind)}
	}
	return n, nil
}

// kindLabel names a node kind in S0217 errors, as jsonata-js names node
// types.
func kindLabel(k nodeKind) string {
	switch k {
	case kindParent:
		return "parent"
	case kindPath:
		return "path"
	}
	return "expression"
}

func (p *parser) tokenValue() string {
	switch p.tok.typ {
	case tokEnd:
		return "(end)"
	case tokNumber:
		return formatJSNumber(p.tok.num)
	case tokValue:
		return stringify(p.tok.val, "")
	}
	return p.tok.str
}

func (p *parser) advance(id string, infix bool) error {
	if id != "" && p.id != id {
		code := "S0202"
		if p.id == "(end)" {
			code = "S0203"
		}
		return &Error{Code: code, Position: p.tok.pos, Token: p.tokenValue(), Value: id, hasTok: true}
	}
	t, err := p.lex.next(infix)
	if err != nil {
		return err
	}
	p.tok = t
	switch t.typ {
	case tokEnd:
		p.id = "(end)"
	case tokName, tokVariable:
		p.id = "(name)"
	case tokString, tokNumber, tokValue:
		p.id = "(literal)"
	case tokRegex:
		p.id = "(regex)"
	case tokOperator:
		if t.str == "!" || t.str == "~" {
			return &Error{Code: "S0204", Position: t.pos, Token: t.str}
		}
		p.id = t.str
	}
	return nil
}

// lbp is the left binding power of the current token.
func (p *parser) lbp() int {
	if p.tok.typ != tokOperator {
		return 0
	}
	switch p.id {
	case ":", ";", ",", ")", "]", "}", "..", "|", "**":
		return 0
	}
	return operatorPrecedence[p.id]
}

// maxNesting bounds the nesting of an expression, so that parsing,
// post-processing and evaluation cannot exhaust the goroutine stack.
const maxNesting = 1000

func (p *parser) expression(rbp int) (*node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxNesting {
		return nil, &Error{Code: "U1001", Position: p.tok.pos, Message: "Stack overflow error: the expression is nested too deeply"}
	}
	t := p.tok
	tid := p.id
	if err := p.advance("", true); err != nil {
		return nil, err
	}
	left, err := p.nud(t, tid)
	if err != nil {
		return nil, err
	}
	for rbp < p.lbp() {
		t = p.tok
		if err := p.advance("", false); err != nil {
			return nil, err
		}
		left, err = p.led(t, left)
		if err != nil {
			return nil, err
		}
	}
	return left, nil
}

func (p *parser) nud(t token, id string) (*node, error) {
	switch t.typ {
	case tokEnd:
		return &node{kind: kindEnd, pos: t.pos}, nil
	case tokName:
		return &node{kind: kindName, str: t.str, pos: t.pos}, nil
	case tokVariable:
		return &node{kind: kindVariable, str: t.str, pos: t.pos}, nil
	case tokString:
		return &node{kind: kindString, str: t.str, val: t.str, pos: t.pos}, nil
	case tokNumber:
		return &node{kind: kindNumber, val: t.num, pos: t.pos}, nil
	case tokValue:
		return &node{kind: kindValue, val: t.val, pos: t.pos}, nil
	case tokRegex:
		re, err := compileRegex(t.str, t.flags)
		if err != nil {
			err.Position = t.pos
			return nil, err
		}
		return &node{kind: kindRegex, str: t.str, regex: re, pos: t.pos,
			fn: &Function{kind: fnRegex, regex: re, arity: 2}}, nil
	}
	switch id {
	case "and", "or", "in":
		return &node{kind: kindOperator, str: id, pos: t.pos}, nil
	case "-":
		e, err := p.expression(70)
		if err != nil {
			return nil, err
		}
		return &node{kind: kindUnaryMinus, expr: e, pos: t.pos}, nil
	case "*":
		return &node{kind: kindWildcard, pos: t.pos}, nil
	case "**":
		return &node{kind: kindDescendant, pos: t.pos}, nil
	case "%":
		return &node{kind: kindParent, pos: t.pos}, nil
	case "(":
		n := &node{kind: kindBlock, pos: t.pos}
		for p.id != ")" {
			e, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			n.exprs = append(n.exprs, e)
			if p.id != ";" {
				break
			}
			if err := p.advance(";", false); err != nil {
				return nil, err
			}
		}
		return n, p.advance(")", true)
	case "[":
		n := &node{kind: kindArray, pos: t.pos, exprs: []*node{}}
		if p.id != "]" {
			for {
				item, err := p.expression(0)
				if err != nil {
					return nil, err
				}
				if p.id == ".." {
					r := &node{kind: kindBinary, str: "..", op: opRange, pos: p.tok.pos, lhs: item}
					if err := p.advance("..", false); err != nil {
						return nil, err
					}
					if r.rhs, err = p.expression(0); err != nil {
						return nil, err
					}
					item = r
				}
				n.exprs = append(n.exprs, item)
				if p.id != "," {
					break
				}
				if err := p.advance(",", false); err != nil {
					return nil, err
				}
			}
		}
		return n, p.advance("]", true)
	case "{":
		pairs, err := p.objectPairs()
		if err != nil {
			return nil, err
		}
		return &node{kind: kindObject, pairs: pairs, pos: t.pos}, nil
	case "|":
		n := &node{kind: kindTransform, pos: t.pos}
		var err error
		if n.pattern, err = p.expression(0); err != nil {
			return nil, err
		}
		if err := p.advance("|", false); err != nil {
			return nil, err
		}
		if n.update, err = p.expression(0); err != nil {
			return nil, err
		}
		if p.id == "," {
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
			if n.del, err = p.expression(0); err != nil {
				return nil, err
			}
		}
		return n, p.advance("|", false)
	}
	return nil, &Error{Code: "S0211", Position: t.pos, Token: t.str}
}

func (p *parser) objectPairs() ([][2]*node, error) {
	var pairs [][2]*node
	if p.id != "}" {
		for {
			k, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			if err := p.advance(":", false); err != nil {
				return nil, err
			}
			v, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, [2]*node{k, v})
			if p.id != "," {
				break
			}
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
		}
	}
	return pairs, p.advance("}", true)
}

func (p *parser) led(t token, left *node) (*node, error) {
	op := t.str
	bp := operatorPrecedence[op]
	switch op {
	case ".", "+", "-", "*", "/", "%", "=", "<", ">", "!=", "<=", ">=", "&", "and", "or", "in", "~>":
		rhs, err := p.expression(bp)
		if err != nil {
			return nil, err
		}
		kind := kindBinary
		if op == "." {
			kind = kindDot
		}
		return &node{kind: kind, str: op, op: binOps[op], lhs: left, rhs: rhs, pos: t.pos}, nil
	case "??":
		e, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		cond := &node{kind: kindFunction, pos: t.pos,
			procedure: &node{kind: kindVariable, str: "exists", pos: t.pos},
			args:      []*node{left.clone()}}
		return &node{kind: kindCondition, cond: cond, then: left, els: e, pos: t.pos}, nil
	case "?:":
		e, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		return &node{kind: kindCondition, cond: left.clone(), then: left, els: e, pos: t.pos}, nil
	case "?":
		n := &node{kind: kindCondition, cond: left, pos: t.pos}
		var err error
		if n.then, err = p.expression(0); err != nil {
			return nil, err
		}
		if p.id == ":" {
			if err := p.advance(":", false); err != nil {
				return nil, err
			}
			if n.els, err = p.expression(0); err != nil {
				return nil, err
			}
		}
		return n, nil
	case "(":
		return p.call(t, left)
	case "[":
		if p.id == "]" {
			step := left
			for step != nil && step.kind == kindPredicate {
				step = step.lhs
			}
			step.keepArray = true
			return left, p.advance("]", false)
		}
		rhs, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		return &node{kind: kindPredicate, lhs: left, rhs: rhs, pos: t.pos}, p.advance("]", true)
	case "^":
		if err := p.advance("(", false); err != nil {
			return nil, err
		}
		n := &node{kind: kindOrderBy, lhs: left, pos: t.pos}
		for {
			term := sortTerm{}
			if p.id == "<" {
				if err := p.advance("<", false); err != nil {
					return nil, err
				}
			} else if p.id == ">" {
				term.descending = true
				if err := p.advance(">", false); err != nil {
					return nil, err
				}
			}
			e, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			term.expr = e
			n.terms = append(n.terms, term)
			if p.id != "," {
				break
			}
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
		}
		return n, p.advance(")", false)
	case "{":
		pairs, err := p.objectPairs()
		if err != nil {
			return nil, err
		}
		return &node{kind: kindGroup, lhs: left, pairs: pairs, pos: t.pos}, nil
	case ":=":
		if left.kind != kindVariable {
			return nil, &Error{Code: "S0212", Position: left.pos, Token: left.str}
		}
		rhs, err := p.expression(bp - 1)
		if err != nil {
			return nil, err
		}
		return &node{kind: kindBind, lhs: left, rhs: rhs, pos: t.pos}, nil
	case "@", "#":
		rhs, err := p.expression(bp)
		if err != nil {
			return nil, err
		}
		if rhs.kind != kindVariable {
			return nil, &Error{Code: "S0214", Position: rhs.pos, Token: op}
		}
		kind := kindFocus
		if op == "#" {
			kind = kindIndex
		}
		return &node{kind: kind, lhs: left, rhs: rhs, pos: t.pos}, nil
	}
	return nil, &Error{Code: "S0201", Position: t.pos, Token: op}
}

// call parses a function invocation, partial application or lambda
// definition; the opening parenthesis is consumed.
func (p *parser) call(t token, left *node) (*node, error) {
	n := &node{kind: kindFunction, procedure: left, pos: t.pos, args: []*node{}}
	if p.id != ")" {
		for {
			if p.tok.typ == tokOperator && p.id == "?" {
				n.kind = kindPartial
				n.args = append(n.args, &node{kind: kindPlaceholder, pos: p.tok.pos})
				if err := p.advance("?", false); err != nil {
					return nil, err
				}
			} else {
				a, err := p.expression(0)
				if err != nil {
					return nil, err
				}
				n.args = append(n.args, a)
			}
			if p.id != "," {
				break
			}
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
		}
	}
	if err := p.advance(")", true); err != nil {
		return nil, err
	}
	if left.kind != kindName || (left.str != "function" && left.str != "λ") {
		return n, nil
	}
	n.kind = kindLambda
	for i, a := range n.args {
		if a.kind != kindVariable {
			return nil, &Error{Code: "S0208", Position: a.pos, Token: a.str, Value: float64(i + 1)}
		}
		n.params = append(n.params, a.str)
	}
	n.args = nil
	if p.id == "<" {
		sigPos := p.tok.pos
		depth := 1
		sig := "<"
		for depth > 0 && p.id != "{" && p.id != "(end)" {
			if err := p.advance("", false); err != nil {
				return nil, err
			}
			switch p.id {
			case ">":
				depth--
			case "<":
				depth++
			}
			sig += p.tokenValue()
		}
		if err := p.advance(">", false); err != nil {
			return nil, err
		}
		s, err := parseSignature(sig)
		if err != nil {
			err.Position += sigPos
			return nil, err
		}
		n.sig = s
	}
	if err := p.advance("{", false); err != nil {
		return nil, err
	}
	body, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	n.body = body
	return n, p.advance("}", false)
}

// process is the post-parse stage (jsonata-js's processAST).
func (p *parser) process(expr *node) (*node, error) {
	var result *node
	var err error
	switch expr.kind {
	case kindDot:
		lstep, err := p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		if lstep.kind == kindPath {
			result = lstep
		} else {
			result = &node{kind: kindPath, steps: []*node{lstep}, pos: lstep.pos}
		}
		if lstep.kind == kindParent {
			result.seekingParent = []*slot{lstep.slot}
		}
		rest, err := p.process(expr.rhs)
		if err != nil {
			return nil, err
		}
		if rest.kind == kindPath {
			result.steps = append(result.steps, rest.steps...)
		} else {
			if rest.predicate != nil {
				rest.stages = rest.predicate
				rest.predicate = nil
			}
			result.steps = append(result.steps, rest)
		}
		for _, step := range result.steps {
			switch step.kind {
			case kindNumber, kindValue:
				return nil, &Error{Code: "S0213", Position: step.pos, Value: step.val}
			case kindString:
				step.kind = kindName
			}
		}
		for _, step := range result.steps {
			if step.keepArray {
				result.keepSingletonArray = true
			}
		}
		if first := result.steps[0]; first.kind == kindArray {
			first.consArray = true
		}
		if last := result.steps[len(result.steps)-1]; last.kind == kindArray {
			last.consArray = true
		}
		if err := p.resolveAncestry(result); err != nil {
			return nil, err
		}
	case kindPredicate:
		result, err = p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		onStages := false
		if result.kind == kindPath {
			step = result.steps[len(result.steps)-1]
			onStages = true
		}
		if step.group != nil {
			return nil, &Error{Code: "S0209", Position: expr.pos}
		}
		pred, err := p.process(expr.rhs)
		if err != nil {
			return nil, err
		}
		if pred.seekingParent != nil {
			for _, s := range pred.seekingParent {
				if s.level == 1 {
					if _, err := p.seekParent(step, s); err != nil {
						return nil, err
					}
				} else {
					s.level--
				}
			}
			pushAncestry(step, pred)
		}
		st := stage{kind: stageFilter, expr: pred, pos: expr.pos}
		if onStages {
			step.stages = append(step.stages, st)
		} else {
			step.predicate = append(step.predicate, st)
		}
	case kindGroup:
		result, err = p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		if result.group != nil {
			return nil, &Error{Code: "S0210", Position: expr.pos}
		}
		g := &group{pos: expr.pos}
		for _, pair := range expr.pairs {
			k, err := p.process(pair[0])
			if err != nil {
				return nil, err
			}
			v, err := p.process(pair[1])
			if err != nil {
				return nil, err
			}
			g.pairs = append(g.pairs, [2]*node{k, v})
		}
		result.group = g
	case kindOrderBy:
		result, err = p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		if result.kind != kindPath {
			result = &node{kind: kindPath, steps: []*node{result}, pos: result.pos}
		}
		sortStep := &node{kind: kindSort, pos: expr.pos}
		for _, t := range expr.terms {
			e, err := p.process(t.expr)
			if err != nil {
				return nil, err
			}
			pushAncestry(sortStep, e)
			sortStep.terms = append(sortStep.terms, sortTerm{descending: t.descending, expr: e})
		}
		result.steps = append(result.steps, sortStep)
		if err := p.resolveAncestry(result); err != nil {
			return nil, err
		}
	case kindBind:
		result = &node{kind: kindBind, pos: expr.pos}
		if result.lhs, err = p.process(expr.lhs); err != nil {
			return nil, err
		}
		if result.rhs, err = p.process(expr.rhs); err != nil {
			return nil, err
		}
		pushAncestry(result, result.rhs)
	case kindFocus:
		result, err = p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		if result.kind == kindPath {
			step = result.steps[len(result.steps)-1]
		}
		if step.stages != nil || step.predicate != nil {
			return nil, &Error{Code: "S0215", Position: expr.pos}
		}
		if step.kind == kindSort {
			return nil, &Error{Code: "S0216", Position: expr.pos}
		}
		if expr.keepArray {
			step.keepArray = true
		}
		step.focus = expr.rhs.str
		step.tuple = true
	case kindIndex:
		result, err = p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		if result.kind == kindPath {
			step = result.steps[len(result.steps)-1]
		} else {
			result = &node{kind: kindPath, steps: []*node{result}, pos: result.pos}
			if step.predicate != nil {
				step.stages = step.predicate
				step.predicate = nil
			}
		}
		if step.stages == nil {
			step.index = expr.rhs.str
		} else {
			step.stages = append(step.stages, stage{kind: stageIndex, index: expr.rhs.str, pos: expr.pos})
		}
		step.tuple = true
	case kindBinary:
		if expr.str == "~>" {
			result = &node{kind: kindApply, pos: expr.pos}
			if result.lhs, err = p.process(expr.lhs); err != nil {
				return nil, err
			}
			if result.rhs, err = p.process(expr.rhs); err != nil {
				return nil, err
			}
			result.keepArray = result.lhs.keepArray || result.rhs.keepArray
			break
		}
		result = &node{kind: kindBinary, op: expr.op, str: expr.str, pos: expr.pos}
		if result.lhs, err = p.process(expr.lhs); err != nil {
			return nil, err
		}
		if result.rhs, err = p.process(expr.rhs); err != nil {
			return nil, err
		}
		pushAncestry(result, result.lhs)
		pushAncestry(result, result.rhs)
	case kindArray:
		result = &node{kind: kindArray, pos: expr.pos, exprs: make([]*node, 0, len(expr.exprs))}
		for _, item := range expr.exprs {
			v, err := p.process(item)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			result.exprs = append(result.exprs, v)
		}
	case kindObject:
		result = &node{kind: kindObject, pos: expr.pos}
		for _, pair := range expr.pairs {
			k, err := p.process(pair[0])
			if err != nil {
				return nil, err
			}
			pushAncestry(result, k)
			v, err := p.process(pair[1])
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			result.pairs = append(result.pairs, [2]*node{k, v})
		}
		result.ctor = &group{pairs: result.pairs, pos: result.pos}
	case kindUnaryMinus:
		result = &node{kind: kindUnaryMinus, pos: expr.pos}
		if result.expr, err = p.process(expr.expr); err != nil {
			return nil, err
		}
		if result.expr.kind == kindNumber {
			result = result.expr
			result.val = -result.val.(float64)
		} else {
			pushAncestry(result, result.expr)
		}
	case kindFunction, kindPartial:
		result = &node{kind: expr.kind, pos: expr.pos, args: make([]*node, 0, len(expr.args))}
		for _, a := range expr.args {
			v, err := p.process(a)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			result.args = append(result.args, v)
		}
		if result.procedure, err = p.process(expr.procedure); err != nil {
			return nil, err
		}
	case kindLambda:
		result = &node{kind: kindLambda, params: expr.params, sig: expr.sig, pos: expr.pos}
		body, err := p.process(expr.body)
		if err != nil {
			return nil, err
		}
		result.body = tailCallOptimize(body)
	case kindCondition:
		result = &node{kind: kindCondition, pos: expr.pos}
		if result.cond, err = p.process(expr.cond); err != nil {
			return nil, err
		}
		pushAncestry(result, result.cond)
		if result.then, err = p.process(expr.then); err != nil {
			return nil, err
		}
		pushAncestry(result, result.then)
		if expr.els != nil {
			if result.els, err = p.process(expr.els); err != nil {
				return nil, err
			}
			pushAncestry(result, result.els)
		}
	case kindTransform:
		result = &node{kind: kindTransform, pos: expr.pos}
		if result.pattern, err = p.process(expr.pattern); err != nil {
			return nil, err
		}
		if result.update, err = p.process(expr.update); err != nil {
			return nil, err
		}
		if expr.del != nil {
			if result.del, err = p.process(expr.del); err != nil {
				return nil, err
			}
		}
	case kindBlock:
		result = &node{kind: kindBlock, pos: expr.pos}
		for _, item := range expr.exprs {
			part, err := p.process(item)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, part)
			if part.consArray || (part.kind == kindPath && part.steps[0].consArray) {
				result.consArray = true
			}
			result.exprs = append(result.exprs, part)
		}
	case kindName:
		result = &node{kind: kindPath, steps: []*node{expr}, pos: expr.pos}
		if expr.keepArray {
			result.keepSingletonArray = true
		}
	case kindParent:
		result = &node{kind: kindParent, pos: expr.pos, slot: &slot{label: "!" + strconv.Itoa(p.ancestorLabel), level: 1, index: len(p.ancestry)}}
		p.ancestorLabel++
		p.ancestry = append(p.ancestry, result)
	case kindString, kindNumber, kindValue, kindWildcard, kindDescendant, kindVariable, kindRegex, kindPlaceholder:
		result = expr
	case kindOperator:
		expr.kind = kindName
		return p.process(expr)
	case kindEnd:
		return nil, &Error{Code: "S0207", Position: expr.pos, Token: "(end)"}
	default:
		return nil, &Error{Code: "S0206", Position: expr.pos, Token: expr.str}
	}
	if expr.keepArray {
		result.keepArray = true
	}
	result.constant = isConstant(result)
	return result, nil
}

// isConstant reports whether n's value is fixed at compile time.
func isConstant(n *node) bool {
	if n.predicate != nil || n.group != nil || n.keepArray {
		return false
	}
	switch n.kind {
	case kindString, kindNumber, kindValue:
		return true
	case kindUnaryMinus:
		return n.expr.constant
	case kindBinary:
		return n.lhs.constant && n.rhs.constant
	case kindArray:
		for _, e := range n.exprs {
			if !e.constant {
				return false
			}
		}
		return true
	}
	return false
}

func tailCallOptimize(expr *node) *node {
	switch expr.kind {
	case kindFunction:
		if expr.predicate == nil {
			return &node{kind: kindLambda, thunk: true, body: expr, pos: expr.pos}
		}
	case kindCondition:
		expr.then = tailCallOptimize(expr.then)
		if expr.els != nil {
			expr.els = tailCallOptimize(expr.els)
		}
	case kindBlock:
		if n := len(expr.exprs); n > 0 {
			expr.exprs[n-1] = tailCallOptimize(expr.exprs[n-1])
		}
	}
	return expr
}

func (p *parser) seekParent(n *node, s *slot) (*slot, error) {
	switch n.kind {
	case kindName, kindWildcard:
		s.level--
		if s.level == 0 {
			if n.ancestor == nil {
				n.ancestor = s
			} else {
				p.ancestry[s.index].slot.label = n.ancestor.label
				n.ancestor = s
			}
			n.tuple = true
		}
	case kindParent:
		s.level++
	case kindBlock:
		if len(n.exprs) > 0 {
			n.tuple = true
			return p.seekParent(n.exprs[len(n.exprs)-1], s)
		}
	case kindPath:
		n.tuple = true
		i := len(n.steps) - 1
		var err error
		s, err = p.seekParent(n.steps[i], s)
		if err != nil {
			return nil, err
		}
		i--
		for s.level > 0 && i >= 0 {
			if s, err = p.seekParent(n.steps[i], s); err != nil {
				return nil, err
			}
			i--
		}
	default:
		return nil, &Error{Code: "S0217", Position: n.pos, Token: kindLabel(n.kind)}
	}
	return s, nil
}

func pushAncestry(result, v *node) {
	if v.seekingParent == nil && v.kind != kindParent {
		return
	}
	slots := append([]*slot(nil), v.seekingParent...)
	if v.kind == kindParent {
		slots = append(slots, v.slot)
	}
	result.seekingParent = append(result.seekingParent, slots...)
}

func (p *parser) resolveAncestry(path *node) error {
	last := path.steps[len(path.steps)-1]
	slots := append([]*slot(nil), last.seekingParent...)
	if last.kind == kindParent {
		slots = append(slots, last.slot)
	}
	for _, s := range slots {
		i := len(path.steps) - 2
		for s.level > 0 {
			if i < 0 {
				path.seekingParent = append(path.seekingParent, s)
				break
			}
			step := path.steps[i]
			i--
			for i >= 0 && step.focus != "" && path.steps[i].focus != "" {
				step = path.steps[i]
				i--
			}
			var err error
			if s, err = p.seekParent(step, s); err != nil {
				return err
			}
		}
	}
	return nil
}
