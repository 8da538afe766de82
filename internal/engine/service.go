package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/store"
	"github.com/batonrun/baton/internal/value"
)

// APIError is a Step Functions API error: Code is AWS's error code
// (ExecutionDoesNotExist, InvalidArn, ...). The server turns it into the
// protocol's error response; awsapi's table gives the HTTP status.
type APIError struct {
	Code    string
	Message string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

func apiErr(code, format string, args ...any) *APIError {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ServiceConfig configures the Step Functions API service.
type ServiceConfig struct {
	Engine *Engine
	Store  store.Store
	// Partition, Region and Account make ARNs; defaults "aws",
	// "us-east-1", "000000000000".
	Partition string
	Region    string
	Account   string
	// MaxPayloadBytes bounds an execution's input (default 262144).
	MaxPayloadBytes int
}

// Service implements the Step Functions API operations on the durable
// engine. Its methods take and return AWS's request and response shapes.
type Service struct {
	cfg ServiceConfig
	eng *Engine
	st  store.Store
}

// NewService returns the service; it does no I/O.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.Engine == nil || cfg.Store == nil {
		return nil, errors.New("engine: ServiceConfig needs Engine and Store")
	}
	if cfg.Partition == "" {
		cfg.Partition = "aws"
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Account == "" {
		cfg.Account = "000000000000"
	}
	if cfg.MaxPayloadBytes == 0 {
		cfg.MaxPayloadBytes = 256 * 1024
	}
	return &Service{cfg: cfg, eng: cfg.Engine, st: cfg.Store}, nil
}

func (s *Service) arn(kind, name string) string {
	return fmt.Sprintf("arn:%s:states:%s:%s:%s:%s", s.cfg.Partition, s.cfg.Region, s.cfg.Account, kind, name)
}

// Epoch is a time sent as epoch seconds with fractions, as the awsJson
// protocols encode timestamps.
type Epoch time.Time

// MarshalJSON writes seconds since the epoch.
func (t Epoch) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	return []byte(value.FormatNumber(float64(tt.UnixMilli()) / 1000)), nil
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// checkName applies AWS's rules for state machine, execution and activity
// names: 1–80 characters, no whitespace, brackets, wildcards, special
// characters or control characters.
func checkName(field, name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > 80 {
		return apiErr("InvalidName", "Invalid Name: '%s' (%s must be between 1 and 80 characters)", name, field)
	}
	for _, r := range name {
		switch {
		case r <= 0x20, r >= 0x7F && r <= 0x9F:
			return apiErr("InvalidName", "Invalid Name: '%s' (%s must not contain whitespace or control characters)", name, field)
		case strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r):
			return apiErr("InvalidName", "Invalid Name: '%s' (%s must not contain the character %q)", name, field, r)
		}
	}
	return nil
}

// parseARN checks an ARN of the given kind ("stateMachine", "execution",
// "activity") and returns its resource parts (after the kind).
func parseARN(field, arn, kind string) ([]string, error) {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "states" || parts[5] != kind {
		return nil, apiErr("InvalidArn", "Invalid Arn: '%s' (%s must be a %s ARN)", arn, field, kind)
	}
	return parts[6:], nil
}

func notFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// CreateStateMachineInput is the CreateStateMachine request.
type CreateStateMachineInput struct {
	Name                 string          `json:"name"`
	Definition           string          `json:"definition"`
	RoleArn              string          `json:"roleArn"`
	Type                 string          `json:"type"`
	LoggingConfiguration json.RawMessage `json:"loggingConfiguration,omitempty"`
	TracingConfiguration json.RawMessage `json:"tracingConfiguration,omitempty"`
	Tags                 []Tag           `json:"tags,omitempty"`
	Publish              bool            `json:"publish"`
	VersionDescription   string          `json:"versionDescription"`
}

// CreateStateMachineOutput is the CreateStateMachine response.
type CreateStateMachineOutput struct {
	StateMachineArn        string `json:"stateMachineArn"`
	CreationDate           Epoch  `json:"creationDate"`
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
}

func (s *Service) checkDefinition(def string) error {
	if strings.TrimSpace(def) == "" {
		return apiErr("ValidationException", "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must not be empty")
	}
	if _, err := asl.Parse([]byte(def)); err != nil {
		var inv *asl.InvalidDefinitionError
		if errors.As(err, &inv) {
			return apiErr("InvalidDefinition", "%s", inv.Error())
		}
		return apiErr("InvalidDefinition", "Invalid State Machine Definition: '%v'", err)
	}
	return nil
}

// CreateStateMachine creates a state machine. Creating one that exists with
// the same definition, role and type returns the existing one, as AWS does.
func (s *Service) CreateStateMachine(ctx context.Context, in *CreateStateMachineInput) (*CreateStateMachineOutput, error) {
	if err := checkName("name", in.Name); err != nil {
		return nil, err
	}
	if in.Type == "" {
		in.Type = "STANDARD"
	}
	if in.Type != "STANDARD" && in.Type != "EXPRESS" {
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", in.Type)
	}
	if in.RoleArn == "" {
		return nil, apiErr("ValidationException", "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
	}
	if !strings.HasPrefix(in.RoleArn, "arn:") {
		return nil, apiErr("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: %s' (roleArn)", in.RoleArn)
	}
	if err := s.checkDefinition(in.Definition); err != nil {
		return nil, err
	}
	now := s.eng.clk.Now()
	arn := s.arn("stateMachine", in.Name)
	sm := &store.StateMachine{
		ARN: arn, Name: in.Name, Type: in.Type, Definition: in.Definition, RoleARN: in.RoleArn,
		LoggingConfiguration: string(in.LoggingConfiguration), TracingConfiguration: string(in.TracingConfiguration),
		RevisionID: newRevision(now), CreatedAt: now, UpdatedAt: now,
	}
	err := s.st.CreateStateMachine(ctx, sm)
	if errors.Is(err, store.ErrAlreadyExists) {
		cur, gerr := s.st.GetStateMachine(ctx, arn)
		if gerr == nil && cur.Definition == sm.Definition && cur.RoleARN == sm.RoleARN && cur.Type == sm.Type && !in.Publish {
			return &CreateStateMachineOutput{StateMachineArn: arn, CreationDate: Epoch(cur.CreatedAt)}, nil
		}
		return nil, apiErr("StateMachineAlreadyExists", "State Machine Already Exists: '%s'", arn)
	}
	if err != nil {
		return nil, err
	}
	if len(in.Tags) > 0 {
		if err := s.st.TagResource(ctx, arn, tagMap(in.Tags)); err != nil {
			return nil, err
		}
	}
	out := &CreateStateMachineOutput{StateMachineArn: arn, CreationDate: Epoch(now)}
	if in.Publish {
		v, err := s.publish(ctx, sm, in.VersionDescription)
		if err != nil {
			return nil, err
		}
		out.StateMachineVersionArn = v.ARN
	}
	return out, nil
}

func newRevision(t time.Time) string {
	return fmt.Sprintf("%x", t.UnixNano())
}

func tagMap(tags []Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// publish stores the state machine's current revision as its next version.
func (s *Service) publish(ctx context.Context, sm *store.StateMachine, description string) (*store.StateMachineVersion, error) {
	vs, _, err := s.st.ListVersions(ctx, sm.ARN, store.Page{MaxResults: 1})
	if err != nil {
		return nil, err
	}
	next := 1
	if len(vs) > 0 {
		if vs[0].Definition == sm.Definition && vs[0].RoleARN == sm.RoleARN {
			return vs[0], nil // the current revision is already published
		}
		next = vs[0].Version + 1
	}
	v := &store.StateMachineVersion{
		ARN: fmt.Sprintf("%s:%d", sm.ARN, next), StateMachineARN: sm.ARN, Version: next, Definition: sm.Definition,
		RoleARN: sm.RoleARN, Type: sm.Type, Description: description, RevisionID: sm.RevisionID, CreatedAt: s.eng.clk.Now(),
	}
	if err := s.st.CreateVersion(ctx, v); err != nil {
		return nil, err
	}
	return v, nil
}

// DescribeStateMachineInput names a state machine, version or alias.
type DescribeStateMachineInput struct {
	StateMachineArn string `json:"stateMachineArn"`
	IncludedData    string `json:"includedData,omitempty"`
}

// DescribeStateMachineOutput describes a state machine.
type DescribeStateMachineOutput struct {
	StateMachineArn      string          `json:"stateMachineArn"`
	Name                 string          `json:"name"`
	Status               string          `json:"status"`
	Definition           string          `json:"definition"`
	RoleArn              string          `json:"roleArn"`
	Type                 string          `json:"type"`
	CreationDate         Epoch           `json:"creationDate"`
	LoggingConfiguration json.RawMessage `json:"loggingConfiguration,omitempty"`
	TracingConfiguration json.RawMessage `json:"tracingConfiguration,omitempty"`
	RevisionId           string          `json:"revisionId,omitempty"`
	Description          string          `json:"description,omitempty"`
}

func rawOr(s, def string) json.RawMessage {
	if s == "" {
		return json.RawMessage(def)
	}
	return json.RawMessage(s)
}

// resolveStateMachine finds a state machine, a version (":N") or an alias
// (":name") and returns what an execution of it runs.
func (s *Service) resolveStateMachine(ctx context.Context, field, arn string) (sm *store.StateMachine, versionARN, aliasARN string, err error) {
	parts, err := parseARN(field, arn, "stateMachine")
	if err != nil {
		return nil, "", "", err
	}
	base := strings.Join(strings.Split(arn, ":")[:7], ":")
	sm, err = s.st.GetStateMachine(ctx, base)
	if notFound(err) {
		return nil, "", "", apiErr("StateMachineDoesNotExist", "State Machine Does Not Exist: '%s'", arn)
	}
	if err != nil {
		return nil, "", "", err
	}
	if len(parts) == 1 {
		return sm, "", "", nil
	}
	qualifier := parts[1]
	if qualifier != "" && qualifier[0] >= '0' && qualifier[0] <= '9' {
		v, err := s.st.GetVersion(ctx, arn)
		if notFound(err) {
			return nil, "", "", apiErr("ResourceNotFound", "State Machine Version Does Not Exist: '%s'", arn)
		}
		if err != nil {
			return nil, "", "", err
		}
		c := *sm
		c.Definition, c.RoleARN = v.Definition, v.RoleARN
		return &c, v.ARN, "", nil
	}
	a, err := s.st.GetAlias(ctx, arn)
	if notFound(err) {
		return nil, "", "", apiErr("ResourceNotFound", "State Machine Alias Does Not Exist: '%s'", arn)
	}
	if err != nil {
		return nil, "", "", err
	}
	vARN := pickVersion(a.Routing)
	v, err := s.st.GetVersion(ctx, vARN)
	if err != nil {
		return nil, "", "", err
	}
	c := *sm
	c.Definition, c.RoleARN = v.Definition, v.RoleARN
	return &c, v.ARN, a.ARN, nil
}

// pickVersion chooses a version by the alias's routing weights.
func pickVersion(routes []store.RoutingEntry) string {
	if len(routes) == 1 {
		return routes[0].VersionARN
	}
	n := int(time.Now().UnixNano() % 100)
	for _, r := range routes {
		if n < r.Weight {
			return r.VersionARN
		}
		n -= r.Weight
	}
	return routes[len(routes)-1].VersionARN
}

// DescribeStateMachine describes a state machine or one of its versions.
func (s *Service) DescribeStateMachine(ctx context.Context, in *DescribeStateMachineInput) (*DescribeStateMachineOutput, error) {
	sm, versionARN, _, err := s.resolveStateMachine(ctx, "stateMachineArn", in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	out := &DescribeStateMachineOutput{
		StateMachineArn: sm.ARN, Name: sm.Name, Status: "ACTIVE", Definition: sm.Definition, RoleArn: sm.RoleARN,
		Type: sm.Type, CreationDate: Epoch(sm.CreatedAt), RevisionId: sm.RevisionID,
		LoggingConfiguration: rawOr(sm.LoggingConfiguration, `{"level":"OFF","includeExecutionData":false}`),
		TracingConfiguration: rawOr(sm.TracingConfiguration, `{"enabled":false}`),
	}
	if versionARN != "" {
		out.StateMachineArn = versionARN
	}
	return out, nil
}

// ListInput is a paginated list request.
type ListInput struct {
	MaxResults int    `json:"maxResults"`
	NextToken  string `json:"nextToken,omitempty"`
}

func (l ListInput) page() (store.Page, error) {
	if l.MaxResults < 0 || l.MaxResults > 1000 {
		return store.Page{}, apiErr("ValidationException", "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", l.MaxResults)
	}
	return store.Page{MaxResults: l.MaxResults, NextToken: l.NextToken}, nil
}

// StateMachineListItem is one entry of ListStateMachines.
type StateMachineListItem struct {
	StateMachineArn string `json:"stateMachineArn"`
	Name            string `json:"name"`
	Type            string `json:"type"`
	CreationDate    Epoch  `json:"creationDate"`
}

// ListStateMachinesOutput is the ListStateMachines response.
type ListStateMachinesOutput struct {
	StateMachines []StateMachineListItem `json:"stateMachines"`
	NextToken     string                 `json:"nextToken,omitempty"`
}

// ListStateMachines lists state machines by name.
func (s *Service) ListStateMachines(ctx context.Context, in *ListInput) (*ListStateMachinesOutput, error) {
	p, err := in.page()
	if err != nil {
		return nil, err
	}
	sms, next, err := s.st.ListStateMachines(ctx, p)
	if err != nil {
		return nil, pageErr(err)
	}
	out := &ListStateMachinesOutput{StateMachines: []StateMachineListItem{}, NextToken: next}
	for _, sm := range sms {
		out.StateMachines = append(out.StateMachines, StateMachineListItem{StateMachineArn: sm.ARN, Name: sm.Name, Type: sm.Type, CreationDate: Epoch(sm.CreatedAt)})
	}
	return out, nil
}

// pageErr maps a bad pagination token to AWS's error.
func pageErr(err error) error {
	if errors.Is(err, store.ErrInvalidToken) {
		return apiErr("InvalidToken", "Invalid Token: the nextToken is not valid")
	}
	return err
}

// UpdateStateMachineInput is the UpdateStateMachine request.
type UpdateStateMachineInput struct {
	StateMachineArn      string          `json:"stateMachineArn"`
	Definition           string          `json:"definition,omitempty"`
	RoleArn              string          `json:"roleArn,omitempty"`
	LoggingConfiguration json.RawMessage `json:"loggingConfiguration,omitempty"`
	TracingConfiguration json.RawMessage `json:"tracingConfiguration,omitempty"`
	Publish              bool            `json:"publish"`
	VersionDescription   string          `json:"versionDescription"`
}

// UpdateStateMachineOutput is the UpdateStateMachine response.
type UpdateStateMachineOutput struct {
	UpdateDate             Epoch  `json:"updateDate"`
	RevisionId             string `json:"revisionId"`
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
}

// UpdateStateMachine changes a state machine's definition or role. Running
// executions keep the definition they started with.
func (s *Service) UpdateStateMachine(ctx context.Context, in *UpdateStateMachineInput) (*UpdateStateMachineOutput, error) {
	if _, err := parseARN("stateMachineArn", in.StateMachineArn, "stateMachine"); err != nil {
		return nil, err
	}
	if in.Definition == "" && in.RoleArn == "" && in.LoggingConfiguration == nil && in.TracingConfiguration == nil {
		return nil, apiErr("MissingRequiredParameter", "Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified")
	}
	sm, err := s.st.GetStateMachine(ctx, in.StateMachineArn)
	if notFound(err) {
		return nil, apiErr("StateMachineDoesNotExist", "State Machine Does Not Exist: '%s'", in.StateMachineArn)
	}
	if err != nil {
		return nil, err
	}
	if in.Definition != "" {
		if err := s.checkDefinition(in.Definition); err != nil {
			return nil, err
		}
		sm.Definition = in.Definition
	}
	if in.RoleArn != "" {
		sm.RoleARN = in.RoleArn
	}
	if in.LoggingConfiguration != nil {
		sm.LoggingConfiguration = string(in.LoggingConfiguration)
	}
	if in.TracingConfiguration != nil {
		sm.TracingConfiguration = string(in.TracingConfiguration)
	}
	now := s.eng.clk.Now()
	sm.UpdatedAt, sm.RevisionID = now, newRevision(now)
	if err := s.st.UpdateStateMachine(ctx, sm); err != nil {
		return nil, err
	}
	out := &UpdateStateMachineOutput{UpdateDate: Epoch(now), RevisionId: sm.RevisionID}
	if in.Publish {
		v, err := s.publish(ctx, sm, in.VersionDescription)
		if err != nil {
			return nil, err
		}
		out.StateMachineVersionArn = v.ARN
	}
	return out, nil
}

// ARNInput is a request naming one resource.
type ARNInput struct {
	StateMachineArn string `json:"stateMachineArn,omitempty"`
	ExecutionArn    string `json:"executionArn,omitempty"`
	ActivityArn     string `json:"activityArn,omitempty"`
	ResourceArn     string `json:"resourceArn,omitempty"`
}

// Empty is an empty response.
type Empty struct{}

// DeleteStateMachine deletes a state machine with its versions and aliases.
func (s *Service) DeleteStateMachine(ctx context.Context, in *ARNInput) (*Empty, error) {
	if _, err := parseARN("stateMachineArn", in.StateMachineArn, "stateMachine"); err != nil {
		return nil, err
	}
	if err := s.st.DeleteStateMachine(ctx, in.StateMachineArn); err != nil && !notFound(err) {
		return nil, err
	}
	return &Empty{}, nil
}

// StartExecutionInput is the StartExecution request.
type StartExecutionInput struct {
	StateMachineArn string  `json:"stateMachineArn"`
	Name            string  `json:"name,omitempty"`
	Input           *string `json:"input,omitempty"`
	TraceHeader     string  `json:"traceHeader,omitempty"`
}

// StartExecutionOutput is the StartExecution response.
type StartExecutionOutput struct {
	ExecutionArn string `json:"executionArn"`
	StartDate    Epoch  `json:"startDate"`
}

// StartExecution starts a Standard execution. Starting one with the name and
// input of a running execution returns that execution, as AWS does; with
// other input, or after it ended, it fails with ExecutionAlreadyExists.
func (s *Service) StartExecution(ctx context.Context, in *StartExecutionInput) (*StartExecutionOutput, error) {
	sm, versionARN, aliasARN, err := s.resolveStateMachine(ctx, "stateMachineArn", in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	input, err := s.checkInput(in.Input)
	if err != nil {
		return nil, err
	}
	if sm.Type == "EXPRESS" {
		return s.startExpress(sm, in.Name, input, in.TraceHeader)
	}
	name := in.Name
	if name == "" {
		name = newExecutionName()
	} else if err := checkName("name", name); err != nil {
		return nil, err
	}
	rec := &store.Execution{
		ARN:             s.arn("execution", sm.Name+":"+name),
		StateMachineARN: sm.ARN, Name: name, Type: sm.Type, Definition: sm.Definition,
		VersionARN: versionARN, AliasARN: aliasARN, RoleARN: sm.RoleARN, Input: input, TraceHeader: in.TraceHeader,
	}
	err = s.eng.StartExecution(ctx, rec)
	if errors.Is(err, store.ErrAlreadyExists) {
		cur, gerr := s.st.GetExecution(ctx, rec.ARN)
		if gerr == nil && cur.Status == store.StatusRunning && cur.Input == input {
			return &StartExecutionOutput{ExecutionArn: cur.ARN, StartDate: Epoch(cur.StartDate)}, nil
		}
		return nil, apiErr("ExecutionAlreadyExists", "Execution Already Exists: '%s'", rec.ARN)
	}
	if err != nil {
		return nil, err
	}
	return &StartExecutionOutput{ExecutionArn: rec.ARN, StartDate: Epoch(rec.StartDate)}, nil
}

// checkInput validates an execution input and returns its text ("{}" when
// absent).
func (s *Service) checkInput(in *string) (string, error) {
	if in == nil {
		return "{}", nil
	}
	if len(*in) > s.cfg.MaxPayloadBytes {
		return "", apiErr("InvalidExecutionInput", "Input exceeds the maximum size of %d bytes", s.cfg.MaxPayloadBytes)
	}
	if _, err := value.DecodeString(*in); err != nil {
		return "", apiErr("InvalidExecutionInput", "Invalid State Machine Execution Input: '%v'", err)
	}
	return *in, nil
}

// newExecutionName is a random UUID, the name AWS gives an execution
// started without one.
func newExecutionName() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		u := rand.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(u >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0xf])
	}
	return string(out)
}
