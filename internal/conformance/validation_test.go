package conformance

import "testing"

// TestASLValidationConformance enforces that every valid definition is
// accepted and at least 95% of the invalid ones are rejected, except the
// cases docs/deviations.md lists with AWS's contrary behaviour.
func TestASLValidationConformance(t *testing.T) {
	dir := sharedDir(t, "asl-validation")
	r, err := RunASLValidation(dir)
	if err != nil {
		t.Fatal(err)
	}
	logFailures(t, r)
	checkDeviations(t, "asl-validation", r.Failures)
	valid, invalid := r.ByFeature["valid"], r.ByFeature["invalid"]
	t.Logf("valid accepted %d/%d, invalid rejected %d/%d", valid.Passed, valid.Total, invalid.Passed, invalid.Total)
	if invalid.Rate() < 0.95 {
		t.Errorf("invalid definitions: %d/%d rejected, want at least 95%%", invalid.Passed, invalid.Total)
	}
}
