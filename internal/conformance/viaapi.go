package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/engine"
	"github.com/batonrun/baton/internal/server"
	"github.com/batonrun/baton/internal/value"
)

// RunASLViaAPI runs the recorded executions in dir/cases through a real
// server: CreateStateMachine, StartExecution (StartSyncExecution for Express
// machines), DescribeExecution and GetExecutionHistory over HTTP. Beyond the
// in-memory runner's checks, History counts the cases whose history matches
// the recording event by event: ids, previousEventId, types and details,
// with timestamps, ARNs and the cases' placeholders as wildcards.
func RunASLViaAPI(dir string) (*Report, error) {
	cases, err := loadCases(dir)
	if err != nil {
		return nil, err
	}
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DB: ":memory:"})
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := srv.Start(ctx); err != nil {
		return nil, err
	}
	defer srv.Stop(ctx)
	c := &apiClient{url: srv.URL(), http: &http.Client{Timeout: 30 * time.Second}}
	r := &Report{Suite: "asl-via-api", JSONPath: &Tally{}, JSONata: &Tally{}, History: &HistoryTally{}, ByFeature: map[string]Tally{}}
	for i, tc := range cases {
		passed, hasHist, histOK, reason := runViaAPI(c, i, tc)
		if tc.usesJSONata() {
			r.JSONata.Add(passed)
		} else {
			r.JSONPath.Add(passed)
		}
		if hasHist {
			r.History.Total++
			if histOK {
				r.History.Matched++
			} else if passed {
				r.Details = append(r.Details, Failure{Name: tc.Name, Reason: "history: " + reason})
			}
		}
		r.Record(tc.Name, tc.Features, passed, reason)
	}
	return r, nil
}

type apiClient struct {
	url  string
	http *http.Client
}

// call posts one awsJson 1.0 request and decodes the response into a value.
func (c *apiClient) call(op string, in any) (*value.Object, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d: %s", op, resp.StatusCode, data)
	}
	v, err := value.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	o, _ := v.(*value.Object)
	return o, nil
}

func str(o *value.Object, k string) string {
	v, _ := o.Get(k)
	s, _ := v.(string)
	return s
}

func runViaAPI(c *apiClient, i int, tc *aslCase) (passed, hasHist, histOK bool, reason string) {
	hasHist = len(tc.HistoryEvents) > 0
	typ := "STANDARD"
	if tc.Type == "EXPRESS" {
		typ = "EXPRESS"
	}
	name := fmt.Sprintf("case-%04d", i)
	sm, err := c.call("CreateStateMachine", map[string]any{
		"name": name, "type": typ, "roleArn": caseRole, "definition": value.EncodeString(tc.Definition),
	})
	if err != nil {
		return false, hasHist, false, "create: " + err.Error()
	}
	input := tc.Input
	if input == nil {
		input = value.NewObject(0)
	}
	start := map[string]any{"stateMachineArn": str(sm, "stateMachineArn"), "name": "execution", "input": value.EncodeString(input)}
	res := &engine.Result{}
	if typ == "EXPRESS" {
		out, err := c.call("StartSyncExecution", start)
		if err != nil {
			return false, hasHist, false, "start: " + err.Error()
		}
		fillResult(res, out)
		passed, reason = compareOutcome(tc, res)
		return passed, hasHist, false, reason
	}
	started, err := c.call("StartExecution", start)
	if err != nil {
		return false, hasHist, false, "start: " + err.Error()
	}
	arn := str(started, "executionArn")
	deadline := time.Now().Add(30 * time.Second)
	for {
		d, err := c.call("DescribeExecution", map[string]any{"executionArn": arn})
		if err != nil {
			return false, hasHist, false, "describe: " + err.Error()
		}
		if str(d, "status") != engine.StatusRunning {
			fillResult(res, d)
			break
		}
		if time.Now().After(deadline) {
			return false, hasHist, false, "still running after 30s"
		}
		time.Sleep(2 * time.Millisecond)
	}
	passed, reason = compareOutcome(tc, res)
	events, err := c.history(arn)
	if err != nil {
		return false, hasHist, false, "history: " + err.Error()
	}
	if len(tc.History) > 0 {
		types := make([]engine.Event, len(events))
		for i, e := range events {
			types[i] = engine.Event{Type: str(e, "type")}
		}
		if !compareHistory(tc, types) {
			return passed, hasHist, false, "event types differ"
		}
	}
	if !hasHist {
		return passed, false, false, reason
	}
	if why := compareEvents(tc, events); why != "" {
		return passed, true, false, why
	}
	return passed, true, true, reason
}

func fillResult(res *engine.Result, d *value.Object) {
	res.Status, res.Error, res.Cause = str(d, "status"), str(d, "error"), str(d, "cause")
	if out := str(d, "output"); out != "" {
		res.Output, _ = value.DecodeString(out)
	}
}

func (c *apiClient) history(arn string) ([]*value.Object, error) {
	var all []*value.Object
	token := ""
	for {
		in := map[string]any{"executionArn": arn, "maxResults": 1000}
		if token != "" {
			in["nextToken"] = token
		}
		out, err := c.call("GetExecutionHistory", in)
		if err != nil {
			return nil, err
		}
		evs, _ := out.Get("events")
		arr, _ := evs.([]any)
		for _, e := range arr {
			if o, ok := e.(*value.Object); ok {
				all = append(all, o)
			}
		}
		if token = str(out, "nextToken"); token == "" {
			return all, nil
		}
	}
}

// compareEvents compares a history with the recording event by event and
// returns why they differ, or "".
func compareEvents(tc *aslCase, got []*value.Object) string {
	want := tc.HistoryEvents
	if len(got) != len(want) {
		return fmt.Sprintf("%d events, recorded %d", len(got), len(want))
	}
	m := newMatcher(tc.Placehold)
	for i, w := range want {
		g := got[i]
		for _, k := range []string{"id", "previousEventId", "type"} {
			wv, _ := w.Get(k)
			gv, _ := g.Get(k)
			if !value.Equal(wv, gv) {
				return fmt.Sprintf("event %d: %s %s, recorded %s", i+1, k, value.EncodeString(gv), value.EncodeString(wv))
			}
		}
		for _, mem := range w.Members() {
			if !strings.HasSuffix(mem.Key, "EventDetails") {
				continue
			}
			gv, ok := g.Get(mem.Key)
			if !ok {
				return fmt.Sprintf("event %d (%s): no %s", i+1, str(w, "type"), mem.Key)
			}
			if why := m.details(mem.Value, gv); why != "" {
				return fmt.Sprintf("event %d (%s) %s: %s", i+1, str(w, "type"), mem.Key, why)
			}
		}
		for _, mem := range g.Members() {
			if strings.HasSuffix(mem.Key, "EventDetails") && !w.Has(mem.Key) {
				if o, ok := mem.Value.(*value.Object); ok && o.Len() > 0 {
					return fmt.Sprintf("event %d (%s): unexpected %s", i+1, str(w, "type"), mem.Key)
				}
			}
		}
	}
	return ""
}

// details compares an event's details with the recorded ones. The recorder
// stored payloads (input, output, parameters, assigned variables) either as
// JSON text or already parsed, so they are compared as JSON values.
func (m *matcher) details(want, got any) string {
	w, ok := want.(*value.Object)
	if !ok {
		if m.equal(want, got) {
			return ""
		}
		return fmt.Sprintf("%s, recorded %s", value.EncodeString(got), value.EncodeString(want))
	}
	g, ok := got.(*value.Object)
	if !ok {
		return "not an object"
	}
	for _, mem := range w.Members() {
		gv, present := g.Get(mem.Key)
		if !present {
			return "no " + mem.Key
		}
		switch mem.Key {
		case "input", "output", "parameters":
			if !m.equal(parsed(mem.Value), parsed(gv)) {
				return fmt.Sprintf("%s %s, recorded %s", mem.Key, value.EncodeString(gv), value.EncodeString(mem.Value))
			}
		case "assignedVariables":
			if why := m.assigned(mem.Value, gv); why != "" {
				return why
			}
		default:
			if why := m.details(mem.Value, gv); why != "" {
				return mem.Key + ": " + why
			}
		}
	}
	for _, mem := range g.Members() {
		if !w.Has(mem.Key) && !strings.HasSuffix(mem.Key, "Details") {
			return "unexpected " + mem.Key
		}
	}
	return ""
}

func (m *matcher) assigned(want, got any) string {
	w, _ := want.(*value.Object)
	g, _ := got.(*value.Object)
	if w.Len() != g.Len() {
		return fmt.Sprintf("assignedVariables %s, recorded %s", value.EncodeString(got), value.EncodeString(want))
	}
	for _, mem := range w.Members() {
		gv, _ := g.Get(mem.Key)
		if !m.equal(parsed(mem.Value), parsed(gv)) {
			return fmt.Sprintf("assigned %s = %s, recorded %s", mem.Key, value.EncodeString(gv), value.EncodeString(mem.Value))
		}
	}
	return ""
}

// parsed reads JSON text as a value; anything else is returned as is.
func parsed(v any) any {
	if s, ok := v.(string); ok {
		if p, err := value.DecodeString(s); err == nil {
			return p
		}
	}
	return v
}
