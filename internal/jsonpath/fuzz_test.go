package jsonpath

import (
	"errors"
	"strings"
	"testing"

	"github.com/batonrun/baton/internal/value"
)

// fuzzDoc is the document the fuzzer evaluates paths against.
const fuzzDoc = `{"a":{"b":[1,{"c":"d","e":null},[2,3]],"s":"str","n":1.5},"items":[{"id":1,"t":["x"]},{"id":"2","ok":true}],
"k e'y":{"\"q":0},"Test\\\"\"Name\"":"v","":[],"0":{"x":[]}}`

// FuzzParse checks that Parse never panics, that a path's source and, where
// it can be written back, its Jayway form parse to the same path, and that
// Get and Set never panic and agree with each other.
func FuzzParse(f *testing.F) {
	// Seeds from the recorded executions and from the tables above.
	for _, s := range []string{
		"$", "$.NoSuchInputPath", "$.items[0]", "$.items[10]", "$.users[?(@.status == 0)]",
		`$['Test\""Name"']`, "$.delivery-partner", "$.detail.shipped_output", "$[0]", "$.result.done",
		"$.a[-1]", "$..id", "$.a[*].b", "$.a[1:3]", "$.a[:2]", "$['a','b']", "$.a.length()", "$..price.sum()",
		"$.items[?(@.id in ['1', 2] && !@.ok || @.t size 1)]", "$..[?(@.x =~ /a.*b/i)]", "$.a[0,1]",
		"$[?(@.a == {'b': [1, \"c\"]})]", "$['k e\\'y']", "$.*", "$..*", "$.a.b[?(@ > 1)]",
	} {
		f.Add(s)
	}
	doc := value.MustDecode(fuzzDoc)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) returned %T, want *SyntaxError", s, err)
			}
			return
		}
		if p.IsReference() && !p.IsDefinite() {
			t.Fatalf("%q is a reference path but not definite", s)
		}
		again, err := Parse(p.String())
		if err != nil {
			t.Fatalf("Parse(%q) failed on its own String: %v", s, err)
		}
		if again.JaywayString() != p.JaywayString() || again.IsDefinite() != p.IsDefinite() || again.IsReference() != p.IsReference() {
			t.Fatalf("Parse(%q) and Parse(String()) differ", s)
		}
		heavy := 0
		for _, seg := range p.segs {
			if seg.kind == segScan || seg.kind == segWildcard || seg.kind == segFilter {
				heavy++
			}
		}
		if heavy > 3 {
			return // deep scans multiply; Jayway is exponential here too
		}
		got, getErr := p.Get(doc)
		if getErr == nil && !p.IsDefinite() {
			if _, ok := got.([]any); !ok {
				t.Fatalf("Get(%q) = %T for an indefinite path, want []any", s, got)
			}
		}
		if writable(p) {
			j, err := Parse(p.JaywayString())
			if err != nil {
				t.Fatalf("Jayway form %q of %q does not parse: %v", p.JaywayString(), s, err)
			}
			if j.JaywayString() != p.JaywayString() {
				t.Fatalf("Jayway form of %q is %q, which reads back as %q", s, p.JaywayString(), j.JaywayString())
			}
			got2, err2 := j.Get(doc)
			if (getErr == nil) != (err2 == nil) || (getErr == nil && !value.Equal(got, got2)) {
				t.Fatalf("%q gives %s, %v but its Jayway form gives %s, %v", s, value.Encode(got), getErr, value.Encode(got2), err2)
			}
		}
		before := value.EncodeString(doc)
		out, err := p.Set(doc, "new")
		if value.EncodeString(doc) != before {
			t.Fatalf("Set(%q) modified its input", s)
		}
		if !p.IsReference() {
			if !errors.Is(err, ErrNotReference) {
				t.Fatalf("Set(%q) on a non-reference path: %v", s, err)
			}
			return
		}
		if err != nil {
			if !errors.Is(err, ErrConflict) {
				t.Fatalf("Set(%q): %v", s, err)
			}
			return
		}
		if v, err := p.Get(out); err != nil || v != "new" {
			t.Fatalf("Get(%q) after Set = %v, %v", s, v, err)
		}
		if getErr == nil {
			same, err := p.Set(doc, got)
			if err != nil || !value.Equal(same, doc) {
				t.Fatalf("setting %q to its own value changed the document: %v", s, err)
			}
		}
	})
}

// writable reports whether the path's Jayway form can be parsed back: it has
// no filter (shown as [?]) and no name holding its quote or a backslash.
func writable(p *Path) bool {
	for _, s := range p.segs {
		switch s.kind {
		case segFilter:
			return false
		case segName, segNames:
			names := s.names
			if s.kind == segName {
				names = []string{s.name}
			}
			for _, n := range names {
				if strings.ContainsAny(n, `\`+string(s.quote)) {
					return false
				}
			}
		}
	}
	return true
}
