package conformance

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// jsonataSuiteDir finds the JSONata suite: shared/ sits beside the
// repository root, three levels above this package.
func jsonataSuiteDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("BATON_JSONATA_SUITE"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		cand := filepath.Join(dir, "shared", "conformance", "jsonata")
		if st, err := os.Stat(filepath.Join(cand, "groups")); err == nil && st.IsDir() {
			return cand
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return filepath.Join(wd, "..", "..", "..", "shared", "conformance", "jsonata")
}

func TestJSONataSuite(t *testing.T) {
	dir := jsonataSuiteDir(t)
	if _, err := os.Stat(filepath.Join(dir, "groups")); err != nil {
		t.Skipf("JSONata conformance suite not found at %s (set BATON_JSONATA_SUITE): %v", dir, err)
	}
	rep, err := RunJSONata(dir)
	if err != nil {
		t.Fatal(err)
	}
	byGroup := map[string][]Failure{}
	for _, f := range rep.Details {
		g := f.Name
		if i := strings.IndexByte(g, '/'); i >= 0 {
			g = g[:i]
		}
		byGroup[g] = append(byGroup[g], f)
	}
	groups := make([]string, 0, len(byGroup))
	for g := range byGroup {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		for _, f := range byGroup[g] {
			t.Logf("FAIL %s: %s", f.Name, f.Reason)
		}
	}
	rate := float64(rep.Passed) / float64(rep.Total)
	t.Logf("JSONata suite: %d/%d passed (%.2f%%)", rep.Passed, rep.Total, 100*rate)
	checkDeviations(t, "jsonata", rep.Failures)
	if rate < 0.98 {
		t.Errorf("pass rate %.2f%% is below 98%%", 100*rate)
	}
}
