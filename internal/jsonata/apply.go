package jsonata

import (
	"github.com/batonrun/baton/internal/value"
)

// procName is the name jsonata-js reports for the function a call invokes.
func procName(proc *node) string {
	if proc.kind == kindPath && len(proc.steps) > 0 {
		return proc.steps[0].str
	}
	return proc.str
}

func (ev *evaluator) evalFunction(n *node, input any, env *frame, applyTo *any) (any, error) {
	proc, err := ev.eval(n.procedure, input, env)
	if err != nil {
		return nil, err
	}
	if isUndef(proc) && n.procedure.kind == kindPath {
		if _, ok := ev.lookup(env, n.procedure.steps[0].str); ok {
			return nil, &Error{Code: "T1005", Position: n.pos, Token: n.procedure.steps[0].str}
		}
	}
	nargs := len(n.args)
	if applyTo != nil {
		nargs++
	}
	var buf [4]any
	args := buf[:0]
	if nargs > len(buf) {
		args = make([]any, 0, nargs)
	}
	if applyTo != nil {
		args = append(args, *applyTo)
	}
	for _, a := range n.args {
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	result, err := ev.apply(proc, args, input, env)
	if err != nil {
		if e, ok := err.(*Error); ok {
			if e.Position == 0 {
				e.Position = n.pos
			}
			if e.Token == "" {
				e.Token = procName(n.procedure)
			}
		}
		return nil, err
	}
	return result, nil
}

func (ev *evaluator) evalPartial(n *node, input any, env *frame) (any, error) {
	args := make([]any, len(n.args))
	for i, a := range n.args {
		if a.kind == kindPlaceholder {
			args[i] = placeholder
			continue
		}
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	proc, err := ev.eval(n.procedure, input, env)
	if err != nil {
		return nil, err
	}
	if isUndef(proc) && n.procedure.kind == kindPath {
		if _, ok := ev.lookup(env, n.procedure.steps[0].str); ok {
			return nil, &Error{Code: "T1007", Position: n.pos, Token: n.procedure.steps[0].str}
		}
	}
	f, ok := proc.(*Function)
	if !ok {
		return nil, &Error{Code: "T1008", Position: n.pos, Token: procName(n.procedure)}
	}
	if f.kind == fnLambda {
		fenv := newFrame(f.env)
		params := f.params
		if params == nil {
			params = f.node.params
		}
		unbound := make([]string, 0, len(params))
		for i, p := range params {
			var a any = undefined
			if i < len(args) {
				a = args[i]
			}
			if a == placeholder {
				unbound = append(unbound, p)
			} else {
				fenv.bind(p, a)
			}
		}
		return &Function{kind: fnLambda, node: f.node, env: fenv, input: f.input, params: unbound}, nil
	}
	return &Function{kind: fnPartial, target: f, args: args}, nil
}

func (ev *evaluator) evalApply(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	if n.rhs.kind == kindFunction {
		return ev.evalFunction(n.rhs, input, env, &lhs)
	}
	fv, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	f, ok := fv.(*Function)
	if !ok {
		return nil, &Error{Code: "T2006", Position: n.pos, Value: fv}
	}
	if lf, ok := lhs.(*Function); ok {
		return &Function{kind: fnChain, f: lf, g: f}, nil
	}
	return ev.apply(f, []any{lhs}, undefined, env)
}

// apply calls proc with args, running the trampoline that implements tail
// calls: a lambda whose body ends in a call returns a thunk instead of
// recursing.
func (ev *evaluator) apply(proc any, args []any, input any, env *frame) (any, error) {
	result, err := ev.applyInner(proc, args, input, env)
	for err == nil {
		th, ok := result.(*Function)
		if !ok || !th.thunk {
			break
		}
		call := th.node.body
		next, err2 := ev.eval(call.procedure, th.input, th.env)
		if err2 != nil {
			return nil, err2
		}
		targs := make([]any, len(call.args))
		for i, a := range call.args {
			if targs[i], err = ev.eval(a, th.input, th.env); err != nil {
				return nil, err
			}
		}
		result, err = ev.applyInner(next, targs, input, env)
		if err != nil {
			if e, ok := err.(*Error); ok && e.Token == "" {
				e.Token = procName(call.procedure)
			}
		}
	}
	return result, err
}

func (ev *evaluator) applyInner(proc any, args []any, input any, env *frame) (any, error) {
	f, ok := proc.(*Function)
	if !ok {
		return nil, &Error{Code: "T1006"}
	}
	if f.sig != nil {
		var err error
		if args, err = f.sig.validate(args, input); err != nil {
			return nil, err
		}
	}
	switch f.kind {
	case fnLambda:
		return ev.applyLambda(f, args)
	case fnBuiltin:
		return f.impl(ev, args, input, env)
	case fnPartial:
		return ev.applyPartial(f, args, input, env)
	case fnNative:
		return callNative(f, args)
	case fnChain:
		var x any = undefined
		if len(args) > 0 {
			x = args[0]
		}
		r, err := ev.apply(f.f, []any{x}, undefined, env)
		if err != nil {
			return nil, err
		}
		return ev.apply(f.g, []any{r}, undefined, env)
	case fnTransform:
		var x any = undefined
		if len(args) > 0 {
			x = args[0]
		}
		return ev.transform(f, x)
	case fnRegex:
		return ev.applyRegex(f, args)
	case fnMatcherNext:
		return f.nextMatch()
	}
	return nil, &Error{Code: "T1006"}
}

func (ev *evaluator) applyLambda(f *Function, args []any) (any, error) {
	params := f.params
	if params == nil {
		params = f.node.params
	}
	env := &frame{parent: f.env}
	if len(params) > 0 {
		env.names = make([]string, len(params))
		env.vals = make([]any, len(params))
		for i, p := range params {
			env.names[i] = p
			if i < len(args) {
				env.vals[i] = args[i]
			} else {
				env.vals[i] = undefined
			}
		}
	}
	return ev.eval(f.node.body, f.input, env)
}

func (ev *evaluator) applyPartial(f *Function, args []any, input any, env *frame) (any, error) {
	full := make([]any, len(f.args))
	next := 0
	for i, a := range f.args {
		if a == placeholder {
			if next < len(args) {
				full[i] = args[next]
			} else {
				full[i] = undefined
			}
			next++
		} else {
			full[i] = a
		}
	}
	for len(full) > 0 && isUndef(full[len(full)-1]) {
		full = full[:len(full)-1]
	}
	return ev.applyInner(f.target, full, input, env)
}

func callNative(f *Function, args []any) (any, error) {
	n := len(args)
	for n > 0 && isUndef(args[n-1]) {
		n--
	}
	out := make([]any, n)
	for i := 0; i < n; i++ {
		a := args[i]
		if isUndef(a) {
			a = nil
		}
		out[i] = normalize(a)
	}
	r, err := f.native(out)
	if err == ErrUndefined {
		return undefined, nil
	}
	if err != nil {
		if e, ok := err.(*Error); ok {
			return nil, e
		}
		return nil, &Error{Code: "D3137", Message: err.Error(), Token: f.name, cause: err}
	}
	return r, nil
}

// callHOF calls a function argument of a higher-order built-in with as many
// of (v, i, a) as the function declares parameters.
func (ev *evaluator) callHOF(f *Function, env *frame, v, i, a any) (any, error) {
	n := arityOf(f)
	args := []any{v}
	if n >= 2 {
		args = append(args, i)
	}
	if n >= 3 {
		args = append(args, a)
	}
	return ev.apply(f, args, undefined, env)
}

// sortValues implements the order-by operator ^( ... ) on a sequence.
func (ev *evaluator) sortValues(n *node, cur any, items []any, env *frame) (any, error) {
	if len(items) <= 1 {
		return cur, nil
	}
	keys := make([][]any, len(items))
	for i, it := range items {
		keys[i] = make([]any, len(n.terms))
		for t, term := range n.terms {
			k, err := ev.eval(term.expr, it, env)
			if err != nil {
				return nil, err
			}
			keys[i][t] = k
		}
	}
	idx, err := sortIndexes(n, keys)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, j := range idx {
		out[i] = items[j]
	}
	return out, nil
}

func (ev *evaluator) sortTuples(n *node, tuples []*tuple, env *frame) ([]*tuple, error) {
	if len(tuples) <= 1 {
		return tuples, nil
	}
	keys := make([][]any, len(tuples))
	for i, t := range tuples {
		keys[i] = make([]any, len(n.terms))
		for ti, term := range n.terms {
			k, err := ev.eval(term.expr, t.ctx, frameFromTuple(env, t))
			if err != nil {
				return nil, err
			}
			keys[i][ti] = k
		}
	}
	idx, err := sortIndexes(n, keys)
	if err != nil {
		return nil, err
	}
	out := make([]*tuple, len(tuples))
	for i, j := range idx {
		out[i] = tuples[j]
	}
	return out, nil
}

// sortIndexes returns the stable order of rows by the order-by terms; the
// keys were evaluated once per row, which gives the same order as
// jsonata-js's evaluation per comparison since the terms have no side
// effects on the data.
func sortIndexes(n *node, keys [][]any) ([]int, error) {
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	var sortErr error
	less := func(a, b int) bool { // reports whether b must precede a (swap)
		comp := 0
		for t := 0; comp == 0 && t < len(n.terms); t++ {
			aa, bb := keys[a][t], keys[b][t]
			at, bt := typeSymbol(aa), typeSymbol(bb)
			if at == 'm' {
				if bt == 'm' {
					comp = 0
				} else {
					comp = 1
				}
				continue
			}
			if bt == 'm' {
				comp = -1
				continue
			}
			if !(at == 's' || at == 'n') || !(bt == 's' || bt == 'n') {
				v := aa
				if at == 's' || at == 'n' {
					v = bb
				}
				if sortErr == nil {
					sortErr = &Error{Code: "T2008", Position: n.pos, Value: v}
				}
				return false
			}
			if at != bt {
				if sortErr == nil {
					sortErr = &Error{Code: "T2007", Position: n.pos, Value: aa, value2: bb}
				}
				return false
			}
			var c int
			if at == 'n' {
				x, y := aa.(float64), bb.(float64)
				switch {
				case x < y:
					c = -1
				case x > y:
					c = 1
				}
			} else {
				c = compareStrings(aa.(string), bb.(string))
			}
			if c == 0 {
				continue
			}
			comp = c
			if n.terms[t].descending {
				comp = -comp
			}
		}
		return comp == 1
	}
	out, err := mergeSort(idx, func(a, b int) (bool, error) {
		swap := less(a, b)
		return swap, sortErr
	})
	return out, err
}

// mergeSort is jsonata-js's stable merge sort: swap(a, b) reports whether b
// must come before a.
func mergeSort[T any](items []T, swap func(a, b T) (bool, error)) ([]T, error) {
	if len(items) <= 1 {
		return items, nil
	}
	mid := len(items) / 2
	left, err := mergeSort(append([]T(nil), items[:mid]...), swap)
	if err != nil {
		return nil, err
	}
	right, err := mergeSort(append([]T(nil), items[mid:]...), swap)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	i, j := 0, 0
	for i < len(left) && j < len(right) {
		s, err := swap(left[i], right[j])
		if err != nil {
			return nil, err
		}
		if s {
			out = append(out, right[j])
			j++
		} else {
			out = append(out, left[i])
			i++
		}
	}
	out = append(out, left[i:]...)
	return append(out, right[j:]...), nil
}

// transform applies a transform expression | pattern | update, delete | to
// a copy of obj.
func (ev *evaluator) transform(f *Function, obj any) (any, error) {
	if isUndef(obj) {
		return undefined, nil
	}
	n := f.node
	cloneFn, _ := ev.lookup(f.env, "clone")
	if _, ok := cloneFn.(*Function); !ok {
		return nil, &Error{Code: "T2013", Position: n.pos}
	}
	result, err := ev.apply(cloneFn, []any{obj}, undefined, f.env)
	if err != nil {
		return nil, err
	}
	matches, err := ev.eval(n.pattern, result, f.env)
	if err != nil {
		return nil, err
	}
	if isUndef(matches) {
		return result, nil
	}
	items, ok := arrayItems(matches)
	if !ok {
		items = []any{matches}
	}
	for _, match := range items {
		update, err := ev.eval(n.update, match, f.env)
		if err != nil {
			return nil, err
		}
		if !isUndef(update) {
			uo, ok := update.(*value.Object)
			if !ok {
				return nil, &Error{Code: "T2011", Position: n.update.pos, Value: update}
			}
			if mo, ok := match.(*value.Object); ok {
				for _, m := range uo.Members() {
					mo.Set(m.Key, m.Value)
				}
			}
		}
		if n.del == nil {
			continue
		}
		dels, err := ev.eval(n.del, match, f.env)
		if err != nil {
			return nil, err
		}
		if isUndef(dels) {
			continue
		}
		list, ok := arrayItems(dels)
		if !ok {
			list = []any{dels}
		}
		for _, d := range list {
			if _, ok := d.(string); !ok {
				return nil, &Error{Code: "T2012", Position: n.del.pos, Value: dels}
			}
		}
		if mo, ok := match.(*value.Object); ok {
			for _, d := range list {
				mo.Delete(d.(string))
			}
		}
	}
	return result, nil
}
