package asl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/batonrun/baton/internal/intrinsic"
	"github.com/batonrun/baton/internal/jsonpath"
	"github.com/batonrun/baton/internal/value"
)

// Root says what a Path is evaluated against.
type Root int

// The roots of a path.
const (
	RootInput    Root = iota // $ — the state's (effective) input
	RootContext              // $$ — the context object
	RootVariable             // $name — a workflow variable
)

// Path is a compiled JSONPath that reads the input ($...), the context
// object ($$...) or a variable ($name...).
type Path struct {
	Source string
	Root   Root
	Var    string // the variable's name, for RootVariable
	path   *jsonpath.Path
}

// ParsePath compiles a path. Variable paths are accepted only when
// allowVars is true (they are not allowed in every field).
func ParsePath(s string) (*Path, error) {
	p := &Path{Source: s}
	rest := s
	switch {
	case strings.HasPrefix(s, "$$"):
		p.Root = RootContext
		rest = s[1:]
	case len(s) > 1 && s[0] == '$' && isVarStart(s[1]):
		p.Root = RootVariable
		end := 1
		for end < len(s) && isVarChar(s[end]) {
			end++
		}
		p.Var = s[1:end]
		rest = "$" + s[end:]
	case strings.HasPrefix(s, "$"):
	default:
		return nil, fmt.Errorf("a path must start with '$': %q", s)
	}
	jp, err := jsonpath.Parse(rest)
	if err != nil {
		return nil, err
	}
	p.path = jp
	return p, nil
}

func isVarStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isVarChar(c byte) bool { return isVarStart(c) || c >= '0' && c <= '9' }

// IsReference reports whether the path is a reference path: names and
// indexes only, so it selects at most one node.
func (p *Path) IsReference() bool { return p.path.IsReference() }

// IsDefinite reports whether the path selects a single value.
func (p *Path) IsDefinite() bool { return p.path.IsDefinite() }

// JaywayString is the path's normalised form as AWS quotes it in errors.
func (p *Path) JaywayString() string { return p.path.JaywayString() }

// ErrVariableNotFound is wrapped by Get when a path names a variable that is
// not assigned.
var ErrVariableNotFound = errors.New("variable not found")

// Get evaluates the path in env. A missing definite path returns an error
// wrapping jsonpath.ErrNotFound.
func (p *Path) Get(env *Env) (any, error) {
	root, err := p.rootValue(env)
	if err != nil {
		return nil, err
	}
	return p.path.Get(root)
}

func (p *Path) rootValue(env *Env) (any, error) {
	switch p.Root {
	case RootContext:
		return env.ContextObject(), nil
	case RootVariable:
		v, ok := env.Vars.Get(p.Var)
		if !ok {
			return nil, fmt.Errorf("%w: $%s", ErrVariableNotFound, p.Var)
		}
		return v, nil
	default:
		return env.Input, nil
	}
}

// Set writes v at the path in root (ResultPath semantics) and returns the new
// root, leaving root itself unchanged.
func (p *Path) Set(root, v any) (any, error) { return p.path.Set(root, v) }

// Intrinsic is a compiled intrinsic function call such as
// States.Format('{}', $.x).
type Intrinsic struct {
	Source string
	call   *intrinsic.Call
	paths  []*Path
}

// ParseIntrinsic compiles an intrinsic function call and every path it reads.
func ParseIntrinsic(s string) (*Intrinsic, error) {
	c, err := intrinsic.Parse(s)
	if err != nil {
		return nil, err
	}
	in := &Intrinsic{Source: s, call: c}
	for _, ps := range c.Paths() {
		p, err := ParsePath(ps)
		if err != nil {
			return nil, fmt.Errorf("invalid path %q in %s: %w", ps, s, err)
		}
		in.paths = append(in.paths, p)
	}
	return in, nil
}

// Eval evaluates the call in env.
func (in *Intrinsic) Eval(env *Env) (any, error) {
	return in.call.Eval(&intrinsic.Env{
		Resolve: func(s string) (any, error) {
			for _, p := range in.paths {
				if p.Source == s {
					return p.Get(env)
				}
			}
			p, err := ParsePath(s)
			if err != nil {
				return nil, err
			}
			return p.Get(env)
		},
		Rand:    env.Rand,
		NewUUID: env.NewUUID,
	})
}

// Env is what expressions are evaluated against: the state's input, the
// context object, the variables in scope and, in JSONata, $states.
type Env struct {
	Input any
	// Context builds the context object on first use; ContextObject caches it.
	Context func() any
	context any
	built   bool
	Vars    *Vars
	// States holds $states for JSONata: input, result, errorOutput, context.
	States *value.Object
	// Rand and NewUUID feed States.MathRandom, States.UUID and their JSONata
	// counterparts; the interpreter seeds them so that replays agree.
	Rand    intrinsic.Rand
	NewUUID func() string
}

// ContextObject returns the context object ($$).
func (e *Env) ContextObject() any {
	if !e.built {
		e.built = true
		if e.Context != nil {
			e.context = e.Context()
		}
	}
	return e.context
}

// Vars is a scope of workflow variables. A Map iteration or Parallel branch
// gets a child scope: it reads its parents' variables, and what it assigns
// stays in its own scope.
type Vars struct {
	parent *Vars
	vals   *value.Object
}

// NewVars returns a scope whose lookups fall back to parent (which may be
// nil).
func NewVars(parent *Vars) *Vars { return &Vars{parent: parent} }

// Get returns the variable's value, looking through enclosing scopes.
func (v *Vars) Get(name string) (any, bool) {
	for s := v; s != nil; s = s.parent {
		if x, ok := s.vals.Get(name); ok {
			return x, true
		}
	}
	return nil, false
}

// Set assigns a variable in this scope.
func (v *Vars) Set(name string, x any) {
	if v.vals == nil {
		v.vals = value.NewObject(4)
	}
	v.vals.Set(name, x)
}

// Parent returns the enclosing scope, or nil.
func (v *Vars) Parent() *Vars { return v.parent }

// Own returns the variables assigned in this scope (not its parents'), in
// assignment order. The caller must not modify it.
func (v *Vars) Own() *value.Object {
	if v == nil {
		return nil
	}
	return v.vals
}

// All returns every visible variable as one object, inner scopes winning.
func (v *Vars) All() *value.Object {
	if v == nil {
		return value.NewObject(0)
	}
	out := v.parent.All()
	for _, m := range v.vals.Members() {
		out.Set(m.Key, m.Value)
	}
	return out
}
