package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/store"
	"github.com/batonrun/baton/internal/value"
)

// DescribeExecutionOutput describes an execution.
type DescribeExecutionOutput struct {
	ExecutionArn           string          `json:"executionArn"`
	StateMachineArn        string          `json:"stateMachineArn"`
	Name                   string          `json:"name"`
	Status                 string          `json:"status"`
	StartDate              Epoch           `json:"startDate"`
	StopDate               *Epoch          `json:"stopDate,omitempty"`
	Input                  string          `json:"input"`
	InputDetails           PayloadDetails  `json:"inputDetails"`
	Output                 *string         `json:"output,omitempty"`
	OutputDetails          *PayloadDetails `json:"outputDetails,omitempty"`
	Error                  string          `json:"error,omitempty"`
	Cause                  string          `json:"cause,omitempty"`
	TraceHeader            string          `json:"traceHeader,omitempty"`
	StateMachineVersionArn string          `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   string          `json:"stateMachineAliasArn,omitempty"`
	RedriveCount           int             `json:"redriveCount"`
	RedriveDate            *Epoch          `json:"redriveDate,omitempty"`
	RedriveStatus          string          `json:"redriveStatus,omitempty"`
	RedriveStatusReason    string          `json:"redriveStatusReason,omitempty"`
}

// PayloadDetails says whether a payload was truncated.
type PayloadDetails struct {
	Included bool `json:"included"`
}

func (s *Service) getExecution(ctx context.Context, arn string) (*store.Execution, error) {
	if _, err := parseARN("executionArn", arn, "execution"); err != nil {
		return nil, err
	}
	rec, err := s.st.GetExecution(ctx, arn)
	if notFound(err) {
		return nil, apiErr("ExecutionDoesNotExist", "Execution Does Not Exist: '%s'", arn)
	}
	return rec, err
}

// DescribeExecution describes an execution.
func (s *Service) DescribeExecution(ctx context.Context, in *ARNInput) (*DescribeExecutionOutput, error) {
	rec, err := s.getExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := &DescribeExecutionOutput{
		ExecutionArn: rec.ARN, StateMachineArn: rec.StateMachineARN, Name: rec.Name, Status: rec.Status,
		StartDate: Epoch(rec.StartDate), Input: rec.Input, InputDetails: PayloadDetails{Included: true},
		Error: rec.Error, Cause: rec.Cause, TraceHeader: rec.TraceHeader,
		StateMachineVersionArn: rec.VersionARN, StateMachineAliasArn: rec.AliasARN, RedriveCount: rec.RedriveCount,
	}
	if !rec.StopDate.IsZero() {
		t := Epoch(rec.StopDate)
		out.StopDate = &t
	}
	if rec.Status == store.StatusSucceeded {
		o := rec.Output
		out.Output, out.OutputDetails = &o, &PayloadDetails{Included: true}
	}
	if !rec.RedriveDate.IsZero() {
		t := Epoch(rec.RedriveDate)
		out.RedriveDate = &t
	}
	switch {
	case rec.Status == store.StatusRunning:
	case rec.Status == store.StatusSucceeded:
		out.RedriveStatus, out.RedriveStatusReason = "NOT_REDRIVABLE", "Execution is SUCCEEDED and cannot be redriven"
	case rec.Type == "EXPRESS":
		out.RedriveStatus, out.RedriveStatusReason = "NOT_REDRIVABLE", "Express executions cannot be redriven"
	case rec.ParentARN != "":
		out.RedriveStatus = "REDRIVABLE_BY_MAP_RUN"
	case s.eng.clk.Now().Sub(rec.StopDate) > RedriveWindow:
		out.RedriveStatus, out.RedriveStatusReason = "NOT_REDRIVABLE", "Execution ended more than 14 days ago"
	default:
		out.RedriveStatus = "REDRIVABLE"
	}
	return out, nil
}

// ListExecutionsInput is the ListExecutions request.
type ListExecutionsInput struct {
	StateMachineArn string `json:"stateMachineArn,omitempty"`
	StatusFilter    string `json:"statusFilter,omitempty"`
	MapRunArn       string `json:"mapRunArn,omitempty"`
	ListInput
}

// ExecutionListItem is one entry of ListExecutions.
type ExecutionListItem struct {
	ExecutionArn           string `json:"executionArn"`
	StateMachineArn        string `json:"stateMachineArn"`
	Name                   string `json:"name"`
	Status                 string `json:"status"`
	StartDate              Epoch  `json:"startDate"`
	StopDate               *Epoch `json:"stopDate,omitempty"`
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   string `json:"stateMachineAliasArn,omitempty"`
	RedriveCount           int    `json:"redriveCount"`
}

// ListExecutionsOutput is the ListExecutions response.
type ListExecutionsOutput struct {
	Executions []ExecutionListItem `json:"executions"`
	NextToken  string              `json:"nextToken,omitempty"`
}

var executionStatuses = map[string]bool{"RUNNING": true, "SUCCEEDED": true, "FAILED": true, "TIMED_OUT": true, "ABORTED": true, "PENDING_REDRIVE": true}

// ListExecutions lists a state machine's (or version's or alias's)
// executions, newest first.
func (s *Service) ListExecutions(ctx context.Context, in *ListExecutionsInput) (*ListExecutionsOutput, error) {
	if in.StateMachineArn == "" && in.MapRunArn == "" {
		return nil, apiErr("ValidationException", "Must specify a StateMachineArn or a MapRunArn")
	}
	if in.StatusFilter != "" && !executionStatuses[in.StatusFilter] {
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]", in.StatusFilter)
	}
	p, err := in.page()
	if err != nil {
		return nil, err
	}
	f := store.ExecutionFilter{Status: in.StatusFilter, Page: p}
	if in.StateMachineArn != "" {
		sm, versionARN, _, err := s.resolveStateMachine(ctx, "stateMachineArn", in.StateMachineArn)
		if err != nil {
			return nil, err
		}
		f.StateMachineARN = sm.ARN
		if strings.Count(in.StateMachineArn, ":") == 7 {
			if versionARN != "" {
				f.VersionARN = versionARN
			} else {
				f.AliasARN = in.StateMachineArn
			}
		}
	} else {
		f.ParentARN = in.MapRunArn
	}
	list, next, err := s.st.ListExecutions(ctx, f)
	if err != nil {
		return nil, pageErr(err)
	}
	out := &ListExecutionsOutput{Executions: []ExecutionListItem{}, NextToken: next}
	for _, e := range list {
		item := ExecutionListItem{ExecutionArn: e.ARN, StateMachineArn: e.StateMachineARN, Name: e.Name, Status: e.Status,
			StartDate: Epoch(e.StartDate), StateMachineVersionArn: e.VersionARN, StateMachineAliasArn: e.AliasARN, RedriveCount: e.RedriveCount}
		if !e.StopDate.IsZero() {
			t := Epoch(e.StopDate)
			item.StopDate = &t
		}
		out.Executions = append(out.Executions, item)
	}
	return out, nil
}

// GetExecutionHistoryInput is the GetExecutionHistory request.
type GetExecutionHistoryInput struct {
	ExecutionArn         string `json:"executionArn"`
	ReverseOrder         bool   `json:"reverseOrder"`
	IncludeExecutionData *bool  `json:"includeExecutionData,omitempty"`
	ListInput
}

// GetExecutionHistoryOutput is the GetExecutionHistory response: events as
// AWS shapes them.
type GetExecutionHistoryOutput struct {
	Events    []json.RawMessage `json:"events"`
	NextToken string            `json:"nextToken,omitempty"`
}

// GetExecutionHistory returns a page of an execution's history.
func (s *Service) GetExecutionHistory(ctx context.Context, in *GetExecutionHistoryInput) (*GetExecutionHistoryOutput, error) {
	if _, err := s.getExecution(ctx, in.ExecutionArn); err != nil {
		return nil, err
	}
	p, err := in.page()
	if err != nil {
		return nil, err
	}
	events, next, err := s.st.History(ctx, in.ExecutionArn, store.HistoryQuery{Reverse: in.ReverseOrder, Page: p})
	if err != nil {
		return nil, pageErr(err)
	}
	include := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	out := &GetExecutionHistoryOutput{Events: make([]json.RawMessage, 0, len(events)), NextToken: next}
	for _, ev := range events {
		out.Events = append(out.Events, eventJSON(ev, include))
	}
	return out, nil
}

// eventJSON renders a stored event as the API shapes it.
func eventJSON(ev store.Event, includeData bool) json.RawMessage {
	o := value.NewObject(5)
	o.Set("timestamp", float64(ev.Timestamp.UnixMilli())/1000)
	o.Set("type", ev.Type)
	o.Set("id", float64(ev.ID))
	o.Set("previousEventId", float64(ev.PreviousEventID))
	if ev.DetailsKey != "" {
		d, err := value.DecodeString(ev.Details)
		if err != nil || d == nil {
			d = value.NewObject(0)
		}
		if do, ok := d.(*value.Object); ok && !includeData {
			for _, k := range []string{"input", "output"} {
				if do.Has(k) {
					do.Delete(k)
					do.Set(k+"Details", value.ObjectOf("included", false))
				}
			}
		}
		o.Set(ev.DetailsKey, d)
	}
	return value.Encode(o)
}

// StopExecutionInput is the StopExecution request.
type StopExecutionInput struct {
	ExecutionArn string `json:"executionArn"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}

// StopExecutionOutput is the StopExecution response.
type StopExecutionOutput struct {
	StopDate Epoch `json:"stopDate"`
}

// StopExecution aborts a running execution; stopping an ended one changes
// nothing and reports its stop date.
func (s *Service) StopExecution(ctx context.Context, in *StopExecutionInput) (*StopExecutionOutput, error) {
	rec, err := s.getExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	if rec.Status == store.StatusRunning {
		err := s.eng.StopExecution(ctx, rec.ARN, in.Error, in.Cause)
		if err != nil && !errors.Is(err, ErrExecutionNotRunning) {
			return nil, err
		}
		if rec, err = s.st.GetExecution(ctx, rec.ARN); err != nil {
			return nil, err
		}
	}
	return &StopExecutionOutput{StopDate: Epoch(rec.StopDate)}, nil
}

// TaskTokenInput is SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat.
type TaskTokenInput struct {
	TaskToken string  `json:"taskToken"`
	Output    *string `json:"output,omitempty"`
	Error     string  `json:"error,omitempty"`
	Cause     string  `json:"cause,omitempty"`
}

func (s *Service) checkToken(token string) error {
	if token == "" || len(token) > 2048 {
		return apiErr("InvalidToken", "Invalid Token: '%s'", token)
	}
	return nil
}

func taskErr(err error, token string) error {
	if errors.Is(err, ErrTaskNotFound) {
		return apiErr("TaskDoesNotExist", "Task Does Not Exist: '%s'", token)
	}
	return err
}

// SendTaskSuccess completes a task with its output.
func (s *Service) SendTaskSuccess(ctx context.Context, in *TaskTokenInput) (*Empty, error) {
	if err := s.checkToken(in.TaskToken); err != nil {
		return nil, err
	}
	if in.Output == nil {
		return nil, apiErr("ValidationException", "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null")
	}
	if len(*in.Output) > s.cfg.MaxPayloadBytes {
		return nil, apiErr("InvalidOutput", "Output exceeds the maximum size of %d bytes", s.cfg.MaxPayloadBytes)
	}
	out, err := value.DecodeString(*in.Output)
	if err != nil {
		return nil, apiErr("InvalidOutput", "Invalid Output: '%v'", err)
	}
	if err := s.eng.SendTaskSuccess(ctx, in.TaskToken, out); err != nil {
		return nil, taskErr(err, in.TaskToken)
	}
	return &Empty{}, nil
}

// SendTaskFailure fails a task.
func (s *Service) SendTaskFailure(ctx context.Context, in *TaskTokenInput) (*Empty, error) {
	if err := s.checkToken(in.TaskToken); err != nil {
		return nil, err
	}
	if err := s.eng.SendTaskFailure(ctx, in.TaskToken, in.Error, in.Cause); err != nil {
		return nil, taskErr(err, in.TaskToken)
	}
	return &Empty{}, nil
}

// SendTaskHeartbeat records that a task is alive.
func (s *Service) SendTaskHeartbeat(ctx context.Context, in *TaskTokenInput) (*Empty, error) {
	if err := s.checkToken(in.TaskToken); err != nil {
		return nil, err
	}
	if err := s.eng.SendTaskHeartbeat(ctx, in.TaskToken); err != nil {
		return nil, taskErr(err, in.TaskToken)
	}
	return &Empty{}, nil
}

// CreateActivityInput is the CreateActivity request.
type CreateActivityInput struct {
	Name string `json:"name"`
	Tags []Tag  `json:"tags,omitempty"`
}

// ActivityOutput describes an activity.
type ActivityOutput struct {
	ActivityArn  string `json:"activityArn"`
	Name         string `json:"name,omitempty"`
	CreationDate Epoch  `json:"creationDate"`
}

// CreateActivity creates an activity, or returns the existing one of that
// name (AWS's CreateActivity is idempotent).
func (s *Service) CreateActivity(ctx context.Context, in *CreateActivityInput) (*ActivityOutput, error) {
	if err := checkName("name", in.Name); err != nil {
		return nil, err
	}
	a := &store.Activity{ARN: s.arn("activity", in.Name), Name: in.Name, CreatedAt: s.eng.clk.Now()}
	err := s.st.CreateActivity(ctx, a)
	if errors.Is(err, store.ErrAlreadyExists) {
		cur, err := s.st.GetActivity(ctx, a.ARN)
		if err != nil {
			return nil, err
		}
		return &ActivityOutput{ActivityArn: cur.ARN, CreationDate: Epoch(cur.CreatedAt)}, nil
	}
	if err != nil {
		return nil, err
	}
	if len(in.Tags) > 0 {
		if err := s.st.TagResource(ctx, a.ARN, tagMap(in.Tags)); err != nil {
			return nil, err
		}
	}
	return &ActivityOutput{ActivityArn: a.ARN, CreationDate: Epoch(a.CreatedAt)}, nil
}

func (s *Service) getActivity(ctx context.Context, arn string) (*store.Activity, error) {
	if _, err := parseARN("activityArn", arn, "activity"); err != nil {
		return nil, err
	}
	a, err := s.st.GetActivity(ctx, arn)
	if notFound(err) {
		return nil, apiErr("ActivityDoesNotExist", "Activity Does Not Exist: '%s'", arn)
	}
	return a, err
}

// DescribeActivity describes an activity.
func (s *Service) DescribeActivity(ctx context.Context, in *ARNInput) (*ActivityOutput, error) {
	a, err := s.getActivity(ctx, in.ActivityArn)
	if err != nil {
		return nil, err
	}
	return &ActivityOutput{ActivityArn: a.ARN, Name: a.Name, CreationDate: Epoch(a.CreatedAt)}, nil
}

// DeleteActivity deletes an activity.
func (s *Service) DeleteActivity(ctx context.Context, in *ARNInput) (*Empty, error) {
	if _, err := parseARN("activityArn", in.ActivityArn, "activity"); err != nil {
		return nil, err
	}
	if err := s.st.DeleteActivity(ctx, in.ActivityArn); err != nil && !notFound(err) {
		return nil, err
	}
	return &Empty{}, nil
}

// ListActivitiesOutput is the ListActivities response.
type ListActivitiesOutput struct {
	Activities []ActivityOutput `json:"activities"`
	NextToken  string           `json:"nextToken,omitempty"`
}

// ListActivities lists activities by name.
func (s *Service) ListActivities(ctx context.Context, in *ListInput) (*ListActivitiesOutput, error) {
	p, err := in.page()
	if err != nil {
		return nil, err
	}
	list, next, err := s.st.ListActivities(ctx, p)
	if err != nil {
		return nil, pageErr(err)
	}
	out := &ListActivitiesOutput{Activities: []ActivityOutput{}, NextToken: next}
	for _, a := range list {
		out.Activities = append(out.Activities, ActivityOutput{ActivityArn: a.ARN, Name: a.Name, CreationDate: Epoch(a.CreatedAt)})
	}
	return out, nil
}

// GetActivityTaskInput is the GetActivityTask request.
type GetActivityTaskInput struct {
	ActivityArn string `json:"activityArn"`
	WorkerName  string `json:"workerName,omitempty"`
}

// GetActivityTaskOutput is the GetActivityTask response; both fields are
// absent when no task came within the poll.
type GetActivityTaskOutput struct {
	TaskToken string `json:"taskToken,omitempty"`
	Input     string `json:"input,omitempty"`
}

// ActivityPoll is how long GetActivityTask waits for a task: AWS holds the
// request for up to 60 seconds.
const ActivityPoll = 60 * time.Second

// GetActivityTask long-polls for a task of the activity.
func (s *Service) GetActivityTask(ctx context.Context, in *GetActivityTaskInput) (*GetActivityTaskOutput, error) {
	if _, err := s.getActivity(ctx, in.ActivityArn); err != nil {
		return nil, err
	}
	t, err := s.eng.GetActivityTask(ctx, in.ActivityArn, in.WorkerName, ActivityPoll)
	if ctx.Err() != nil {
		// The client hung up; nobody reads the answer, and it is no error.
		return &GetActivityTaskOutput{}, nil
	}
	if err != nil || t == nil {
		return &GetActivityTaskOutput{}, err
	}
	return &GetActivityTaskOutput{TaskToken: t.Token, Input: t.Input}, nil
}

// ValidateInput is the ValidateStateMachineDefinition request.
type ValidateInput struct {
	Definition string `json:"definition"`
	Type       string `json:"type,omitempty"`
	Severity   string `json:"severity,omitempty"`
	MaxResults int    `json:"maxResults,omitempty"`
}

// ValidateOutput is the ValidateStateMachineDefinition response.
type ValidateOutput struct {
	Result      string           `json:"result"`
	Diagnostics []asl.Diagnostic `json:"diagnostics"`
	Truncated   bool             `json:"truncated"`
}

// ValidateStateMachineDefinition reports every diagnostic of a definition.
func (s *Service) ValidateStateMachineDefinition(_ context.Context, in *ValidateInput) (*ValidateOutput, error) {
	if in.Definition == "" {
		return nil, apiErr("ValidationException", "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null")
	}
	diags := asl.Validate([]byte(in.Definition))
	out := &ValidateOutput{Result: "OK", Diagnostics: []asl.Diagnostic{}}
	for _, d := range diags {
		if d.Severity == asl.SeverityError {
			out.Result = "FAIL"
		}
		if in.Severity == "ERROR" && d.Severity != asl.SeverityError {
			continue
		}
		out.Diagnostics = append(out.Diagnostics, d)
	}
	if in.MaxResults > 0 && len(out.Diagnostics) > in.MaxResults {
		out.Diagnostics, out.Truncated = out.Diagnostics[:in.MaxResults], true
	}
	return out, nil
}

// TagInput is TagResource and UntagResource.
type TagInput struct {
	ResourceArn string   `json:"resourceArn"`
	Tags        []Tag    `json:"tags,omitempty"`
	TagKeys     []string `json:"tagKeys,omitempty"`
}

// ListTagsOutput is the ListTagsForResource response.
type ListTagsOutput struct {
	Tags []Tag `json:"tags"`
}

// maxTags is AWS's limit of tags per resource.
const maxTags = 50

func (s *Service) checkTagged(ctx context.Context, arn string) error {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "states" {
		return apiErr("InvalidArn", "Invalid Arn: '%s'", arn)
	}
	var err error
	switch parts[5] {
	case "stateMachine":
		_, err = s.st.GetStateMachine(ctx, strings.Join(parts[:7], ":"))
	case "activity":
		_, err = s.st.GetActivity(ctx, arn)
	default:
		return apiErr("InvalidArn", "Invalid Arn: '%s' (only state machines and activities carry tags)", arn)
	}
	if notFound(err) {
		return apiErr("ResourceNotFound", "Resource not found: '%s'", arn)
	}
	return err
}

// TagResource adds or replaces tags.
func (s *Service) TagResource(ctx context.Context, in *TagInput) (*Empty, error) {
	if err := s.checkTagged(ctx, in.ResourceArn); err != nil {
		return nil, err
	}
	cur, err := s.st.ListTags(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	for _, t := range in.Tags {
		if t.Key == "" || len(t.Key) > 128 || len(t.Value) > 256 {
			return nil, apiErr("ValidationException", "Tag keys must be 1 to 128 characters and values at most 256")
		}
		cur[t.Key] = t.Value
	}
	if len(cur) > maxTags {
		return nil, apiErr("TooManyTags", "Too many tags: a resource can have at most %d", maxTags)
	}
	return &Empty{}, s.st.TagResource(ctx, in.ResourceArn, tagMap(in.Tags))
}

// UntagResource removes tags.
func (s *Service) UntagResource(ctx context.Context, in *TagInput) (*Empty, error) {
	if err := s.checkTagged(ctx, in.ResourceArn); err != nil {
		return nil, err
	}
	return &Empty{}, s.st.UntagResource(ctx, in.ResourceArn, in.TagKeys)
}

// ListTagsForResource lists a resource's tags.
func (s *Service) ListTagsForResource(ctx context.Context, in *TagInput) (*ListTagsOutput, error) {
	if err := s.checkTagged(ctx, in.ResourceArn); err != nil {
		return nil, err
	}
	tags, err := s.st.ListTags(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	out := &ListTagsOutput{Tags: []Tag{}}
	for k, v := range tags {
		out.Tags = append(out.Tags, Tag{Key: k, Value: v})
	}
	sortTags(out.Tags)
	return out, nil
}

func sortTags(t []Tag) {
	for i := 1; i < len(t); i++ {
		for j := i; j > 0 && t[j].Key < t[j-1].Key; j-- {
			t[j], t[j-1] = t[j-1], t[j]
		}
	}
}

// DescribeStateMachineForExecution describes the revision an execution runs.
func (s *Service) DescribeStateMachineForExecution(ctx context.Context, in *ARNInput) (*DescribeStateMachineOutput, error) {
	rec, err := s.getExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := &DescribeStateMachineOutput{StateMachineArn: rec.StateMachineARN, Name: stateMachineName(rec.StateMachineARN),
		Definition: rec.Definition, RoleArn: rec.RoleARN, Type: rec.Type, Status: "ACTIVE",
		LoggingConfiguration: json.RawMessage(`{"level":"OFF","includeExecutionData":false}`),
		TracingConfiguration: json.RawMessage(`{"enabled":false}`)}
	if sm, err := s.st.GetStateMachine(ctx, rec.StateMachineARN); err == nil {
		out.CreationDate = Epoch(sm.UpdatedAt)
		out.RevisionId = sm.RevisionID
	}
	return out, nil
}
