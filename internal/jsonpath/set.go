package jsonpath

import (
	"fmt"
	"slices"

	"github.com/batonrun/baton/internal/value"
)

// Set returns a copy of root with v placed where the path points, as
// ResultPath places a state's result. "$" returns v itself. Missing members
// along the way become new objects; members are replaced in place, new ones
// are appended. Only reference paths are accepted (ErrNotReference).
//
// Set never modifies root or anything shared with it: the objects and arrays
// on the way are copied, everything else is shared with the result. It fails
// with an error wrapping ErrConflict when a step meets a value it cannot go
// into: a non-object where a name is needed, or a non-array or an index out
// of range where an index is.
func (p *Path) Set(root any, v any) (any, error) {
	if !p.reference {
		return nil, fmt.Errorf("set %s: %w", p.src, ErrNotReference)
	}
	return p.set(root, 0, v)
}

func (p *Path) set(cur any, i int, v any) (any, error) {
	if i == len(p.segs) {
		return v, nil
	}
	s := &p.segs[i]
	if s.kind == segName {
		obj, ok := cur.(*value.Object)
		if !ok {
			return nil, p.conflict(i, cur)
		}
		child, ok := obj.Get(s.name)
		if !ok && i+1 < len(p.segs) && p.segs[i+1].kind == segName {
			child = value.NewObject(1)
		}
		nv, err := p.set(child, i+1, v)
		if err != nil {
			return nil, err
		}
		out := obj.ShallowCopy()
		out.Set(s.name, nv)
		return out, nil
	}
	arr, ok := cur.([]any)
	if !ok || s.index >= len(arr) {
		return nil, p.conflict(i, cur)
	}
	nv, err := p.set(arr[s.index], i+1, v)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(arr)
	out[s.index] = nv
	return out, nil
}

func (p *Path) conflict(i int, cur any) error {
	want := "an object"
	if p.segs[i].kind == segIndex {
		want = fmt.Sprintf("an array with an element %d", p.segs[i].index)
	}
	return fmt.Errorf("set %s: %w: %s is %s, not %s", p.src, ErrConflict, p.evalPath(i), describe(cur), want)
}

// describe names the JSON type of v for messages.
func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case []any:
		return fmt.Sprintf("an array of %d", len(t))
	case *value.Object:
		return "an object"
	default:
		return "a " + value.TypeName(v)
	}
}
