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
