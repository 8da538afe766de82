package intrinsic

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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

// TestRecordedCallsParse parses every intrinsic call in the recorded
// definitions, wherever it appears.
func TestRecordedCallsParse(t *testing.T) {
	t.Parallel()
	n := 0
	for _, c := range loadCases(t) {
		var walk func(any, bool)
		walk = func(v any, evaluated bool) {
			switch x := v.(type) {
			case []any:
				for _, e := range x {
					walk(e, evaluated)
				}
			case *value.Object:
				for _, m := range x.Members() {
					// Result holds constants: a call there is only text.
					walk(m.Value, evaluated && m.Key != "Result")
					if s, ok := m.Value.(string); ok && evaluated && strings.HasSuffix(m.Key, ".$") && IsCall(s) {
						n++
						if _, err := Parse(s); err != nil {
							t.Errorf("%s: %v", c.name, err)
						}
					}
				}
			}
		}
		walk(c.definition, true)
	}
	if n < 80 {
		t.Errorf("found only %d intrinsic calls in the recorded cases", n)
	}
}

// errUnresolved marks a path the replay cannot resolve (the context object
// beyond the input, variables); fields that need one are not compared.
var errUnresolved = errors.New("unresolved")

// resolveInInput resolves "$..." and "$$.Execution.Input..." against the
// execution input, for paths made of names and indexes.
func resolveInInput(input any) Resolver {
	return func(p string) (any, error) {
		rest, ok := strings.CutPrefix(p, "$$.Execution.Input")
		if !ok {
			if strings.HasPrefix(p, "$$") || len(p) > 1 && p[1] != '.' && p[1] != '[' {
				return nil, errUnresolved
			}
			rest = p[1:]
		}
		cur := input
		for rest != "" {
			var name string
			switch {
			case rest[0] == '.':
				rest = rest[1:]
				end := strings.IndexAny(rest, ".[")
				if end < 0 {
					end = len(rest)
				}
				name, rest = rest[:end], rest[end:]
			case rest[0] == '[':
				end := strings.IndexByte(rest, ']')
				i, err := strconv.Atoi(rest[1:end])
				arr, ok := cur.([]any)
				if err != nil || !ok || i >= len(arr) {
					return nil, errUnresolved
				}
				cur, rest = arr[i], rest[end+1:]
				continue
			default:
				return nil, errUnresolved
			}
			obj, ok := cur.(*value.Object)
			if !ok {
				return nil, errUnresolved
			}
			if cur, ok = obj.Get(name); !ok {
				return nil, errUnresolved
			}
		}
		return cur, nil
	}
}

// TestRecordedCalls replays the recorded Pass states whose Parameters call
// intrinsic functions on the input, and compares each result with what AWS
// returned in the same place.
func TestRecordedCalls(t *testing.T) {
	t.Parallel()
	compared := 0
	for _, c := range loadCases(t) {
		states, _ := c.definition.Get("States")
		for _, m := range states.(*value.Object).Members() {
			state := m.Value.(*value.Object)
			params, ok := state.Get("Parameters")
			if typ, _ := state.Get("Type"); !ok || typ != "Pass" || states.(*value.Object).Len() != 1 {
				continue
			}
			if _, ok := state.Get("ResultPath"); ok {
				continue
			}
			if _, ok := state.Get("OutputPath"); ok {
				continue
			}
			want, _ := c.expected.Get("output")
			compared += compareTemplate(t, c.name, params, want, resolveInInput(c.input))
		}
	}
	if compared < 60 {
		t.Errorf("compared only %d intrinsic results with the recordings", compared)
	}
	t.Logf("compared %d intrinsic results with the recordings", compared)
}

// compareTemplate evaluates the intrinsic fields of a payload template and
// compares them with the recorded output; it returns how many it compared.
func compareTemplate(t *testing.T, name string, tmpl, want any, resolve Resolver) int {
	t.Helper()
	n := 0
	switch x := tmpl.(type) {
	case *value.Object:
		w, _ := want.(*value.Object)
		for _, m := range x.Members() {
			key, isExpr := strings.CutSuffix(m.Key, ".$")
			wv, _ := w.Get(key)
			s, _ := m.Value.(string)
			if !isExpr {
				n += compareTemplate(t, name, m.Value, wv, resolve)
				continue
			}
			if !IsCall(s) {
				continue
			}
			call, err := Parse(s)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			got, err := call.Eval(&Env{Resolve: resolve})
			if errors.Is(err, errUnresolved) {
				continue
			}
			if err != nil {
				t.Errorf("%s: %s: %v", name, s, err)
				continue
			}
			n++
			switch ws, _ := wv.(string); {
			case ws == "RandomNumberGenerated":
				if f, ok := got.(float64); !ok || f != float64(int64(f)) {
					t.Errorf("%s: %s = %v, want an integer", name, s, got)
				}
			case strings.HasPrefix(ws, "<uuid:"):
				if gs, _ := got.(string); !uuidV4.MatchString(gs) {
					t.Errorf("%s: %s = %v, want a UUID", name, s, got)
				}
			case strings.Contains(ws, "<"):
				n-- // a placeholder for generated data
			default:
				if !value.Equal(got, wv) {
					t.Errorf("%s: %s = %s, AWS returned %s", name, s, value.Encode(got), value.Encode(wv))
				}
			}
		}
	}
	return n
}
