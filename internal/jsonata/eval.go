package jsonata

import (
	"math"
	"slices"
	"time"

	"github.com/batonrun/baton/internal/value"
)

// frame is a scope of variable bindings. Frames are created per evaluation
// and never shared between evaluations.
type frame struct {
	parent *frame
	names  []string
	vals   []any
}

func newFrame(parent *frame) *frame { return &frame{parent: parent} }

func (f *frame) bind(name string, v any) {
	for i, n := range f.names {
		if n == name {
			f.vals[i] = v
			return
		}
	}
	f.names = append(f.names, name)
	f.vals = append(f.vals, v)
}

// evaluator holds the state of one Evaluate call.
type evaluator struct {
	depth    int
	maxDepth int
	deadline time.Time
	timed    bool
	ticks    uint32
	now      time.Time
	funcs    map[string]*Function
}

func (ev *evaluator) lookup(env *frame, name string) (any, bool) {
	for f := env; f != nil; f = f.parent {
		for i := len(f.names) - 1; i >= 0; i-- {
			if f.names[i] == name {
				return f.vals[i], true
			}
		}
	}
	if ev.funcs != nil {
		if fn, ok := ev.funcs[name]; ok {
			return fn, true
		}
	}
	if fn, ok := builtins[name]; ok {
		return fn, true
	}
	return undefined, false
}

func (ev *evaluator) enter() error {
	ev.depth++
	if ev.depth > ev.maxDepth {
		return errStackOverflow()
	}
	if ev.timed {
		ev.ticks++
		if ev.ticks&255 == 0 && time.Now().After(ev.deadline) {
			return errTimeout()
		}
	}
	return nil
}

// checkDeadline fails when the evaluation has run past its timeout; long
// loops call it every few thousand iterations.
func (ev *evaluator) checkDeadline() error {
	if ev.timed && time.Now().After(ev.deadline) {
		return errTimeout()
	}
	return nil
}

func (ev *evaluator) eval(n *node, input any, env *frame) (any, error) {
	if err := ev.enter(); err != nil {
		return nil, err
	}
	result, err := ev.evalNode(n, input, env)
	if err != nil {
		ev.depth--
		return nil, err
	}
	for i := range n.predicate {
		if result, err = ev.filter(n.predicate[i].expr, result, env); err != nil {
			ev.depth--
			return nil, err
		}
	}
	if n.group != nil && n.kind != kindPath {
		if result, err = ev.groupBy(n.group, result, env); err != nil {
			ev.depth--
			return nil, err
		}
	}
	ev.depth--
	if s, ok := result.(*sequence); ok {
		if n.keepArray {
			s.keepSingleton = true
		}
		switch len(s.items) {
		case 0:
			return undefined, nil
		case 1:
			if !s.keepSingleton {
				return s.items[0], nil
			}
		}
	}
	return result, nil
}

func (ev *evaluator) evalNode(n *node, input any, env *frame) (any, error) {
	switch n.kind {
	case kindPath:
		return ev.evalPath(n, input, env)
	case kindBinary:
		return ev.evalBinary(n, input, env)
	case kindUnaryMinus:
		v, err := ev.eval(n.expr, input, env)
		if err != nil {
			return nil, err
		}
		switch t := v.(type) {
		case undefinedType:
			return undefined, nil
		case float64:
			return -t, nil
		}
		return nil, &Error{Code: "D1002", Position: n.pos, Token: "-", Value: v}
	case kindArray:
		return ev.evalArray(n, input, env)
	case kindObject:
		return ev.groupBy(n.ctor, input, env)
	case kindName:
		return lookupField(input, n.str), nil
	case kindString, kindNumber, kindValue:
		return n.val, nil
	case kindWildcard:
		return evalWildcard(input), nil
	case kindDescendant:
		if isUndef(input) {
			return undefined, nil
		}
		s := newSeq(8)
		recurseDescendants(input, s)
		if len(s.items) == 1 {
			return s.items[0], nil
		}
		return s, nil
	case kindParent:
		v, _ := ev.lookup(env, n.slot.label)
		return v, nil
	case kindCondition:
		c, err := ev.eval(n.cond, input, env)
		if err != nil {
			return nil, err
		}
		if truthy(c) {
			return ev.eval(n.then, input, env)
		}
		if n.els != nil {
			return ev.eval(n.els, input, env)
		}
		return undefined, nil
	case kindBlock:
		f := newFrame(env)
		var result any = undefined
		for _, e := range n.exprs {
			var err error
			if result, err = ev.eval(e, input, f); err != nil {
				return nil, err
			}
		}
		return result, nil
	case kindBind:
		v, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		env.bind(n.lhs.str, v)
		return v, nil
	case kindRegex:
		return n.fn, nil
	case kindFunction:
		return ev.evalFunction(n, input, env, nil)
	case kindVariable:
		if n.str == "" {
			if s, ok := input.(*sequence); ok && s.outerWrapper {
				return s.items[0], nil
			}
			return input, nil
		}
		v, _ := ev.lookup(env, n.str)
		return v, nil
	case kindLambda:
		return &Function{kind: fnLambda, node: n, env: env, input: input, sig: n.sig, thunk: n.thunk}, nil
	case kindPartial:
		return ev.evalPartial(n, input, env)
	case kindApply:
		return ev.evalApply(n, input, env)
	case kindTransform:
		return &Function{kind: fnTransform, node: n, env: env, arity: 1}, nil
	}
	return undefined, nil
}

// lookupField is JSONata's field selection: from an object its member, from
// an array the flattened selection from each element.
func lookupField(input any, name string) any {
	switch t := input.(type) {
	case *value.Object:
		if v, ok := t.Get(name); ok {
			return v
		}
		return undefined
	case []any:
		return lookupArray(t, name)
	case *sequence:
		return lookupArray(t.items, name)
	}
	return undefined
}

func lookupArray(items []any, name string) any {
	s := newSeq(len(items))
	for _, it := range items {
		r := lookupField(it, name)
		if isUndef(r) {
			continue
		}
		if a, ok := arrayItems(r); ok {
			s.items = append(s.items, a...)
		} else {
			s.items = append(s.items, r)
		}
	}
	return s
}

func evalWildcard(input any) any {
	if s, ok := input.(*sequence); ok && s.outerWrapper && len(s.items) > 0 {
		input = s.items[0]
	}
	var values []any
	switch t := input.(type) {
	case *value.Object:
		values = make([]any, t.Len())
		for i, m := range t.Members() {
			values[i] = m.Value
		}
	case []any:
		values = t // an array's elements are its members, as in JavaScript
	case *sequence:
		values = t.items
	default:
		return newSeq(0)
	}
	s := newSeq(len(values))
	plain := false
	for _, v := range values {
		if a, ok := arrayItems(v); ok {
			s.items = flattenInto(s.items, a)
			plain = true
		} else {
			s.items = append(s.items, v)
		}
	}
	if plain {
		// jsonata-js appends with Array.concat, which yields a plain array.
		return s.items
	}
	return s
}

func flattenInto(dst []any, a []any) []any {
	for _, e := range a {
		if inner, ok := arrayItems(e); ok {
			dst = flattenInto(dst, inner)
		} else {
			dst = append(dst, e)
		}
	}
	return dst
}

func recurseDescendants(input any, s *sequence) {
	if a, ok := arrayItems(input); ok {
		for _, e := range a {
			recurseDescendants(e, s)
		}
		return
	}
	s.items = append(s.items, input)
	if o, ok := input.(*value.Object); ok {
		for _, m := range o.Members() {
			recurseDescendants(m.Value, s)
		}
	}
}

func (ev *evaluator) evalArray(n *node, input any, env *frame) (any, error) {
	result := make([]any, 0, len(n.exprs))
	for _, item := range n.exprs {
		v, err := ev.eval(item, input, env)
		if err != nil {
			return nil, err
		}
		if isUndef(v) {
			continue
		}
		if item.kind == kindArray {
			result = append(result, v)
		} else if a, ok := arrayItems(v); ok {
			result = slices.Grow(result, len(a))
			for i, e := range a {
				if i&0xFFFF == 0xFFFF {
					if err := ev.checkDeadline(); err != nil {
						return nil, err
					}
				}
				result = append(result, normalize(e))
			}
		} else {
			result = append(result, v)
		}
	}
	return result, nil
}

// isCons reports whether step yields an array constructed in the
// expression, which path flattening keeps whole.
func isCons(step *node) bool { return step.kind == kindArray && step.consArray }

func (ev *evaluator) evalPath(n *node, input any, env *frame) (any, error) {
	var cur any // the input sequence of the current step: []any or *sequence
	if n.steps[0].kind != kindVariable && isArray(input) {
		cur = input
	} else {
		cur = seqOf(input)
	}
	var result any
	var tuples []*tuple
	isTuple := false
	var last *node
	for i, step := range n.steps {
		if step.tuple {
			isTuple = true
		}
		var err error
		switch {
		case i == 0 && step.consArray:
			result, err = ev.eval(step, cur, env)
		case isTuple:
			items, _ := arrayItems(cur)
			tuples, err = ev.evalTupleStep(step, cur, items, tuples, env)
		default:
			result, err = ev.evalStep(step, cur, env, i == len(n.steps)-1)
		}
		if err != nil {
			return nil, err
		}
		last = step
		if !isTuple {
			if items, ok := arrayItems(result); !ok || len(items) == 0 {
				if !ok {
					result = newSeq(0)
				}
				break
			}
		}
		if step.focus == "" {
			cur = result
		}
	}
	if isTuple {
		if n.tuple {
			return tupleStream(tuples), nil
		}
		s := newSeq(len(tuples))
		for _, t := range tuples {
			s.items = append(s.items, t.ctx)
		}
		result = s
	}
	if n.keepSingletonArray {
		if a, ok := result.([]any); ok && last != nil && isCons(last) {
			result = seqOf(a)
		}
		if s, ok := result.(*sequence); ok {
			s.keepSingleton = true
		}
	}
	if n.group != nil {
		if isTuple {
			return ev.groupBy(n.group, tupleStream(tuples), env)
		}
		return ev.groupBy(n.group, result, env)
	}
	return result, nil
}

func (ev *evaluator) evalStep(step *node, cur any, env *frame, lastStep bool) (any, error) {
	items, _ := arrayItems(cur)
	if step.kind == kindSort {
		r, err := ev.sortValues(step, cur, items, env)
		if err != nil {
			return nil, err
		}
		for _, st := range step.stages {
			if r, err = ev.filter(st.expr, r, env); err != nil {
				return nil, err
			}
		}
		return r, nil
	}
	cons := isCons(step) && step.stages == nil
	if len(items) == 1 {
		res, err := ev.evalStepItem(step, items[0], env)
		if err != nil {
			return nil, err
		}
		if isUndef(res) {
			return newSeq(0), nil
		}
		if a, ok := res.([]any); ok {
			switch {
			case lastStep:
				return a, nil
			case cons:
				return seqOf(a), nil
			}
			return &sequence{items: a[:len(a):len(a)]}, nil
		}
		if s, ok := res.(*sequence); ok {
			return &sequence{items: s.items[:len(s.items):len(s.items)]}, nil
		}
		return seqOf(res), nil
	}
	out := newSeq(len(items))
	for _, it := range items {
		res, err := ev.evalStepItem(step, it, env)
		if err != nil {
			return nil, err
		}
		if isUndef(res) {
			continue
		}
		if a, ok := arrayItems(res); ok && !cons {
			out.items = append(out.items, a...)
		} else {
			out.items = append(out.items, res)
		}
	}
	return out, nil
}

func (ev *evaluator) evalStepItem(step *node, item any, env *frame) (any, error) {
	res, err := ev.eval(step, item, env)
	if err != nil {
		return nil, err
	}
	for _, st := range step.stages {
		if res, err = ev.filter(st.expr, res, env); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// tuple is one element of a tuple stream: a context value with the
// variables (focus, index and ancestor bindings) in scope for it.
type tuple struct {
	ctx   any
	names []string
	vals  []any
}

// tupleStream is a sequence of tuples, the value of a path that binds
// variables with @, # or %.
type tupleStream []*tuple

func (t *tuple) copyWith(extra int) *tuple {
	c := &tuple{ctx: t.ctx, names: make([]string, len(t.names), len(t.names)+extra), vals: make([]any, len(t.vals), len(t.vals)+extra)}
	copy(c.names, t.names)
	copy(c.vals, t.vals)
	return c
}

func (t *tuple) set(name string, v any) {
	for i, n := range t.names {
		if n == name {
			t.vals[i] = v
			return
		}
	}
	t.names = append(t.names, name)
	t.vals = append(t.vals, v)
}

func (t *tuple) get(name string) (any, bool) {
	for i, n := range t.names {
		if n == name {
			return t.vals[i], true
		}
	}
	return undefined, false
}

func frameFromTuple(env *frame, t *tuple) *frame {
	return &frame{parent: env, names: t.names[:len(t.names):len(t.names)], vals: t.vals[:len(t.vals):len(t.vals)]}
}

func (ev *evaluator) evalTupleStep(step *node, cur any, items []any, tuples []*tuple, env *frame) ([]*tuple, error) {
	if step.kind == kindSort {
		result := []*tuple{}
		if tuples != nil {
			sorted, err := ev.sortTuples(step, tuples, env)
			if err != nil {
				return nil, err
			}
			result = sorted
		} else {
			sorted, err := ev.sortValues(step, cur, items, env)
			if err != nil {
				return nil, err
			}
			sitems, _ := arrayItems(sorted)
			for i, v := range sitems {
				t := &tuple{ctx: v}
				t.set(step.index, float64(i))
				result = append(result, t)
			}
		}
		return ev.evalStages(step.stages, result, env)
	}
	if tuples == nil {
		tuples = make([]*tuple, len(items))
		for i, it := range items {
			tuples[i] = &tuple{ctx: it}
		}
	}
	result := make([]*tuple, 0, len(tuples))
	for _, tb := range tuples {
		res, err := ev.eval(step, tb.ctx, frameFromTuple(env, tb))
		if err != nil {
			return nil, err
		}
		if isUndef(res) {
			continue
		}
		if ts, ok := res.(tupleStream); ok {
			for _, r := range ts {
				t := tb.copyWith(len(r.names))
				for i, n := range r.names {
					t.set(n, r.vals[i])
				}
				t.ctx = r.ctx
				result = append(result, t)
			}
			continue
		}
		vals, ok := arrayItems(res)
		if !ok {
			vals = []any{res}
		}
		for bb, r := range vals {
			t := tb.copyWith(3)
			if step.focus != "" {
				t.set(step.focus, r)
			} else {
				t.ctx = r
			}
			if step.index != "" {
				t.set(step.index, float64(bb))
			}
			if step.ancestor != nil {
				t.set(step.ancestor.label, tb.ctx)
			}
			result = append(result, t)
		}
	}
	return ev.evalStages(step.stages, result, env)
}

func (ev *evaluator) evalStages(stages []stage, tuples []*tuple, env *frame) ([]*tuple, error) {
	for _, st := range stages {
		switch st.kind {
		case stageFilter:
			var err error
			if tuples, err = ev.filterTuples(st.expr, tuples, env); err != nil {
				return nil, err
			}
		case stageIndex:
			for i, t := range tuples {
				t.set(st.index, float64(i))
			}
		}
	}
	return tuples, nil
}

// filter applies a predicate to a value or sequence (jsonata-js's
// evaluateFilter).
func (ev *evaluator) filter(pred *node, input any, env *frame) (any, error) {
	if ts, ok := input.(tupleStream); ok {
		r, err := ev.filterTuples(pred, ts, env)
		return tupleStream(r), err
	}
	items, ok := arrayItems(input)
	if !ok {
		items = []any{input}
	}
	if pred.kind == kindNumber {
		idx := int(math.Floor(pred.val.(float64)))
		if idx < 0 {
			idx += len(items)
		}
		if idx >= 0 && idx < len(items) && !isUndef(items[idx]) {
			if a, ok := items[idx].([]any); ok {
				return a, nil
			}
			if s, ok := items[idx].(*sequence); ok {
				return s, nil
			}
			return seqOf(items[idx]), nil
		}
		return newSeq(0), nil
	}
	if pred.constant {
		return ev.filterConstant(pred, items, env)
	}
	out := newSeq(0)
	for i, it := range items {
		res, err := ev.eval(pred, it, env)
		if err != nil {
			return nil, err
		}
		keep, err := predicateKeeps(res, i, len(items))
		if err != nil {
			return nil, err
		}
		if keep {
			out.items = append(out.items, it)
		}
	}
	return out, nil
}

// predicateKeeps decides whether item index of n passes a predicate whose
// value is res: numbers select positions, other values their truthiness.
func predicateKeeps(res any, index, n int) (bool, error) {
	if f, ok := res.(float64); ok {
		if err := checkFinite(f); err != nil {
			return false, err
		}
		ii := int(math.Floor(f))
		if ii < 0 {
			ii += n
		}
		return ii == index, nil
	}
	if a, ok := arrayItems(res); ok {
		allNums := true
		for _, e := range a {
			if _, ok := e.(float64); !ok {
				allNums = false
				break
			}
		}
		if allNums {
			for _, e := range a {
				f := e.(float64)
				if err := checkFinite(f); err != nil {
					return false, err
				}
				ii := int(math.Floor(f))
				if ii < 0 {
					ii += n
				}
				if ii == index {
					return true, nil
				}
			}
			return false, nil
		}
	}
	return truthy(res), nil
}

func (ev *evaluator) filterTuples(pred *node, tuples []*tuple, env *frame) ([]*tuple, error) {
	if pred.kind == kindNumber {
		idx := int(math.Floor(pred.val.(float64)))
		if idx < 0 {
			idx += len(tuples)
		}
		if idx >= 0 && idx < len(tuples) {
			return []*tuple{tuples[idx]}, nil
		}
		return []*tuple{}, nil
	}
	out := make([]*tuple, 0, len(tuples))
	for i, t := range tuples {
		res, err := ev.eval(pred, t.ctx, frameFromTuple(env, t))
		if err != nil {
			return nil, err
		}
		keep, err := predicateKeeps(res, i, len(tuples))
		if err != nil {
			return nil, err
		}
		if keep {
			out = append(out, t)
		}
	}
	return out, nil
}

// appendValues is jsonata-js's fn.append: concatenation where a non-array
// counts as a one-element array.
func appendValues(a, b any) any {
	if isUndef(a) {
		return b
	}
	if isUndef(b) {
		return a
	}
	x, ok := arrayItems(a)
	if !ok {
		x = []any{a}
	}
	y, ok := arrayItems(b)
	if !ok {
		y = []any{b}
	}
	out := make([]any, 0, len(x)+len(y))
	out = append(out, x...)
	return append(out, y...)
}

type groupEntry struct {
	// parts are the items grouped under the key, in order; the group's
	// context is their fn.append concatenation (see groupData).
	parts     []any
	tuples    []*tuple
	exprIndex int
}

// groupData is the context of a group: a single item as it is, several
// items concatenated with arrays spliced in, as repeated fn.append does.
func (e *groupEntry) groupData() any {
	if len(e.parts) == 1 {
		return e.parts[0]
	}
	n := 0
	for _, p := range e.parts {
		if a, ok := arrayItems(p); ok {
			n += len(a)
		} else {
			n++
		}
	}
	out := make([]any, 0, n)
	for _, p := range e.parts {
		if a, ok := arrayItems(p); ok {
			out = append(out, a...)
		} else {
			out = append(out, p)
		}
	}
	return out
}

func (ev *evaluator) groupBy(g *group, input any, env *frame) (any, error) {
	result := value.NewObject(len(g.pairs))
	ts, reduce := input.(tupleStream)
	var items []any
	if !reduce {
		var ok bool
		if items, ok = arrayItems(input); !ok {
			items = []any{input}
		}
		if len(items) == 0 {
			items = []any{undefined}
		}
	}
	keys := make([]string, 0, 4)
	groups := make(map[string]*groupEntry, 4)
	n := len(items)
	if reduce {
		n = len(ts)
	}
	for i := 0; i < n; i++ {
		var item any
		itemEnv := env
		if reduce {
			item = ts[i].ctx
			itemEnv = frameFromTuple(env, ts[i])
		} else {
			item = items[i]
		}
		for pi, pair := range g.pairs {
			k, err := ev.eval(pair[0], item, itemEnv)
			if err != nil {
				return nil, err
			}
			if isUndef(k) {
				continue
			}
			key, ok := k.(string)
			if !ok {
				return nil, &Error{Code: "T1003", Position: g.pos, Value: k}
			}
			if e, ok := groups[key]; ok {
				if e.exprIndex != pi {
					return nil, &Error{Code: "D1009", Position: g.pos, Value: key}
				}
				if reduce {
					e.tuples = append(e.tuples, ts[i])
				} else if !isUndef(item) {
					e.parts = append(e.parts, item)
				}
				continue
			}
			e := &groupEntry{exprIndex: pi}
			if reduce {
				e.tuples = []*tuple{ts[i]}
			} else {
				e.parts = []any{item}
			}
			groups[key] = e
			keys = append(keys, key)
		}
	}
	for _, key := range keys {
		e := groups[key]
		var ctx any
		valEnv := env
		if !reduce {
			ctx = e.groupData()
		}
		if reduce {
			t := reduceTuples(e.tuples)
			ctx = t.ctx
			valEnv = frameFromTuple(env, t)
		}
		v, err := ev.eval(g.pairs[e.exprIndex][1], ctx, valEnv)
		if err != nil {
			return nil, err
		}
		if !isUndef(v) {
			result.Set(key, normalize(v))
		}
	}
	return result, nil
}

func reduceTuples(ts []*tuple) *tuple {
	if len(ts) == 1 {
		return ts[0]
	}
	r := ts[0].copyWith(0)
	for _, t := range ts[1:] {
		r.ctx = appendValues(r.ctx, t.ctx)
		for i, n := range t.names {
			prev, _ := r.get(n)
			r.set(n, appendValues(prev, t.vals[i]))
		}
	}
	return r
}

func (ev *evaluator) evalBinary(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case opAnd:
		if !truthy(lhs) {
			return false, nil
		}
		rhs, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		return truthy(rhs), nil
	case opOr:
		if truthy(lhs) {
			return true, nil
		}
		rhs, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		return truthy(rhs), nil
	}
	rhs, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	var r any
	switch n.op {
	case opAdd, opSub, opMul, opDiv, opMod:
		r, err = arith(n.op, lhs, rhs)
	case opEq:
		if isUndef(lhs) || isUndef(rhs) {
			return false, nil
		}
		return deepEqual(lhs, rhs), nil
	case opNe:
		if isUndef(lhs) || isUndef(rhs) {
			return false, nil
		}
		return !deepEqual(lhs, rhs), nil
	case opLt, opLe, opGt, opGe:
		r, err = compare(n.op, lhs, rhs)
	case opConcat:
		var b []byte
		if b, err = appendString(nil, lhs); err == nil {
			if b, err = appendString(b, rhs); err == nil {
				r = string(b)
			}
		}
	case opRange:
		r, err = ev.rangeSeq(lhs, rhs)
	case opIn:
		r = includes(lhs, rhs)
	}
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Position = n.pos
			e.Token = n.str
			e.hasTok = true
		}
		return nil, err
	}
	return r, nil
}

func arith(op binOp, lhs, rhs any) (any, error) {
	l, lok := lhs.(float64)
	r, rok := rhs.(float64)
	if lok && rok {
		if err := checkFinite(l); err != nil {
			return nil, err
		}
		if err := checkFinite(r); err != nil {
			return nil, err
		}
		switch op {
		case opAdd:
			return l + r, nil
		case opSub:
			return l - r, nil
		case opMul:
			return l * r, nil
		case opDiv:
			return l / r, nil
		default:
			return math.Mod(l, r), nil
		}
	}
	if !lok && !isUndef(lhs) {
		return nil, &Error{Code: "T2001", Value: lhs}
	}
	if !rok && !isUndef(rhs) {
		return nil, &Error{Code: "T2002", Value: rhs}
	}
	if lok {
		if err := checkFinite(l); err != nil {
			return nil, err
		}
	}
	if rok {
		if err := checkFinite(r); err != nil {
			return nil, err
		}
	}
	return undefined, nil
}

func compare(op binOp, lhs, rhs any) (any, error) {
	lt, rt := typeSymbol(lhs), typeSymbol(rhs)
	lcomp := lt == 'm' || lt == 's' || lt == 'n'
	rcomp := rt == 'm' || rt == 's' || rt == 'n'
	if !lcomp || !rcomp {
		v := lhs
		if lt == 's' || lt == 'n' {
			v = rhs
		}
		return nil, &Error{Code: "T2010", Value: v}
	}
	if lt == 'm' || rt == 'm' {
		return undefined, nil
	}
	if lt != rt {
		return nil, &Error{Code: "T2009", Value: lhs, value2: rhs}
	}
	var c int
	if lt == 'n' {
		l, r := lhs.(float64), rhs.(float64)
		switch op {
		case opLt:
			return l < r, nil
		case opLe:
			return l <= r, nil
		case opGt:
			return l > r, nil
		default:
			return l >= r, nil
		}
	}
	c = compareStrings(lhs.(string), rhs.(string))
	switch op {
	case opLt:
		return c < 0, nil
	case opLe:
		return c <= 0, nil
	case opGt:
		return c > 0, nil
	default:
		return c >= 0, nil
	}
}

// compareStrings orders strings by UTF-16 code units, as JavaScript does.
func compareStrings(a, b string) int {
	if a == b {
		return 0
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			if a[i] < 0x80 || b[i] < 0x80 {
				if a[i] < b[i] {
					return -1
				}
				return 1
			}
			return compareUTF16(a[i:], b[i:])
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func compareUTF16(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	key := func(r rune) [2]uint16 {
		if r >= 0x10000 {
			r -= 0x10000
			return [2]uint16{uint16(0xD800 + (r >> 10)), uint16(0xDC00 + (r & 0x3FF))}
		}
		return [2]uint16{uint16(r), 0}
	}
	for i := 0; i < len(ra) && i < len(rb); i++ {
		ka, kb := key(ra[i]), key(rb[i])
		if ka != kb {
			if ka[0] != kb[0] {
				if ka[0] < kb[0] {
					return -1
				}
				return 1
			}
			if ka[1] < kb[1] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(ra) < len(rb):
		return -1
	case len(ra) > len(rb):
		return 1
	}
	return 0
}

// appendString appends $string(v) to dst; undefined appends nothing.
func appendString(dst []byte, v any) ([]byte, error) {
	switch t := v.(type) {
	case undefinedType:
		return dst, nil
	case string:
		return append(dst, t...), nil
	case *Function:
		return dst, nil
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return nil, &Error{Code: "D3001", Value: t}
		}
		return appendJSNumber(dst, t), nil
	}
	if s, ok := v.(*sequence); ok && s.outerWrapper {
		v = s.items[0]
	}
	return appendCompact(dst, v), nil
}

func (ev *evaluator) rangeSeq(lhs, rhs any) (any, error) {
	l, lok := lhs.(float64)
	r, rok := rhs.(float64)
	if !isUndef(lhs) && (!lok || l != math.Trunc(l) || math.IsInf(l, 0)) {
		return nil, &Error{Code: "T2003", Value: lhs}
	}
	if !isUndef(rhs) && (!rok || r != math.Trunc(r) || math.IsInf(r, 0)) {
		return nil, &Error{Code: "T2004", Value: rhs}
	}
	if !lok || !rok || l > r {
		return undefined, nil
	}
	size := r - l + 1
	if size > 1e7 {
		return nil, &Error{Code: "D2014", Value: size}
	}
	s := &sequence{items: make([]any, int(size))}
	for i := range s.items {
		if i&0xFFFF == 0xFFFF {
			if err := ev.checkDeadline(); err != nil {
				return nil, err
			}
		}
		s.items[i] = l + float64(i)
	}
	return s, nil
}

func includes(lhs, rhs any) bool {
	if isUndef(lhs) || isUndef(rhs) {
		return false
	}
	items, ok := arrayItems(rhs)
	if !ok {
		items = []any{rhs}
	}
	for _, e := range items {
		if strictEqual(e, lhs) {
			return true
		}
	}
	return false
}

// strictEqual is JavaScript's ===: primitives by value, others by identity.
func strictEqual(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case *value.Object:
		y, ok := b.(*value.Object)
		return ok && x == y
	case *Function:
		y, ok := b.(*Function)
		return ok && x == y
	}
	return false
}

// filterConstant applies a predicate that does not depend on the context
// or on variables: it is evaluated once rather than per item, with the same
// result as jsonata-js's evaluation per item.
func (ev *evaluator) filterConstant(pred *node, items []any, env *frame) (any, error) {
	out := newSeq(0)
	if len(items) == 0 {
		return out, nil
	}
	res, err := ev.eval(pred, items[0], env)
	if err != nil {
		return nil, err
	}
	var idx []any
	if f, ok := res.(float64); ok {
		idx = []any{f}
	} else if a, ok := arrayItems(res); ok {
		idx = a
		for _, e := range a {
			if _, ok := e.(float64); !ok {
				idx = nil
				break
			}
		}
	}
	if idx == nil {
		if truthy(res) {
			out.items = append(out.items, items...)
		}
		return out, nil
	}
	counts := make([]int, len(items))
	for _, e := range idx {
		f := e.(float64)
		if err := checkFinite(f); err != nil {
			return nil, err
		}
		ii := int(math.Floor(f))
		if ii < 0 {
			ii += len(items)
		}
		if ii >= 0 && ii < len(items) {
			counts[ii]++
		}
	}
	for i, c := range counts {
		for ; c > 0; c-- {
			out.items = append(out.items, items[i])
		}
	}
	return out, nil
}
