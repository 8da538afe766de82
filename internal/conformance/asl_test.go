package conformance

import "testing"

// TestASLConformance enforces the pass rates of the recorded AWS executions:
// at least 97% of the JSONPath cases, at least 95% of JSONPath cases with a
// history matching event type by event type, and every invalid definition
// rejected.
func TestASLConformance(t *testing.T) {
	dir := sharedDir(t, "asl")
	r, err := RunASL(dir)
	if err != nil {
		t.Fatal(err)
	}
	logFailures(t, r)
	t.Logf("jsonpath %d/%d, jsonata %d/%d, history %d/%d, total %d/%d",
		r.JSONPath.Passed, r.JSONPath.Total, r.JSONata.Passed, r.JSONata.Total,
		r.History.Matched, r.History.Total, r.Passed, r.Total)
	if rate := r.JSONPath.Rate(); rate < 0.97 {
		t.Errorf("JSONPath cases: %d/%d passed (%.1f%%), want at least 97%%", r.JSONPath.Passed, r.JSONPath.Total, 100*rate)
	}
	var failures []string
	failures = append(failures, r.Failures...)
	for _, d := range r.Details {
		if len(d.Reason) > 8 && d.Reason[:8] == "history:" {
			failures = append(failures, d.Name)
		}
	}
	checkDeviations(t, "asl", failures)
	inv := r.ByFeature["invalid_definition"]
	if inv.Total == 0 || inv.Passed != inv.Total {
		t.Errorf("invalid definitions: %d/%d rejected with the expected code, want all", inv.Passed, inv.Total)
	}
}

// TestASLHistoryConformance enforces that at least 95% of the JSONPath cases
// that carry a history record the same event types in the same order.
func TestASLHistoryConformance(t *testing.T) {
	dir := sharedDir(t, "asl")
	r, err := RunASL(dir)
	if err != nil {
		t.Fatal(err)
	}
	total, matched := 0, 0
	cases, err := loadCases(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if len(c.History) == 0 || c.usesJSONata() {
			continue
		}
		total++
		_, histOK, _, reason := runASLCase(c)
		if histOK {
			matched++
		} else {
			t.Logf("%s: %s", c.Name, reason)
		}
	}
	t.Logf("history (all cases) %d/%d; JSONPath cases with history %d/%d", r.History.Matched, r.History.Total, matched, total)
	if total == 0 || float64(matched) < 0.95*float64(total) {
		t.Errorf("JSONPath histories: %d/%d match, want at least 95%%", matched, total)
	}
}

// TestASLViaAPIConformance runs the recorded executions through a real
// server's API: the same pass rate as in memory, and at least 90% of the
// recorded histories matching event by event (ids, previousEventId,
// details; timestamps and ARNs as wildcards).
func TestASLViaAPIConformance(t *testing.T) {
	dir := sharedDir(t, "asl")
	if testing.Short() {
		t.Skip("runs every recorded case through a server; skipped with -short")
	}
	r, err := RunASLViaAPI(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("via API: jsonpath %d/%d, jsonata %d/%d, histories matched event by event %d/%d",
		r.JSONPath.Passed, r.JSONPath.Total, r.JSONata.Passed, r.JSONata.Total, r.History.Matched, r.History.Total)
	if rate := r.JSONPath.Rate(); rate < 0.97 {
		t.Errorf("JSONPath cases via the API: %d/%d, want at least 97%%", r.JSONPath.Passed, r.JSONPath.Total)
	}
	if r.History.Total == 0 || float64(r.History.Matched) < 0.90*float64(r.History.Total) {
		logFailures(t, r)
		t.Errorf("histories matched event by event: %d/%d, want at least 90%%", r.History.Matched, r.History.Total)
	}
}
