package conformance

import (
	"os"
	"path/filepath"
	"testing"
)

func TestKnownDeviations(t *testing.T) {
	t.Parallel()
	doc := "# x\n<!-- conformance:s -->\n- `case_resp_0`, `_1`: why.\n  more text with `not_a_name` after the head\n" +
		"- `valid/a.json`, `invalid/b.json`: they write `\"{%10%}\"`.\n<!-- /conformance:s -->\n- `outside`: no.\n"
	path := filepath.Join(t.TempDir(), "deviations.md")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := KnownDeviations(path, "s")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"case_resp_0", "case_resp_1", "valid/a.json", "invalid/b.json"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing %s in %v", w, got)
		}
	}
	if _, err := KnownDeviations(path, "absent"); err == nil {
		t.Error("a missing section gave no error")
	}
}
