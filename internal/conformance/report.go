// Package conformance runs the recorded conformance suites (../shared/conformance)
// against Baton's engines and reports pass rates. It is used by cmd/conformance
// and by the tests that enforce the pass-rate thresholds; it never special-cases
// a case by name or input.
package conformance

// Tally counts cases and how many passed.
type Tally struct {
	Total  int `json:"total"`
	Passed int `json:"passed"`
}

// Add counts one case.
func (t *Tally) Add(passed bool) {
	t.Total++
	if passed {
		t.Passed++
	}
}

// Rate returns Passed/Total, or 1 for an empty tally.
func (t Tally) Rate() float64 {
	if t.Total == 0 {
		return 1
	}
	return float64(t.Passed) / float64(t.Total)
}

// HistoryTally counts cases that carry a recorded history and how many
// matched it.
type HistoryTally struct {
	Total   int `json:"total"`
	Matched int `json:"matched"`
}

// Failure names a failed case and says why it failed.
type Failure struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Report is the result of running one suite. Its JSON form is what
// `go run ./cmd/conformance SUITE DIR --json` prints.
type Report struct {
	Suite     string           `json:"suite"`
	Total     int              `json:"total"`
	Passed    int              `json:"passed"`
	JSONPath  *Tally           `json:"jsonpath,omitempty"`
	JSONata   *Tally           `json:"jsonata,omitempty"`
	History   *HistoryTally    `json:"history,omitempty"`
	ByFeature map[string]Tally `json:"by_feature"`
	// Failures lists the failed cases' names, as the JSON shape asks.
	Failures []string `json:"failures"`
	// Details gives each failure's reason; printed in the text form, and in
	// JSON under "failure_details".
	Details []Failure `json:"failure_details,omitempty"`
}

// Record counts one case under its features.
func (r *Report) Record(name string, features []string, passed bool, reason string) {
	r.Total++
	if r.ByFeature == nil {
		r.ByFeature = map[string]Tally{}
	}
	for _, f := range features {
		t := r.ByFeature[f]
		t.Add(passed)
		r.ByFeature[f] = t
	}
	if passed {
		r.Passed++
		return
	}
	r.Failures = append(r.Failures, name)
	r.Details = append(r.Details, Failure{Name: name, Reason: reason})
}
