package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/store"
	"github.com/batonrun/baton/internal/value"
)

// This file holds the Map Run operations. Baton runs a distributed Map's
// iterations inside the parent execution (as silent threads) rather than as
// child executions, so a Map Run is known only from the parent's history:
// MapRunStarted carries its ARN, and MapRunSucceeded or MapRunFailed (linked
// to it by previousEventId) ends it. What the history does not record —
// how many iterations failed within tolerance, how many ran at a time — is
// derived from the definition and the outcome, and is approximate; the
// comments on mapRunCounts say how.

// Map Run statuses, as AWS names them.
const (
	mapRunRunning   = "RUNNING"
	mapRunSucceeded = "SUCCEEDED"
	mapRunFailed    = "FAILED"
	mapRunAborted   = "ABORTED"
)

// mapRun is what an execution's history tells about one Map Run.
type mapRun struct {
	ARN       string
	StateName string
	Status    string
	Start     time.Time
	Stop      time.Time // zero while running
	Items     int       // the Map state's item count (MapStateStarted's length)
	// RedriveCount and RedriveDate count the MapRunRedriven events.
	RedriveCount int
	RedriveDate  time.Time
}

// mapRunExecutionARN returns the execution a Baton Map Run ARN belongs to.
// Baton's Map Run ARNs are arn:P:states:R:A:mapRun:machine/execution/state:uuid
// (see mapRunPrefix); the state name is returned too.
func mapRunExecutionARN(arn string) (execARN, stateName string, err error) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "states" || parts[5] != "mapRun" {
		return "", "", apiErr("InvalidArn", "Invalid Arn: '%s' (mapRunArn must be a Map Run ARN)", arn)
	}
	machine, rest, ok1 := strings.Cut(parts[6], "/")
	exec, label, ok2 := strings.Cut(rest, "/")
	i := strings.LastIndexByte(label, ':')
	if !ok1 || !ok2 || machine == "" || exec == "" || i <= 0 {
		return "", "", apiErr("ResourceNotFound", "Map Run Does Not Exist: '%s'", arn)
	}
	return fmt.Sprintf("arn:%s:states:%s:%s:execution:%s:%s", parts[1], parts[3], parts[4], machine, exec), label[:i], nil
}

// fullHistory reads all of an execution's events in order.
func (s *Service) fullHistory(ctx context.Context, arn string) ([]store.Event, error) {
	var all []store.Event
	token := ""
	for {
		evs, next, err := s.st.History(ctx, arn, store.HistoryQuery{Page: store.Page{MaxResults: 1000, NextToken: token}})
		if err != nil {
			return nil, err
		}
		all = append(all, evs...)
		if next == "" || len(evs) == 0 {
			return all, nil
		}
		token = next
	}
}

// detailString reads a string member of an event's details.
func detailString(ev store.Event, key string) string {
	if ev.Details == "" {
		return ""
	}
	d, err := value.DecodeString(ev.Details)
	if err != nil {
		return ""
	}
	o, ok := d.(*value.Object)
	if !ok {
		return ""
	}
	v, _ := o.Get(key)
	s, _ := v.(string)
	return s
}

// mapRuns lists the Map Runs an execution's history shows, in the order
// they started.
func mapRuns(rec *store.Execution, events []store.Event) []mapRun {
	byID := make(map[int64]int, len(events))
	for i, ev := range events {
		byID[ev.ID] = i
	}
	var runs []mapRun
	for i, ev := range events {
		if ev.Type != "MapRunStarted" {
			continue
		}
		r := mapRun{ARN: detailString(ev, "mapRunArn"), Status: mapRunRunning, Start: ev.Timestamp}
		if _, name, err := mapRunExecutionARN(r.ARN); err == nil {
			r.StateName = name
		}
		if j, ok := byID[ev.PreviousEventID]; ok && events[j].Type == "MapStateStarted" {
			if d, err := value.DecodeString(events[j].Details); err == nil {
				if o, ok := d.(*value.Object); ok {
					if n, ok := o.Get("length"); ok {
						if f, ok := n.(float64); ok {
							r.Items = int(f)
						}
					}
				}
			}
		}
		// The Map Run ends with the first later event of its thread, which
		// names the MapRunStarted event (or, after a redrive, the
		// MapRunRedriven event) as its previous event.
		from := ev.ID
		for _, later := range events[i+1:] {
			if later.Type == "MapRunRedriven" && detailString(later, "mapRunArn") == r.ARN {
				r.Status, r.Stop, from = mapRunRunning, time.Time{}, later.ID
				r.RedriveCount++
				r.RedriveDate = later.Timestamp
				continue
			}
			if later.PreviousEventID != from || r.Status != mapRunRunning {
				continue
			}
			r.Stop = later.Timestamp
			switch later.Type {
			case "MapRunSucceeded":
				r.Status = mapRunSucceeded
			case "ExecutionAborted", "ExecutionTimedOut", "ExecutionFailed":
				r.Status = mapRunAborted
			default:
				// MapRunFailed, or a state error raised after the run started
				// (an ItemSelector that fails), which ends the run.
				r.Status = mapRunFailed
			}
		}
		if r.Status == mapRunRunning && rec.Status != store.StatusRunning {
			// The execution ended (stopped, timed out, or failed in another
			// branch) while the Map Run was running.
			r.Status, r.Stop = mapRunAborted, rec.StopDate
		}
		runs = append(runs, r)
	}
	return runs
}

// executionMapRuns loads an execution and its Map Runs.
func (s *Service) executionMapRuns(ctx context.Context, execARN string) (*store.Execution, []mapRun, error) {
	rec, err := s.getExecution(ctx, execARN)
	if err != nil {
		return nil, nil, err
	}
	events, err := s.fullHistory(ctx, execARN)
	if err != nil {
		return nil, nil, err
	}
	return rec, mapRuns(rec, events), nil
}

// findMapRun finds a Map Run by ARN (ResourceNotFound when the history
// shows none).
func (s *Service) findMapRun(ctx context.Context, arn string) (*store.Execution, *mapRun, error) {
	execARN, _, err := mapRunExecutionARN(arn)
	if err != nil {
		return nil, nil, err
	}
	rec, runs, err := s.executionMapRuns(ctx, execARN)
	if apiErrCode(err) == "ExecutionDoesNotExist" || apiErrCode(err) == "InvalidArn" {
		return nil, nil, apiErr("ResourceNotFound", "Map Run Does Not Exist: '%s'", arn)
	}
	if err != nil {
		return nil, nil, err
	}
	for i := range runs {
		if runs[i].ARN == arn {
			return rec, &runs[i], nil
		}
	}
	return nil, nil, apiErr("ResourceNotFound", "Map Run Does Not Exist: '%s'", arn)
}

// apiErrCode is the AWS code of an *APIError, or "".
func apiErrCode(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// findState finds a state by name anywhere in a branch: at its top level,
// in Parallel branches or in Map item processors.
func findState(b *asl.Branch, name string) *asl.State {
	if b == nil {
		return nil
	}
	if st, ok := b.States[name]; ok {
		return st
	}
	for _, n := range b.Order {
		st := b.States[n]
		for _, br := range st.Branches {
			if f := findState(br, name); f != nil {
				return f
			}
		}
		if f := findState(st.ItemProcessor, name); f != nil {
			return f
		}
	}
	return nil
}

// literal returns a Number's literal value; a path or JSONata form, which
// only the execution could evaluate, gives ok=false.
func literal(n *asl.Number) (float64, bool) {
	if n == nil || n.Path != nil || n.JSONata != nil {
		return 0, false
	}
	return n.Value, true
}

// MapRunListItem is one entry of ListMapRuns.
type MapRunListItem struct {
	ExecutionArn    string `json:"executionArn"`
	MapRunArn       string `json:"mapRunArn"`
	StateMachineArn string `json:"stateMachineArn"`
	StartDate       Epoch  `json:"startDate"`
	StopDate        *Epoch `json:"stopDate,omitempty"`
}

// ListMapRunsInput is the ListMapRuns request.
type ListMapRunsInput struct {
	ExecutionArn string `json:"executionArn"`
	ListInput
}

// ListMapRunsOutput is the ListMapRuns response.
type ListMapRunsOutput struct {
	MapRuns   []MapRunListItem `json:"mapRuns"`
	NextToken string           `json:"nextToken,omitempty"`
}

// mapRunLabel is the Map state's Label, or its name: AWS names a Map Run's
// state machine machine/label.
func (s *Service) mapRunLabel(rec *store.Execution, stateName string) string {
	if def, err := s.eng.definition(rec.Definition); err == nil {
		if st := findState(&def.Branch, stateName); st != nil && st.Label != "" {
			return st.Label
		}
	}
	return stateName
}

// ListMapRuns lists the Map Runs an execution started, in the order they
// started.
func (s *Service) ListMapRuns(ctx context.Context, in *ListMapRunsInput) (*ListMapRunsOutput, error) {
	if _, err := in.page(); err != nil {
		return nil, err
	}
	rec, runs, err := s.executionMapRuns(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	start, end, next, err := memPage(len(runs), in.ListInput)
	if err != nil {
		return nil, err
	}
	out := &ListMapRunsOutput{MapRuns: []MapRunListItem{}, NextToken: next}
	for _, r := range runs[start:end] {
		item := MapRunListItem{ExecutionArn: rec.ARN, MapRunArn: r.ARN, StartDate: Epoch(r.Start),
			StateMachineArn: rec.StateMachineARN + "/" + s.mapRunLabel(rec, r.StateName)}
		if !r.Stop.IsZero() {
			t := Epoch(r.Stop)
			item.StopDate = &t
		}
		out.MapRuns = append(out.MapRuns, item)
	}
	return out, nil
}

// MapRunCounts counts a Map Run's items or child executions.
type MapRunCounts struct {
	Pending               int  `json:"pending"`
	Running               int  `json:"running"`
	Succeeded             int  `json:"succeeded"`
	Failed                int  `json:"failed"`
	TimedOut              int  `json:"timedOut"`
	Aborted               int  `json:"aborted"`
	Total                 int  `json:"total"`
	ResultsWritten        int  `json:"resultsWritten"`
	FailuresNotRedrivable *int `json:"failuresNotRedrivable,omitempty"`
	PendingRedrive        *int `json:"pendingRedrive,omitempty"`
}

// DescribeMapRunInput names a Map Run.
type DescribeMapRunInput struct {
	MapRunArn string `json:"mapRunArn"`
}

// DescribeMapRunOutput describes a Map Run.
type DescribeMapRunOutput struct {
	MapRunArn                  string       `json:"mapRunArn"`
	ExecutionArn               string       `json:"executionArn"`
	Status                     string       `json:"status"`
	StartDate                  Epoch        `json:"startDate"`
	StopDate                   *Epoch       `json:"stopDate,omitempty"`
	MaxConcurrency             int          `json:"maxConcurrency"`
	ToleratedFailurePercentage float64      `json:"toleratedFailurePercentage"`
	ToleratedFailureCount      int          `json:"toleratedFailureCount"`
	ItemCounts                 MapRunCounts `json:"itemCounts"`
	ExecutionCounts            MapRunCounts `json:"executionCounts"`
	RedriveCount               int          `json:"redriveCount"`
	RedriveDate                *Epoch       `json:"redriveDate,omitempty"`
}

// mapRunConfig is what the definition says about a Map Run's limits, as far
// as literals tell; tolCount and tolPct are -1 when not set literally.
type mapRunConfig struct {
	maxConc       int
	tolCount      int
	tolPct        float64
	itemsPerBatch int // 0: no ItemBatcher, or one that only bounds bytes
	batched       bool
}

func (s *Service) mapRunConfig(rec *store.Execution, stateName string) mapRunConfig {
	c := mapRunConfig{tolCount: -1, tolPct: -1}
	def, err := s.eng.definition(rec.Definition)
	if err != nil {
		return c
	}
	st := findState(&def.Branch, stateName)
	if st == nil {
		return c
	}
	if v, ok := literal(st.MaxConcurrency); ok {
		c.maxConc = int(v)
	}
	if v, ok := literal(st.ToleratedFailureCount); ok {
		c.tolCount = int(v)
	}
	if v, ok := literal(st.ToleratedFailurePercentage); ok {
		c.tolPct = v
	}
	if st.ItemBatcher != nil {
		c.batched = true
		if v, ok := literal(st.ItemBatcher.MaxItemsPerBatch); ok && v > 0 {
			c.itemsPerBatch = int(v)
		}
	}
	return c
}

// mapRunCounts derives a Map Run's item and child-execution counts from its
// status, its item count and the definition. Exact: the totals (when no
// ItemBatcher or a literal MaxItemsPerBatch decides the batches), and every
// count of a run that was aborted. Approximate:
//   - executions with an ItemBatcher that bounds only bytes, or a
//     MaxItemsPerBatchPath: counted as one batch for all items;
//   - a SUCCEEDED run counts every item as succeeded, though iterations may
//     have failed within the tolerated threshold;
//   - a FAILED run counts the fewest failures that exceed the threshold as
//     failed and the rest as aborted;
//   - a RUNNING run counts MaxConcurrency iterations (all when unbounded) as
//     running and the rest as pending.
func mapRunCounts(r *mapRun, c mapRunConfig) (items, execs MapRunCounts) {
	n := r.Items
	b := n
	if c.batched && n > 0 {
		b = 1
		if c.itemsPerBatch > 0 {
			b = (n + c.itemsPerBatch - 1) / c.itemsPerBatch
		}
	}
	perBatch := 1
	if b > 0 {
		perBatch = (n + b - 1) / b
	}
	zero := 0
	count := func(total, per int) MapRunCounts {
		k := MapRunCounts{Total: total, FailuresNotRedrivable: &zero, PendingRedrive: &zero}
		switch r.Status {
		case mapRunSucceeded:
			k.Succeeded, k.ResultsWritten = total, total
		case mapRunAborted:
			k.Aborted = total
		case mapRunFailed:
			// Baton measures tolerance over child executions (batches).
			failed := 1
			switch {
			case c.tolCount >= 0:
				failed = c.tolCount + 1
			case c.tolPct >= 0:
				failed = int(math.Floor(c.tolPct*float64(b)/100)) + 1
			}
			k.Failed = min(total, failed*per)
			k.Aborted = total - k.Failed
		default:
			running := total
			if c.maxConc > 0 {
				running = min(total, c.maxConc*per)
			}
			k.Running, k.Pending = running, total-running
		}
		return k
	}
	return count(n, perBatch), count(b, 1)
}

// DescribeMapRun describes a Map Run from its execution's history. The
// counts are derived as mapRunCounts explains; MaxConcurrency and the
// tolerated-failure fields are the definition's literal values (0 when the
// definition gives a path or JSONata expression, or nothing).
func (s *Service) DescribeMapRun(ctx context.Context, in *DescribeMapRunInput) (*DescribeMapRunOutput, error) {
	rec, r, err := s.findMapRun(ctx, in.MapRunArn)
	if err != nil {
		return nil, err
	}
	c := s.mapRunConfig(rec, r.StateName)
	items, execs := mapRunCounts(r, c)
	out := &DescribeMapRunOutput{
		MapRunArn: r.ARN, ExecutionArn: rec.ARN, Status: r.Status, StartDate: Epoch(r.Start),
		MaxConcurrency: c.maxConc, ItemCounts: items, ExecutionCounts: execs, RedriveCount: r.RedriveCount,
	}
	if !r.RedriveDate.IsZero() {
		d := Epoch(r.RedriveDate)
		out.RedriveDate = &d
	}
	if c.tolCount >= 0 {
		out.ToleratedFailureCount = c.tolCount
	}
	if c.tolPct >= 0 {
		out.ToleratedFailurePercentage = c.tolPct
	}
	if !r.Stop.IsZero() {
		t := Epoch(r.Stop)
		out.StopDate = &t
	}
	return out, nil
}

// UpdateMapRunInput is the UpdateMapRun request.
type UpdateMapRunInput struct {
	MapRunArn                  string   `json:"mapRunArn"`
	MaxConcurrency             *int     `json:"maxConcurrency,omitempty"`
	ToleratedFailurePercentage *float64 `json:"toleratedFailurePercentage,omitempty"`
	ToleratedFailureCount      *int     `json:"toleratedFailureCount,omitempty"`
}

// UpdateMapRun validates an update of a Map Run's limits and accepts it for
// a Map Run the history shows. It changes nothing: Baton runs the Map's
// iterations inside the parent execution with the limits the definition
// gave, and DescribeMapRun keeps reporting those. This is a deviation from
// AWS, which applies the new limits to the running Map Run.
func (s *Service) UpdateMapRun(ctx context.Context, in *UpdateMapRunInput) (*Empty, error) {
	if in.MaxConcurrency != nil && *in.MaxConcurrency < 0 {
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%d' at 'maxConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 0", *in.MaxConcurrency)
	}
	if p := in.ToleratedFailurePercentage; p != nil && (*p < 0 || *p > 100) {
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%s' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value between 0 and 100", value.FormatNumber(*p))
	}
	if in.ToleratedFailureCount != nil && *in.ToleratedFailureCount < 0 {
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%d' at 'toleratedFailureCount' failed to satisfy constraint: Member must have value greater than or equal to 0", *in.ToleratedFailureCount)
	}
	if _, _, err := s.findMapRun(ctx, in.MapRunArn); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}
