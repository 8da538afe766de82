package conformance

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// sharedDir returns ../shared/conformance/<name> relative to the
// repository's root, skipping the test when it is absent (a plain clone).
func sharedDir(t *testing.T, name string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	dir := filepath.Join(root, "..", "shared", "conformance", name)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("conformance suite %s not found at %s (it sits beside the repository as ../shared in CI); skipping", name, dir)
	}
	return dir
}

func logFailures(t *testing.T, r *Report) {
	t.Helper()
	for _, d := range r.Details {
		t.Logf("%s: %s", d.Name, d.Reason)
	}
}

// deviationsFile is docs/deviations.md in this repository.
func deviationsFile() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "docs", "deviations.md")
}

// checkDeviations fails the test unless the failing cases are exactly the
// ones docs/deviations.md lists in section: a failure must be explained,
// and an explanation for a case that passes is stale.
func checkDeviations(t *testing.T, section string, failures []string) {
	t.Helper()
	known, err := KnownDeviations(deviationsFile(), section)
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]bool{}
	for _, f := range failures {
		failed[f] = true
		if !known[f] {
			t.Errorf("%s fails and is not listed in docs/deviations.md (section %s)", f, section)
		}
	}
	for k := range known {
		if !failed[k] {
			t.Errorf("%s is listed in docs/deviations.md (section %s) but passes; remove it", k, section)
		}
	}
}
