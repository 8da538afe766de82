package jsonpath

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/batonrun/baton/internal/value"
)

// casesDir holds executions recorded against AWS (see its README).
const casesDir = "../../../shared/conformance/asl/cases"

type recordedCase struct {
	name       string
	definition *value.Object
	input      any
	expected   *value.Object
}

var (
	casesOnce sync.Once
	cases     []recordedCase
	casesErr  error
)

// loadCases reads the recorded cases once for all tests; it skips the test
// when the shared folder is absent.
func loadCases(t *testing.T) []recordedCase {
	t.Helper()
	casesOnce.Do(func() { cases, casesErr = readCases() })
	if casesErr != nil {
		t.Fatal(casesErr)
	}
	if len(cases) == 0 {
		t.Skipf("no recorded cases in %s (the shared conformance folder is not checked out beside the project)", casesDir)
	}
	return cases
}

func readCases() ([]recordedCase, error) {
	files, err := filepath.Glob(filepath.Join(casesDir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []recordedCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		v, err := value.Decode(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		o := v.(*value.Object)
		def, _ := o.Get("definition")
		in, _ := o.Get("input")
		exp, _ := o.Get("expected")
		out = append(out, recordedCase{
			name:       strings.TrimSuffix(filepath.Base(f), ".json"),
			definition: def.(*value.Object),
			input:      in,
			expected:   exp.(*value.Object),
		})
	}
	return out, nil
}

// pathFields are the ASL fields whose value is a path.
var pathFields = map[string]bool{
	"InputPath": true, "OutputPath": true, "ResultPath": true, "ItemsPath": true, "Variable": true,
	"ErrorPath": true, "CausePath": true, "SecondsPath": true, "TimestampPath": true,
	"MaxConcurrencyPath": true, "ToleratedFailureCountPath": true, "ToleratedFailurePercentagePath": true,
}

// collectPaths returns every JSONPath a JSONPath-language definition uses,
// with "$$" (context) paths turned into "$" paths and variable paths left
// out.
func collectPaths(v any, jsonata bool, out *[]string) {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			collectPaths(e, jsonata, out)
		}
	case *value.Object:
		if ql, ok := t.Get("QueryLanguage"); ok {
			jsonata = ql == "JSONata"
		}
		for _, m := range t.Members() {
			s, isString := m.Value.(string)
			isPath := isString && !jsonata && (pathFields[m.Key] || strings.HasSuffix(m.Key, "Path") || strings.HasSuffix(m.Key, ".$"))
			if isPath && strings.HasPrefix(s, "$") {
				switch {
				case strings.HasPrefix(s, "$$"):
					*out = append(*out, s[1:])
				case len(s) == 1 || s[1] == '.' || s[1] == '[':
					*out = append(*out, s)
				}
			}
			if m.Key == "Result" || m.Key == "Arguments" || m.Key == "Output" {
				continue // constants, or JSONata
			}
			collectPaths(m.Value, jsonata, out)
		}
	}
}

func TestRecordedPathsParse(t *testing.T) {
	t.Parallel()
	n := 0
	for _, c := range loadCases(t) {
		var paths []string
		ql, _ := c.definition.Get("QueryLanguage")
		collectPaths(c.definition, ql == "JSONata", &paths)
		for _, p := range paths {
			n++
			if _, err := Parse(p); err != nil {
				t.Errorf("%s: Parse(%q): %v", c.name, p, err)
			}
		}
	}
	if n < 500 {
		t.Errorf("found only %d paths in the recorded cases", n)
	}
}

// TestRecordedPassStates replays the recorded executions made of one Pass
// state that reads its input through InputPath, Parameters or OutputPath,
// and compares with what AWS returned.
func TestRecordedPassStates(t *testing.T) {
	t.Parallel()
	ran := 0
	for _, c := range loadCases(t) {
		states, _ := c.definition.Get("States")
		so, _ := states.(*value.Object)
		if so.Len() != 1 {
			continue
		}
		state := so.Members()[0].Value.(*value.Object)
		if typ, _ := state.Get("Type"); typ != "Pass" || strings.Contains(value.EncodeString(state), "$$") ||
			strings.Contains(value.EncodeString(state), "States.") {
			continue
		}
		ok := true
		for _, m := range state.Members() {
			switch m.Key {
			case "Type", "End", "Comment", "InputPath", "Parameters", "OutputPath":
			default:
				ok = false
			}
		}
		if !ok {
			continue
		}
		ran++
		status, _ := c.expected.Get("status")
		out, cause := runPass(t, state, c.input)
		switch status {
		case "SUCCEEDED":
			want, _ := c.expected.Get("output")
			if cause != "" {
				t.Errorf("%s: failed with %q, AWS returned %s", c.name, cause, value.Encode(want))
			} else if !value.Equal(out, want) {
				t.Errorf("%s: output %s, AWS returned %s", c.name, value.Encode(out), value.Encode(want))
			}
		case "FAILED":
			want, _ := c.expected.Get("cause")
			if ws, _ := want.(string); cause == "" || !strings.HasSuffix(ws, cause) {
				t.Errorf("%s: cause %q, AWS gave %q", c.name, cause, want)
			}
		}
	}
	if ran < 7 {
		t.Errorf("replayed only %d recorded Pass states", ran)
	}
}

// runPass applies InputPath, Parameters and OutputPath as a Pass state does;
// a failure is returned as the end of the cause AWS reports.
func runPass(t *testing.T, state *value.Object, input any) (any, string) {
	t.Helper()
	cur := input
	if ip, ok := state.Get("InputPath"); ok {
		v, err := MustParse(ip.(string)).Get(cur)
		if err != nil {
			return nil, "Invalid path '" + ip.(string) + "' : " + err.Error()
		}
		cur = v
	}
	if params, ok := state.Get("Parameters"); ok {
		v, cause := template(params, cur)
		if cause != "" {
			return nil, cause
		}
		cur = v
	}
	if op, ok := state.Get("OutputPath"); ok {
		v, err := MustParse(op.(string)).Get(cur)
		if err != nil {
			return nil, "Invalid path '" + op.(string) + "' : " + err.Error()
		}
		cur = v
	}
	return cur, ""
}

func template(v, input any) (any, string) {
	switch t := v.(type) {
	case *value.Object:
		out := value.NewObject(t.Len())
		for _, m := range t.Members() {
			if key, ok := strings.CutSuffix(m.Key, ".$"); ok {
				p := m.Value.(string)
				got, err := MustParse(p).Get(input)
				if err != nil {
					// The start of the cause names the input, which the
					// recorded case replaces with a placeholder.
					return nil, "The JSONPath '" + p + "' specified for the field '" + m.Key + "' could not be found in the input '<json-input:1>'"
				}
				out.Set(key, got)
				continue
			}
			c, cause := template(m.Value, input)
			if cause != "" {
				return nil, cause
			}
			out.Set(m.Key, c)
		}
		return out, ""
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			c, cause := template(e, input)
			if cause != "" {
				return nil, cause
			}
			out[i] = c
		}
		return out, ""
	default:
		return v, ""
	}
}
