package jsonata

import (
	"encoding/base64"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/batonrun/baton/internal/value"
)

// maxStringLength is the longest string a function will build, about
// JavaScript's limit; longer ones fail rather than exhaust memory.
const maxStringLength = 1 << 29

// builtins are the standard library functions, by name without the $.
var builtins map[string]*Function

func init() {
	builtins = make(map[string]*Function, 80)
	def := func(name, sig string, arity int, impl builtinFunc) {
		s, err := parseSignature(sig)
		if err != nil {
			panic("jsonata: bad built-in signature " + sig)
		}
		builtins[name] = &Function{kind: fnBuiltin, name: name, sig: s, arity: arity, impl: impl}
	}
	def("sum", "<a<n>:n>", 1, fnSum)
	def("count", "<a:n>", 1, fnCount)
	def("max", "<a<n>:n>", 1, fnMax)
	def("min", "<a<n>:n>", 1, fnMin)
	def("average", "<a<n>:n>", 1, fnAverage)
	def("string", "<x-b?:s>", 1, fnString)
	def("substring", "<s-nn?:s>", 3, fnSubstring)
	def("substringBefore", "<s-s:s>", 2, fnSubstringBefore)
	def("substringAfter", "<s-s:s>", 2, fnSubstringAfter)
	def("lowercase", "<s-:s>", 1, fnLowercase)
	def("uppercase", "<s-:s>", 1, fnUppercase)
	def("length", "<s-:n>", 1, fnLength)
	def("trim", "<s-:s>", 1, fnTrim)
	def("pad", "<s-ns?:s>", 3, fnPad)
	def("match", "<s-f<s:o>n?:a<o>>", 3, fnMatch)
	def("contains", "<s-(sf):b>", 2, fnContains)
	def("replace", "<s-(sf)(sf)n?:s>", 4, fnReplace)
	def("split", "<s-(sf)n?:a<s>>", 3, fnSplit)
	def("join", "<a<s>s?:s>", 2, fnJoin)
	def("formatNumber", "<n-so?:s>", 3, fnFormatNumber)
	def("formatBase", "<n-n?:s>", 2, fnFormatBase)
	def("formatInteger", "<n-s:s>", 2, fnFormatInteger)
	def("parseInteger", "<s-s:n>", 2, fnParseInteger)
	def("number", "<(nsb)-:n>", 1, fnNumber)
	def("floor", "<n-:n>", 1, mathFn(math.Floor))
	def("ceil", "<n-:n>", 1, mathFn(math.Ceil))
	def("round", "<n-n?:n>", 2, fnRound)
	def("abs", "<n-:n>", 1, mathFn(math.Abs))
	def("sqrt", "<n-:n>", 1, fnSqrt)
	def("power", "<n-n:n>", 2, fnPower)
	def("random", "<:n>", 0, fnRandom)
	def("boolean", "<x-:b>", 1, fnBoolean)
	def("not", "<x-:b>", 1, fnNot)
	def("map", "<af>", 2, fnMap)
	def("zip", "<a+>", 0, fnZip)
	def("filter", "<af>", 2, fnFilter)
	def("single", "<af?>", 2, fnSingle)
	def("reduce", "<afj?:j>", 3, fnReduce)
	def("sift", "<o-f?:o>", 2, fnSift)
	def("keys", "<x-:a<s>>", 1, fnKeys)
	def("lookup", "<x-s:x>", 2, fnLookup)
	def("append", "<xx:a>", 2, fnAppend)
	def("exists", "<x:b>", 1, fnExists)
	def("spread", "<x-:a<o>>", 1, fnSpread)
	def("merge", "<a<o>:o>", 1, fnMerge)
	def("reverse", "<a:a>", 1, fnReverse)
	def("each", "<o-f:a>", 2, fnEach)
	def("error", "<s?:x>", 1, fnError)
	def("assert", "<bs?:x>", 2, fnAssert)
	def("type", "<x:s>", 1, fnType)
	def("sort", "<af?:a>", 2, fnSort)
	def("shuffle", "<a:a>", 1, fnShuffle)
	def("distinct", "<x:x>", 1, fnDistinct)
	def("base64encode", "<s-:s>", 1, fnBase64Encode)
	def("base64decode", "<s-:s>", 1, fnBase64Decode)
	def("encodeUrlComponent", "<s-:s>", 1, urlFn("encodeUrlComponent", encodeURIComponent))
	def("encodeUrl", "<s-:s>", 1, urlFn("encodeUrl", encodeURI))
	def("decodeUrlComponent", "<s-:s>", 1, urlFn("decodeUrlComponent", decodeURIComponent))
	def("decodeUrl", "<s-:s>", 1, urlFn("decodeUrl", decodeURI))
	def("eval", "<sx?:x>", 2, fnEval)
	def("toMillis", "<s-s?:n>", 2, fnToMillis)
	def("fromMillis", "<n-s?s?:s>", 3, fnFromMillis)
	def("clone", "<(oa)-:o>", 1, fnClone)
	def("now", "<s?s?:s>", 2, fnNow)
	def("millis", "<:n>", 0, fnMillis)
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return undefined
}

// numbers returns the items of an array argument, nil for undefined.
func numbers(v any) []any {
	items, _ := arrayItems(v)
	return items
}

func fnSum(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	total := 0.0
	for _, n := range numbers(a) {
		total += n.(float64)
	}
	return total, nil
}

func fnCount(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return 0.0, nil
	}
	return float64(len(numbers(a))), nil
}

func fnMax(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	ns := numbers(arg(args, 0))
	if len(ns) == 0 {
		return undefined, nil
	}
	m := math.Inf(-1)
	for _, n := range ns {
		m = math.Max(m, n.(float64))
	}
	return m, nil
}

func fnMin(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	ns := numbers(arg(args, 0))
	if len(ns) == 0 {
		return undefined, nil
	}
	m := math.Inf(1)
	for _, n := range ns {
		m = math.Min(m, n.(float64))
	}
	return m, nil
}

func fnAverage(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	ns := numbers(arg(args, 0))
	if len(ns) == 0 {
		return undefined, nil
	}
	total := 0.0
	for _, n := range ns {
		total += n.(float64)
	}
	return total / float64(len(ns)), nil
}

func fnString(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	switch t := v.(type) {
	case undefinedType:
		return undefined, nil
	case string:
		return t, nil
	case *Function:
		return "", nil
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return nil, &Error{Code: "D3001", Value: t}
		}
	}
	if s, ok := v.(*sequence); ok && s.outerWrapper {
		v = s.items[0]
	}
	if err := checkNumbers(v); err != nil {
		return nil, err
	}
	if p, ok := arg(args, 1).(bool); ok && p {
		return stringify(v, "  "), nil
	}
	return stringify(v, ""), nil
}

// jsInt converts a JavaScript number argument to an integer the way
// ToIntegerOrInfinity does, clamped to the int range.
func jsInt(f float64) int {
	if math.IsNaN(f) {
		return 0
	}
	f = math.Trunc(f)
	if f > math.MaxInt32*4 {
		return math.MaxInt32 * 4
	}
	if f < -math.MaxInt32*4 {
		return -math.MaxInt32 * 4
	}
	return int(f)
}

// jsSlice is Array.prototype.slice's index arithmetic.
func jsSlice(n, start, end int) (int, int) {
	if start < 0 {
		start = max(n+start, 0)
	} else {
		start = min(start, n)
	}
	if end < 0 {
		end = max(n+end, 0)
	} else {
		end = min(end, n)
	}
	if end < start {
		end = start
	}
	return start, end
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func substringRunes(s string, start float64, length any) string {
	ascii := isASCII(s)
	var rs []rune
	n := len(s)
	if !ascii {
		rs = []rune(s)
		n = len(rs)
	}
	st := jsInt(start)
	if n+st < 0 {
		st = 0
	}
	end := n
	if l, ok := length.(float64); ok {
		if l <= 0 || math.IsNaN(l) {
			return ""
		}
		if st >= 0 {
			end = st + jsInt(l)
		} else {
			end = n + st + jsInt(l)
		}
	}
	a, b := jsSlice(n, st, end)
	if ascii {
		return s[a:b]
	}
	return string(rs[a:b])
}

func fnSubstring(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	start, _ := arg(args, 1).(float64)
	return substringRunes(s, start, arg(args, 2)), nil
}

func fnSubstringBefore(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	chars, _ := arg(args, 1).(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[:i], nil
	}
	return s, nil
}

func fnSubstringAfter(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	chars, _ := arg(args, 1).(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[i+len(chars):], nil
	}
	return s, nil
}

func fnLowercase(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	return strings.ToLower(s), nil
}

func fnUppercase(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	return jsUpper(s), nil
}

// jsUpper is String.prototype.toUpperCase, including the special casings
// that expand a character (ß to SS, ligatures).
func jsUpper(s string) string {
	u := strings.ToUpper(s)
	if !strings.ContainsAny(u, "ßŉǰΐΰﬀﬁﬂﬃﬄﬅﬆ") {
		return u
	}
	return strings.NewReplacer("ß", "SS", "ŉ", "ʼN", "ǰ", "J̌", "ΐ", "Ϊ́", "ΰ", "Ϋ́",
		"ﬀ", "FF", "ﬁ", "FI", "ﬂ", "FL", "ﬃ", "FFI", "ﬄ", "FFL", "ﬅ", "ST", "ﬆ", "ST").Replace(u)
}

func fnLength(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	return float64(utf8.RuneCountInString(s)), nil
}

func fnTrim(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	var b strings.Builder
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	if space {
		b.WriteByte(' ')
	}
	r := b.String()
	r = strings.TrimPrefix(r, " ")
	r = strings.TrimSuffix(r, " ")
	return r, nil
}

func fnPad(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	wf, _ := arg(args, 1).(float64)
	width := jsInt(wf)
	char, _ := arg(args, 2).(string)
	if char == "" {
		char = " "
	}
	abs := width
	if abs < 0 {
		abs = -abs
	}
	padLen := abs - utf8.RuneCountInString(s)
	if padLen <= 0 {
		return s, nil
	}
	if padLen > maxStringLength {
		return nil, &Error{Code: "D1001", Value: wf}
	}
	padding := strings.Repeat(char, padLen)
	if utf8.RuneCountInString(char) > 1 {
		padding = substringRunes(padding, 0, float64(padLen))
	}
	if width > 0 {
		return s + padding, nil
	}
	return padding + s, nil
}

// match is one match of a matcher (a regex or a custom matcher function),
// with byte offsets into the subject.
type match struct {
	text       string
	start, end int
	groups     []string
}

// matchIter iterates the matches of a matcher over a subject as jsonata-js
// does, calling the match's next() after each.
type matchIter struct {
	ev      *evaluator
	env     *frame
	subject string
	// regex matcher
	re    *jsRegex
	found []regexMatch
	pos   int
	// custom matcher: the current match object
	custom any
	first  bool
	fn     *Function
}

func (ev *evaluator) newMatchIter(matcher *Function, s string, env *frame) *matchIter {
	it := &matchIter{ev: ev, env: env, subject: s, first: true}
	if matcher.kind == fnRegex {
		it.re = matcher.regex
		it.found = matcher.regex.findAll(s)
	} else {
		it.fn = matcher
	}
	return it
}

// next returns the next match, or nil at the end.
func (it *matchIter) next() (*match, error) {
	if it.re != nil {
		if it.pos >= len(it.found) {
			return nil, nil
		}
		if !it.first {
			prev := it.found[it.pos-1]
			if prev.end >= len(it.subject) {
				return nil, nil
			}
			if prev.start == prev.end || it.found[it.pos].start == it.found[it.pos].end {
				return nil, &Error{Code: "D1004", Value: it.re.source}
			}
		}
		it.first = false
		m := it.found[it.pos]
		it.pos++
		r := &match{text: it.subject[m.start:m.end], start: m.start, end: m.end}
		for g := 0; g+1 < len(m.groups); g += 2 {
			if m.groups[g] < 0 {
				r.groups = append(r.groups, "")
			} else {
				r.groups = append(r.groups, it.subject[m.groups[g]:m.groups[g+1]])
			}
		}
		return r, nil
	}
	var res any
	var err error
	if it.first {
		it.first = false
		res, err = it.ev.apply(it.fn, []any{it.subject}, undefined, it.env)
	} else {
		o, ok := it.custom.(*value.Object)
		if !ok {
			return nil, nil
		}
		nf, _ := o.Get("next")
		f, ok := nf.(*Function)
		if !ok {
			return nil, nil
		}
		res, err = it.ev.apply(f, nil, undefined, it.env)
	}
	if err != nil {
		return nil, err
	}
	it.custom = res
	if isUndef(res) {
		return nil, nil
	}
	o, ok := res.(*value.Object)
	if !ok {
		return nil, &Error{Code: "T1010"}
	}
	sv, _ := o.Get("start")
	ev2, _ := o.Get("end")
	mv, _ := o.Get("match")
	gv, _ := o.Get("groups")
	nv, _ := o.Get("next")
	start, sok := sv.(float64)
	_, gok := arrayItems(gv)
	_, nok := nv.(*Function)
	if !sok && !gok && !nok {
		return nil, &Error{Code: "T1010"}
	}
	m := &match{}
	m.text, _ = mv.(string)
	m.start = byteOffset(it.subject, int(start))
	if end, ok := ev2.(float64); ok {
		m.end = byteOffset(it.subject, int(end))
	} else {
		m.end = m.start + len(m.text)
	}
	for _, g := range numbers(gv) {
		s, _ := g.(string)
		m.groups = append(m.groups, s)
	}
	return m, nil
}

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	if isASCII(s) {
		return len(s)
	}
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// byteOffset converts a UTF-16 offset into s to a byte offset.
func byteOffset(s string, u int) int {
	if u <= 0 {
		return 0
	}
	n := 0
	for i, r := range s {
		if n >= u {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}

func fnContains(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	tok := arg(args, 1)
	if !ok || isUndef(tok) {
		return undefined, nil
	}
	if t, ok := tok.(string); ok {
		return strings.Contains(s, t), nil
	}
	f := tok.(*Function)
	if f.kind == fnRegex {
		return f.regex.re.MatchString(s), nil
	}
	m, err := ev.newMatchIter(f, s, env).next()
	if err != nil {
		return nil, err
	}
	return m != nil, nil
}

// matcherOf returns a pattern argument that is not a string as the matcher
// function it must be; jsonata-js fails with a JavaScript TypeError here.
func matcherOf(v any) (*Function, error) {
	if f, ok := v.(*Function); ok {
		return f, nil
	}
	return nil, &Error{Code: "T1006"}
}

func limitArg(v any, code string, index int) (int, bool, error) {
	l, ok := v.(float64)
	if !ok {
		return 0, false, nil
	}
	if l < 0 {
		return 0, false, &Error{Code: code, Value: l, index: index}
	}
	return int(math.Ceil(l)), true, nil
}

func fnMatch(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	limit, hasLimit, err := limitArg(arg(args, 2), "D3040", 3)
	if err != nil {
		return nil, err
	}
	result := newSeq(0)
	if hasLimit && limit == 0 {
		return result, nil
	}
	it := ev.newMatchIter(arg(args, 1).(*Function), s, env)
	m, err := it.next()
	for err == nil && m != nil && (!hasLimit || len(result.items) < limit) {
		o := value.NewObject(3)
		o.Set("match", m.text)
		o.Set("index", float64(utf16Len(s[:m.start])))
		groups := make([]any, len(m.groups))
		for i, g := range m.groups {
			groups[i] = g
		}
		o.Set("groups", groups)
		result.items = append(result.items, o)
		m, err = it.next()
	}
	if err != nil {
		return nil, err
	}
	return result, nil
}

// expandReplacement substitutes $0, $1… and $$ in a replacement string.
func expandReplacement(repl string, m *match) string {
	var b strings.Builder
	pos := 0
	for {
		i := strings.IndexByte(repl[pos:], '$')
		if i < 0 || pos >= len(repl) {
			break
		}
		i += pos
		b.WriteString(repl[pos:i])
		pos = i + 1
		if pos >= len(repl) {
			b.WriteByte('$')
			break
		}
		c := repl[pos]
		switch {
		case c == '$':
			b.WriteByte('$')
			pos++
		case c == '0':
			b.WriteString(m.text)
			pos++
		default:
			maxDigits := 1
			if len(m.groups) > 0 {
				maxDigits = int(math.Floor(math.Log10(float64(len(m.groups))))) + 1
			}
			digits := leadingDigits(repl[pos:], maxDigits)
			idx, err := strconv.Atoi(digits)
			if maxDigits > 1 && err == nil && idx > len(m.groups) {
				digits = leadingDigits(repl[pos:], maxDigits-1)
				idx, err = strconv.Atoi(digits)
			}
			if err != nil {
				b.WriteByte('$')
				continue
			}
			if len(m.groups) > 0 && idx >= 1 && idx <= len(m.groups) {
				b.WriteString(m.groups[idx-1])
			}
			pos += len(strconv.Itoa(idx))
		}
	}
	if pos < len(repl) {
		b.WriteString(repl[pos:])
	}
	return b.String()
}

func leadingDigits(s string, max int) string {
	n := 0
	for n < len(s) && n < max && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return s[:n]
}

func fnReplace(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	pattern := arg(args, 1)
	if p, ok := pattern.(string); ok && p == "" {
		return nil, &Error{Code: "D3010", Value: p, index: 2}
	}
	limit, hasLimit, err := limitArg(arg(args, 3), "D3011", 4)
	if err != nil {
		return nil, err
	}
	if hasLimit && limit == 0 {
		return s, nil
	}
	repl := arg(args, 2)
	if p, ok := pattern.(string); ok {
		rs, _ := repl.(string)
		if !hasLimit {
			return strings.ReplaceAll(s, p, rs), nil
		}
		return strings.Replace(s, p, rs, limit), nil
	}
	f, err := matcherOf(pattern)
	if err != nil {
		return nil, err
	}
	it := ev.newMatchIter(f, s, env)
	m, err := it.next()
	if err != nil {
		return nil, err
	}
	if m == nil {
		return s, nil
	}
	var b strings.Builder
	pos := 0
	count := 0
	for m != nil && (!hasLimit || count < limit) {
		b.WriteString(s[pos:m.start])
		switch r := repl.(type) {
		case string:
			b.WriteString(expandReplacement(r, m))
		case *Function:
			mo := value.NewObject(4)
			mo.Set("match", m.text)
			mo.Set("start", float64(utf16Len(s[:m.start])))
			mo.Set("end", float64(utf16Len(s[:m.end])))
			groups := make([]any, len(m.groups))
			for i, g := range m.groups {
				groups[i] = g
			}
			mo.Set("groups", groups)
			v, err := ev.apply(r, []any{mo}, undefined, env)
			if err != nil {
				return nil, err
			}
			vs, ok := v.(string)
			if !ok {
				return nil, &Error{Code: "D3012", Value: v}
			}
			b.WriteString(vs)
		}
		pos = m.start + len(m.text)
		count++
		if m, err = it.next(); err != nil {
			return nil, err
		}
	}
	b.WriteString(s[pos:])
	return b.String(), nil
}

func fnSplit(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	limit, hasLimit, err := limitArg(arg(args, 2), "D3020", 3)
	if err != nil {
		return nil, err
	}
	if hasLimit {
		limit = jsInt(arg(args, 2).(float64))
	}
	result := []any{}
	if hasLimit && limit == 0 {
		return result, nil
	}
	if sep, ok := arg(args, 1).(string); ok {
		var parts []string
		if sep == "" {
			for _, r := range s {
				parts = append(parts, string(r))
			}
		} else {
			parts = strings.Split(s, sep)
		}
		for _, p := range parts {
			if hasLimit && len(result) >= limit {
				break
			}
			result = append(result, p)
		}
		return result, nil
	}
	f, err := matcherOf(arg(args, 1))
	if err != nil {
		return nil, err
	}
	it := ev.newMatchIter(f, s, env)
	m, err := it.next()
	if err != nil {
		return nil, err
	}
	if m == nil {
		return []any{s}, nil
	}
	start := 0
	count := 0
	for m != nil && (!hasLimit || count < limit) {
		result = append(result, s[start:m.start])
		start = m.end
		count++
		if m, err = it.next(); err != nil {
			return nil, err
		}
	}
	if !hasLimit || count < limit {
		result = append(result, s[start:])
	}
	return result, nil
}

func fnJoin(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	sep, _ := arg(args, 1).(string)
	items := numbers(a)
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.(string)
	}
	return strings.Join(parts, sep), nil
}

func fnNumber(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	switch t := arg(args, 0).(type) {
	case undefinedType:
		return undefined, nil
	case float64:
		return t, nil
	case bool:
		if t {
			return 1.0, nil
		}
		return 0.0, nil
	case string:
		if isDecimalNumber(t) {
			if f, err := strconv.ParseFloat(t, 64); err == nil {
				return f, nil
			}
		}
		if f, ok := parsePrefixedInt(t); ok {
			return f, nil
		}
		return nil, &Error{Code: "D3030", Value: t, index: 1}
	default:
		return nil, &Error{Code: "D3030", Value: t, index: 1}
	}
}

// isDecimalNumber matches ^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$.
func isDecimalNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	d := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == d {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		d = i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d = i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(s)
}

func parsePrefixedInt(s string) (float64, bool) {
	if len(s) < 3 || s[0] != '0' {
		return 0, false
	}
	base := 0
	switch s[1] {
	case 'x', 'X':
		base = 16
	case 'o', 'O':
		base = 8
	case 'b', 'B':
		base = 2
	default:
		return 0, false
	}
	n, err := strconv.ParseUint(s[2:], base, 64)
	if err != nil {
		return 0, false
	}
	return float64(n), true
}

func mathFn(f func(float64) float64) builtinFunc {
	return func(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
		x, ok := arg(args, 0).(float64)
		if !ok {
			return undefined, nil
		}
		return f(x), nil
	}
}

// jsRound is JavaScript's Math.round: halves round towards +Infinity.
func jsRound(x float64) float64 {
	f := math.Floor(x)
	if x-f >= 0.5 {
		return f + 1
	}
	return f
}

// roundHalfEven is $round: round half to even at precision decimal places,
// shifting the decimal point through the number's text as jsonata-js does
// to avoid binary rounding artefacts.
func roundHalfEven(x float64, precision int) float64 {
	shift := func(v float64, p int) float64 {
		s := value.FormatNumber(v)
		mant, exp, found := strings.Cut(s, "e")
		e := p
		if found {
			n, _ := strconv.Atoi(exp)
			e += n
		}
		r, _ := strconv.ParseFloat(mant+"e"+strconv.Itoa(e), 64)
		return r
	}
	if precision != 0 {
		x = shift(x, precision)
	}
	r := jsRound(x)
	if math.Abs(r-x) == 0.5 && math.Abs(math.Mod(r, 2)) == 1 {
		r--
	}
	if precision != 0 {
		r = shift(r, -precision)
	}
	if r == 0 {
		r = 0 // no negative zero
	}
	return r
}

func fnRound(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	x, ok := arg(args, 0).(float64)
	if !ok {
		return undefined, nil
	}
	p, _ := arg(args, 1).(float64)
	return roundHalfEven(x, jsInt(p)), nil
}

func fnSqrt(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	x, ok := arg(args, 0).(float64)
	if !ok {
		return undefined, nil
	}
	if x < 0 {
		return nil, &Error{Code: "D3060", Value: x, index: 1}
	}
	return math.Sqrt(x), nil
}

func fnPower(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	x, ok := arg(args, 0).(float64)
	if !ok {
		return undefined, nil
	}
	e, _ := arg(args, 1).(float64)
	r := math.Pow(x, e)
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return nil, &Error{Code: "D3061", Value: x, exp: e, index: 1}
	}
	return r, nil
}

func fnRandom(_ *evaluator, _ []any, _ any, _ *frame) (any, error) {
	return rand.Float64(), nil
}

func fnBoolean(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	return truthy(v), nil
}

func fnNot(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	return !truthy(v), nil
}

func fnMap(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	f := arg(args, 1).(*Function)
	items := numbers(a)
	out := newSeq(len(items))
	for i, it := range items {
		r, err := ev.callHOF(f, env, it, float64(i), a)
		if err != nil {
			return nil, err
		}
		if !isUndef(r) {
			out.items = append(out.items, r)
		}
	}
	return out, nil
}

func fnFilter(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	f := arg(args, 1).(*Function)
	items := numbers(a)
	out := newSeq(0)
	for i, it := range items {
		r, err := ev.callHOF(f, env, it, float64(i), a)
		if err != nil {
			return nil, err
		}
		if truthy(r) {
			out.items = append(out.items, it)
		}
	}
	return out, nil
}

func fnSingle(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	f, hasF := arg(args, 1).(*Function)
	var result any = undefined
	found := false
	for i, it := range numbers(a) {
		ok := true
		if hasF {
			r, err := ev.callHOF(f, env, it, float64(i), a)
			if err != nil {
				return nil, err
			}
			ok = truthy(r)
		}
		if ok {
			if found {
				return nil, &Error{Code: "D3138", index: i}
			}
			result = it
			found = true
		}
	}
	if !found {
		return nil, &Error{Code: "D3139"}
	}
	return result, nil
}

func fnZip(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	n := -1
	for _, a := range args {
		l := 0
		if items, ok := arrayItems(a); ok {
			l = len(items)
		}
		if n < 0 || l < n {
			n = l
		}
	}
	result := make([]any, 0, max(n, 0))
	for i := 0; i < n; i++ {
		t := make([]any, len(args))
		for j, a := range args {
			t[j] = normalize(numbers(a)[i])
		}
		result = append(result, t)
	}
	return result, nil
}

func fnReduce(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	f := arg(args, 1).(*Function)
	arity := arityOf(f)
	if arity < 2 {
		return nil, &Error{Code: "D3050", index: 1}
	}
	items := numbers(a)
	result := arg(args, 2)
	i := 0
	if isUndef(result) && len(items) > 0 {
		result = items[0]
		i = 1
	}
	for ; i < len(items); i++ {
		cargs := []any{result, items[i]}
		if arity >= 3 {
			cargs = append(cargs, float64(i))
		}
		if arity >= 4 {
			cargs = append(cargs, a)
		}
		var err error
		if result, err = ev.apply(f, cargs, undefined, env); err != nil {
			return nil, err
		}
	}
	return result, nil
}

func fnSift(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	o, ok := arg(args, 0).(*value.Object)
	if !ok {
		return undefined, nil
	}
	f, ok := arg(args, 1).(*Function)
	if !ok {
		return nil, &Error{Code: "T1006"}
	}
	result := value.NewObject(0)
	for _, m := range o.Members() {
		r, err := ev.callHOF(f, env, m.Value, m.Key, o)
		if err != nil {
			return nil, err
		}
		if truthy(r) {
			result.Set(m.Key, m.Value)
		}
	}
	if result.Len() == 0 {
		return undefined, nil
	}
	return result, nil
}

func fnKeys(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	out := newSeq(0)
	switch t := arg(args, 0).(type) {
	case *value.Object:
		for _, m := range t.Members() {
			out.items = append(out.items, m.Key)
		}
	case []any, *sequence:
		seen := map[string]bool{}
		for _, e := range numbers(t) {
			if o, ok := e.(*value.Object); ok {
				for _, m := range o.Members() {
					if !seen[m.Key] {
						seen[m.Key] = true
						out.items = append(out.items, m.Key)
					}
				}
			}
		}
	}
	return out, nil
}

func fnLookup(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	key, _ := arg(args, 1).(string)
	return lookupField(arg(args, 0), key), nil
}

func fnAppend(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return appendValues(arg(args, 0), arg(args, 1)), nil
}

func fnExists(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return !isUndef(arg(args, 0)), nil
}

func spread(v any) any {
	switch t := v.(type) {
	case *value.Object:
		out := newSeq(t.Len())
		for _, m := range t.Members() {
			o := value.NewObject(1)
			o.Set(m.Key, m.Value)
			out.items = append(out.items, o)
		}
		return out
	case []any, *sequence:
		var out any = newSeq(0)
		for _, e := range numbers(t) {
			out = appendValues(out, spread(e))
		}
		return out
	}
	return v
}

func fnSpread(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	return spread(arg(args, 0)), nil
}

func fnMerge(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	result := value.NewObject(8)
	for _, e := range numbers(a) {
		if o, ok := e.(*value.Object); ok {
			for _, m := range o.Members() {
				result.Set(m.Key, m.Value)
			}
		}
	}
	return result, nil
}

func fnReverse(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	items := numbers(a)
	if len(items) <= 1 {
		return a, nil
	}
	out := make([]any, len(items))
	for i, e := range items {
		out[len(items)-1-i] = e
	}
	return out, nil
}

func fnEach(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	o, _ := arg(args, 0).(*value.Object)
	f := arg(args, 1).(*Function)
	out := newSeq(o.Len())
	for _, m := range o.Members() {
		r, err := ev.callHOF(f, env, m.Value, m.Key, o)
		if err != nil {
			return nil, err
		}
		if !isUndef(r) {
			out.items = append(out.items, r)
		}
	}
	return out, nil
}

func fnError(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	msg, _ := arg(args, 0).(string)
	if msg == "" {
		msg = "$error() function evaluated"
	}
	return nil, &Error{Code: "D3137", Message: msg}
}

func fnAssert(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	if c, _ := arg(args, 0).(bool); c {
		return undefined, nil
	}
	msg, _ := arg(args, 1).(string)
	if msg == "" {
		msg = "$assert() statement failed"
	}
	return nil, &Error{Code: "D3141", Message: msg}
}

func fnType(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	return typeName(v), nil
}

// jsTruthy is JavaScript's truthiness, which $sort applies to a
// comparator's result.
func jsTruthy(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case float64:
		return t != 0 && !math.IsNaN(t)
	case string:
		return t != ""
	case nil, undefinedType:
		return false
	}
	return true
}

func fnSort(ev *evaluator, args []any, _ any, env *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	items := numbers(a)
	if len(items) <= 1 {
		return a, nil
	}
	f, hasF := arg(args, 1).(*Function)
	if !hasF {
		allNum, allStr := true, true
		for _, e := range items {
			switch e.(type) {
			case float64:
				allStr = false
			case string:
				allNum = false
			default:
				allNum, allStr = false, false
			}
		}
		if !allNum && !allStr {
			return nil, &Error{Code: "D3070", index: 1}
		}
		return mergeSort(append([]any(nil), items...), func(x, y any) (bool, error) {
			if allNum {
				return x.(float64) > y.(float64), nil
			}
			return compareStrings(x.(string), y.(string)) > 0, nil
		})
	}
	return mergeSort(append([]any(nil), items...), func(x, y any) (bool, error) {
		r, err := ev.apply(f, []any{x, y}, undefined, env)
		if err != nil {
			return false, err
		}
		return jsTruthy(r), nil
	})
}

func fnShuffle(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return undefined, nil
	}
	items := numbers(a)
	if len(items) <= 1 {
		return a, nil
	}
	out := append([]any(nil), items...)
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

func fnDistinct(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	a := arg(args, 0)
	items, ok := arrayItems(a)
	if !ok || len(items) <= 1 {
		return a, nil
	}
	out := make([]any, 0, len(items))
	seenStr := map[string]bool{}
	seenNum := map[float64]bool{}
	for _, e := range items {
		switch t := e.(type) {
		case string:
			if seenStr[t] {
				continue
			}
			seenStr[t] = true
		case float64:
			if seenNum[t] {
				continue
			}
			seenNum[t] = true
		default:
			dup := false
			for _, r := range out {
				if deepEqual(e, r) {
					dup = true
					break
				}
			}
			if dup {
				continue
			}
		}
		out = append(out, e)
	}
	if _, ok := a.(*sequence); ok {
		return &sequence{items: out}, nil
	}
	return out, nil
}

func fnBase64Encode(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	units := utf16.Encode([]rune(s))
	b := make([]byte, len(units))
	for i, u := range units {
		b[i] = byte(u)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

func fnBase64Decode(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	clean := strings.Map(func(r rune) rune {
		if (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '+' || r == '/' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, s)
	clean = strings.NewReplacer("-", "+", "_", "/").Replace(clean)
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
	if err != nil {
		b, _ = base64.RawStdEncoding.DecodeString(clean[:len(clean)/4*4])
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs), nil
}

func urlFn(name string, f func(string) (string, bool)) builtinFunc {
	return func(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
		s, ok := arg(args, 0).(string)
		if !ok {
			return undefined, nil
		}
		r, ok := f(s)
		if !ok {
			return nil, &Error{Code: "D3140", Value: s, fnName: name}
		}
		return r, nil
	}
}

func encodeURIWith(s, keep string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strings.IndexByte("-_.!~*'()"+keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		size := 1
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "", false
			}
		}
		for _, c := range []byte(s[i : i+size]) {
			b.WriteByte('%')
			b.WriteByte("0123456789ABCDEF"[c>>4])
			b.WriteByte("0123456789ABCDEF"[c&15])
		}
		i += size - 1
	}
	return b.String(), true
}

func encodeURIComponent(s string) (string, bool) { return encodeURIWith(s, "") }
func encodeURI(s string) (string, bool)          { return encodeURIWith(s, ";,/?:@&=+$#") }

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func decodeURIWith(s, reserved string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
			return "", false
		}
		c := byte(unhex(s[i+1])<<4 | unhex(s[i+2]))
		if c < utf8.RuneSelf {
			if strings.IndexByte(reserved, c) >= 0 {
				b.WriteString(s[i : i+3])
			} else {
				b.WriteByte(c)
			}
			i += 2
			continue
		}
		// A multi-byte UTF-8 sequence of %XX escapes.
		var buf []byte
		j := i
		for j+2 < len(s) && s[j] == '%' && unhex(s[j+1]) >= 0 && unhex(s[j+2]) >= 0 {
			buf = append(buf, byte(unhex(s[j+1])<<4|unhex(s[j+2])))
			j += 3
			if utf8.FullRune(buf) {
				break
			}
		}
		r, size := utf8.DecodeRune(buf)
		if r == utf8.RuneError || size != len(buf) {
			return "", false
		}
		b.WriteRune(r)
		i = j - 1
	}
	return b.String(), true
}

func decodeURIComponent(s string) (string, bool) { return decodeURIWith(s, "") }
func decodeURI(s string) (string, bool)          { return decodeURIWith(s, ";/?:@&=+$,#") }

func fnEval(ev *evaluator, args []any, input any, env *frame) (any, error) {
	src, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	if focus := arg(args, 1); !isUndef(focus) {
		input = focus
		if a, ok := input.([]any); ok {
			input = &sequence{items: []any{a}, outerWrapper: true}
		}
	}
	ast, err := parse(src)
	if err != nil {
		e := err.(*Error)
		e.populate()
		return nil, &Error{Code: "D3120", Value: e.Message}
	}
	r, err := ev.eval(ast, input, env)
	if err != nil {
		if e, ok := err.(*Error); ok {
			if e.Code == "U1001" {
				return nil, e
			}
			e.populate()
			return nil, &Error{Code: "D3121", Value: e.Message}
		}
		return nil, err
	}
	return r, nil
}

// cloneValue deep-copies v as JSON.parse(JSON.stringify(v)) would, with
// $string's number rounding and functions becoming "".
func cloneValue(v any) any {
	switch t := v.(type) {
	case *value.Object:
		o := value.NewObject(t.Len())
		for _, m := range t.Members() {
			if isUndef(m.Value) {
				continue
			}
			o.Set(m.Key, cloneValue(m.Value))
		}
		return o
	case []any, *sequence:
		items := numbers(t)
		out := make([]any, len(items))
		for i, e := range items {
			if isUndef(e) {
				out[i] = nil
				continue
			}
			out[i] = cloneValue(e)
		}
		return out
	case float64:
		if t != math.Trunc(t) {
			r, _ := strconv.ParseFloat(strconv.FormatFloat(t, 'g', 15, 64), 64)
			return r
		}
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return nil
		}
		return t
	case *Function:
		return ""
	}
	return v
}

func fnClone(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	return cloneValue(v), nil
}

// applyRegex calls a regex as a function: (subject, fromIndex?) to the
// first match at or after fromIndex, as a match object with a next()
// function, or undefined.
func (ev *evaluator) applyRegex(f *Function, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	from := 0
	if fi, ok := arg(args, 1).(float64); ok {
		from = byteOffset(s, int(fi))
	}
	found := f.regex.findAll(s)
	for i, m := range found {
		if m.start >= from {
			return matchObject(s, f.regex, found, i), nil
		}
	}
	return undefined, nil
}

func matchObject(s string, re *jsRegex, found []regexMatch, i int) *value.Object {
	m := found[i]
	o := value.NewObject(5)
	o.Set("match", s[m.start:m.end])
	o.Set("start", float64(utf16Len(s[:m.start])))
	o.Set("end", float64(utf16Len(s[:m.end])))
	groups := []any{}
	for g := 0; g+1 < len(m.groups); g += 2 {
		if m.groups[g] < 0 {
			groups = append(groups, "")
		} else {
			groups = append(groups, s[m.groups[g]:m.groups[g+1]])
		}
	}
	o.Set("groups", groups)
	o.Set("next", &Function{kind: fnMatcherNext, subject: s, regex: re, matches: found, next: i + 1})
	return o
}

func (f *Function) nextMatch() (any, error) {
	prev := f.matches[f.next-1]
	if prev.end >= len(f.subject) || f.next >= len(f.matches) {
		return undefined, nil
	}
	m := f.matches[f.next]
	if m.start == m.end || prev.start == prev.end {
		return nil, &Error{Code: "D1004", Value: f.regex.source}
	}
	return matchObject(f.subject, f.regex, f.matches, f.next), nil
}

// checkNumbers returns D1001 for an infinite number inside v, which
// $string cannot render.
func checkNumbers(v any) error {
	switch t := v.(type) {
	case float64:
		return checkFinite(t)
	case *value.Object:
		for _, m := range t.Members() {
			if err := checkNumbers(m.Value); err != nil {
				return err
			}
		}
	case []any, *sequence:
		for _, e := range numbers(t) {
			if err := checkNumbers(e); err != nil {
				return err
			}
		}
	}
	return nil
}
