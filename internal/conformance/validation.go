package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/batonrun/baton/internal/asl"
)

// RunASLValidation checks the validator against a folder of definitions:
// every file in dir/valid must be accepted and every file in dir/invalid
// rejected with at least one error diagnostic. Features are "valid" and
// "invalid".
func RunASLValidation(dir string) (*Report, error) {
	r := &Report{Suite: "asl-validation", ByFeature: map[string]Tally{}}
	for _, kind := range []string{"valid", "invalid"} {
		files, err := filepath.Glob(filepath.Join(dir, kind, "*.json"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("no definitions under %s", filepath.Join(dir, kind))
		}
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			diags := asl.Validate(data)
			var errs []string
			for _, d := range diags {
				if d.Severity == asl.SeverityError {
					errs = append(errs, d.String())
				}
			}
			name := kind + "/" + filepath.Base(f)
			switch {
			case kind == "valid" && len(errs) > 0:
				r.Record(name, []string{kind}, false, "rejected: "+strings.Join(errs, "; "))
			case kind == "invalid" && len(errs) == 0:
				r.Record(name, []string{kind}, false, "accepted")
			default:
				r.Record(name, []string{kind}, true, "")
			}
		}
	}
	return r, nil
}
