package jsonpath

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrNotFound is wrapped by the error Get returns when a definite path selects
// nothing, as Jayway's PathNotFoundException.
var ErrNotFound = errors.New("jsonpath: no value at path")

// ErrConflict is wrapped by the error Set returns when a step of the path
// meets a value it cannot go into: a string, number, boolean or null where an
// object is needed, or an array index out of range. AWS reports it as
// States.ReferencePathConflict.
var ErrConflict = errors.New("jsonpath: path conflicts with the value")

// ErrNotReference is wrapped by the error Set returns for a path that is not a
// reference path.
var ErrNotReference = errors.New("jsonpath: not a reference path")

// SyntaxError reports a path that does not compile. Msg is Jayway's message
// where Jayway has one.
type SyntaxError struct {
	Path   string // Path is the text given to Parse.
	Offset int    // Offset is the byte offset at which the problem was found.
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSONPath %q at offset %d: %s", e.Path, e.Offset, e.Msg)
}

// Error is a failure to evaluate a path. Its message is Jayway's, which AWS
// quotes after "Invalid path '<path>' : ". It wraps ErrNotFound when Jayway
// would have thrown a PathNotFoundException.
type Error struct {
	Path     string // Path is the path's source text.
	Msg      string
	notFound bool
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns ErrNotFound for a path that selected nothing, else nil.
func (e *Error) Unwrap() error {
	if e.notFound {
		return ErrNotFound
	}
	return nil
}

// Path is a compiled JSONPath. It is immutable and safe for concurrent use.
type Path struct {
	src    string
	root   byte // '$', or '@' for the current item inside a filter
	segs   []segment
	fn     *function // trailing function call, nil if none
	scanFn bool      // fn applies to the list of all matches ($..a.sum())

	definite  bool
	reference bool
	simple    bool // only names and single indexes: the allocation-free walk
	jayway    string
}

type segKind uint8

const (
	segName     segKind = iota // ['a']
	segNames                   // ['a','b']
	segIndex                   // [0] or [-1]
	segIndexes                 // [0,1]
	segSlice                   // [1:3], [:2], [-2:]
	segWildcard                // [*] or .*
	segScan                    // ..
	segFilter                  // [?(...)]
)

type segment struct {
	kind  segKind
	quote byte // the delimiter a name was written with, for the Jayway form

	name    string   // segName
	names   []string // segNames
	index   int      // segIndex
	indexes []int    // segIndexes

	from, to       int // segSlice
	hasFrom, hasTo bool

	filter expr // segFilter

	definite   bool // the token is definite (Jayway's isTokenDefinite)
	upDefinite bool // every token before it is definite
	leaf       bool // no token (not even a function) follows it
}

// Parse compiles s, which must start with "$", as Jayway compiles it: names
// after '.' or in brackets, array indexes, slices, unions, wildcards, deep
// scans, filters and a trailing function call.
func Parse(s string) (*Path, error) {
	return compile(s, false)
}

// MustParse is Parse for paths known to be valid; it panics on error.
func MustParse(s string) *Path {
	p, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the path's source text.
func (p *Path) String() string { return p.src }

// JaywayString returns the path in Jayway's normal form, which AWS quotes in
// its error messages: "$.a[0].b" is "$['a'][0]['b']".
func (p *Path) JaywayString() string { return p.jayway }

// IsDefinite reports whether the path selects at most one value, so that Get
// returns that value rather than a list.
func (p *Path) IsDefinite() bool { return p.definite }

// IsReference reports whether the path is a reference path: only names and
// non-negative array indexes, as ResultPath and Choice variables need.
func (p *Path) IsReference() bool { return p.reference }

// finish computes the derived fields once the segments are known.
func (p *Path) finish() {
	up := true
	p.reference = p.root == '$' && p.fn == nil
	p.simple = p.fn == nil
	for i := range p.segs {
		s := &p.segs[i]
		s.leaf = i == len(p.segs)-1 && (p.fn == nil || p.scanFn)
		switch s.kind {
		case segName, segIndex:
			s.definite = true
		case segNames:
			// Jayway merges several names into one object when they end the
			// path, and iterates over them otherwise.
			s.definite = s.leaf
		}
		s.upDefinite = up
		up = up && s.definite
		if s.kind != segName && !(s.kind == segIndex && s.index >= 0) {
			p.reference = false
		}
		if s.kind != segName && s.kind != segIndex {
			p.simple = false
		}
	}
	p.definite = up || p.scanFn
	p.jayway = string(p.root) + p.fragments(0)
}

// fragments renders the segments from i on, and the function, as Jayway's
// toString does.
func (p *Path) fragments(i int) string {
	var b strings.Builder
	for ; i < len(p.segs); i++ {
		p.segs[i].appendFragment(&b)
	}
	if p.fn != nil {
		b.WriteString(".")
		b.WriteString(p.fn.name)
		b.WriteString("()")
	}
	return b.String()
}

func (s *segment) appendFragment(b *strings.Builder) {
	switch s.kind {
	case segName:
		b.WriteByte('[')
		b.WriteByte(s.quote)
		b.WriteString(s.name)
		b.WriteByte(s.quote)
		b.WriteByte(']')
	case segNames:
		b.WriteByte('[')
		for i, n := range s.names {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte(s.quote)
			b.WriteString(n)
			b.WriteByte(s.quote)
		}
		b.WriteByte(']')
	case segIndex:
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(s.index))
		b.WriteByte(']')
	case segIndexes:
		b.WriteByte('[')
		for i, n := range s.indexes {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteByte(']')
	case segSlice:
		b.WriteByte('[')
		if s.hasFrom {
			b.WriteString(strconv.Itoa(s.from))
		}
		b.WriteByte(':')
		if s.hasTo {
			b.WriteString(strconv.Itoa(s.to))
		}
		b.WriteByte(']')
	case segWildcard:
		b.WriteString("[*]")
	case segScan:
		b.WriteString("..")
	case segFilter:
		b.WriteString("[?]")
	}
}

// evalPath renders the first n segments as Jayway renders the path it has
// walked so far: names always in single quotes.
func (p *Path) evalPath(n int) string {
	var b strings.Builder
	b.WriteByte(p.root)
	for i := 0; i < n && i < len(p.segs); i++ {
		s := &p.segs[i]
		if s.kind == segName {
			b.WriteString("['")
			b.WriteString(s.name)
			b.WriteString("']")
			continue
		}
		s.appendFragment(&b)
	}
	return b.String()
}
