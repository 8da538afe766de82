package jsonata

import (
	"strings"

	"github.com/batonrun/baton/internal/value"
)

// signature is a parsed function signature such as "<s-nn?:s>". Arguments
// are validated as jsonata-js does: each argument maps to a type symbol, and
// the symbols must match the parameters' pattern.
type signature struct {
	def    string
	params []sigParam
}

type sigParam struct {
	typ      string // s n b l o a f j x or a choice like (sf)
	accept   string // symbols accepted, m (missing) included when allowed
	optional bool   // matches zero or one argument
	variadic bool   // matches one or more arguments (+)
	context  bool   // the context value stands in when missing (-)
	ctxTypes string // symbols the context value may have
	subtype  string // element type of a<...>
}

var arrayTypeNames = map[string]string{"a": "arrays", "b": "booleans", "f": "functions", "n": "numbers", "o": "objects", "s": "strings"}

func parseSignature(sig string) (*signature, *Error) {
	s := &signature{def: sig}
	var prev *sigParam
	add := func(p sigParam) {
		s.params = append(s.params, p)
		prev = &s.params[len(s.params)-1]
	}
	for pos := 1; pos < len(sig); pos++ {
		c := sig[pos]
		if c == ':' {
			break
		}
		switch c {
		case 's', 'n', 'b', 'l', 'o':
			add(sigParam{typ: string(c), accept: string(c) + "m"})
		case 'a':
			add(sigParam{typ: "a", accept: "asnblfom"})
		case 'f':
			add(sigParam{typ: "f", accept: "f"})
		case 'j':
			add(sigParam{typ: "j", accept: "asnblom"})
		case 'x':
			add(sigParam{typ: "x", accept: "asnblfom"})
		case '-':
			if prev != nil {
				prev.context = true
				prev.ctxTypes = prev.accept
				prev.optional = true
			}
		case '?':
			if prev != nil {
				prev.optional = true
			}
		case '+':
			if prev != nil {
				prev.variadic = true
			}
		case '(':
			end := closing(sig, pos, '(', ')')
			choice := sig[pos+1 : end]
			if strings.Contains(choice, "<") {
				return nil, &Error{Code: "S0402", Value: choice, Position: pos}
			}
			add(sigParam{typ: "(" + choice + ")", accept: choice + "m"})
			pos = end
		case '<':
			if prev == nil || (prev.typ != "a" && prev.typ != "f") {
				t := ""
				if prev != nil {
					t = prev.typ
				}
				return nil, &Error{Code: "S0401", Value: t, Position: pos}
			}
			end := closing(sig, pos, '<', '>')
			prev.subtype = sig[pos+1 : end]
			pos = end
		}
	}
	return s, nil
}

func closing(s string, start int, open, close byte) int {
	depth := 1
	pos := start
	for pos < len(s)-1 {
		pos++
		if s[pos] == close {
			depth--
			if depth == 0 {
				break
			}
		} else if s[pos] == open {
			depth++
		}
	}
	return pos
}

func typeSymbol(v any) byte {
	switch v.(type) {
	case *Function:
		return 'f'
	case string:
		return 's'
	case float64:
		return 'n'
	case bool:
		return 'b'
	case nil:
		return 'l'
	case []any, *sequence:
		return 'a'
	case *value.Object:
		return 'o'
	}
	return 'm'
}

// match finds, as a backtracking regular expression would, how many
// argument symbols each of params[from:] consumes; whole requires the match
// to reach the end of syms.
func matchParams(params []sigParam, syms []byte, lens []int, whole bool) bool {
	if len(params) == 0 {
		return !whole || len(syms) == 0
	}
	p := &params[0]
	max := 0
	for max < len(syms) && strings.IndexByte(p.accept, syms[max]) >= 0 {
		max++
		if !p.variadic {
			break
		}
	}
	min := 1
	if p.optional {
		min = 0
	}
	for n := max; n >= min; n-- {
		lens[0] = n
		if matchParams(params[1:], syms[n:], lens[1:], whole) {
			return true
		}
	}
	return false
}

// validate checks args against the signature and returns them fixed up:
// the context value inserted for a missing '-' argument, a single value
// wrapped in an array for an 'a' parameter.
func (s *signature) validate(args []any, context any) ([]any, error) {
	var symBuf [8]byte
	syms := symBuf[:0]
	for _, a := range args {
		syms = append(syms, typeSymbol(a))
	}
	var lenBuf [8]int
	lens := lenBuf[:0]
	for range s.params {
		lens = append(lens, 0)
	}
	if !matchParams(s.params, syms, lens, true) {
		return nil, s.validationError(args, syms)
	}
	out := make([]any, 0, len(s.params)+len(args))
	argIndex, symPos := 0, 0
	for i := range s.params {
		p := &s.params[i]
		n := lens[i]
		matched := syms[symPos : symPos+n]
		symPos += n
		if n == 0 {
			if p.context {
				if strings.IndexByte(p.ctxTypes, typeSymbol(context)) < 0 {
					return nil, &Error{Code: "T0411", Value: context, index: argIndex + 1}
				}
				out = append(out, context)
			} else {
				if argIndex < len(args) {
					out = append(out, args[argIndex])
				} else {
					out = append(out, undefined)
				}
				argIndex++
			}
			continue
		}
		whole := string(matched)
		for _, single := range matched {
			var arg any = undefined
			if argIndex < len(args) {
				arg = args[argIndex]
			}
			if p.typ == "a" {
				if single == 'm' {
					arg = undefined
				} else {
					ok := true
					if p.subtype != "" {
						if single != 'a' && whole != p.subtype {
							ok = false
						} else if single == 'a' {
							items, _ := arrayItems(arg)
							if len(items) > 0 {
								it := typeSymbol(items[0])
								if it != p.subtype[0] {
									ok = false
								} else {
									for _, e := range items {
										if typeSymbol(e) != it {
											ok = false
											break
										}
									}
								}
							}
						}
					}
					if !ok {
						return nil, &Error{Code: "T0412", Value: arg, index: argIndex + 1, typ: arrayTypeNames[p.subtype]}
					}
					if single != 'a' {
						arg = []any{arg}
					}
				}
			}
			out = append(out, arg)
			argIndex++
		}
	}
	return out, nil
}

func (s *signature) validationError(args []any, syms []byte) error {
	goodTo := 0
	lens := make([]int, len(s.params))
	for k := 1; k <= len(s.params); k++ {
		if !matchParams(s.params[:k], syms, lens[:k], false) {
			break
		}
		n := 0
		for _, l := range lens[:k] {
			n += l
		}
		goodTo = n
		if k == len(s.params) {
			break
		}
	}
	var v any = undefined
	if goodTo < len(args) {
		v = args[goodTo]
	}
	return &Error{Code: "T0410", Value: v, index: goodTo + 1}
}
