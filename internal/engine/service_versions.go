package engine

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/batonrun/baton/internal/store"
)

// This file holds the state machine version and alias operations. Versions
// and aliases are addressed by the state machine's ARN with a qualifier:
// ":N" for a version, ":name" for an alias.

// maxVersions and maxAliases are AWS's quotas per state machine.
const (
	maxVersions = 1000
	maxAliases  = 100
)

// maxDescription bounds version and alias descriptions, as AWS's model does.
const maxDescription = 256

// qualifiedARN splits a state machine ARN with a qualifier into the state
// machine's ARN and the qualifier ("" when there is none).
func qualifiedARN(field, arn string) (base, qualifier string, err error) {
	parts, err := parseARN(field, arn, "stateMachine")
	if err != nil {
		return "", "", err
	}
	if len(parts) > 2 || parts[0] == "" {
		return "", "", apiErr("InvalidArn", "Invalid Arn: '%s'", arn)
	}
	base = strings.Join(strings.Split(arn, ":")[:7], ":")
	if len(parts) == 2 {
		if parts[1] == "" {
			return "", "", apiErr("InvalidArn", "Invalid Arn: '%s'", arn)
		}
		qualifier = parts[1]
	}
	return base, qualifier, nil
}

// isVersionQualifier reports whether a qualifier names a version (digits)
// rather than an alias.
func isVersionQualifier(q string) bool {
	if q == "" {
		return false
	}
	for i := 0; i < len(q); i++ {
		if q[i] < '0' || q[i] > '9' {
			return false
		}
	}
	return true
}

// stateMachineARNOnly checks that arn names a state machine itself, with no
// version or alias qualifier.
func stateMachineARNOnly(field, arn string) error {
	_, q, err := qualifiedARN(field, arn)
	if err != nil {
		return err
	}
	if q != "" {
		return apiErr("InvalidArn", "Invalid Arn: '%s' (%s must be a state machine ARN without a version or alias)", arn, field)
	}
	return nil
}

func checkDescription(d string) error {
	if utf8.RuneCountInString(d) > maxDescription {
		return apiErr("ValidationException", "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to %d", maxDescription)
	}
	return nil
}

// listErr maps a listing's error to AWS's. The Store interface has no
// sentinel for a token it cannot decode, so any failure of a listing given a
// token is reported as InvalidToken (the state machine's existence was
// checked before); the store's error is kept as the message's detail.
func listErr(err error, token string) error {
	if token == "" || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return pageErr(err)
	}
	return apiErr("InvalidToken", "Invalid Token: the nextToken is not valid (%v)", err)
}

// memTokenPrefix marks the pagination tokens of listings Baton pages in
// memory (Map Runs, aliases of a version), so that another listing's token
// is rejected rather than misread.
const memTokenPrefix = "baton-offset:"

// memPage pages a listing held in memory: it returns the bounds of the page
// in a list of n items and the token of the next page ("" on the last).
func memPage(n int, in ListInput) (start, end int, next string, err error) {
	p, err := in.page()
	if err != nil {
		return 0, 0, "", err
	}
	if p.NextToken != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(p.NextToken)
		s, ok := strings.CutPrefix(string(raw), memTokenPrefix)
		off, perr := strconv.Atoi(s)
		if derr != nil || !ok || perr != nil || off < 0 {
			return 0, 0, "", apiErr("InvalidToken", "Invalid Token: the nextToken is not valid")
		}
		start = min(off, n)
	}
	size := p.MaxResults
	if size == 0 {
		size = 100
	}
	end = min(start+size, n)
	if end < n {
		next = base64.RawURLEncoding.EncodeToString([]byte(memTokenPrefix + strconv.Itoa(end)))
	}
	return start, end, next, nil
}

// PublishStateMachineVersionInput is the PublishStateMachineVersion request.
type PublishStateMachineVersionInput struct {
	StateMachineArn string  `json:"stateMachineArn"`
	Description     string  `json:"description,omitempty"`
	RevisionId      *string `json:"revisionId,omitempty"`
}

// PublishStateMachineVersionOutput is the PublishStateMachineVersion
// response.
type PublishStateMachineVersionOutput struct {
	CreationDate           Epoch  `json:"creationDate"`
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
}

// PublishStateMachineVersion publishes the state machine's current revision
// as a version. Publishing a revision that is already the latest version
// returns that version, as AWS does. With revisionId, it publishes only if
// the state machine's current revision is that one (ConflictException
// otherwise); "INITIAL" names the revision of a machine never updated.
func (s *Service) PublishStateMachineVersion(ctx context.Context, in *PublishStateMachineVersionInput) (*PublishStateMachineVersionOutput, error) {
	if err := stateMachineARNOnly("stateMachineArn", in.StateMachineArn); err != nil {
		return nil, err
	}
	if err := checkDescription(in.Description); err != nil {
		return nil, err
	}
	sm, err := s.st.GetStateMachine(ctx, in.StateMachineArn)
	if notFound(err) {
		return nil, apiErr("StateMachineDoesNotExist", "State Machine Does Not Exist: '%s'", in.StateMachineArn)
	}
	if err != nil {
		return nil, err
	}
	if in.RevisionId != nil {
		initial := *in.RevisionId == "INITIAL" && sm.UpdatedAt.Equal(sm.CreatedAt)
		if !initial && *in.RevisionId != sm.RevisionID {
			return nil, apiErr("ConflictException", "Failed to publish the State Machine version for revision %s. The current State Machine revision is %s.", *in.RevisionId, sm.RevisionID)
		}
	}
	vs, _, err := s.st.ListVersions(ctx, sm.ARN, store.Page{MaxResults: maxVersions})
	if err != nil {
		return nil, err
	}
	unchanged := len(vs) > 0 && vs[0].Definition == sm.Definition && vs[0].RoleARN == sm.RoleARN
	if !unchanged && len(vs) >= maxVersions {
		return nil, apiErr("ServiceQuotaExceededException", "A state machine can have at most %d versions; delete unused versions with DeleteStateMachineVersion", maxVersions)
	}
	v, err := s.publish(ctx, sm, in.Description)
	if errors.Is(err, store.ErrConflict) {
		return nil, apiErr("ConflictException", "Another version of '%s' was published at the same time; try again", sm.ARN)
	}
	if err != nil {
		return nil, err
	}
	return &PublishStateMachineVersionOutput{CreationDate: Epoch(v.CreatedAt), StateMachineVersionArn: v.ARN}, nil
}

// ListStateMachineVersionsInput is the ListStateMachineVersions request.
type ListStateMachineVersionsInput struct {
	StateMachineArn string `json:"stateMachineArn"`
	ListInput
}

// StateMachineVersionListItem is one entry of ListStateMachineVersions.
type StateMachineVersionListItem struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	CreationDate           Epoch  `json:"creationDate"`
}

// ListStateMachineVersionsOutput is the ListStateMachineVersions response.
type ListStateMachineVersionsOutput struct {
	StateMachineVersions []StateMachineVersionListItem `json:"stateMachineVersions"`
	NextToken            string                        `json:"nextToken,omitempty"`
}

// ListStateMachineVersions lists a state machine's versions, newest first.
// A state machine that does not exist has no versions: AWS's model gives
// this operation no "does not exist" error.
func (s *Service) ListStateMachineVersions(ctx context.Context, in *ListStateMachineVersionsInput) (*ListStateMachineVersionsOutput, error) {
	if err := stateMachineARNOnly("stateMachineArn", in.StateMachineArn); err != nil {
		return nil, err
	}
	p, err := in.page()
	if err != nil {
		return nil, err
	}
	out := &ListStateMachineVersionsOutput{StateMachineVersions: []StateMachineVersionListItem{}}
	if _, err := s.st.GetStateMachine(ctx, in.StateMachineArn); notFound(err) {
		return out, nil
	} else if err != nil {
		return nil, err
	}
	vs, next, err := s.st.ListVersions(ctx, in.StateMachineArn, p)
	if err != nil {
		return nil, listErr(err, p.NextToken)
	}
	out.NextToken = next
	for _, v := range vs {
		out.StateMachineVersions = append(out.StateMachineVersions, StateMachineVersionListItem{StateMachineVersionArn: v.ARN, CreationDate: Epoch(v.CreatedAt)})
	}
	return out, nil
}

// DeleteStateMachineVersionInput is the DeleteStateMachineVersion request.
type DeleteStateMachineVersionInput struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
}

// DeleteStateMachineVersion deletes a version; deleting one that does not
// exist succeeds, as on AWS. A version an alias routes to cannot be deleted
// (ConflictException). Executions of the version keep running.
func (s *Service) DeleteStateMachineVersion(ctx context.Context, in *DeleteStateMachineVersionInput) (*Empty, error) {
	base, q, err := qualifiedARN("stateMachineVersionArn", in.StateMachineVersionArn)
	if err != nil {
		return nil, err
	}
	if !isVersionQualifier(q) {
		return nil, apiErr("InvalidArn", "Invalid Arn: '%s' (stateMachineVersionArn must be a state machine version ARN)", in.StateMachineVersionArn)
	}
	err = s.st.DeleteVersion(ctx, in.StateMachineVersionArn)
	switch {
	case err == nil, notFound(err):
		return &Empty{}, nil
	case errors.Is(err, store.ErrConflict):
		names, lerr := s.aliasesRoutingTo(ctx, base, in.StateMachineVersionArn)
		if lerr != nil {
			return nil, lerr
		}
		return nil, apiErr("ConflictException", "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [%s]", strings.Join(names, ", "))
	default:
		return nil, err
	}
}

// allAliases lists every alias of a state machine (at most maxAliases, so
// one page suffices in practice; it follows tokens regardless).
func (s *Service) allAliases(ctx context.Context, stateMachineARN string) ([]*store.StateMachineAlias, error) {
	var all []*store.StateMachineAlias
	token := ""
	for {
		as, next, err := s.st.ListAliases(ctx, stateMachineARN, store.Page{MaxResults: 1000, NextToken: token})
		if err != nil {
			return nil, err
		}
		all = append(all, as...)
		if next == "" || len(as) == 0 {
			return all, nil
		}
		token = next
	}
}

// aliasesRoutingTo names the aliases of a state machine that route to a
// version.
func (s *Service) aliasesRoutingTo(ctx context.Context, stateMachineARN, versionARN string) ([]string, error) {
	as, err := s.allAliases(ctx, stateMachineARN)
	if err != nil && !notFound(err) {
		return nil, err
	}
	var names []string
	for _, a := range as {
		for _, r := range a.Routing {
			if r.VersionARN == versionARN {
				names = append(names, a.Name)
				break
			}
		}
	}
	return names, nil
}

// RoutingConfigurationListItem is one version an alias routes to.
type RoutingConfigurationListItem struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	Weight                 int    `json:"weight"`
}

// CreateStateMachineAliasInput is the CreateStateMachineAlias request. The
// alias belongs to the state machine of the versions it routes to.
type CreateStateMachineAliasInput struct {
	Name                 string                         `json:"name"`
	Description          string                         `json:"description,omitempty"`
	RoutingConfiguration []RoutingConfigurationListItem `json:"routingConfiguration"`
}

// CreateStateMachineAliasOutput is the CreateStateMachineAlias response.
type CreateStateMachineAliasOutput struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
	CreationDate         Epoch  `json:"creationDate"`
}

// aliasNamePattern is AWS's pattern for alias names, quoted in its message.
const aliasNamePattern = `^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`

// checkAliasName applies AWS's rules for alias names: 1–80 characters of
// letters, digits, '_', '-' and '.', not all digits (which would read as a
// version number).
func checkAliasName(name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 {
		return apiErr("ValidationException", "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1", name)
	}
	if n > 80 {
		return apiErr("ValidationException", "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80", name)
	}
	hasNonDigit := false
	for _, r := range name {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r == '-', r == '.':
			hasNonDigit = true
		default:
			return apiErr("ValidationException", "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", name, aliasNamePattern)
		}
	}
	if !hasNonDigit {
		return apiErr("ValidationException", "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", name, aliasNamePattern)
	}
	return nil
}

// checkRouting validates a routing configuration and returns the state
// machine its versions belong to. It checks what AWS's model checks (1 or 2
// entries, weights 0–100) before what the service checks (version ARNs,
// distinct, of one state machine, weights summing to 100), with AWS's
// messages.
func checkRouting(routes []RoutingConfigurationListItem) (string, error) {
	if len(routes) == 0 {
		return "", apiErr("ValidationException", "1 validation error detected: Value '[]' at 'routingConfiguration' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	arns := make([]string, len(routes))
	weights := make([]string, len(routes))
	for i, r := range routes {
		arns[i], weights[i] = r.StateMachineVersionArn, strconv.Itoa(r.Weight)
	}
	if len(routes) > 2 {
		return "", apiErr("ValidationException", "1 validation error detected: Value '[%s]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2", strings.Join(arns, ", "))
	}
	for i, r := range routes {
		if r.Weight < 0 {
			return "", apiErr("ValidationException", "1 validation error detected: Value '%d' at 'routingConfiguration.%d.member.weight' failed to satisfy constraint: Member must have value greater than or equal to 0", r.Weight, i+1)
		}
		if r.Weight > 100 {
			return "", apiErr("ValidationException", "1 validation error detected: Value '%d' at 'routingConfiguration.%d.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100", r.Weight, i+1)
		}
	}
	machine := ""
	for _, r := range routes {
		base, q, err := qualifiedARN("stateMachineVersionArn", r.StateMachineVersionArn)
		if err != nil || !isVersionQualifier(q) {
			return "", apiErr("ValidationException", "Routing configuration must contain state machine version ARNs. Received: [%s]", strings.Join(arns, ", "))
		}
		if machine != "" && base != machine {
			return "", apiErr("ValidationException", "Routing configuration must contain versions of the same state machine. Received: [%s]", strings.Join(arns, ", "))
		}
		machine = base
	}
	if len(routes) == 2 && routes[0].StateMachineVersionArn == routes[1].StateMachineVersionArn {
		return "", apiErr("ValidationException", "Routing configuration must contain distinct state machine version ARNs. Received: [%s]", strings.Join(arns, ", "))
	}
	sum := 0
	for _, r := range routes {
		sum += r.Weight
	}
	if sum != 100 {
		return "", apiErr("ValidationException", "Sum of routing configuration weights must equal 100. Received: [%s]", strings.Join(weights, ", "))
	}
	return machine, nil
}

// resourceNotFound is AWS's message for an alias, version or state machine
// that an alias request references and that does not exist.
func resourceNotFound() error {
	return apiErr("ResourceNotFound", "Request references a resource that does not exist.")
}

// checkVersionsExist fails with ResourceNotFound unless every version the
// routing names exists.
func (s *Service) checkVersionsExist(ctx context.Context, routes []RoutingConfigurationListItem) error {
	for _, r := range routes {
		_, err := s.st.GetVersion(ctx, r.StateMachineVersionArn)
		if notFound(err) {
			return resourceNotFound()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func toRouting(routes []RoutingConfigurationListItem) []store.RoutingEntry {
	out := make([]store.RoutingEntry, len(routes))
	for i, r := range routes {
		out[i] = store.RoutingEntry{VersionARN: r.StateMachineVersionArn, Weight: r.Weight}
	}
	return out
}

func fromRouting(routes []store.RoutingEntry) []RoutingConfigurationListItem {
	out := make([]RoutingConfigurationListItem, len(routes))
	for i, r := range routes {
		out[i] = RoutingConfigurationListItem{StateMachineVersionArn: r.VersionARN, Weight: r.Weight}
	}
	return out
}

// sameRouting reports whether two routing configurations route the same
// weights to the same versions, in any order.
func sameRouting(a, b []store.RoutingEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// CreateStateMachineAlias creates an alias of the state machine whose
// versions it routes to. Creating an alias that exists with the same
// description and routing returns it, as AWS does; with another
// configuration it fails with ConflictException.
func (s *Service) CreateStateMachineAlias(ctx context.Context, in *CreateStateMachineAliasInput) (*CreateStateMachineAliasOutput, error) {
	if err := checkAliasName(in.Name); err != nil {
		return nil, err
	}
	if err := checkDescription(in.Description); err != nil {
		return nil, err
	}
	machine, err := checkRouting(in.RoutingConfiguration)
	if err != nil {
		return nil, err
	}
	if _, err := s.st.GetStateMachine(ctx, machine); notFound(err) {
		return nil, resourceNotFound()
	} else if err != nil {
		return nil, err
	}
	if err := s.checkVersionsExist(ctx, in.RoutingConfiguration); err != nil {
		return nil, err
	}
	now := s.eng.clk.Now()
	a := &store.StateMachineAlias{
		ARN: machine + ":" + in.Name, StateMachineARN: machine, Name: in.Name, Description: in.Description,
		Routing: toRouting(in.RoutingConfiguration), CreatedAt: now, UpdatedAt: now,
	}
	cur, err := s.st.GetAlias(ctx, a.ARN)
	switch {
	case err == nil:
		return existingAlias(cur, a)
	case !notFound(err):
		return nil, err
	}
	existing, err := s.allAliases(ctx, machine)
	if err != nil {
		return nil, err
	}
	if len(existing) >= maxAliases {
		return nil, apiErr("ServiceQuotaExceededException", "A state machine can have at most %d aliases; delete unused aliases with DeleteStateMachineAlias", maxAliases)
	}
	err = s.st.CreateAlias(ctx, a)
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		cur, gerr := s.st.GetAlias(ctx, a.ARN)
		if gerr != nil {
			return nil, gerr
		}
		return existingAlias(cur, a)
	case notFound(err):
		return nil, resourceNotFound()
	case err != nil:
		return nil, err
	}
	return &CreateStateMachineAliasOutput{StateMachineAliasArn: a.ARN, CreationDate: Epoch(a.CreatedAt)}, nil
}

// existingAlias answers a create of an alias that exists: the existing
// alias when the configuration is the same, ConflictException otherwise.
func existingAlias(cur, want *store.StateMachineAlias) (*CreateStateMachineAliasOutput, error) {
	if cur.Description != want.Description || !sameRouting(cur.Routing, want.Routing) {
		return nil, apiErr("ConflictException", "Failed to create alias because an alias with the same name and a different routing configuration already exists.")
	}
	return &CreateStateMachineAliasOutput{StateMachineAliasArn: cur.ARN, CreationDate: Epoch(cur.CreatedAt)}, nil
}

// AliasARNInput names an alias.
type AliasARNInput struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
}

// checkAliasARN checks that arn is a state machine alias ARN and returns
// the state machine's ARN.
func checkAliasARN(arn string) (string, error) {
	base, q, err := qualifiedARN("stateMachineAliasArn", arn)
	if err != nil {
		return "", err
	}
	if q == "" || isVersionQualifier(q) {
		return "", apiErr("InvalidArn", "Invalid Arn: '%s' (stateMachineAliasArn must be a state machine alias ARN)", arn)
	}
	return base, nil
}

// DescribeStateMachineAliasOutput describes an alias.
type DescribeStateMachineAliasOutput struct {
	StateMachineAliasArn string                         `json:"stateMachineAliasArn"`
	Name                 string                         `json:"name"`
	Description          string                         `json:"description,omitempty"`
	RoutingConfiguration []RoutingConfigurationListItem `json:"routingConfiguration"`
	CreationDate         Epoch                          `json:"creationDate"`
	UpdateDate           Epoch                          `json:"updateDate"`
}

// DescribeStateMachineAlias describes an alias.
func (s *Service) DescribeStateMachineAlias(ctx context.Context, in *AliasARNInput) (*DescribeStateMachineAliasOutput, error) {
	if _, err := checkAliasARN(in.StateMachineAliasArn); err != nil {
		return nil, err
	}
	a, err := s.st.GetAlias(ctx, in.StateMachineAliasArn)
	if notFound(err) {
		return nil, resourceNotFound()
	}
	if err != nil {
		return nil, err
	}
	return &DescribeStateMachineAliasOutput{
		StateMachineAliasArn: a.ARN, Name: a.Name, Description: a.Description,
		RoutingConfiguration: fromRouting(a.Routing), CreationDate: Epoch(a.CreatedAt), UpdateDate: Epoch(a.UpdatedAt),
	}, nil
}

// UpdateStateMachineAliasInput is the UpdateStateMachineAlias request.
type UpdateStateMachineAliasInput struct {
	StateMachineAliasArn string                         `json:"stateMachineAliasArn"`
	Description          *string                        `json:"description,omitempty"`
	RoutingConfiguration []RoutingConfigurationListItem `json:"routingConfiguration,omitempty"`
}

// UpdateStateMachineAliasOutput is the UpdateStateMachineAlias response.
type UpdateStateMachineAliasOutput struct {
	UpdateDate Epoch `json:"updateDate"`
}

// UpdateStateMachineAlias changes an alias's description or routing. The
// routing must name versions of the alias's own state machine. Executions
// started afterwards use the new routing; running ones are unaffected.
func (s *Service) UpdateStateMachineAlias(ctx context.Context, in *UpdateStateMachineAliasInput) (*UpdateStateMachineAliasOutput, error) {
	machine, err := checkAliasARN(in.StateMachineAliasArn)
	if err != nil {
		return nil, err
	}
	if in.Description == nil && in.RoutingConfiguration == nil {
		return nil, apiErr("ValidationException", "Either the description or the routingConfiguration must be specified")
	}
	if in.Description != nil {
		if err := checkDescription(*in.Description); err != nil {
			return nil, err
		}
	}
	if in.RoutingConfiguration != nil {
		routed, err := checkRouting(in.RoutingConfiguration)
		if err != nil {
			return nil, err
		}
		if routed != machine {
			return nil, apiErr("ValidationException", "Routing configuration must contain versions of the alias's state machine '%s'", machine)
		}
	}
	a, err := s.st.GetAlias(ctx, in.StateMachineAliasArn)
	if notFound(err) {
		return nil, resourceNotFound()
	}
	if err != nil {
		return nil, err
	}
	if in.RoutingConfiguration != nil {
		if err := s.checkVersionsExist(ctx, in.RoutingConfiguration); err != nil {
			return nil, err
		}
		a.Routing = toRouting(in.RoutingConfiguration)
	}
	if in.Description != nil {
		a.Description = *in.Description
	}
	a.UpdatedAt = s.eng.clk.Now()
	if err := s.st.UpdateAlias(ctx, a); notFound(err) {
		return nil, resourceNotFound()
	} else if err != nil {
		return nil, err
	}
	return &UpdateStateMachineAliasOutput{UpdateDate: Epoch(a.UpdatedAt)}, nil
}

// DeleteStateMachineAlias deletes an alias; deleting one that does not
// exist succeeds, as on AWS. The versions it routed to remain.
func (s *Service) DeleteStateMachineAlias(ctx context.Context, in *AliasARNInput) (*Empty, error) {
	if _, err := checkAliasARN(in.StateMachineAliasArn); err != nil {
		return nil, err
	}
	if err := s.st.DeleteAlias(ctx, in.StateMachineAliasArn); err != nil && !notFound(err) {
		return nil, err
	}
	return &Empty{}, nil
}

// ListStateMachineAliasesInput is the ListStateMachineAliases request.
type ListStateMachineAliasesInput struct {
	StateMachineArn string `json:"stateMachineArn"`
	ListInput
}

// StateMachineAliasListItem is one entry of ListStateMachineAliases.
type StateMachineAliasListItem struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
	CreationDate         Epoch  `json:"creationDate"`
}

// ListStateMachineAliasesOutput is the ListStateMachineAliases response.
type ListStateMachineAliasesOutput struct {
	StateMachineAliases []StateMachineAliasListItem `json:"stateMachineAliases"`
	NextToken           string                      `json:"nextToken,omitempty"`
}

// ListStateMachineAliases lists a state machine's aliases by name. Given a
// version ARN, it lists the aliases that route to that version, as AWS
// does.
func (s *Service) ListStateMachineAliases(ctx context.Context, in *ListStateMachineAliasesInput) (*ListStateMachineAliasesOutput, error) {
	base, q, err := qualifiedARN("stateMachineArn", in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	if q != "" && !isVersionQualifier(q) {
		return nil, apiErr("InvalidArn", "Invalid Arn: '%s' (stateMachineArn must be a state machine or version ARN)", in.StateMachineArn)
	}
	p, err := in.page()
	if err != nil {
		return nil, err
	}
	if _, err := s.st.GetStateMachine(ctx, base); notFound(err) {
		return nil, apiErr("StateMachineDoesNotExist", "State Machine Does Not Exist: '%s'", in.StateMachineArn)
	} else if err != nil {
		return nil, err
	}
	out := &ListStateMachineAliasesOutput{StateMachineAliases: []StateMachineAliasListItem{}}
	if q == "" {
		as, next, err := s.st.ListAliases(ctx, base, p)
		if err != nil {
			return nil, listErr(err, p.NextToken)
		}
		out.NextToken = next
		for _, a := range as {
			out.StateMachineAliases = append(out.StateMachineAliases, StateMachineAliasListItem{StateMachineAliasArn: a.ARN, CreationDate: Epoch(a.CreatedAt)})
		}
		return out, nil
	}
	if _, err := s.st.GetVersion(ctx, in.StateMachineArn); notFound(err) {
		return nil, resourceNotFound()
	} else if err != nil {
		return nil, err
	}
	all, err := s.allAliases(ctx, base)
	if err != nil {
		return nil, err
	}
	var routed []*store.StateMachineAlias
	for _, a := range all {
		for _, r := range a.Routing {
			if r.VersionARN == in.StateMachineArn {
				routed = append(routed, a)
				break
			}
		}
	}
	start, end, next, err := memPage(len(routed), in.ListInput)
	if err != nil {
		return nil, err
	}
	out.NextToken = next
	for _, a := range routed[start:end] {
		out.StateMachineAliases = append(out.StateMachineAliases, StateMachineAliasListItem{StateMachineAliasArn: a.ARN, CreationDate: Epoch(a.CreatedAt)})
	}
	return out, nil
}
