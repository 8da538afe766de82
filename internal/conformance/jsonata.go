package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/jsonata"
	"github.com/batonrun/baton/internal/value"
)

// defaultCaseTimeout bounds a JSONata case that sets no timelimit.
const defaultCaseTimeout = 5 * time.Second

// jsonataCase is one case of the JSONata suite (see its TESTSUITE.md).
type jsonataCase struct {
	name            string
	group           string
	expr            string
	data            any
	inputUndefined  bool
	bindings        map[string]any
	timeLimit       time.Duration
	depth           int
	result          any
	hasResult       bool
	undefinedResult bool
	code            string
	unordered       bool
}

// RunJSONata runs every case under dir (the suite's root: dir/groups,
// dir/datasets) and returns a report with Suite "jsonata", ByFeature keyed
// by group name.
func RunJSONata(dir string) (*Report, error) {
	datasets := map[string]any{}
	files, err := filepath.Glob(filepath.Join(dir, "datasets", "*.json"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		v, err := readJSONataFile(f)
		if err != nil {
			return nil, fmt.Errorf("read dataset %s: %w", f, err)
		}
		datasets[strings.TrimSuffix(filepath.Base(f), ".json")] = v
	}
	cases, err := loadJSONataCases(dir, datasets)
	if err != nil {
		return nil, err
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("no JSONata cases under %s", dir)
	}
	rep := &Report{Suite: "jsonata", ByFeature: map[string]Tally{}, JSONata: &Tally{}}
	for _, c := range cases {
		passed, reason := runJSONataCase(c)
		rep.Record(c.name, []string{c.group}, passed, reason)
		rep.JSONata.Add(passed)
	}
	return rep, nil
}

func readJSONataFile(path string) (any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return value.Decode(b)
}

func loadJSONataCases(dir string, datasets map[string]any) ([]*jsonataCase, error) {
	groups, err := os.ReadDir(filepath.Join(dir, "groups"))
	if err != nil {
		return nil, err
	}
	var cases []*jsonataCase
	for _, g := range groups {
		if !g.IsDir() {
			continue
		}
		gdir := filepath.Join(dir, "groups", g.Name())
		files, err := filepath.Glob(filepath.Join(gdir, "*.json"))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			v, err := readJSONataFile(f)
			if err != nil {
				return nil, fmt.Errorf("read case %s: %w", f, err)
			}
			base := strings.TrimSuffix(filepath.Base(f), ".json")
			list, isList := v.([]any)
			if !isList {
				list = []any{v}
			}
			for i, item := range list {
				obj, ok := item.(*value.Object)
				if !ok {
					return nil, fmt.Errorf("case %s: not an object", f)
				}
				name := g.Name() + "/" + base
				if isList {
					name = fmt.Sprintf("%s[%d]", name, i)
				}
				c, err := parseJSONataCase(obj, name, g.Name(), gdir, datasets)
				if err != nil {
					return nil, fmt.Errorf("case %s: %w", name, err)
				}
				cases = append(cases, c)
			}
		}
	}
	return cases, nil
}

func parseJSONataCase(obj *value.Object, name, group, gdir string, datasets map[string]any) (*jsonataCase, error) {
	c := &jsonataCase{name: name, group: group, timeLimit: defaultCaseTimeout}
	if e, ok := obj.Get("expr"); ok {
		c.expr, _ = e.(string)
	} else if f, ok := obj.Get("expr-file"); ok {
		fn, _ := f.(string)
		b, err := os.ReadFile(filepath.Join(gdir, fn))
		if err != nil {
			return nil, err
		}
		c.expr = string(b)
	}
	if d, ok := obj.Get("data"); ok {
		c.data = d
	} else if ds, ok := obj.Get("dataset"); ok {
		if name, ok := ds.(string); ok {
			d, ok := datasets[name]
			if !ok {
				return nil, fmt.Errorf("unknown dataset %q", name)
			}
			c.data = d
		} else {
			c.inputUndefined = true
		}
	} else {
		c.inputUndefined = true
	}
	if b, ok := obj.Get("bindings"); ok {
		if bo, ok := b.(*value.Object); ok {
			c.bindings = map[string]any{}
			for _, m := range bo.Members() {
				c.bindings[m.Key] = m.Value
			}
		}
	}
	if t, ok := obj.Get("timelimit"); ok {
		if ms, ok := t.(float64); ok && ms > 0 {
			c.timeLimit = time.Duration(ms) * time.Millisecond
		}
	}
	if d, ok := obj.Get("depth"); ok {
		if n, ok := d.(float64); ok {
			c.depth = int(n)
		}
	}
	if r, ok := obj.Get("result"); ok {
		c.result, c.hasResult = r, true
	}
	if u, ok := obj.Get("undefinedResult"); ok {
		c.undefinedResult, _ = u.(bool)
	}
	if code, ok := obj.Get("code"); ok {
		c.code, _ = code.(string)
	}
	if e, ok := obj.Get("error"); ok {
		if eo, ok := e.(*value.Object); ok {
			if code, ok := eo.Get("code"); ok {
				c.code, _ = code.(string)
			}
		}
	}
	if u, ok := obj.Get("unordered"); ok {
		c.unordered, _ = u.(bool)
	}
	return c, nil
}

type jsonataOutcome struct {
	result  any
	defined bool
	err     error
}

// runJSONataCase runs one case, bounded by its time limit even if the
// engine fails to stop by itself.
func runJSONataCase(c *jsonataCase) (bool, string) {
	done := make(chan jsonataOutcome, 1)
	go func() {
		expr, err := jsonata.Compile(c.expr)
		if err != nil {
			done <- jsonataOutcome{err: err}
			return
		}
		r, defined, err := expr.Evaluate(c.data, &jsonata.Options{
			Bindings:       c.bindings,
			InputUndefined: c.inputUndefined,
			MaxDepth:       c.depth,
			Timeout:        c.timeLimit,
		})
		done <- jsonataOutcome{result: r, defined: defined, err: err}
	}()
	var out jsonataOutcome
	select {
	case out = <-done:
	case <-time.After(c.timeLimit + 2*time.Second):
		return false, fmt.Sprintf("did not finish within %s", c.timeLimit)
	}
	switch {
	case c.code != "":
		if out.err == nil {
			return false, fmt.Sprintf("expected error %s, got %s", c.code, describeJSONataOutcome(out))
		}
		code := ""
		if e, ok := out.err.(*jsonata.Error); ok {
			code = e.Code
		}
		if code != c.code {
			return false, fmt.Sprintf("expected error %s, got %s: %v", c.code, code, out.err)
		}
		return true, ""
	case out.err != nil:
		return false, fmt.Sprintf("unexpected error: %v", out.err)
	case c.undefinedResult:
		if out.defined {
			return false, "expected undefined, got " + describeJSONataOutcome(out)
		}
		return true, ""
	case c.hasResult:
		if !out.defined {
			return false, "expected " + value.EncodeString(c.result) + ", got undefined"
		}
		if !jsonataResultEqual(c.result, out.result, c.unordered) {
			return false, "expected " + value.EncodeString(c.result) + ", got " + describeJSONataOutcome(out)
		}
		return true, ""
	}
	return false, "case has no expectation"
}

func describeJSONataOutcome(o jsonataOutcome) string {
	if o.err != nil {
		return "error " + o.err.Error()
	}
	if !o.defined {
		return "undefined"
	}
	if jsonata.IsFunction(o.result) {
		return "a function"
	}
	s := value.EncodeString(o.result)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// jsonataResultEqual compares as jsonata-js's runner does (deep equality); a
// function in the result stands for the JSON value "" it stringifies to.
func jsonataResultEqual(want, got any, unordered bool) bool {
	got = jsonataFunctionsAsEmpty(got)
	if !unordered {
		return value.Equal(want, got)
	}
	wa, ok1 := want.([]any)
	ga, ok2 := got.([]any)
	if !ok1 || !ok2 || len(wa) != len(ga) {
		return value.Equal(want, got)
	}
	used := make([]bool, len(ga))
	for _, w := range wa {
		found := false
		for i, g := range ga {
			if !used[i] && value.Equal(w, g) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func jsonataFunctionsAsEmpty(v any) any {
	switch t := v.(type) {
	case *jsonata.Function:
		return ""
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = jsonataFunctionsAsEmpty(e)
		}
		return out
	case *value.Object:
		o := value.NewObject(t.Len())
		for _, m := range t.Members() {
			o.Set(m.Key, jsonataFunctionsAsEmpty(m.Value))
		}
		return o
	}
	return v
}
