package engine

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/batonrun/baton/internal/store"
)

// RedriveWindow is how long after it ended an execution can be redriven:
// AWS allows 14 days.
const RedriveWindow = 14 * 24 * time.Hour

// redriveHistoryLimit is the history size from which AWS refuses a redrive:
// a redriven execution appends to its history, which must stay under the
// 25,000-event limit.
const redriveHistoryLimit = 24999

// RedriveExecutionInput is the RedriveExecution request.
type RedriveExecutionInput struct {
	ExecutionArn string `json:"executionArn"`
	ClientToken  string `json:"clientToken,omitempty"`
}

// RedriveExecutionOutput is the RedriveExecution response.
type RedriveExecutionOutput struct {
	RedriveDate Epoch `json:"redriveDate"`
}

// RedriveExecution restarts an execution from the states it did not finish
// (see Redrive). As AWS, the execution must exist, be a Standard execution
// that is not a Map Run's child, have ended FAILED, TIMED_OUT or ABORTED
// within the last 14 days, and have room in its history. The client token
// is checked but not remembered: a repeated request is refused because the
// execution is running again, where AWS would answer it with the first
// redrive's date.
func (s *Service) RedriveExecution(ctx context.Context, in *RedriveExecutionInput) (*RedriveExecutionOutput, error) {
	if n := utf8.RuneCountInString(in.ClientToken); in.ClientToken != "" && n > 64 {
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%s' at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 64", in.ClientToken)
	}
	if parts := strings.Split(in.ExecutionArn, ":"); len(parts) >= 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "express" {
		return nil, apiErr("ExecutionNotRedrivable", "Execution '%s' is an Express execution; only Standard executions can be redriven", in.ExecutionArn)
	}
	rec, err := s.getExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	if rec.Type == "EXPRESS" {
		return nil, apiErr("ExecutionNotRedrivable", "Execution '%s' is an Express execution; only Standard executions can be redriven", rec.ARN)
	}
	if rec.ParentARN != "" {
		return nil, apiErr("ExecutionNotRedrivable", "Execution '%s' is a child execution of '%s'; redrive the parent execution instead", rec.ARN, rec.ParentARN)
	}
	switch rec.Status {
	case store.StatusFailed, store.StatusTimedOut, store.StatusAborted:
	default:
		return nil, apiErr("ExecutionNotRedrivable", "Execution is %s and cannot be redriven", rec.Status)
	}
	if s.eng.clk.Now().Sub(rec.StopDate) > RedriveWindow {
		return nil, apiErr("ExecutionNotRedrivable", "Execution '%s' ended more than 14 days ago and cannot be redriven", rec.ARN)
	}
	last, _, err := s.st.History(ctx, rec.ARN, store.HistoryQuery{Reverse: true, Page: store.Page{MaxResults: 1}})
	if err != nil {
		return nil, err
	}
	if len(last) > 0 && last[0].ID >= redriveHistoryLimit {
		return nil, apiErr("ExecutionNotRedrivable", "Execution '%s' has %d history events; a redrive needs room under the 25,000-event limit", rec.ARN, last[0].ID)
	}
	at, err := s.eng.RedriveExecution(ctx, rec.ARN)
	if errors.Is(err, ErrExecutionNotRedrivable) {
		return nil, apiErr("ExecutionNotRedrivable", "Execution '%s' cannot be redriven: %s", rec.ARN, err)
	}
	if err != nil {
		return nil, err
	}
	return &RedriveExecutionOutput{RedriveDate: Epoch(at)}, nil
}
