package jsonpath

import (
	"errors"
	"fmt"
	"github.com/batonrun/baton/internal/java"
	"strings"

	"github.com/batonrun/baton/internal/value"
)

// jsonProvider is the Jayway JSON provider named in its "not a json object"
// message. AWS's is not documented; Jackson's matches how AWS prints objects
// elsewhere (States.Format shows {a=1}).
const jsonProvider = "com.jayway.jsonpath.spi.json.JacksonJsonProvider"

// Get evaluates the path against root, as Jayway does with its default
// options. A definite path returns the value it selects, or an *Error
// wrapping ErrNotFound when it selects nothing. An indefinite path returns a
// []any of every match, in document order, possibly empty: what is missing
// after a wildcard, deep scan, slice, union or filter is skipped, while a
// member missing before one ($.missing[*]) is an error as in a definite
// path. Other failures (a filter applied to a number, sum() of no numbers)
// are *Error values that do not wrap ErrNotFound.
//
// The result shares structure with root; callers must not modify it. Get on
// a path of names and single indexes does not allocate unless it fails.
func (p *Path) Get(root any) (any, error) {
	return p.get(root, root, false)
}

// get evaluates the path against doc; root is the document "$" means in
// filters. require is Jayway's REQUIRE_PROPERTIES option.
func (p *Path) get(doc, root any, require bool) (any, error) {
	if p.simple {
		return p.getSimple(doc)
	}
	e := evaluator{p: p, root: root, require: require}
	if err := e.run(0, doc); err != nil {
		return nil, p.tag(err)
	}
	if p.scanFn {
		v, err := p.fn.apply(e.list())
		return v, p.tag(err)
	}
	if p.definite {
		if len(e.out) == 0 {
			return nil, &Error{Path: p.src, Msg: "No results for path: " + p.jayway, notFound: true}
		}
		return e.out[len(e.out)-1], nil
	}
	return e.list(), nil
}

// tag fills in the path of an *Error raised without one.
func (p *Path) tag(err error) error {
	var pe *Error
	if errors.As(err, &pe) && pe.Path == "" {
		pe.Path = p.src
	}
	return err
}

// getSimple walks a path of names and single indexes without allocating.
func (p *Path) getSimple(root any) (any, error) {
	cur := root
	for i := range p.segs {
		s := &p.segs[i]
		if s.kind == segName {
			obj, ok := cur.(*value.Object)
			if !ok {
				return nil, p.notObject(i, cur)
			}
			v, ok := obj.Get(s.name)
			if !ok {
				return nil, p.missing(i)
			}
			cur = v
			continue
		}
		arr, ok := cur.([]any)
		if !ok {
			return nil, p.notArray(i, cur)
		}
		idx := s.index
		if idx < 0 {
			idx += len(arr)
		}
		if idx < 0 || idx >= len(arr) {
			return nil, &Error{Path: p.src, Msg: "No results for path: " + p.jayway, notFound: true}
		}
		cur = arr[idx]
	}
	return cur, nil
}

// missing is Jayway's error for an absent member at segment i of a definite
// path.
func (p *Path) missing(i int) error {
	if i == len(p.segs)-1 {
		return &Error{Path: p.src, Msg: "No results for path: " + p.jayway, notFound: true}
	}
	return &Error{Path: p.src, Msg: "Missing property in path " + p.evalPath(i+1), notFound: true}
}

// notObject is Jayway's error for a name applied to a non-object.
func (p *Path) notObject(i int, model any) error {
	var frag strings.Builder
	p.segs[i].appendFragment(&frag)
	return &Error{Path: p.src, notFound: true, Msg: fmt.Sprintf(
		"Expected to find an object with property %s in path %s but found '%s'. This is not a json object according to the JsonProvider: '%s'.",
		frag.String(), p.evalPath(i), java.ClassName(model), jsonProvider)}
}

// notArray is Jayway's error for an array operation applied to a non-array.
func (p *Path) notArray(i int, model any) error {
	if model == nil {
		return &Error{Path: p.src, Msg: "The path " + p.evalPath(i) + " is null", notFound: true}
	}
	return &Error{Path: p.src, notFound: true, Msg: fmt.Sprintf(
		"Filter: %s can only be applied to arrays. Current context is: %s", p.fragments(i), java.ValueOf(model))}
}

// evaluator walks a path as Jayway's tokens do, collecting matches.
type evaluator struct {
	p    *Path
	root any // the document, which "$" means inside filters
	// require is Jayway's REQUIRE_PROPERTIES option, used for existence
	// checks in filters: every missing member is an error.
	require bool
	out     []any
}

func (e *evaluator) list() []any {
	if e.out == nil {
		return []any{}
	}
	return e.out
}

// run evaluates the segments from i on against model.
func (e *evaluator) run(i int, model any) error {
	p := e.p
	if i == len(p.segs) {
		if p.fn != nil && !p.scanFn {
			v, err := p.fn.apply(model)
			if err != nil {
				return err
			}
			model = v
		}
		e.out = append(e.out, model)
		return nil
	}
	s := &p.segs[i]
	switch s.kind {
	case segName:
		obj, ok := model.(*value.Object)
		if !ok {
			if !s.upDefinite {
				return nil
			}
			return p.notObject(i, model)
		}
		return e.name(i, obj, s.name, s.definite)
	case segNames:
		obj, ok := model.(*value.Object)
		if !ok {
			if !s.upDefinite {
				return nil
			}
			return p.notObject(i, model)
		}
		if s.leaf {
			merged := value.NewObject(len(s.names))
			for _, n := range s.names {
				if v, ok := obj.Get(n); ok {
					merged.Set(n, v)
				} else if e.require {
					return &Error{Msg: "Missing property in path " + p.evalPath(i), notFound: true}
				}
			}
			e.out = append(e.out, merged)
			return nil
		}
		for _, n := range s.names {
			if err := e.name(i, obj, n, false); err != nil {
				return err
			}
		}
		return nil
	case segIndex:
		arr, ok, err := e.array(i, model)
		if !ok {
			return err
		}
		return e.index(i, arr, s.index)
	case segIndexes:
		arr, ok, err := e.array(i, model)
		if !ok {
			return err
		}
		for _, idx := range s.indexes {
			if err := e.index(i, arr, idx); err != nil {
				return err
			}
		}
		return nil
	case segSlice:
		arr, ok, err := e.array(i, model)
		if !ok {
			return err
		}
		return e.slice(i, s, arr)
	case segWildcard:
		switch t := model.(type) {
		case *value.Object:
			for _, m := range t.Members() {
				if err := e.run(i+1, m.Value); err != nil {
					return err
				}
			}
		case []any:
			for _, v := range t {
				if err := e.run(i+1, v); err != nil && (e.require || !errors.Is(err, ErrNotFound)) {
					return err
				}
			}
		}
		return nil
	case segScan:
		return e.walk(i, model)
	case segFilter:
		switch t := model.(type) {
		case *value.Object:
			ok, err := s.filter.eval(e, t)
			if err != nil || !ok {
				return err
			}
			return e.run(i+1, t)
		case []any:
			for _, v := range t {
				ok, err := s.filter.eval(e, v)
				if err != nil {
					return err
				}
				if ok {
					if err := e.run(i+1, v); err != nil {
						return err
					}
				}
			}
			return nil
		default:
			if !s.upDefinite {
				return nil
			}
			return &Error{Msg: fmt.Sprintf("Filter: %s can not be applied to primitives. Current context is: %s", p.fragments(i), java.ValueOf(model))}
		}
	}
	return nil
}

// name handles one member of an object, as Jayway's handleObjectProperty.
func (e *evaluator) name(i int, obj *value.Object, name string, definite bool) error {
	v, ok := obj.Get(name)
	if ok {
		return e.run(i+1, v)
	}
	s := &e.p.segs[i]
	if s.leaf {
		if !e.require {
			return nil
		}
		return &Error{Msg: "No results for path: " + e.p.evalPath(i) + "['" + name + "']", notFound: true}
	}
	if !(s.upDefinite && definite) && !e.require {
		return nil
	}
	return &Error{Msg: "Missing property in path " + e.p.evalPath(i) + "['" + name + "']", notFound: true}
}

// array checks that model is an array, as Jayway's checkArrayModel: a
// mismatch is an error only when every earlier token is definite.
func (e *evaluator) array(i int, model any) ([]any, bool, error) {
	arr, ok := model.([]any)
	if ok {
		return arr, true, nil
	}
	if !e.p.segs[i].upDefinite {
		return nil, false, nil
	}
	return nil, false, e.p.notArray(i, model)
}

// index handles one array index; a negative index counts from the end and an
// index out of range selects nothing.
func (e *evaluator) index(i int, arr []any, idx int) error {
	if idx < 0 {
		idx += len(arr)
	}
	if idx < 0 || idx >= len(arr) {
		return nil
	}
	return e.run(i+1, arr[idx])
}

// slice follows Jayway's ArraySliceToken: [from:] and [:to] count negative
// bounds from the end, but [from:to] does not; its negative indexes are then
// taken one by one from the end.
func (e *evaluator) slice(i int, s *segment, arr []any) error {
	n := len(arr)
	from, to := 0, n
	switch {
	case s.hasFrom && !s.hasTo:
		from = s.from
		if from < 0 {
			from += n
		}
		from = max(from, 0)
	case s.hasFrom && s.hasTo:
		from, to = s.from, min(n, s.to)
	default:
		to = s.to
		if to < 0 {
			to += n
		}
		to = min(n, to)
	}
	for k := from; k < to; k++ {
		if err := e.index(i, arr, k); err != nil {
			return err
		}
	}
	return nil
}

// walk is Jayway's deep scan: it visits model and everything below it, in
// document order, and applies the token after the scan wherever that token
// can apply.
func (e *evaluator) walk(i int, model any) error {
	switch t := model.(type) {
	case *value.Object:
		ok, err := e.scanMatches(i+1, t)
		if err != nil {
			return err
		}
		if ok {
			if err := e.run(i+1, t); err != nil {
				return err
			}
		}
		for _, m := range t.Members() {
			if err := e.walk(i, m.Value); err != nil {
				return err
			}
		}
	case []any:
		ok, err := e.scanMatches(i+1, t)
		if err != nil {
			return err
		}
		if ok {
			if e.p.segs[i+1].leaf {
				if err := e.run(i+1, t); err != nil {
					return err
				}
			} else {
				// Jayway skips the target token here and applies the rest
				// to each element, whatever the target was.
				for _, v := range t {
					if err := e.run(i+2, v); err != nil {
						return err
					}
				}
			}
		}
		for _, v := range t {
			if err := e.walk(i, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// scanMatches reports whether the token at j applies to model during a deep
// scan.
func (e *evaluator) scanMatches(j int, model any) (bool, error) {
	s := &e.p.segs[j]
	switch s.kind {
	case segName, segNames:
		obj, ok := model.(*value.Object)
		if !ok {
			return false, nil
		}
		if !s.definite {
			return true, nil
		}
		if s.kind == segName {
			return obj.Has(s.name), nil
		}
		for _, n := range s.names {
			if !obj.Has(n) {
				return false, nil
			}
		}
		return true, nil
	case segIndex, segIndexes, segSlice:
		_, ok := model.([]any)
		return ok, nil
	case segWildcard:
		return true, nil
	case segFilter:
		return s.filter.eval(e, model)
	}
	return false, nil
}
