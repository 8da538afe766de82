package asl

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/batonrun/baton/internal/value"
)

// Limits the States language sets on a definition.
const (
	maxStateNameLen   = 80
	maxLabelLen       = 40
	maxVariableLen    = 80
	maxTimeoutSeconds = 99999999
	maxRetryValue     = 99999999
	maxDelaySeconds   = 31622400 // MaxDelaySeconds must be below one leap year
)

// Parse reads and validates a state machine definition. It returns every
// problem at once as an *InvalidDefinitionError; warnings alone do not make
// a definition invalid.
func Parse(src []byte) (*Definition, error) {
	def, diags := parse(src)
	if n := countErrors(diags); n > 0 {
		return nil, &InvalidDefinitionError{Diagnostics: diags}
	}
	return def, nil
}

// Validate returns every diagnostic for a definition, as
// ValidateStateMachineDefinition does; none with severity ERROR means the
// definition is valid.
func Validate(src []byte) []Diagnostic {
	_, diags := parse(src)
	return diags
}

func countErrors(ds []Diagnostic) int {
	n := 0
	for _, d := range ds {
		if d.Severity == SeverityError {
			n++
		}
	}
	return n
}

func parse(src []byte) (*Definition, []Diagnostic) {
	d := &diagnostics{}
	if len(strings.TrimSpace(string(src))) == 0 {
		d.add(CodeMissingDescription, "", "The definition is empty")
		return nil, d.list
	}
	raw, err := value.DecodeStrict(src)
	if err != nil {
		var dup *value.DuplicateKeyError
		if errors.As(err, &dup) {
			d.schema("", "Duplicate field '%s' (at byte offset %d)", dup.Key, dup.Offset)
		} else {
			d.add(CodeInvalidJSON, "", "%v", err)
		}
		return nil, d.list
	}
	top, ok := raw.(*value.Object)
	if !ok {
		d.add(CodeInvalidJSON, "", "The definition must be a JSON object, not %s", value.TypeName(raw))
		return nil, d.list
	}
	p := &parser{d: d, names: map[string]string{}}
	def := &Definition{Source: string(src), Version: "1.0"}
	lang := JSONPath
	f := p.fields(top, "")
	if s, ok := f.string("QueryLanguage"); ok {
		if s != JSONPath && s != JSONata {
			d.schema("/QueryLanguage", "The value for the field 'QueryLanguage' must be 'JSONPath' or 'JSONata'")
		} else {
			lang = s
		}
	}
	if s, ok := f.string("Version"); ok {
		def.Version = s
	}
	if n, ok := f.integer("TimeoutSeconds", 1, maxTimeoutSeconds); ok {
		def.TimeoutSeconds = n
	}
	p.branch(&def.Branch, f, "", lang, "Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage")
	return def, d.list
}

type parser struct {
	d *diagnostics
	// names records every state name and where it was first defined: names
	// must be unique across the whole state machine, branches included.
	names map[string]string
}

// fieldSet reads an object's fields with type checks, and afterwards reports
// every field that nobody read as unsupported.
type fieldSet struct {
	p    *parser
	o    *value.Object
	loc  string
	used map[string]bool
}

func (p *parser) fields(o *value.Object, loc string) *fieldSet {
	return &fieldSet{p: p, o: o, loc: loc, used: make(map[string]bool, o.Len())}
}

func (f *fieldSet) at(name string) string { return f.loc + "/" + name }

func (f *fieldSet) get(name string) (any, bool) {
	v, ok := f.o.Get(name)
	if ok {
		f.used[name] = true
	}
	return v, ok
}

func (f *fieldSet) has(name string) bool { return f.o.Has(name) }

// allow marks fields as known without reading them.
func (f *fieldSet) allow(names ...string) {
	for _, n := range names {
		if f.o.Has(n) {
			f.used[n] = true
		}
	}
}

// rejectUnknown reports every field not read or allowed.
func (f *fieldSet) rejectUnknown(what string) {
	for _, m := range f.o.Members() {
		if !f.used[m.Key] {
			f.p.d.schema(f.at(m.Key), "The field '%s' is not supported by Step Functions%s", m.Key, what)
		}
	}
}

func (f *fieldSet) string(name string) (string, bool) {
	v, ok := f.get(name)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		f.p.d.schema(f.at(name), "The value for the field '%s' must be a STRING", name)
		return "", false
	}
	return s, true
}

func (f *fieldSet) requiredString(name string) (string, bool) {
	if !f.has(name) {
		f.p.d.schema(f.loc, "The field '%s' is required", name)
		return "", false
	}
	return f.string(name)
}

func (f *fieldSet) boolean(name string) (bool, bool) {
	v, ok := f.get(name)
	if !ok {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		f.p.d.schema(f.at(name), "The value for the field '%s' must be a BOOLEAN", name)
		return false, false
	}
	return b, true
}

// integer reads an integer field within [lo, hi].
func (f *fieldSet) integer(name string, lo, hi int) (int, bool) {
	v, ok := f.get(name)
	if !ok {
		return 0, false
	}
	n, ok := v.(float64)
	if !ok || n != math.Trunc(n) {
		f.p.d.schema(f.at(name), "The value for the field '%s' must be an INTEGER", name)
		return 0, false
	}
	if n < float64(lo) || n > float64(hi) {
		f.p.d.schema(f.at(name), "The value for the field '%s' must be between %d and %d", name, lo, hi)
		return 0, false
	}
	return int(n), true
}

func (f *fieldSet) number(name string) (float64, bool) {
	v, ok := f.get(name)
	if !ok {
		return 0, false
	}
	n, ok := v.(float64)
	if !ok {
		f.p.d.schema(f.at(name), "The value for the field '%s' must be a NUMBER", name)
		return 0, false
	}
	return n, true
}

func (f *fieldSet) object(name string) (*value.Object, bool) {
	v, ok := f.get(name)
	if !ok {
		return nil, false
	}
	o, ok := v.(*value.Object)
	if !ok {
		f.p.d.schema(f.at(name), "The value for the field '%s' must be an OBJECT", name)
		return nil, false
	}
	return o, true
}

func (f *fieldSet) array(name string) ([]any, bool) {
	v, ok := f.get(name)
	if !ok {
		return nil, false
	}
	a, ok := v.([]any)
	if !ok {
		f.p.d.schema(f.at(name), "The value for the field '%s' must be an ARRAY", name)
		return nil, false
	}
	return a, true
}

// path reads a JSONPath field. nullable fields (InputPath, OutputPath,
// ResultPath) report JSON null through isNull.
func (f *fieldSet) path(name string, nullable, reference, vars bool) (p *Path, isNull bool) {
	v, ok := f.get(name)
	if !ok {
		return nil, false
	}
	if v == nil && nullable {
		return nil, true
	}
	s, ok := v.(string)
	if !ok {
		f.p.d.schema(f.at(name), "The value for the field '%s' must be a STRING that contains a JSONPath", name)
		return nil, false
	}
	return f.p.parsePath(s, f.at(name), name, reference, vars), false
}

func (p *parser) parsePath(s, loc, name string, reference, vars bool) *Path {
	path, err := ParsePath(s)
	if err != nil {
		p.d.schema(loc, "The value for the field '%s' must be a valid JSONPath: %v", name, err)
		return nil
	}
	if path.Root == RootVariable && !vars {
		p.d.schema(loc, "The field '%s' cannot reference a variable", name)
		return nil
	}
	if reference && !path.IsReference() {
		p.d.schema(loc, "The value for the field '%s' must be a valid Reference Path", name)
		return nil
	}
	return path
}

// branch parses StartAt and States into b; extra lists the other fields
// the enclosing object may have.
func (p *parser) branch(b *Branch, f *fieldSet, loc, lang string, known ...string) {
	b.QueryLanguage = lang
	f.allow(known...)
	if s, ok := f.string("Comment"); ok {
		b.Comment = s
	}
	start, hasStart := f.requiredString("StartAt")
	states, ok := f.object("States")
	if !ok {
		if !f.has("States") {
			p.d.schema(loc, "The field 'States' is required")
		}
		return
	}
	b.StartAt = start
	b.States = make(map[string]*State, states.Len())
	for _, m := range states.Members() {
		sloc := loc + "/States/" + m.Key
		if m.Key == "" || utf8.RuneCountInString(m.Key) > maxStateNameLen {
			p.d.add(CodeInvalidStateName, sloc, "The state name '%s' must be between 1 and %d characters long", m.Key, maxStateNameLen)
		}
		if first, dup := p.names[m.Key]; dup {
			p.d.add(CodeDuplicateStateName, sloc, "The state name '%s' is already used at %s; state names must be unique within the whole state machine", m.Key, first)
		} else {
			p.names[m.Key] = sloc
		}
		so, isObj := m.Value.(*value.Object)
		if !isObj {
			p.d.schema(sloc, "The state '%s' must be an OBJECT", m.Key)
			continue
		}
		st := p.state(m.Key, so, sloc, lang)
		if st != nil {
			b.States[m.Key] = st
			b.Order = append(b.Order, m.Key)
		}
	}
	if hasStart {
		if _, ok := states.Get(start); !ok {
			p.d.add(CodeMissingTransitionTarget, loc+"/StartAt", "Missing 'StartAt' target: %s", start)
		}
	}
	p.checkGraph(b, states, loc)
}

// checkGraph checks transitions, reachability and that a terminal state
// exists.
func (p *parser) checkGraph(b *Branch, states *value.Object, loc string) {
	exists := func(name string) bool { return states.Has(name) }
	var terminal bool
	for _, name := range b.Order {
		st := b.States[name]
		sloc := loc + "/States/" + name
		if st.IsTerminal() {
			terminal = true
		}
		if st.Next != "" && !exists(st.Next) {
			p.d.add(CodeMissingTransitionTarget, sloc+"/Next", "Missing 'Next' target: %s", st.Next)
		}
		if st.Default != "" && !exists(st.Default) {
			p.d.add(CodeMissingTransitionTarget, sloc+"/Default", "Missing 'Default' target: %s", st.Default)
		}
		for i, r := range st.Choices {
			if r.Next != "" && !exists(r.Next) {
				p.d.add(CodeMissingTransitionTarget, fmt.Sprintf("%s/Choices[%d]/Next", sloc, i), "Missing 'Next' target: %s", r.Next)
			}
		}
		for i, c := range st.Catch {
			if c.Next != "" && !exists(c.Next) {
				p.d.add(CodeMissingTransitionTarget, fmt.Sprintf("%s/Catch[%d]/Next", sloc, i), "Missing 'Next' target: %s", c.Next)
			}
		}
	}
	if len(b.Order) > 0 && !terminal {
		p.d.add(CodeMissingEndState, loc, "Workflow has no terminal state")
	}
	if b.States[b.StartAt] == nil {
		return
	}
	seen := map[string]bool{b.StartAt: true}
	queue := []string{b.StartAt}
	for len(queue) > 0 {
		st := b.States[queue[0]]
		queue = queue[1:]
		if st == nil {
			continue
		}
		for _, next := range st.transitions() {
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	var unreachable []string
	for _, name := range b.Order {
		if !seen[name] {
			unreachable = append(unreachable, name)
		}
	}
	sort.Strings(unreachable)
	for _, name := range unreachable {
		p.d.add(CodeSchemaValidationFailed, loc+"/States/"+name, "State '%s' is not reachable", name)
	}
}

// transitions lists the states s can move to.
func (s *State) transitions() []string {
	var out []string
	if s.Next != "" {
		out = append(out, s.Next)
	}
	if s.Default != "" {
		out = append(out, s.Default)
	}
	for _, r := range s.Choices {
		if r.Next != "" {
			out = append(out, r.Next)
		}
	}
	for _, c := range s.Catch {
		out = append(out, c.Next)
	}
	return out
}

// Fields each state type accepts, by query language.
var stateFields = map[string]map[string][]string{
	JSONPath: {
		TypePass:     {"Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result", "Assign"},
		TypeTask:     {"Next", "End", "Resource", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "Assign"},
		TypeChoice:   {"Choices", "Default", "InputPath", "OutputPath", "Assign"},
		TypeWait:     {"Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Assign"},
		TypeSucceed:  {"InputPath", "OutputPath"},
		TypeFail:     {"Error", "ErrorPath", "Cause", "CausePath"},
		TypeParallel: {"Next", "End", "Branches", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Assign"},
		TypeMap:      {"Next", "End", "ItemProcessor", "Iterator", "ItemsPath", "ItemSelector", "Parameters", "ItemReader", "ItemBatcher", "ResultWriter", "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "Label", "InputPath", "OutputPath", "ResultSelector", "ResultPath", "Retry", "Catch", "Assign"},
	},
	JSONata: {
		TypePass:     {"Next", "End", "Output", "Assign"},
		TypeTask:     {"Next", "End", "Resource", "Arguments", "Output", "Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds", "Credentials", "Assign"},
		TypeChoice:   {"Choices", "Default", "Output", "Assign"},
		TypeWait:     {"Next", "End", "Seconds", "Timestamp", "Output", "Assign"},
		TypeSucceed:  {"Output"},
		TypeFail:     {"Error", "Cause"},
		TypeParallel: {"Next", "End", "Branches", "Arguments", "Output", "Retry", "Catch", "Assign"},
		TypeMap:      {"Next", "End", "ItemProcessor", "Items", "ItemSelector", "ItemReader", "ItemBatcher", "ResultWriter", "MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage", "Label", "Output", "Retry", "Catch", "Assign"},
	},
}

func (p *parser) state(name string, o *value.Object, loc, inherited string) *State {
	f := p.fields(o, loc)
	st := &State{Name: name, QueryLanguage: inherited}
	typ, ok := f.requiredString("Type")
	if !ok {
		f.rejectUnknown("")
		return nil
	}
	st.Type = typ
	if _, known := stateFields[JSONPath][typ]; !known {
		p.d.schema(loc+"/Type", "The value for the field 'Type' must be one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map; got '%s'", typ)
		return nil
	}
	if s, ok := f.string("Comment"); ok {
		st.Comment = s
	}
	if s, ok := f.string("QueryLanguage"); ok {
		switch {
		case s != JSONPath && s != JSONata:
			p.d.schema(loc+"/QueryLanguage", "The value for the field 'QueryLanguage' must be 'JSONPath' or 'JSONata'")
		case s == JSONPath && inherited == JSONata:
			p.d.schema(loc+"/QueryLanguage", "A state cannot use JSONPath when the state machine's QueryLanguage is JSONata")
		default:
			st.QueryLanguage = s
		}
	}
	lang := st.QueryLanguage
	allowed := map[string]bool{"Type": true, "Comment": true, "QueryLanguage": true}
	for _, n := range stateFields[lang][typ] {
		allowed[n] = true
	}
	// Fields of the other language get a message that says so.
	for _, m := range o.Members() {
		if allowed[m.Key] {
			continue
		}
		other := JSONata
		if lang == JSONata {
			other = JSONPath
		}
		for _, n := range stateFields[other][typ] {
			if n == m.Key {
				f.used[m.Key] = true
				p.d.schema(loc+"/"+m.Key, "The field '%s' is not supported for %s states in %s; it is a %s field", m.Key, typ, lang, other)
			}
		}
	}

	p.transition(st, f, typ)
	p.dataFlow(st, f, lang)
	if o.Has("Assign") {
		st.Assign = p.assign(f, lang, loc+"/Assign")
	}
	switch typ {
	case TypePass:
		if v, ok := f.get("Result"); ok {
			st.Result, st.HasResult = v, true
		}
	case TypeTask:
		p.task(st, f, lang)
	case TypeChoice:
		p.choice(st, f, lang)
	case TypeWait:
		p.wait(st, f, lang)
	case TypeFail:
		p.fail(st, f, lang)
	case TypeParallel:
		p.parallel(st, f, lang)
	case TypeMap:
		p.mapState(st, f, lang)
	}
	if typ == TypeTask || typ == TypeParallel || typ == TypeMap {
		st.Retry = p.retriers(f, lang)
		st.Catch = p.catchers(f, lang)
	}
	f.rejectUnknown(fmt.Sprintf(" for %s states", typ))
	return st
}

func (p *parser) transition(st *State, f *fieldSet, typ string) {
	switch typ {
	case TypeChoice, TypeSucceed, TypeFail:
		return // Next and End are not among their fields
	}
	next, hasNext := f.string("Next")
	end, hasEnd := f.boolean("End")
	switch {
	case hasNext && f.has("End"):
		p.d.schema(f.loc, "A state cannot have both 'Next' and 'End'")
	case hasNext:
		st.Next = next
	case hasEnd && end:
		st.End = true
	case f.has("Next") || f.has("End"):
		// Malformed values are already reported.
		if hasEnd && !end {
			p.d.schema(f.at("End"), "The value for the field 'End' must be true; use 'Next' otherwise")
		}
	default:
		p.d.schema(f.loc, "The state must have either 'Next' or 'End': true")
	}
}

// dataFlow reads InputPath, Parameters, ResultSelector, ResultPath,
// OutputPath (JSONPath) or Arguments and Output (JSONata).
func (p *parser) dataFlow(st *State, f *fieldSet, lang string) {
	if lang == JSONata {
		if v, ok := f.get("Arguments"); ok {
			if st.Type == TypeTask {
				if _, isObj := v.(*value.Object); !isObj {
					if s, isStr := v.(string); !isStr || !isJSONataString(s) {
						p.d.schema(f.at("Arguments"), "The value for the field 'Arguments' must be an OBJECT or a JSONata expression")
					}
				}
			}
			st.Arguments = p.jsonataTemplate(v, f.at("Arguments"))
		}
		if v, ok := f.get("Output"); ok {
			st.Output = p.jsonataTemplate(v, f.at("Output"))
			st.HasOutput = true
		}
		return
	}
	st.InputPath, st.DiscardInput = f.path("InputPath", true, false, true)
	st.OutputPath, st.DiscardOutput = f.path("OutputPath", true, false, true)
	st.ResultPath, st.DiscardResult = f.path("ResultPath", true, true, false)
	if v, ok := f.get("Parameters"); ok {
		st.Parameters = p.payloadTemplate(v, f.at("Parameters"), "Parameters")
	}
	if v, ok := f.get("ResultSelector"); ok {
		st.ResultSelector = p.payloadTemplate(v, f.at("ResultSelector"), "ResultSelector")
	}
}

func (p *parser) payloadTemplate(v any, loc, name string) *Template {
	switch v.(type) {
	case *value.Object:
	case []any:
		if name == "ResultSelector" {
			p.d.schema(loc, "The value for the field '%s' must be an OBJECT", name)
			return nil
		}
	default:
		if name == "ResultSelector" || name == "ItemSelector" {
			p.d.schema(loc, "The value for the field '%s' must be an OBJECT", name)
			return nil
		}
	}
	return compileJSONPathTemplate(v, name, loc, p.d)
}

func (p *parser) jsonataTemplate(v any, loc string) *Template {
	p.checkJSONataStrings(v, loc)
	t := compileJSONataTemplate(v, loc, p.d)
	if t.field == "" {
		t.field = loc[strings.LastIndexByte(loc, '/')+1:]
	}
	return t
}

// checkJSONataStrings reports strings that look like a JSONata expression
// but are not delimited as AWS requires.
func (p *parser) checkJSONataStrings(v any, loc string) {
	switch t := v.(type) {
	case string:
		s := strings.TrimSpace(t)
		open, closed := strings.HasPrefix(s, "{%"), strings.HasSuffix(s, "%}")
		if open != closed {
			p.d.schema(loc, "The JSONata expression '%s' must begin with '{%%' and end with '%%}'", t)
		}
	case *value.Object:
		for _, m := range t.Members() {
			p.checkJSONataStrings(m.Value, loc+"/"+m.Key)
		}
	case []any:
		for i, e := range t {
			p.checkJSONataStrings(e, fmt.Sprintf("%s[%d]", loc, i))
		}
	}
}

// assign reads an Assign object: variable names to values (JSONPath: with
// ".$" keys for paths and intrinsics; JSONata: with expressions).
func (p *parser) assign(f *fieldSet, lang, loc string) *Template {
	o, ok := f.object("Assign")
	if !ok {
		return nil
	}
	for _, m := range o.Members() {
		name := strings.TrimSuffix(m.Key, ".$")
		if lang == JSONata {
			name = m.Key
		}
		if !validVariableName(name) {
			p.d.schema(loc+"/"+m.Key, "The variable name '%s' is invalid: it must start with a letter or '_', contain only letters, digits, '_' and '-', and be at most %d characters", name, maxVariableLen)
		}
		if name == "states" {
			p.d.schema(loc+"/"+m.Key, "The variable name 'states' is reserved")
		}
	}
	if lang == JSONata {
		return p.jsonataTemplate(o, loc)
	}
	return compileJSONPathTemplate(o, "Assign", loc, p.d)
}

// validVariableName reports whether s may be assigned. Letters, digits and
// '_' make names that paths can reference ($name); '-' is accepted too, as
// validators of the language accept it, though such a variable can only be
// read through $states or JSONata's $lookup.
func validVariableName(s string) bool {
	if s == "" || len(s) > maxVariableLen || !isVarStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isVarChar(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// numberField reads a literal/Path/JSONata number pair such as
// TimeoutSeconds and TimeoutSecondsPath.
func (p *parser) numberField(f *fieldSet, name, lang string, lo, hi float64, integer bool) *Number {
	pathName := name + "Path"
	hasLit, hasPath := f.has(name), f.has(pathName)
	if hasLit && hasPath {
		p.d.schema(f.loc, "The fields '%s' and '%s' cannot both be set", name, pathName)
	}
	if hasPath && lang == JSONPath {
		path, _ := f.path(pathName, false, true, true)
		if path == nil {
			return nil
		}
		return &Number{Path: path, Field: pathName}
	}
	if !hasLit {
		return nil
	}
	v, _ := f.get(name)
	if s, ok := v.(string); ok && lang == JSONata && isJSONataString(s) {
		j := compileJSONata(s, f.at(name), p.d)
		if j == nil {
			return nil
		}
		return &Number{JSONata: j, Field: name}
	}
	n, ok := v.(float64)
	if !ok || (integer && n != math.Trunc(n)) {
		kind := "a NUMBER"
		if integer {
			kind = "an INTEGER"
		}
		p.d.schema(f.at(name), "The value for the field '%s' must be %s", name, kind)
		return nil
	}
	if n < lo || n > hi {
		p.d.schema(f.at(name), "The value for the field '%s' must be between %v and %v", name, lo, hi)
		return nil
	}
	return &Number{Value: n, Field: name}
}

func (p *parser) task(st *State, f *fieldSet, lang string) {
	if v, ok := f.get("Resource"); ok {
		p.resource(st, v, f.at("Resource"))
	} else {
		p.d.schema(f.loc, "The field 'Resource' is required")
	}
	st.TimeoutSeconds = p.numberField(f, "TimeoutSeconds", lang, 1, maxTimeoutSeconds, true)
	st.HeartbeatSeconds = p.numberField(f, "HeartbeatSeconds", lang, 1, maxTimeoutSeconds, true)
	if st.TimeoutSeconds != nil && st.HeartbeatSeconds != nil &&
		st.TimeoutSeconds.Path == nil && st.HeartbeatSeconds.Path == nil &&
		st.TimeoutSeconds.JSONata == nil && st.HeartbeatSeconds.JSONata == nil &&
		st.HeartbeatSeconds.Value >= st.TimeoutSeconds.Value {
		p.d.schema(f.at("HeartbeatSeconds"), "The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'")
	}
	if v, ok := f.get("Credentials"); ok {
		if _, isObj := v.(*value.Object); !isObj {
			p.d.schema(f.at("Credentials"), "The value for the field 'Credentials' must be an OBJECT")
		} else {
			st.Credentials = compileTemplate(v, lang, f.at("Credentials"), p.d)
		}
	}
}

func (p *parser) wait(st *State, f *fieldSet, lang string) {
	n := 0
	for _, k := range []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"} {
		if f.has(k) {
			n++
		}
	}
	if n != 1 {
		p.d.schema(f.loc, "A Wait state must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'")
	}
	if f.has("Seconds") || f.has("SecondsPath") {
		st.Seconds = p.numberField(f, "Seconds", lang, 0, maxTimeoutSeconds, true)
	}
	switch {
	case f.has("Timestamp"):
		v, _ := f.get("Timestamp")
		s, ok := v.(string)
		switch {
		case !ok:
			p.d.schema(f.at("Timestamp"), "The value for the field 'Timestamp' must be a STRING")
		case lang == JSONata && isJSONataString(s):
			if j := compileJSONata(s, f.at("Timestamp"), p.d); j != nil {
				st.Timestamp = &TimestampField{JSONata: j, Field: "Timestamp"}
			}
		case !isTimestamp(s):
			p.d.schema(f.at("Timestamp"), "The value for the field 'Timestamp' must be a valid ISO-8601 extended offset date-time format string")
		default:
			st.Timestamp = &TimestampField{Literal: s, Field: "Timestamp"}
		}
	case f.has("TimestampPath") && lang == JSONPath:
		if path, _ := f.path("TimestampPath", false, true, true); path != nil {
			st.Timestamp = &TimestampField{Path: path, Field: "TimestampPath"}
		}
	}
}

func (p *parser) fail(st *State, f *fieldSet, lang string) {
	st.Error = p.stringField(f, "Error", lang)
	st.Cause = p.stringField(f, "Cause", lang)
}

// stringField reads Fail's Error/ErrorPath or Cause/CausePath.
func (p *parser) stringField(f *fieldSet, name, lang string) *StringField {
	pathName := name + "Path"
	if f.has(name) && f.has(pathName) {
		p.d.schema(f.loc, "The fields '%s' and '%s' cannot both be set", name, pathName)
		return nil
	}
	if f.has(pathName) && lang == JSONPath {
		v, _ := f.get(pathName)
		s, ok := v.(string)
		if !ok {
			p.d.schema(f.at(pathName), "The value for the field '%s' must be a STRING", pathName)
			return nil
		}
		if strings.HasPrefix(s, "States.") {
			in, err := ParseIntrinsic(s)
			if err != nil {
				p.d.schema(f.at(pathName), "The value for the field '%s' must be a valid intrinsic function call: %v", pathName, err)
				return nil
			}
			return &StringField{Call: in, Field: pathName}
		}
		path := p.parsePath(s, f.at(pathName), pathName, false, true)
		if path == nil {
			return nil
		}
		return &StringField{Path: path, Field: pathName}
	}
	s, ok := f.string(name)
	if !ok {
		return nil
	}
	if lang == JSONata && isJSONataString(s) {
		if j := compileJSONata(s, f.at(name), p.d); j != nil {
			return &StringField{JSONata: j, Field: name}
		}
		return nil
	}
	return &StringField{Literal: s, Field: name}
}

func (p *parser) parallel(st *State, f *fieldSet, lang string) {
	branches, ok := f.array("Branches")
	if !ok {
		if !f.has("Branches") {
			p.d.schema(f.loc, "The field 'Branches' is required")
		}
		return
	}
	if len(branches) == 0 {
		p.d.schema(f.at("Branches"), "The field 'Branches' must contain at least one branch")
	}
	for i, b := range branches {
		bloc := fmt.Sprintf("%s/Branches[%d]", f.loc, i)
		o, ok := b.(*value.Object)
		if !ok {
			p.d.schema(bloc, "A branch must be an OBJECT")
			continue
		}
		br := &Branch{}
		bf := p.fields(o, bloc)
		p.branch(br, bf, bloc, lang, "Comment", "StartAt", "States", "QueryLanguage")
		bf.rejectUnknown(" for branches")
		st.Branches = append(st.Branches, br)
	}
}

func (p *parser) mapState(st *State, f *fieldSet, lang string) {
	procName := "ItemProcessor"
	if f.has("Iterator") {
		if f.has("ItemProcessor") {
			p.d.schema(f.loc, "The fields 'ItemProcessor' and 'Iterator' cannot both be set")
		}
		procName = "Iterator"
		st.LegacyIterator = true
	}
	proc, ok := f.object(procName)
	if !ok {
		if !f.has(procName) {
			p.d.schema(f.loc, "The field 'ItemProcessor' is required")
		}
	} else {
		ploc := f.loc + "/" + procName
		br := &Branch{ProcessorConfig: ProcessorConfig{Mode: ModeInline}}
		pf := p.fields(proc, ploc)
		if cfg, ok := pf.object("ProcessorConfig"); ok {
			cf := p.fields(cfg, ploc+"/ProcessorConfig")
			if m, ok := cf.string("Mode"); ok {
				if m != ModeInline && m != ModeDistributed {
					p.d.schema(cf.at("Mode"), "The value for the field 'Mode' must be INLINE or DISTRIBUTED")
				}
				br.ProcessorConfig.Mode = m
			}
			if et, ok := cf.string("ExecutionType"); ok {
				if et != ExecStandard && et != ExecExpress {
					p.d.schema(cf.at("ExecutionType"), "The value for the field 'ExecutionType' must be STANDARD or EXPRESS")
				}
				br.ProcessorConfig.ExecutionType = et
			}
			if br.ProcessorConfig.Mode == ModeDistributed && br.ProcessorConfig.ExecutionType == "" {
				p.d.schema(cf.loc, "The field 'ExecutionType' is required when 'Mode' is DISTRIBUTED")
			}
			cf.rejectUnknown(" in ProcessorConfig")
		}
		p.branch(br, pf, ploc, lang, "Comment", "StartAt", "States", "ProcessorConfig", "QueryLanguage")
		pf.rejectUnknown(" in " + procName)
		st.ItemProcessor = br
	}
	if lang == JSONPath {
		st.ItemsPath, _ = f.path("ItemsPath", false, true, true)
		if f.has("ItemSelector") && f.has("Parameters") {
			p.d.schema(f.loc, "The fields 'ItemSelector' and 'Parameters' cannot both be set")
		}
		if v, ok := f.get("ItemSelector"); ok {
			st.ItemSelector = p.payloadTemplate(v, f.at("ItemSelector"), "ItemSelector")
		}
		// A Map's Parameters is the legacy name of ItemSelector.
		if st.Parameters != nil {
			st.ItemSelector, st.Parameters = st.Parameters, nil
		}
	} else {
		if v, ok := f.get("Items"); ok {
			if _, isArr := v.([]any); !isArr {
				if s, isStr := v.(string); !isStr || !isJSONataString(s) {
					p.d.schema(f.at("Items"), "The value for the field 'Items' must be an ARRAY or a JSONata expression")
				}
			}
			st.Items = p.jsonataTemplate(v, f.at("Items"))
		}
		if v, ok := f.get("ItemSelector"); ok {
			st.ItemSelector = p.jsonataTemplate(v, f.at("ItemSelector"))
		}
	}
	st.MaxConcurrency = p.numberField(f, "MaxConcurrency", lang, 0, math.MaxInt32, true)
	st.ToleratedFailureCount = p.numberField(f, "ToleratedFailureCount", lang, 0, math.MaxInt32, true)
	st.ToleratedFailurePercentage = p.numberField(f, "ToleratedFailurePercentage", lang, 0, 100, false)

	if o, ok := f.object("ItemReader"); ok {
		st.ItemReader = p.itemReader(o, f.at("ItemReader"), lang)
	}
	if o, ok := f.object("ItemBatcher"); ok {
		st.ItemBatcher = p.itemBatcher(o, f.at("ItemBatcher"), lang)
	}
	if o, ok := f.object("ResultWriter"); ok {
		st.ResultWriter = p.resultWriter(o, f.at("ResultWriter"), lang)
	}
	if label, ok := f.string("Label"); ok {
		if msg := checkLabel(label); msg != "" {
			p.d.schema(f.at("Label"), "%s", msg)
		}
		st.Label = label
	}
}

// checkLabel applies AWS's rules for a distributed Map's Label and returns
// a message for a bad one.
func checkLabel(label string) string {
	if label == "" {
		return "The value for the field 'Label' must not be empty"
	}
	if utf8.RuneCountInString(label) > maxLabelLen {
		return fmt.Sprintf("The value for the field 'Label' must be at most %d characters", maxLabelLen)
	}
	for _, r := range label {
		switch {
		case r <= 0x20, r >= 0x7F && r <= 0x9F:
			return "The value for the field 'Label' must not contain whitespace or control characters"
		case strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r):
			return fmt.Sprintf("The value for the field 'Label' must not contain the character %q", r)
		case r == 0xA0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000 || r == 0xFEFF:
			return "The value for the field 'Label' must not contain whitespace"
		}
	}
	return ""
}

func (p *parser) itemReader(o *value.Object, loc, lang string) *ItemReader {
	f := p.fields(o, loc)
	r := &ItemReader{}
	r.Resource, _ = f.requiredString("Resource")
	if v, ok := f.get("ReaderConfig"); ok {
		r.ReaderConfig = v
		if o, isObj := v.(*value.Object); isObj {
			if o.Has("MaxItems") && o.Has("MaxItemsPath") {
				p.d.schema(f.at("ReaderConfig"), "The fields 'MaxItems' and 'MaxItemsPath' cannot both be set")
			}
		} else {
			p.d.schema(f.at("ReaderConfig"), "The value for the field 'ReaderConfig' must be an OBJECT")
		}
	}
	for _, k := range []string{"Parameters", "Arguments"} {
		if v, ok := f.get(k); ok {
			r.Parameters = compileTemplate(v, lang, f.at(k), p.d)
		}
	}
	f.rejectUnknown(" in ItemReader")
	return r
}

func (p *parser) itemBatcher(o *value.Object, loc, lang string) *ItemBatcher {
	f := p.fields(o, loc)
	b := &ItemBatcher{}
	b.MaxItemsPerBatch = p.numberField(f, "MaxItemsPerBatch", lang, 1, math.MaxInt32, true)
	b.MaxInputBytesPerBatch = p.numberField(f, "MaxInputBytesPerBatch", lang, 1, 256*1024, true)
	if v, ok := f.get("BatchInput"); ok {
		b.BatchInput = compileTemplate(v, lang, f.at("BatchInput"), p.d)
	}
	f.rejectUnknown(" in ItemBatcher")
	return b
}

func (p *parser) resultWriter(o *value.Object, loc, lang string) *ResultWriter {
	f := p.fields(o, loc)
	w := &ResultWriter{}
	w.Resource, _ = f.string("Resource")
	for _, k := range []string{"Parameters", "Arguments"} {
		if v, ok := f.get(k); ok {
			w.Parameters = compileTemplate(v, lang, f.at(k), p.d)
		}
	}
	if v, ok := f.get("WriterConfig"); ok {
		w.WriterConfig = v
	}
	f.rejectUnknown(" in ResultWriter")
	return w
}

func (p *parser) errorEquals(f *fieldSet) []string {
	arr, ok := f.array("ErrorEquals")
	if !ok {
		if !f.has("ErrorEquals") {
			p.d.schema(f.loc, "The field 'ErrorEquals' is required")
		}
		return nil
	}
	if len(arr) == 0 {
		p.d.schema(f.at("ErrorEquals"), "The field 'ErrorEquals' must contain at least one error name")
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			p.d.schema(fmt.Sprintf("%s[%d]", f.at("ErrorEquals"), i), "An error name must be a STRING")
			continue
		}
		out = append(out, s)
	}
	for _, s := range out {
		if s == ErrALL && len(out) > 1 {
			p.d.schema(f.at("ErrorEquals"), "'States.ALL' must appear alone in 'ErrorEquals'")
		}
	}
	return out
}

func (p *parser) retriers(f *fieldSet, lang string) []*Retrier {
	arr, ok := f.array("Retry")
	if !ok {
		return nil
	}
	var out []*Retrier
	for i, e := range arr {
		loc := fmt.Sprintf("%s/Retry[%d]", f.loc, i)
		o, ok := e.(*value.Object)
		if !ok {
			p.d.schema(loc, "A retrier must be an OBJECT")
			continue
		}
		rf := p.fields(o, loc)
		r := &Retrier{IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2.0, JitterStrategy: "NONE"}
		r.ErrorEquals = p.errorEquals(rf)
		if n, ok := rf.integer("IntervalSeconds", 1, maxRetryValue); ok {
			r.IntervalSeconds = n
		}
		if n, ok := rf.integer("MaxAttempts", 0, maxRetryValue); ok {
			r.MaxAttempts = n
		}
		if n, ok := rf.number("BackoffRate"); ok {
			if n < 1 {
				p.d.schema(rf.at("BackoffRate"), "The value for the field 'BackoffRate' must be at least 1.0")
			}
			r.BackoffRate = n
		}
		if n, ok := rf.integer("MaxDelaySeconds", 1, maxDelaySeconds); ok {
			r.MaxDelaySeconds = n
		}
		if s, ok := rf.string("JitterStrategy"); ok {
			if s != "FULL" && s != "NONE" {
				p.d.schema(rf.at("JitterStrategy"), "The value for the field 'JitterStrategy' must be FULL or NONE")
			}
			r.JitterStrategy = s
		}
		rf.allow("Comment")
		rf.rejectUnknown(" in a retrier")
		if i < len(arr)-1 {
			for _, n := range r.ErrorEquals {
				if n == ErrALL {
					p.d.schema(loc, "A retrier with 'States.ALL' must be the last retrier")
				}
			}
		}
		out = append(out, r)
	}
	return out
}

func (p *parser) catchers(f *fieldSet, lang string) []*Catcher {
	arr, ok := f.array("Catch")
	if !ok {
		return nil
	}
	var out []*Catcher
	for i, e := range arr {
		loc := fmt.Sprintf("%s/Catch[%d]", f.loc, i)
		o, ok := e.(*value.Object)
		if !ok {
			p.d.schema(loc, "A catcher must be an OBJECT")
			continue
		}
		cf := p.fields(o, loc)
		c := &Catcher{}
		c.ErrorEquals = p.errorEquals(cf)
		c.Next, _ = cf.requiredString("Next")
		if lang == JSONPath {
			c.ResultPath, c.DiscardResult = cf.path("ResultPath", true, true, false)
		} else if v, ok := cf.get("Output"); ok {
			c.Output = p.jsonataTemplate(v, cf.at("Output"))
		}
		if o.Has("Assign") {
			c.Assign = p.assign(cf, lang, loc+"/Assign")
		}
		cf.allow("Comment")
		cf.rejectUnknown(" in a catcher")
		if i < len(arr)-1 {
			for _, n := range c.ErrorEquals {
				if n == ErrALL {
					p.d.schema(loc, "A catcher with 'States.ALL' must be the last catcher")
				}
			}
		}
		out = append(out, c)
	}
	return out
}
