package jsonata

// nodeKind is the type of an AST node after the post-parse stage.
type nodeKind uint8

const (
	kindInvalid nodeKind = iota
	kindPath
	kindBinary
	kindUnaryMinus
	kindArray  // array constructor [ ... ]
	kindObject // object constructor { ... } without a left side
	kindName
	kindString
	kindNumber
	kindValue // true, false, null
	kindWildcard
	kindDescendant
	kindParent
	kindCondition
	kindBlock
	kindBind
	kindRegex
	kindFunction
	kindPartial
	kindVariable
	kindLambda
	kindApply
	kindTransform
	kindSort
	kindPlaceholder // the ? of a partial application

	// Parse-only kinds, removed by the post-parse stage.
	kindOperator // an operator token used as an operand (and, or, in)
	kindEnd
	kindFocus
	kindIndex
	kindGroup
	kindPredicate
	kindOrderBy
	kindDot
)

// binOp identifies a binary operator.
type binOp uint8

const (
	opNone binOp = iota
	opAdd
	opSub
	opMul
	opDiv
	opMod
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opConcat
	opAnd
	opOr
	opIn
	opRange
)

var binOps = map[string]binOp{
	"+": opAdd, "-": opSub, "*": opMul, "/": opDiv, "%": opMod,
	"=": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe,
	"&": opConcat, "and": opAnd, "or": opOr, "in": opIn, "..": opRange,
}

// node is one AST node. Which fields are used depends on kind; the layout
// follows jsonata-js's AST so that its semantics carry over one to one.
type node struct {
	kind nodeKind
	op   binOp
	pos  int
	str  string // name, variable, operator, string literal
	val  any    // literal value (string, number, bool, nil)

	lhs, rhs *node
	expr     *node   // unary minus operand
	exprs    []*node // block, array constructor
	pairs    [][2]*node
	steps    []*node // path

	procedure *node
	args      []*node
	params    []string
	sig       *signature
	body      *node
	thunk     bool

	cond, then, els *node

	pattern, update, del *node
	terms                []sortTerm

	predicate []stage // filters of a node that is not a path step
	stages    []stage // filters and index bindings of a path step
	group     *group

	focus    string
	index    string
	ancestor *slot
	slot     *slot // parent node
	tuple    bool

	keepArray          bool
	keepSingletonArray bool
	consArray          bool

	seekingParent []*slot

	regex *jsRegex
	fn    *Function // a regex literal's value, shared by all evaluations
	ctor  *group    // an object constructor's pairs

	// constant is set on nodes whose value depends on neither the context
	// nor variables (literals and operators over them).
	constant bool
}

type sortTerm struct {
	descending bool
	expr       *node
}

type stageKind uint8

const (
	stageFilter stageKind = iota
	stageIndex
)

type stage struct {
	kind stageKind
	expr *node
	// index is the variable name of an index stage.
	index string
	pos   int
}

type group struct {
	pairs [][2]*node
	pos   int
}

// slot names the ancestor that a parent (%) operator refers to.
type slot struct {
	label string
	level int
	index int
}

// clone deep-copies a parse tree (used by ?: and ??, whose left side is
// evaluated twice).
func (n *node) clone() *node {
	if n == nil {
		return nil
	}
	c := *n
	c.lhs = n.lhs.clone()
	c.rhs = n.rhs.clone()
	c.expr = n.expr.clone()
	c.exprs = cloneNodes(n.exprs)
	c.steps = cloneNodes(n.steps)
	c.args = cloneNodes(n.args)
	c.procedure = n.procedure.clone()
	c.body = n.body.clone()
	c.cond = n.cond.clone()
	c.then = n.then.clone()
	c.els = n.els.clone()
	c.pattern = n.pattern.clone()
	c.update = n.update.clone()
	c.del = n.del.clone()
	if n.pairs != nil {
		c.pairs = make([][2]*node, len(n.pairs))
		for i, p := range n.pairs {
			c.pairs[i] = [2]*node{p[0].clone(), p[1].clone()}
		}
	}
	if n.terms != nil {
		c.terms = make([]sortTerm, len(n.terms))
		for i, t := range n.terms {
			c.terms[i] = sortTerm{t.descending, t.expr.clone()}
		}
	}
	c.predicate = cloneStages(n.predicate)
	c.stages = cloneStages(n.stages)
	if n.group != nil {
		g := &group{pos: n.group.pos, pairs: make([][2]*node, len(n.group.pairs))}
		for i, p := range n.group.pairs {
			g.pairs[i] = [2]*node{p[0].clone(), p[1].clone()}
		}
		c.group = g
	}
	return &c
}

func cloneNodes(ns []*node) []*node {
	if ns == nil {
		return nil
	}
	out := make([]*node, len(ns))
	for i, n := range ns {
		out[i] = n.clone()
	}
	return out
}

func cloneStages(ss []stage) []stage {
	if ss == nil {
		return nil
	}
	out := make([]stage, len(ss))
	for i, s := range ss {
		out[i] = s
		out[i].expr = s.expr.clone()
	}
	return out
}
