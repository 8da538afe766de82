package conformance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/engine"
	"github.com/batonrun/baton/internal/value"
)

// Account, region and names the runner gives executions; the recorded
// cases show AWS's as placeholders.
const (
	caseAccount = "111111111111"
	caseRegion  = "us-east-1"
	caseRole    = "arn:aws:iam::111111111111:role/baton-conformance"
)

// aslCase is one recorded execution.
type aslCase struct {
	Name       string
	Definition any
	Input      any
	Expected   *value.Object
	History    []string
	Features   []string
	Notes      []string
	Placehold  []string
	// Type is STANDARD or EXPRESS; HistoryEvents the recorded events.
	Type          string
	HistoryEvents []*value.Object
}

func loadASLCase(path string) (*aslCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := value.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, fmt.Errorf("%s: not an object", path)
	}
	c := &aslCase{}
	c.Name, _ = getString(o, "name")
	if c.Name == "" {
		c.Name = strings.TrimSuffix(filepath.Base(path), ".json")
	}
	c.Definition, _ = o.Get("definition")
	c.Input, _ = o.Get("input")
	if e, ok := o.Get("expected"); ok {
		c.Expected, _ = e.(*value.Object)
	}
	c.History = getStrings(o, "history")
	c.Features = getStrings(o, "features")
	c.Notes = getStrings(o, "notes")
	c.Placehold = getStrings(o, "placeholders")
	c.Type, _ = getString(o, "state_machine_type")
	if evs, ok := o.Get("history_events"); ok {
		arr, _ := evs.([]any)
		for _, e := range arr {
			if eo, ok := e.(*value.Object); ok {
				c.HistoryEvents = append(c.HistoryEvents, eo)
			}
		}
	}
	return c, nil
}

func getString(o *value.Object, k string) (string, bool) {
	v, ok := o.Get(k)
	s, isStr := v.(string)
	return s, ok && isStr
}

func getStrings(o *value.Object, k string) []string {
	v, _ := o.Get(k)
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// usesJSONata reports whether a case exercises JSONata (reported apart).
func (c *aslCase) usesJSONata() bool {
	for _, f := range c.Features {
		if f == "jsonata" {
			return true
		}
	}
	return strings.Contains(value.EncodeString(c.Definition), `"JSONata"`)
}

// RunASL runs every case in dir/cases (recorded executions) and, when
// present, dir/invalid (definitions that must be rejected), in memory.
func RunASL(dir string) (*Report, error) {
	r := &Report{Suite: "asl", JSONPath: &Tally{}, JSONata: &Tally{}, History: &HistoryTally{}, ByFeature: map[string]Tally{}}
	files, err := filepath.Glob(filepath.Join(dir, "cases", "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no cases under %s", filepath.Join(dir, "cases"))
	}
	sort.Strings(files)
	for _, f := range files {
		c, err := loadASLCase(f)
		if err != nil {
			return nil, err
		}
		passed, histOK, hasHist, reason := runASLCase(c)
		if c.usesJSONata() {
			r.JSONata.Add(passed)
		} else {
			r.JSONPath.Add(passed)
		}
		if hasHist {
			r.History.Total++
			if histOK {
				r.History.Matched++
			} else if passed {
				r.Details = append(r.Details, Failure{Name: c.Name, Reason: "history: " + reason})
			}
		}
		r.Record(c.Name, c.Features, passed, reason)
	}
	invalid, _ := filepath.Glob(filepath.Join(dir, "invalid", "*.json"))
	sort.Strings(invalid)
	for _, f := range invalid {
		name, passed, reason, err := runInvalidCase(f)
		if err != nil {
			return nil, err
		}
		r.Record(name, []string{"invalid_definition"}, passed, reason)
	}
	return r, nil
}

func runInvalidCase(path string) (name string, passed bool, reason string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", false, "", err
	}
	v, err := value.Decode(data)
	if err != nil {
		return "", false, "", fmt.Errorf("%s: %w", path, err)
	}
	o := v.(*value.Object)
	name, _ = getString(o, "name")
	def, _ := o.Get("definition")
	want, _ := getString(o, "expected_error_code")
	_, perr := asl.Parse(value.Encode(def))
	var inv *asl.InvalidDefinitionError
	switch {
	case perr == nil:
		return name, false, "accepted; want " + want, nil
	case errors.As(perr, &inv) && want == "InvalidDefinition":
		return name, true, "", nil
	default:
		return name, false, fmt.Sprintf("rejected with %v; want %s", perr, want), nil
	}
}

// runASLCase runs one recorded execution and compares status, output or
// error and cause, and the history's event types.
func runASLCase(c *aslCase) (passed, histOK, hasHist bool, reason string) {
	def, err := asl.Parse(value.Encode(c.Definition))
	if err != nil {
		return false, false, c.History != nil, fmt.Sprintf("definition rejected: %v", err)
	}
	sm := "ConformanceMachine"
	exec := "conformance-execution"
	info := engine.Info{
		ExecutionARN:     fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", caseRegion, caseAccount, sm, exec),
		Name:             exec,
		StateMachineARN:  fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", caseRegion, caseAccount, sm),
		StateMachineName: sm,
		RoleARN:          caseRole,
		StartTime:        time.Now().UTC(),
	}
	input := c.Input
	if input == nil {
		input = value.NewObject(0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := engine.Run(ctx, def, input, engine.RunOptions{Info: info})
	if err != nil {
		return false, false, c.History != nil, fmt.Sprintf("run: %v", err)
	}
	passed, reason = compareOutcome(c, res)
	if len(c.History) > 0 {
		hasHist = true
		histOK = compareHistory(c, res.Events)
		if !histOK && passed {
			reason = "event types differ: got " + strings.Join(eventTypes(res.Events), ",")
		}
	}
	return passed, histOK, hasHist, reason
}

func eventTypes(evs []engine.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

func compareHistory(c *aslCase, evs []engine.Event) bool {
	got := eventTypes(evs)
	want := c.History
	if len(got) != len(want) {
		return false
	}
	sorted := false
	for _, n := range c.Notes {
		if strings.Contains(n, "re-sorted") {
			sorted = true
		}
	}
	if sorted {
		g := append([]string(nil), got...)
		w := append([]string(nil), want...)
		sort.Strings(g)
		sort.Strings(w)
		got, want = g, w
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func compareOutcome(c *aslCase, res *engine.Result) (bool, string) {
	e := c.Expected
	status, _ := getString(e, "status")
	if res.Status != status {
		return false, fmt.Sprintf("status %s (error %q, cause %q); want %s", res.Status, res.Error, res.Cause, status)
	}
	m := newMatcher(c.Placehold)
	if status == engine.StatusSucceeded {
		want, _ := e.Get("output")
		if !m.equal(want, res.Output) {
			return false, fmt.Sprintf("output %s; want %s", value.EncodeString(res.Output), value.EncodeString(want))
		}
		return true, ""
	}
	wantErr, hasErr := e.Get("error")
	wantCause, hasCause := e.Get("cause")
	if hasErr && !m.equal(wantErr, nilIfEmpty(res.Error)) {
		return false, fmt.Sprintf("error %q; want %v", res.Error, wantErr)
	}
	if hasCause && !m.equal(wantCause, nilIfEmpty(res.Cause)) {
		return false, fmt.Sprintf("cause %q; want %v", res.Cause, wantCause)
	}
	return true, ""
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// matcher compares an expected value with placeholders to an actual one.
type matcher struct {
	wild map[string]bool // whole-string wildcards
}

var placeholderToken = regexp.MustCompile(`<[A-Za-z][A-Za-z0-9_:\-]*>`)

func newMatcher(placeholders []string) *matcher {
	// The recorder writes these for generated values without always listing
	// them among the case's placeholders.
	m := &matcher{wild: map[string]bool{"date": true, "timestamp": true, "snf_role_arn": true, "map_run_arn": true}}
	for _, p := range placeholders {
		m.wild[p] = true
	}
	return m
}

func (m *matcher) equal(want, got any) bool {
	switch w := want.(type) {
	case string:
		g, ok := got.(string)
		if m.wild[w] {
			return true // a generated value, whatever its type
		}
		if !ok {
			return false
		}
		return m.stringsMatch(w, g)
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !m.equal(w[i], g[i]) {
				return false
			}
		}
		return true
	case *value.Object:
		g, ok := got.(*value.Object)
		if !ok || g.Len() != w.Len() {
			return false
		}
		for _, mem := range w.Members() {
			gv, ok := g.Get(mem.Key)
			if !ok || !m.equal(mem.Value, gv) {
				return false
			}
		}
		return true
	default:
		return value.Equal(want, got)
	}
}

// stringsMatch compares strings where <placeholder> tokens, the account id
// and whole-string wildcards stand for generated text.
func (m *matcher) stringsMatch(want, got string) bool {
	if want == got {
		return true
	}
	if !placeholderToken.MatchString(want) && !strings.Contains(want, caseAccount) {
		// An escaped JSON text may hold placeholders too.
		return false
	}
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range placeholderToken.FindAllStringIndex(want, -1) {
		b.WriteString(regexp.QuoteMeta(want[last:loc[0]]))
		b.WriteString(`(?s:.*?)`)
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(want[last:]))
	b.WriteString("$")
	re, err := regexp.Compile(strings.ReplaceAll(b.String(), caseAccount, `[0-9]{12}`))
	if err != nil {
		return false
	}
	return re.MatchString(got)
}

// loadCases reads every recorded execution in dir/cases.
func loadCases(dir string) ([]*aslCase, error) {
	files, err := filepath.Glob(filepath.Join(dir, "cases", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	out := make([]*aslCase, 0, len(files))
	for _, f := range files {
		c, err := loadASLCase(f)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
