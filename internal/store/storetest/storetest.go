package storetest

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/batonrun/baton/internal/store"
)

// Run runs the suite against the stores newStore opens. newStore must return
// a new, empty store each time it is called and arrange for it to be closed
// when t ends (t.Cleanup); the suite may close it earlier itself.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"StateMachine/CreateGet", testStateMachineCreateGet},
		{"StateMachine/Update", testStateMachineUpdate},
		{"StateMachine/Delete", testStateMachineDelete},
		{"StateMachine/List", testStateMachineList},
		{"StateMachine/ListDefaultPage", testStateMachineListDefaultPage},
		{"Version/Create", testVersionCreate},
		{"Version/Delete", testVersionDelete},
		{"Version/List", testVersionList},
		{"Alias/CreateGetUpdate", testAliasCreateGetUpdate},
		{"Alias/Delete", testAliasDelete},
		{"Alias/List", testAliasList},
		{"Activity", testActivity},
		{"Activity/List", testActivityList},
		{"Tags", testTags},
		{"Execution/Create", testExecutionCreate},
		{"Execution/CreateDuplicate", testExecutionCreateDuplicate},
		{"Execution/CreateInSteps", testExecutionCreateInSteps},
		{"Page/InvalidToken", testInvalidToken},
		{"Execution/List", testExecutionList},
		{"Execution/ListFilters", testExecutionListFilters},
		{"Execution/Running", testRunningExecutions},
		{"Steps/Append", testStepsAppend},
		{"Steps/Status", testStepsStatus},
		{"Steps/Redrive", testStepsRedrive},
		{"Steps/SameExecutionTwice", testStepsSameExecutionTwice},
		{"Steps/UnknownExecution", testStepsUnknownExecution},
		{"Steps/DuplicateEvent", testStepsDuplicateEvent},
		{"Steps/RemoveMissing", testStepsRemoveMissing},
		{"Steps/Empty", testStepsEmpty},
		{"Steps/Concurrent", testStepsConcurrent},
		{"History/Pages", testHistoryPages},
		{"History/NotFound", testHistoryNotFound},
		{"Timers", testTimers},
		{"Timers/Replace", testTimersReplace},
		{"Tasks", testTasks},
		{"Tasks/Claim", testTasksClaim},
		{"Tasks/ClaimConcurrent", testTasksClaimConcurrent},
		{"Tasks/DuplicateToken", testTasksDuplicateToken},
		{"Close", testClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newStore(t))
		})
	}
}

// Fixtures. ARNs follow AWS's shapes; times are UTC with millisecond
// precision.

const (
	arnPrefix = "arn:aws:states:us-east-1:123456789012:"
	roleARN   = "arn:aws:iam::123456789012:role/baton"
)

var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535_000_000, time.UTC)

// at returns t0 plus sec seconds.
func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

func stateMachineARN(name string) string { return arnPrefix + "stateMachine:" + name }

func executionARN(smName, name string) string {
	return arnPrefix + "execution:" + smName + ":" + name
}

func activityARN(name string) string { return arnPrefix + "activity:" + name }

func newStateMachine(name string) *store.StateMachine {
	return &store.StateMachine{
		ARN:                     stateMachineARN(name),
		Name:                    name,
		Type:                    "STANDARD",
		Definition:              `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
		RoleARN:                 roleARN,
		Description:             "state machine " + name,
		LoggingConfiguration:    `{"level":"OFF"}`,
		TracingConfiguration:    `{"enabled":false}`,
		EncryptionConfiguration: `{"type":"AWS_OWNED_KEY"}`,
		RevisionID:              "rev-" + name,
		CreatedAt:               at(0),
		UpdatedAt:               at(1),
	}
}

func newVersion(sm *store.StateMachine, n int) *store.StateMachineVersion {
	return &store.StateMachineVersion{
		ARN:             sm.ARN + ":" + strconv.Itoa(n),
		StateMachineARN: sm.ARN,
		Version:         n,
		Definition:      sm.Definition,
		RoleARN:         sm.RoleARN,
		Type:            sm.Type,
		Description:     "version " + strconv.Itoa(n),
		RevisionID:      sm.RevisionID,
		CreatedAt:       at(10 + n),
	}
}

func newAlias(sm *store.StateMachine, name string, routing ...store.RoutingEntry) *store.StateMachineAlias {
	return &store.StateMachineAlias{
		ARN:             sm.ARN + ":" + name,
		StateMachineARN: sm.ARN,
		Name:            name,
		Description:     "alias " + name,
		Routing:         routing,
		CreatedAt:       at(20),
		UpdatedAt:       at(21),
	}
}

// newExecution returns a RUNNING execution of the state machine named smName.
func newExecution(smName, name string, start time.Time) *store.Execution {
	return &store.Execution{
		ARN:             executionARN(smName, name),
		StateMachineARN: stateMachineARN(smName),
		Name:            name,
		Type:            "STANDARD",
		Definition:      `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
		RoleARN:         roleARN,
		Status:          store.StatusRunning,
		Input:           `{"name":"` + name + `"}`,
		StartDate:       start,
		// The high bit is set: drivers must keep all 64 bits.
		Seed:        0xF00D_CAFE_0000_0001,
		TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
	}
}

// event returns a history event with the given ID.
func event(id int64, typ string) store.Event {
	e := store.Event{ID: id, PreviousEventID: id - 1, Timestamp: at(int(id)), Type: typ}
	if typ != "" {
		e.DetailsKey = "passStateEnteredEventDetails"
		e.Details = fmt.Sprintf(`{"name":"S%d","input":"{}"}`, id)
	}
	return e
}

// events returns events with IDs from..to inclusive.
func events(from, to int64) []store.Event {
	var evs []store.Event
	for id := from; id <= to; id++ {
		evs = append(evs, event(id, "PassStateEntered"))
	}
	return evs
}

func startStep(arn string) store.StepWrite {
	return store.StepWrite{ExecutionARN: arn, Events: []store.Event{event(1, "ExecutionStarted")}}
}

// createExecution stores a new execution with its ExecutionStarted event.
func createExecution(t *testing.T, s store.Store, e *store.Execution) {
	t.Helper()
	must(t, s.CreateExecution(t.Context(), e, startStep(e.ARN)))
}

// Assertions.

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}

func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// listAll follows NextToken from the first page to the last, checking that
// no page is longer than max and that only the last page has no token.
func listAll[T any](t *testing.T, max int, list func(p store.Page) ([]T, string, error)) []T {
	t.Helper()
	var all []T
	token := ""
	for range 10_000 {
		page, next, err := list(store.Page{MaxResults: max, NextToken: token})
		if err != nil {
			t.Fatalf("list page (token %q): %v", token, err)
		}
		if max > 0 && len(page) > max {
			t.Fatalf("page has %d items, want at most %d", len(page), max)
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		if len(page) == 0 {
			t.Fatalf("empty page with NextToken %q", next)
		}
		token = next
	}
	t.Fatal("NextToken never ran out")
	return nil
}

// State machines.

func testStateMachineCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := newStateMachine("orders")
	must(t, s.CreateStateMachine(ctx, sm))

	got, err := s.GetStateMachine(ctx, sm.ARN)
	must(t, err)
	equal(t, "state machine", got, sm)

	dup := newStateMachine("orders")
	dup.Description = "other"
	wantErr(t, s.CreateStateMachine(ctx, dup), store.ErrAlreadyExists)
	got, err = s.GetStateMachine(ctx, sm.ARN)
	must(t, err)
	equal(t, "state machine after duplicate create", got, sm)

	_, err = s.GetStateMachine(ctx, stateMachineARN("missing"))
	wantErr(t, err, store.ErrNotFound)
}

func testStateMachineUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := newStateMachine("orders")
	must(t, s.CreateStateMachine(ctx, sm))

	up := *sm
	up.Definition = `{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}`
	up.RoleARN = roleARN + "2"
	up.Description = "updated"
	up.LoggingConfiguration = `{"level":"ALL"}`
	up.TracingConfiguration = `{"enabled":true}`
	up.EncryptionConfiguration = ""
	up.RevisionID = "rev-2"
	up.UpdatedAt = at(100)
	must(t, s.UpdateStateMachine(ctx, &up))
	got, err := s.GetStateMachine(ctx, sm.ARN)
	must(t, err)
	equal(t, "updated state machine", got, &up)

	wantErr(t, s.UpdateStateMachine(ctx, newStateMachine("missing")), store.ErrNotFound)
	_, err = s.GetStateMachine(ctx, stateMachineARN("missing"))
	wantErr(t, err, store.ErrNotFound)
}

func testStateMachineDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := newStateMachine("orders")
	other := newStateMachine("orders-2") // its ARN starts with sm's
	must(t, s.CreateStateMachine(ctx, sm))
	must(t, s.CreateStateMachine(ctx, other))
	v1 := newVersion(sm, 1)
	must(t, s.CreateVersion(ctx, v1))
	must(t, s.CreateVersion(ctx, newVersion(other, 1)))
	alias := newAlias(sm, "prod", store.RoutingEntry{VersionARN: v1.ARN, Weight: 100})
	must(t, s.CreateAlias(ctx, alias))
	must(t, s.TagResource(ctx, sm.ARN, map[string]string{"team": "payments"}))
	must(t, s.TagResource(ctx, other.ARN, map[string]string{"team": "media"}))
	exec := newExecution("orders", "e1", at(0))
	exec.VersionARN = v1.ARN
	exec.AliasARN = alias.ARN
	createExecution(t, s, exec)

	must(t, s.DeleteStateMachine(ctx, sm.ARN))

	_, err := s.GetStateMachine(ctx, sm.ARN)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetVersion(ctx, v1.ARN)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetAlias(ctx, alias.ARN)
	wantErr(t, err, store.ErrNotFound)
	tags, err := s.ListTags(ctx, sm.ARN)
	must(t, err)
	equal(t, "tags of deleted state machine", len(tags), 0)

	// The execution remains, with its history.
	got, err := s.GetExecution(ctx, exec.ARN)
	must(t, err)
	equal(t, "execution", got, exec)
	hist, _, err := s.History(ctx, exec.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "history length", len(hist), 1)

	// The other state machine is untouched.
	_, err = s.GetStateMachine(ctx, other.ARN)
	must(t, err)
	_, err = s.GetVersion(ctx, other.ARN+":1")
	must(t, err)
	tags, err = s.ListTags(ctx, other.ARN)
	must(t, err)
	equal(t, "tags of other state machine", tags, map[string]string{"team": "media"})

	wantErr(t, s.DeleteStateMachine(ctx, sm.ARN), store.ErrNotFound)

	// A state machine created again under the name starts its versions
	// from 1.
	must(t, s.CreateStateMachine(ctx, sm))
	must(t, s.CreateVersion(ctx, newVersion(sm, 1)))
}

func testStateMachineList(t *testing.T, s store.Store) {
	ctx := t.Context()
	names := []string{"delta", "alpha", "echo", "charlie", "bravo"}
	for _, n := range names {
		must(t, s.CreateStateMachine(ctx, newStateMachine(n)))
	}
	slices.Sort(names)

	for _, max := range []int{0, 1, 2, 5, 6} {
		t.Run(fmt.Sprintf("MaxResults=%d", max), func(t *testing.T) {
			all := listAll(t, max, func(p store.Page) ([]*store.StateMachine, string, error) {
				return s.ListStateMachines(ctx, p)
			})
			var got []string
			for _, sm := range all {
				got = append(got, sm.Name)
			}
			equal(t, "names", got, names)
			equal(t, "record", all[0], newStateMachine("alpha"))
		})
	}

	first, next, err := s.ListStateMachines(ctx, store.Page{MaxResults: 2})
	must(t, err)
	equal(t, "first page length", len(first), 2)
	if next == "" {
		t.Fatal("first page of 2 out of 5 has no NextToken")
	}
	// A token stays valid after the listing changes: it resumes after the
	// last item returned.
	must(t, s.DeleteStateMachine(ctx, stateMachineARN("charlie")))
	rest, next, err := s.ListStateMachines(ctx, store.Page{MaxResults: 10, NextToken: next})
	must(t, err)
	equal(t, "next token after last page", next, "")
	var got []string
	for _, sm := range rest {
		got = append(got, sm.Name)
	}
	equal(t, "rest", got, []string{"delta", "echo"})

	// Exactly MaxResults remaining: the last page may or may not carry a
	// token, but following it must end with no more items.
	all := listAll(t, 4, func(p store.Page) ([]*store.StateMachine, string, error) {
		return s.ListStateMachines(ctx, p)
	})
	equal(t, "count after delete", len(all), 4)
}

func testStateMachineListDefaultPage(t *testing.T, s store.Store) {
	ctx := t.Context()
	for i := range 105 {
		must(t, s.CreateStateMachine(ctx, newStateMachine(fmt.Sprintf("sm-%03d", i))))
	}
	page, next, err := s.ListStateMachines(ctx, store.Page{})
	must(t, err)
	equal(t, "default page size", len(page), 100)
	if next == "" {
		t.Fatal("no NextToken after a full default page")
	}
	rest, next, err := s.ListStateMachines(ctx, store.Page{NextToken: next})
	must(t, err)
	equal(t, "second page size", len(rest), 5)
	equal(t, "second page token", next, "")
	equal(t, "first of second page", rest[0].Name, "sm-100")
}

// Versions.

func testVersionCreate(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := newStateMachine("orders")
	must(t, s.CreateStateMachine(ctx, sm))

	wantErr(t, s.CreateVersion(ctx, newVersion(sm, 2)), store.ErrConflict)
	wantErr(t, s.CreateVersion(ctx, newVersion(sm, 0)), store.ErrConflict)
	v1 := newVersion(sm, 1)
	must(t, s.CreateVersion(ctx, v1))
	wantErr(t, s.CreateVersion(ctx, newVersion(sm, 1)), store.ErrConflict)
	wantErr(t, s.CreateVersion(ctx, newVersion(sm, 3)), store.ErrConflict)
	must(t, s.CreateVersion(ctx, newVersion(sm, 2)))

	got, err := s.GetVersion(ctx, v1.ARN)
	must(t, err)
	equal(t, "version", got, v1)
	_, err = s.GetVersion(ctx, sm.ARN+":3")
	wantErr(t, err, store.ErrNotFound)

	// Version numbers are never reused: after deleting the highest
	// version, the next one is still one more than it.
	must(t, s.DeleteVersion(ctx, sm.ARN+":2"))
	wantErr(t, s.CreateVersion(ctx, newVersion(sm, 2)), store.ErrConflict)
	must(t, s.CreateVersion(ctx, newVersion(sm, 3)))

	// Updating the state machine does not reset the numbering.
	must(t, s.UpdateStateMachine(ctx, sm))
	must(t, s.CreateVersion(ctx, newVersion(sm, 4)))

	missing := newStateMachine("missing")
	wantErr(t, s.CreateVersion(ctx, newVersion(missing, 1)), store.ErrNotFound)
}

func testVersionDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := newStateMachine("orders")
	must(t, s.CreateStateMachine(ctx, sm))
	v1, v2 := newVersion(sm, 1), newVersion(sm, 2)
	must(t, s.CreateVersion(ctx, v1))
	must(t, s.CreateVersion(ctx, v2))
	must(t, s.CreateAlias(ctx, newAlias(sm, "prod", store.RoutingEntry{VersionARN: v1.ARN, Weight: 100})))

	// An alias routes to v1: deleting it would leave the alias dangling.
	wantErr(t, s.DeleteVersion(ctx, v1.ARN), store.ErrConflict)
	_, err := s.GetVersion(ctx, v1.ARN)
	must(t, err)

	must(t, s.DeleteVersion(ctx, v2.ARN))
	_, err = s.GetVersion(ctx, v2.ARN)
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteVersion(ctx, v2.ARN), store.ErrNotFound)

	must(t, s.DeleteAlias(ctx, sm.ARN+":prod"))
	must(t, s.DeleteVersion(ctx, v1.ARN))
}

func testVersionList(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm, other := newStateMachine("orders"), newStateMachine("other")
	must(t, s.CreateStateMachine(ctx, sm))
	must(t, s.CreateStateMachine(ctx, other))
	for n := 1; n <= 5; n++ {
		must(t, s.CreateVersion(ctx, newVersion(sm, n)))
	}
	must(t, s.CreateVersion(ctx, newVersion(other, 1)))

	for _, max := range []int{0, 1, 2, 5} {
		all := listAll(t, max, func(p store.Page) ([]*store.StateMachineVersion, string, error) {
			return s.ListVersions(ctx, sm.ARN, p)
		})
		var got []int
		for _, v := range all {
			got = append(got, v.Version)
		}
		equal(t, fmt.Sprintf("versions with MaxResults=%d", max), got, []int{5, 4, 3, 2, 1})
		equal(t, "record", all[0], newVersion(sm, 5))
	}

	_, _, err := s.ListVersions(ctx, stateMachineARN("missing"), store.Page{})
	wantErr(t, err, store.ErrNotFound)

	empty := newStateMachine("empty")
	must(t, s.CreateStateMachine(ctx, empty))
	vs, next, err := s.ListVersions(ctx, empty.ARN, store.Page{})
	must(t, err)
	equal(t, "versions of a state machine without any", len(vs), 0)
	equal(t, "token", next, "")
}

// Aliases.

func testAliasCreateGetUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := newStateMachine("orders")
	must(t, s.CreateStateMachine(ctx, sm))
	v1, v2 := newVersion(sm, 1), newVersion(sm, 2)
	must(t, s.CreateVersion(ctx, v1))
	must(t, s.CreateVersion(ctx, v2))

	a := newAlias(sm, "prod",
		store.RoutingEntry{VersionARN: v2.ARN, Weight: 90},
		store.RoutingEntry{VersionARN: v1.ARN, Weight: 10})
	must(t, s.CreateAlias(ctx, a))
	got, err := s.GetAlias(ctx, a.ARN)
	must(t, err)
	equal(t, "alias", got, a)

	wantErr(t, s.CreateAlias(ctx, newAlias(sm, "prod", store.RoutingEntry{VersionARN: v1.ARN, Weight: 100})), store.ErrAlreadyExists)
	wantErr(t, s.CreateAlias(ctx, newAlias(newStateMachine("missing"), "prod")), store.ErrNotFound)
	wantErr(t, s.CreateAlias(ctx, newAlias(sm, "beta", store.RoutingEntry{VersionARN: sm.ARN + ":9", Weight: 100})), store.ErrNotFound)
	_, err = s.GetAlias(ctx, sm.ARN+":beta")
	wantErr(t, err, store.ErrNotFound)

	up := *a
	up.Description = "all on v1"
	up.Routing = []store.RoutingEntry{{VersionARN: v1.ARN, Weight: 100}}
	up.UpdatedAt = at(50)
	must(t, s.UpdateAlias(ctx, &up))
	got, err = s.GetAlias(ctx, a.ARN)
	must(t, err)
	equal(t, "updated alias", got, &up)

	// An update that routes to a missing version changes nothing.
	bad := up
	bad.Description = "bad"
	bad.Routing = []store.RoutingEntry{{VersionARN: sm.ARN + ":9", Weight: 100}}
	wantErr(t, s.UpdateAlias(ctx, &bad), store.ErrNotFound)
	got, err = s.GetAlias(ctx, a.ARN)
	must(t, err)
	equal(t, "alias after failed update", got, &up)

	// v2 is no longer routed to, so it can go.
	must(t, s.DeleteVersion(ctx, v2.ARN))

	wantErr(t, s.UpdateAlias(ctx, newAlias(sm, "missing")), store.ErrNotFound)
}

func testAliasDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := newStateMachine("orders")
	must(t, s.CreateStateMachine(ctx, sm))
	v1 := newVersion(sm, 1)
	must(t, s.CreateVersion(ctx, v1))
	a := newAlias(sm, "prod", store.RoutingEntry{VersionARN: v1.ARN, Weight: 100})
	must(t, s.CreateAlias(ctx, a))

	must(t, s.DeleteAlias(ctx, a.ARN))
	_, err := s.GetAlias(ctx, a.ARN)
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteAlias(ctx, a.ARN), store.ErrNotFound)
	must(t, s.CreateAlias(ctx, a))
}

func testAliasList(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm, other := newStateMachine("orders"), newStateMachine("other")
	must(t, s.CreateStateMachine(ctx, sm))
	must(t, s.CreateStateMachine(ctx, other))
	v1 := newVersion(sm, 1)
	must(t, s.CreateVersion(ctx, v1))
	names := []string{"prod", "beta", "canary", "alpha"}
	for _, n := range names {
		must(t, s.CreateAlias(ctx, newAlias(sm, n, store.RoutingEntry{VersionARN: v1.ARN, Weight: 100})))
	}
	must(t, s.CreateAlias(ctx, newAlias(other, "zulu")))
	slices.Sort(names)

	for _, max := range []int{0, 1, 3} {
		all := listAll(t, max, func(p store.Page) ([]*store.StateMachineAlias, string, error) {
			return s.ListAliases(ctx, sm.ARN, p)
		})
		var got []string
		for _, a := range all {
			got = append(got, a.Name)
		}
		equal(t, fmt.Sprintf("aliases with MaxResults=%d", max), got, names)
		equal(t, "record", all[0], newAlias(sm, "alpha", store.RoutingEntry{VersionARN: v1.ARN, Weight: 100}))
	}

	_, _, err := s.ListAliases(ctx, stateMachineARN("missing"), store.Page{})
	wantErr(t, err, store.ErrNotFound)
}

// Activities.

func testActivity(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := &store.Activity{ARN: activityARN("approve"), Name: "approve", CreatedAt: at(0)}
	must(t, s.CreateActivity(ctx, a))
	got, err := s.GetActivity(ctx, a.ARN)
	must(t, err)
	equal(t, "activity", got, a)
	wantErr(t, s.CreateActivity(ctx, a), store.ErrAlreadyExists)

	must(t, s.TagResource(ctx, a.ARN, map[string]string{"k": "v"}))
	must(t, s.DeleteActivity(ctx, a.ARN))
	_, err = s.GetActivity(ctx, a.ARN)
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteActivity(ctx, a.ARN), store.ErrNotFound)
	tags, err := s.ListTags(ctx, a.ARN)
	must(t, err)
	equal(t, "tags of deleted activity", len(tags), 0)
}

func testActivityList(t *testing.T, s store.Store) {
	ctx := t.Context()
	names := []string{"ship", "approve", "pack", "bill", "notify"}
	for i, n := range names {
		must(t, s.CreateActivity(ctx, &store.Activity{ARN: activityARN(n), Name: n, CreatedAt: at(i)}))
	}
	slices.Sort(names)
	for _, max := range []int{0, 2, 5} {
		all := listAll(t, max, func(p store.Page) ([]*store.Activity, string, error) {
			return s.ListActivities(ctx, p)
		})
		var got []string
		for _, a := range all {
			got = append(got, a.Name)
		}
		equal(t, fmt.Sprintf("activities with MaxResults=%d", max), got, names)
	}
}

// Tags.

func testTags(t *testing.T, s store.Store) {
	ctx := t.Context()
	arn := stateMachineARN("orders")

	tags, err := s.ListTags(ctx, arn)
	must(t, err)
	equal(t, "tags of an untagged resource", len(tags), 0)

	must(t, s.TagResource(ctx, arn, map[string]string{"team": "payments", "env": "dev"}))
	must(t, s.TagResource(ctx, arn, map[string]string{"env": "prod", "cost": ""}))
	must(t, s.TagResource(ctx, activityARN("x"), map[string]string{"team": "other"}))
	tags, err = s.ListTags(ctx, arn)
	must(t, err)
	equal(t, "tags", tags, map[string]string{"team": "payments", "env": "prod", "cost": ""})

	must(t, s.UntagResource(ctx, arn, []string{"team", "missing"}))
	tags, err = s.ListTags(ctx, arn)
	must(t, err)
	equal(t, "tags after untag", tags, map[string]string{"env": "prod", "cost": ""})

	must(t, s.TagResource(ctx, arn, nil))
	must(t, s.UntagResource(ctx, arn, nil))
	tags, err = s.ListTags(ctx, activityARN("x"))
	must(t, err)
	equal(t, "other resource's tags", tags, map[string]string{"team": "other"})
}

// Executions.

func testExecutionCreate(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "e1", at(0))
	e.VersionARN = stateMachineARN("orders") + ":3"
	e.AliasARN = stateMachineARN("orders") + ":prod"
	e.ParentARN = executionARN("parent", "p1")
	e.RedriveCount = 2
	e.RedriveDate = at(5)
	first := store.StepWrite{
		ExecutionARN: e.ARN,
		Events:       []store.Event{event(1, "ExecutionStarted"), event(2, "PassStateEntered")},
		AddTimers:    []store.Timer{{ID: "t1", ExecutionARN: e.ARN, FireAt: at(60)}},
		AddTasks:     []store.Task{newTask(e.ARN, "k1", "tok-1", "", at(1))},
	}
	must(t, s.CreateExecution(ctx, e, first))

	got, err := s.GetExecution(ctx, e.ARN)
	must(t, err)
	equal(t, "execution", got, e)

	hist, next, err := s.History(ctx, e.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "history", hist, first.Events)
	equal(t, "history token", next, "")
	sigs, err := s.Signals(ctx, e.ARN)
	must(t, err)
	equal(t, "signals of a new execution", len(sigs), 0)
	timers, err := s.DueTimers(ctx, at(60), 10)
	must(t, err)
	equal(t, "timers", timers, first.AddTimers)
	tasks, err := s.Tasks(ctx, e.ARN)
	must(t, err)
	equal(t, "tasks", tasks, first.AddTasks)

	_, err = s.GetExecution(ctx, executionARN("orders", "missing"))
	wantErr(t, err, store.ErrNotFound)

	// A first step may carry a signal and a status.
	e2 := newExecution("orders", "e2", at(1))
	must(t, s.CreateExecution(ctx, e2, store.StepWrite{
		ExecutionARN: e2.ARN,
		Signal:       []byte(`{"start":true}`),
		Events:       []store.Event{event(1, "ExecutionStarted"), event(2, "ExecutionSucceeded")},
		Status:       store.StatusSucceeded,
		Output:       `{"ok":true}`,
		StopDate:     at(2),
	}))
	got, err = s.GetExecution(ctx, e2.ARN)
	must(t, err)
	want := *e2
	want.Status, want.Output, want.StopDate = store.StatusSucceeded, `{"ok":true}`, at(2)
	equal(t, "execution finished by its first step", got, &want)
	sigs, err = s.Signals(ctx, e2.ARN)
	must(t, err)
	equal(t, "signals", sigs, [][]byte{[]byte(`{"start":true}`)})
}

func testExecutionCreateDuplicate(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "e1", at(0))
	createExecution(t, s, e)

	// Same state machine and name: the same ARN.
	dup := newExecution("orders", "e1", at(10))
	dup.Input = `{"other":true}`
	err := s.CreateExecution(ctx, dup, store.StepWrite{
		ExecutionARN: dup.ARN,
		Events:       []store.Event{event(1, "ExecutionStarted"), event(2, "PassStateEntered")},
		AddTimers:    []store.Timer{{ID: "t1", FireAt: at(20)}},
	})
	wantErr(t, err, store.ErrAlreadyExists)

	got, err := s.GetExecution(ctx, e.ARN)
	must(t, err)
	equal(t, "execution after duplicate create", got, e)
	hist, _, err := s.History(ctx, e.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "history after duplicate create", len(hist), 1)
	_, ok, err := s.NextTimer(ctx)
	must(t, err)
	equal(t, "timer written by failed create", ok, false)

	// The same name under another state machine is another execution.
	createExecution(t, s, newExecution("other", "e1", at(0)))
}

// testExecutionCreateInSteps checks StepWrite.Create: executions created in
// a WriteSteps batch, atomically with the batch's other steps.
func testExecutionCreateInSteps(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newExecution("orders", "a", at(0))
	b := newExecution("orders", "b", at(1))
	err := s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: a.ARN, Create: a, Events: []store.Event{event(1, "ExecutionStarted")}},
		{ExecutionARN: b.ARN, Create: b, Events: []store.Event{event(1, "ExecutionStarted"), event(2, "PassStateEntered")}},
	})
	must(t, err)
	got, err := s.GetExecution(ctx, b.ARN)
	must(t, err)
	equal(t, "created execution", got, b)
	hist, _, err := s.History(ctx, b.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "history of created execution", len(hist), 2)

	// A batch whose creation collides writes nothing at all.
	c := newExecution("orders", "c", at(2))
	dup := newExecution("orders", "a", at(3))
	err = s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: c.ARN, Create: c, Events: []store.Event{event(1, "ExecutionStarted")}},
		{ExecutionARN: dup.ARN, Create: dup, Events: []store.Event{event(1, "ExecutionStarted")}},
	})
	wantErr(t, err, store.ErrAlreadyExists)
	_, err = s.GetExecution(ctx, c.ARN)
	wantErr(t, err, store.ErrNotFound)
}

// testInvalidToken checks that listings reject tokens they did not issue
// with ErrInvalidToken, which the API reports as InvalidToken.
func testInvalidToken(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, _, err := s.ListStateMachines(ctx, store.Page{NextToken: "not-a-token"})
	wantErr(t, err, store.ErrInvalidToken)
	_, _, err = s.ListActivities(ctx, store.Page{NextToken: "not-a-token"})
	wantErr(t, err, store.ErrInvalidToken)
}

func testExecutionList(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Start dates: e3 newest; e1 and e2 tie and are ordered by ARN,
	// descending; e0 oldest.
	for _, e := range []*store.Execution{
		newExecution("orders", "e1", at(10)),
		newExecution("orders", "e3", at(30)),
		newExecution("orders", "e0", at(0)),
		newExecution("orders", "e2", at(10)),
		newExecution("other", "x", at(20)),
	} {
		createExecution(t, s, e)
	}
	want := []string{"e3", "e2", "e1", "e0"}
	for _, max := range []int{0, 1, 2, 3, 4} {
		all := listAll(t, max, func(p store.Page) ([]*store.Execution, string, error) {
			return s.ListExecutions(ctx, store.ExecutionFilter{StateMachineARN: stateMachineARN("orders"), Page: p})
		})
		var got []string
		for _, e := range all {
			got = append(got, e.Name)
		}
		equal(t, fmt.Sprintf("executions with MaxResults=%d", max), got, want)
		equal(t, "record", all[0], newExecution("orders", "e3", at(30)))
	}

	list, next, err := s.ListExecutions(ctx, store.ExecutionFilter{StateMachineARN: stateMachineARN("missing")})
	must(t, err)
	equal(t, "executions of an unknown state machine", len(list), 0)
	equal(t, "token", next, "")
}

func testExecutionListFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := stateMachineARN("orders")
	v1, v2, prod := sm+":1", sm+":2", sm+":prod"
	parent := executionARN("parent", "p")

	mk := func(name string, sec int, mod func(e *store.Execution)) {
		e := newExecution("orders", name, at(sec))
		mod(e)
		createExecution(t, s, e)
	}
	mk("a", 1, func(e *store.Execution) { e.VersionARN = v1 })
	mk("b", 2, func(e *store.Execution) { e.VersionARN = v2; e.AliasARN = prod })
	mk("c", 3, func(e *store.Execution) { e.VersionARN = v1; e.AliasARN = prod; e.ParentARN = parent })
	mk("d", 4, func(e *store.Execution) { e.ParentARN = parent })
	mk("e", 5, func(e *store.Execution) {})
	child := newExecution("child", "f", at(6))
	child.ParentARN = parent
	createExecution(t, s, child)

	must(t, s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: executionARN("orders", "b"), Status: store.StatusFailed, Error: "E", Cause: "C", StopDate: at(9)},
		{ExecutionARN: executionARN("orders", "d"), Status: store.StatusSucceeded, Output: "{}", StopDate: at(9)},
		{ExecutionARN: executionARN("child", "f"), Status: store.StatusSucceeded, Output: "{}", StopDate: at(9)},
	}))

	tests := []struct {
		name string
		f    store.ExecutionFilter
		want []string
	}{
		{"all", store.ExecutionFilter{StateMachineARN: sm}, []string{"e", "d", "c", "b", "a"}},
		{"running", store.ExecutionFilter{StateMachineARN: sm, Status: store.StatusRunning}, []string{"e", "c", "a"}},
		{"failed", store.ExecutionFilter{StateMachineARN: sm, Status: store.StatusFailed}, []string{"b"}},
		{"timed out", store.ExecutionFilter{StateMachineARN: sm, Status: store.StatusTimedOut}, nil},
		{"version", store.ExecutionFilter{StateMachineARN: sm, VersionARN: v1}, []string{"c", "a"}},
		{"alias", store.ExecutionFilter{StateMachineARN: sm, AliasARN: prod}, []string{"c", "b"}},
		{"version and alias", store.ExecutionFilter{StateMachineARN: sm, VersionARN: v1, AliasARN: prod}, []string{"c"}},
		{"parent", store.ExecutionFilter{ParentARN: parent}, []string{"f", "d", "c"}},
		{"parent and state machine", store.ExecutionFilter{StateMachineARN: sm, ParentARN: parent}, []string{"d", "c"}},
		{"parent and status", store.ExecutionFilter{ParentARN: parent, Status: store.StatusSucceeded}, []string{"f", "d"}},
	}
	for _, tt := range tests {
		for _, max := range []int{0, 1, 2} {
			all := listAll(t, max, func(p store.Page) ([]*store.Execution, string, error) {
				f := tt.f
				f.Page = p
				return s.ListExecutions(ctx, f)
			})
			var got []string
			for _, e := range all {
				got = append(got, e.Name)
			}
			equal(t, fmt.Sprintf("%s, MaxResults=%d", tt.name, max), got, tt.want)
		}
	}
}

func testRunningExecutions(t *testing.T, s store.Store) {
	ctx := t.Context()
	got, err := s.RunningExecutions(ctx)
	must(t, err)
	equal(t, "running executions of an empty store", len(got), 0)

	for i, name := range []string{"a", "b", "c", "d"} {
		createExecution(t, s, newExecution("orders", name, at(i)))
	}
	must(t, s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: executionARN("orders", "b"), Status: store.StatusSucceeded, StopDate: at(9)},
		{ExecutionARN: executionARN("orders", "d"), Status: store.StatusAborted, StopDate: at(9)},
	}))
	got, err = s.RunningExecutions(ctx)
	must(t, err)
	var names []string
	for _, e := range got {
		names = append(names, e.Name)
	}
	slices.Sort(names)
	equal(t, "running", names, []string{"a", "c"})
	equal(t, "record", got[slices.IndexFunc(got, func(e *store.Execution) bool { return e.Name == "a" })], newExecution("orders", "a", at(0)))
}

// Steps.

func testStepsAppend(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newExecution("orders", "a", at(0)), newExecution("orders", "b", at(0))
	createExecution(t, s, a)
	createExecution(t, s, b)

	must(t, s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: a.ARN, Signal: []byte("a1"), Events: events(2, 4)},
		{ExecutionARN: b.ARN, Signal: []byte("b1"), Events: events(2, 2)},
	}))
	must(t, s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: a.ARN, Signal: []byte("a2"), Events: events(5, 5)},
		{ExecutionARN: b.ARN, Events: events(3, 3)}, // no signal
		{ExecutionARN: a.ARN, Signal: []byte("a3")}, // no events
	}))

	hist, _, err := s.History(ctx, a.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "history of a", hist, append([]store.Event{event(1, "ExecutionStarted")}, events(2, 5)...))
	hist, _, err = s.History(ctx, b.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "history of b", hist, append([]store.Event{event(1, "ExecutionStarted")}, events(2, 3)...))

	sigs, err := s.Signals(ctx, a.ARN)
	must(t, err)
	equal(t, "signals of a", sigs, [][]byte{[]byte("a1"), []byte("a2"), []byte("a3")})
	sigs, err = s.Signals(ctx, b.ARN)
	must(t, err)
	equal(t, "signals of b", sigs, [][]byte{[]byte("b1")})

	// Steps without a status leave the execution as it was.
	got, err := s.GetExecution(ctx, a.ARN)
	must(t, err)
	equal(t, "execution", got, a)
}

func testStepsStatus(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "e", at(0))
	createExecution(t, s, e)

	must(t, s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: e.ARN,
		Events:       []store.Event{event(2, "ExecutionFailed")},
		Status:       store.StatusFailed,
		Error:        "States.TaskFailed",
		Cause:        "boom",
		StopDate:     at(7),
	}}))
	got, err := s.GetExecution(ctx, e.ARN)
	must(t, err)
	want := *e
	want.Status, want.Error, want.Cause, want.StopDate = store.StatusFailed, "States.TaskFailed", "boom", at(7)
	equal(t, "failed execution", got, &want)

	// A later status replaces status, output, error, cause and stop date
	// together (a redrive runs it again; then it succeeds).
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: e.ARN, Status: store.StatusRunning}}))
	got, err = s.GetExecution(ctx, e.ARN)
	must(t, err)
	equal(t, "running again", got, e)
	running, err := s.RunningExecutions(ctx)
	must(t, err)
	equal(t, "running executions", len(running), 1)

	must(t, s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: e.ARN, Status: store.StatusSucceeded, Output: `{"done":1}`, StopDate: at(9),
	}}))
	got, err = s.GetExecution(ctx, e.ARN)
	must(t, err)
	want = *e
	want.Status, want.Output, want.StopDate = store.StatusSucceeded, `{"done":1}`, at(9)
	equal(t, "succeeded execution", got, &want)
}

func testStepsSameExecutionTwice(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "e", at(0))
	createExecution(t, s, e)

	// Two steps of one execution in one batch apply in order: the second
	// sees the first's timer and task.
	must(t, s.WriteSteps(ctx, []store.StepWrite{
		{
			ExecutionARN: e.ARN, Signal: []byte("s1"), Events: events(2, 3),
			AddTimers: []store.Timer{{ID: "t1", FireAt: at(5)}},
			AddTasks:  []store.Task{newTask(e.ARN, "k1", "tok-1", "", at(1))},
		},
		{
			ExecutionARN: e.ARN, Signal: []byte("s2"), Events: events(4, 4),
			RemoveTimers: []string{"t1"}, RemoveTasks: []string{"k1"},
			AddTimers: []store.Timer{{ID: "t2", FireAt: at(6)}},
		},
	}))
	sigs, err := s.Signals(ctx, e.ARN)
	must(t, err)
	equal(t, "signals", sigs, [][]byte{[]byte("s1"), []byte("s2")})
	timers, err := s.DueTimers(ctx, at(100), 0)
	must(t, err)
	equal(t, "timers", timers, []store.Timer{{ID: "t2", ExecutionARN: e.ARN, FireAt: at(6)}})
	tasks, err := s.Tasks(ctx, e.ARN)
	must(t, err)
	equal(t, "tasks", len(tasks), 0)
	hist, _, err := s.History(ctx, e.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "history length", len(hist), 4)
}

// checkUntouched checks that e has only its ExecutionStarted event, no
// signals, no timers or tasks, and its original record.
func checkUntouched(t *testing.T, s store.Store, e *store.Execution) {
	t.Helper()
	ctx := t.Context()
	got, err := s.GetExecution(ctx, e.ARN)
	must(t, err)
	equal(t, "execution", got, e)
	hist, _, err := s.History(ctx, e.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "history", hist, []store.Event{event(1, "ExecutionStarted")})
	sigs, err := s.Signals(ctx, e.ARN)
	must(t, err)
	equal(t, "signals", len(sigs), 0)
	tasks, err := s.Tasks(ctx, e.ARN)
	must(t, err)
	equal(t, "tasks", len(tasks), 0)
	_, ok, err := s.NextTimer(ctx)
	must(t, err)
	equal(t, "a timer exists", ok, false)
}

func testStepsUnknownExecution(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "e", at(0))
	createExecution(t, s, e)

	// The batch fails as a whole: e's step, before and after the unknown
	// one, is not written.
	for _, unknownFirst := range []bool{false, true} {
		steps := []store.StepWrite{
			{
				ExecutionARN: e.ARN, Signal: []byte("s"), Events: events(2, 3),
				Status: store.StatusSucceeded, Output: "{}", StopDate: at(3),
				AddTimers: []store.Timer{{ID: "t", FireAt: at(1)}},
				AddTasks:  []store.Task{newTask(e.ARN, "k", "tok", activityARN("a"), at(1))},
			},
			{ExecutionARN: executionARN("orders", "missing"), Signal: []byte("x"), Events: events(2, 2)},
		}
		if unknownFirst {
			steps[0], steps[1] = steps[1], steps[0]
		}
		wantErr(t, s.WriteSteps(ctx, steps), store.ErrNotFound)
		checkUntouched(t, s, e)
	}

	// A step with nothing but the ARN still checks it.
	wantErr(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: executionARN("orders", "missing")}}), store.ErrNotFound)
	_, err := s.GetExecution(ctx, executionARN("orders", "missing"))
	wantErr(t, err, store.ErrNotFound)
}

func testStepsDuplicateEvent(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "e", at(0))
	createExecution(t, s, e)

	// Event 1 exists: a second writer's step conflicts and changes nothing.
	err := s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: e.ARN, Signal: []byte("s"),
		Events:    []store.Event{event(2, "PassStateEntered"), event(1, "ExecutionStarted")},
		Status:    store.StatusSucceeded,
		AddTimers: []store.Timer{{ID: "t", FireAt: at(1)}},
	}})
	wantErr(t, err, store.ErrConflict)
	checkUntouched(t, s, e)

	// A duplicate within one batch conflicts too.
	err = s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: e.ARN, Events: events(2, 2)},
		{ExecutionARN: e.ARN, Events: events(2, 3)},
	})
	wantErr(t, err, store.ErrConflict)
	checkUntouched(t, s, e)

	// So does a timer or task ID that is already scheduled.
	must(t, s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: e.ARN,
		AddTimers:    []store.Timer{{ID: "t", FireAt: at(1)}},
		AddTasks:     []store.Task{newTask(e.ARN, "k", "tok", "", at(1))},
	}}))
	wantErr(t, s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: e.ARN, AddTimers: []store.Timer{{ID: "t", FireAt: at(2)}},
	}}), store.ErrConflict)
	wantErr(t, s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: e.ARN, AddTasks: []store.Task{newTask(e.ARN, "k", "tok-2", "", at(1))},
	}}), store.ErrConflict)
	timers, err := s.DueTimers(ctx, at(100), 0)
	must(t, err)
	equal(t, "timers", timers, []store.Timer{{ID: "t", ExecutionARN: e.ARN, FireAt: at(1)}})
}

func testStepsRemoveMissing(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "e", at(0))
	createExecution(t, s, e)

	// Withdrawing a timer or task that is not outstanding means another
	// step already handled it: the batch conflicts and writes nothing.
	for _, step := range []store.StepWrite{
		{ExecutionARN: e.ARN, Signal: []byte("fired"), Events: events(2, 2), RemoveTimers: []string{"nope"}},
		{ExecutionARN: e.ARN, Signal: []byte("done"), Events: events(2, 2), RemoveTasks: []string{"nope"}},
	} {
		wantErr(t, s.WriteSteps(ctx, []store.StepWrite{step}), store.ErrConflict)
		checkUntouched(t, s, e)
	}

	// Timer and task IDs are scoped to their execution.
	other := newExecution("orders", "other", at(0))
	createExecution(t, s, other)
	must(t, s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: other.ARN,
		AddTimers:    []store.Timer{{ID: "t", FireAt: at(1)}},
		AddTasks:     []store.Task{newTask(other.ARN, "k", "tok", "", at(1))},
	}}))
	wantErr(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: e.ARN, RemoveTimers: []string{"t"}}}), store.ErrConflict)
	wantErr(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: e.ARN, RemoveTasks: []string{"k"}}}), store.ErrConflict)
	// The same IDs can be used by e.
	must(t, s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: e.ARN,
		AddTimers:    []store.Timer{{ID: "t", FireAt: at(1)}},
		AddTasks:     []store.Task{newTask(e.ARN, "k", "tok-e", "", at(1))},
	}}))
	timers, err := s.DueTimers(ctx, at(1), 0)
	must(t, err)
	equal(t, "timers", len(timers), 2)
}

func testStepsEmpty(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, s.WriteSteps(ctx, nil))
	must(t, s.WriteSteps(ctx, []store.StepWrite{}))
}

func testStepsConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	const (
		writers = 8
		steps   = 25
	)
	shared := newExecution("orders", "shared", at(0))
	createExecution(t, s, shared)
	for w := range writers {
		createExecution(t, s, newExecution("orders", fmt.Sprintf("w%d", w), at(w)))
	}

	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			own := executionARN("orders", fmt.Sprintf("w%d", w))
			for i := range steps {
				id := int64(2 + i)
				err := s.WriteSteps(ctx, []store.StepWrite{
					{
						ExecutionARN: own, Signal: []byte(strconv.Itoa(i)), Events: events(id, id),
						AddTimers: []store.Timer{{ID: strconv.Itoa(i), FireAt: at(i)}},
					},
					// Every writer appends to the shared execution: its
					// signals must all be kept, none overwritten.
					{ExecutionARN: shared.ARN, Signal: fmt.Appendf(nil, "%d/%d", w, i)},
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d step %d: %w", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	for w := range writers {
		own := executionARN("orders", fmt.Sprintf("w%d", w))
		hist, _, err := s.History(ctx, own, store.HistoryQuery{Page: store.Page{MaxResults: 1000}})
		must(t, err)
		equal(t, "history length", len(hist), 1+steps)
		sigs, err := s.Signals(ctx, own)
		must(t, err)
		for i, sig := range sigs {
			equal(t, "signal", string(sig), strconv.Itoa(i))
		}
		equal(t, "signals", len(sigs), steps)
	}
	timers, err := s.DueTimers(ctx, at(steps), 0)
	must(t, err)
	equal(t, "timers", len(timers), writers*steps)

	sigs, err := s.Signals(ctx, shared.ARN)
	must(t, err)
	equal(t, "shared signals", len(sigs), writers*steps)
	// Each writer's signals are in its own order.
	next := make(map[string]int)
	for _, sig := range sigs {
		var w, i int
		if _, err := fmt.Sscanf(string(sig), "%d/%d", &w, &i); err != nil {
			t.Fatalf("signal %q: %v", sig, err)
		}
		key := strconv.Itoa(w)
		equal(t, "step of writer "+key, i, next[key])
		next[key]++
	}
}

// History.

func testHistoryPages(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "e", at(0))
	createExecution(t, s, e)
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: e.ARN, Events: events(2, 7)}}))
	want := append([]store.Event{event(1, "ExecutionStarted")}, events(2, 7)...)
	reversed := slices.Clone(want)
	slices.Reverse(reversed)

	for _, max := range []int{0, 1, 2, 3, 7, 8} {
		got := listAll(t, max, func(p store.Page) ([]store.Event, string, error) {
			return s.History(ctx, e.ARN, store.HistoryQuery{Page: p})
		})
		equal(t, fmt.Sprintf("history with MaxResults=%d", max), got, want)
		got = listAll(t, max, func(p store.Page) ([]store.Event, string, error) {
			return s.History(ctx, e.ARN, store.HistoryQuery{Reverse: true, Page: p})
		})
		equal(t, fmt.Sprintf("reverse history with MaxResults=%d", max), got, reversed)
	}

	// Events without details keep empty details.
	plain := newExecution("orders", "plain", at(0))
	must(t, s.CreateExecution(ctx, plain, store.StepWrite{ExecutionARN: plain.ARN, Events: []store.Event{event(1, "")}}))
	got, _, err := s.History(ctx, plain.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "plain event", got, []store.Event{event(1, "")})
}

func testHistoryNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	missing := executionARN("orders", "missing")
	_, _, err := s.History(ctx, missing, store.HistoryQuery{})
	wantErr(t, err, store.ErrNotFound)
	_, _, err = s.History(ctx, missing, store.HistoryQuery{Reverse: true})
	wantErr(t, err, store.ErrNotFound)
	_, err = s.Signals(ctx, missing)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.Tasks(ctx, missing)
	wantErr(t, err, store.ErrNotFound)

	// An execution whose first step wrote no events has an empty history.
	e := newExecution("orders", "e", at(0))
	must(t, s.CreateExecution(ctx, e, store.StepWrite{ExecutionARN: e.ARN}))
	hist, next, err := s.History(ctx, e.ARN, store.HistoryQuery{})
	must(t, err)
	equal(t, "history", len(hist), 0)
	equal(t, "token", next, "")
}

// Timers.

func testTimers(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, ok, err := s.NextTimer(ctx)
	must(t, err)
	equal(t, "next timer in an empty store", ok, false)
	due, err := s.DueTimers(ctx, at(1000), 10)
	must(t, err)
	equal(t, "due timers in an empty store", len(due), 0)

	a, b := newExecution("orders", "a", at(0)), newExecution("orders", "b", at(0))
	createExecution(t, s, a)
	createExecution(t, s, b)
	must(t, s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: a.ARN, AddTimers: []store.Timer{
			{ID: "a-30", FireAt: at(30)}, {ID: "a-10", FireAt: at(10)}, {ID: "a-20y", FireAt: at(20)},
		}},
		{ExecutionARN: b.ARN, AddTimers: []store.Timer{
			{ID: "b-20", FireAt: at(20)}, {ID: "b-5", ExecutionARN: b.ARN, FireAt: at(5)}, {ID: "b-100", FireAt: at(100)},
		}},
	}))
	tm := func(e *store.Execution, id string, sec int) store.Timer {
		return store.Timer{ID: id, ExecutionARN: e.ARN, FireAt: at(sec)}
	}

	next, ok, err := s.NextTimer(ctx)
	must(t, err)
	equal(t, "next timer exists", ok, true)
	equal(t, "next timer", next, at(5))

	// Earliest first; equal times by execution ARN, then ID.
	due, err = s.DueTimers(ctx, at(20), 0)
	must(t, err)
	equal(t, "due at 20", due, []store.Timer{tm(b, "b-5", 5), tm(a, "a-10", 10), tm(a, "a-20y", 20), tm(b, "b-20", 20)})
	due, err = s.DueTimers(ctx, at(20), 2)
	must(t, err)
	equal(t, "due at 20, limit 2", due, []store.Timer{tm(b, "b-5", 5), tm(a, "a-10", 10)})
	due, err = s.DueTimers(ctx, at(4), 10)
	must(t, err)
	equal(t, "due before the first", len(due), 0)

	// Timers stay until a step removes them.
	due, err = s.DueTimers(ctx, at(5), 10)
	must(t, err)
	equal(t, "due at 5, again", due, []store.Timer{tm(b, "b-5", 5)})

	must(t, s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: b.ARN, Signal: []byte("fired b-5"), RemoveTimers: []string{"b-5"}},
		{ExecutionARN: a.ARN, RemoveTimers: []string{"a-10", "a-30"}},
	}))
	next, ok, err = s.NextTimer(ctx)
	must(t, err)
	equal(t, "next timer exists", ok, true)
	equal(t, "next timer after removal", next, at(20))
	due, err = s.DueTimers(ctx, at(1000), 0)
	must(t, err)
	equal(t, "all remaining", due, []store.Timer{tm(a, "a-20y", 20), tm(b, "b-20", 20), tm(b, "b-100", 100)})
}

func testTimersReplace(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "e", at(0))
	createExecution(t, s, e)
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: e.ARN, AddTimers: []store.Timer{{ID: "hb", FireAt: at(10)}}}}))
	// Removes apply before adds within a step, so a step can re-arm a
	// timer under the same ID.
	must(t, s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: e.ARN,
		RemoveTimers: []string{"hb"},
		AddTimers:    []store.Timer{{ID: "hb", FireAt: at(40)}},
	}}))
	due, err := s.DueTimers(ctx, at(1000), 0)
	must(t, err)
	equal(t, "timers", due, []store.Timer{{ID: "hb", ExecutionARN: e.ARN, FireAt: at(40)}})
}

// Tasks.

func newTask(execARN, id, token, activity string, created time.Time) store.Task {
	return store.Task{
		ID:               id,
		ExecutionARN:     execARN,
		Resource:         "arn:aws:states:::lambda:invoke.waitForTaskToken",
		Input:            `{"id":"` + id + `"}`,
		Token:            token,
		IdempotencyKey:   execARN + "/" + id + "/1",
		StateName:        "State " + id,
		Attempt:          1,
		TimeoutSeconds:   300,
		HeartbeatSeconds: 60,
		ActivityARN:      activity,
		CreatedAt:        created,
	}
}

func testTasks(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newExecution("orders", "a", at(0)), newExecution("orders", "b", at(0))
	createExecution(t, s, a)
	createExecution(t, s, b)
	ta1 := newTask(a.ARN, "k2", "tok-a1", "", at(1))
	ta2 := newTask(a.ARN, "k1", "tok-a2", activityARN("approve"), at(2))
	ta3 := newTask(a.ARN, "k3", "", "", at(2)) // a service integration without a token
	ta4 := newTask(a.ARN, "k4", "", "", at(2))
	tb1 := newTask(b.ARN, "k1", "tok-b1", "", at(0))
	must(t, s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: a.ARN, AddTasks: []store.Task{ta2, ta4, ta1, ta3}},
		{ExecutionARN: b.ARN, AddTasks: []store.Task{tb1}},
	}))

	// Oldest first, then by ID.
	tasks, err := s.Tasks(ctx, a.ARN)
	must(t, err)
	equal(t, "tasks of a", tasks, []store.Task{ta1, ta2, ta3, ta4})
	tasks, err = s.Tasks(ctx, b.ARN)
	must(t, err)
	equal(t, "tasks of b", tasks, []store.Task{tb1})

	got, err := s.TaskByToken(ctx, "tok-a2")
	must(t, err)
	equal(t, "task by token", got, &ta2)
	_, err = s.TaskByToken(ctx, "tok-missing")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.TaskByToken(ctx, "")
	wantErr(t, err, store.ErrNotFound)

	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: a.ARN, Signal: []byte("done"), RemoveTasks: []string{"k1", "k3"}}}))
	_, err = s.TaskByToken(ctx, "tok-a2")
	wantErr(t, err, store.ErrNotFound)
	tasks, err = s.Tasks(ctx, a.ARN)
	must(t, err)
	equal(t, "tasks of a after removal", tasks, []store.Task{ta1, ta4})
	// The removed task's token may be given to a new task.
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: b.ARN, AddTasks: []store.Task{newTask(b.ARN, "k2", "tok-a2", "", at(3))}}}))

	tasks, err = s.Tasks(ctx, executionARN("orders", "none"))
	wantErr(t, err, store.ErrNotFound)
	c := newExecution("orders", "c", at(0))
	createExecution(t, s, c)
	tasks, err = s.Tasks(ctx, c.ARN)
	must(t, err)
	equal(t, "tasks of an execution without any", len(tasks), 0)
}

func testTasksClaim(t *testing.T, s store.Store) {
	ctx := t.Context()
	approve, ship := activityARN("approve"), activityARN("ship")
	a, b := newExecution("orders", "a", at(0)), newExecution("orders", "b", at(0))
	createExecution(t, s, a)
	createExecution(t, s, b)

	_, err := s.ClaimActivityTask(ctx, approve, "w0")
	wantErr(t, err, store.ErrNotFound)

	t1 := newTask(b.ARN, "k1", "tok-1", approve, at(10))
	t2 := newTask(a.ARN, "k2", "tok-2", approve, at(5))
	t3 := newTask(a.ARN, "k3", "tok-3", approve, at(10)) // same time as t1: a's ARN sorts first
	t4 := newTask(a.ARN, "k4", "tok-4", ship, at(1))
	t5 := newTask(a.ARN, "k5", "tok-5", "", at(0)) // not an activity task
	must(t, s.WriteSteps(ctx, []store.StepWrite{
		{ExecutionARN: a.ARN, AddTasks: []store.Task{t3, t2, t4, t5}},
		{ExecutionARN: b.ARN, AddTasks: []store.Task{t1}},
	}))

	claimed := func(tk store.Task, worker string) *store.Task {
		tk.Claimed, tk.WorkerName = true, worker
		return &tk
	}
	for i, want := range []*store.Task{claimed(t2, "w1"), claimed(t3, "w2"), claimed(t1, "w3")} {
		worker := fmt.Sprintf("w%d", i+1)
		got, err := s.ClaimActivityTask(ctx, approve, worker)
		must(t, err)
		equal(t, "claim by "+worker, got, want)
	}
	_, err = s.ClaimActivityTask(ctx, approve, "w4")
	wantErr(t, err, store.ErrNotFound)

	// Claims are recorded and the tasks stay outstanding.
	got, err := s.TaskByToken(ctx, "tok-2")
	must(t, err)
	equal(t, "claimed task by token", got, claimed(t2, "w1"))
	tasks, err := s.Tasks(ctx, a.ARN)
	must(t, err)
	equal(t, "tasks of a", tasks, []store.Task{t5, t4, *claimed(t2, "w1"), *claimed(t3, "w2")})

	got, err = s.ClaimActivityTask(ctx, ship, "w5")
	must(t, err)
	equal(t, "claim of ship", got, claimed(t4, "w5"))

	// A task added after the others were claimed is claimed next, even
	// though it is older.
	t6 := newTask(a.ARN, "k6", "tok-6", approve, at(0))
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: a.ARN, AddTasks: []store.Task{t6}}}))
	got, err = s.ClaimActivityTask(ctx, approve, "w6")
	must(t, err)
	equal(t, "claim of late task", got, claimed(t6, "w6"))

	// Released by token: only that task, and only once.
	n, err := s.ReleaseActivityTasks(ctx, []string{"tok-3", "tok-5", "tok-none"})
	must(t, err)
	equal(t, "released by token", n, 1)
	got, err = s.ClaimActivityTask(ctx, approve, "w7")
	must(t, err)
	equal(t, "claim after release", got, claimed(t3, "w7"))
	// Released all: every claimed task, activity by activity, in the
	// usual order.
	n, err = s.ReleaseActivityTasks(ctx, nil)
	must(t, err)
	equal(t, "released all", n, 5)
	got, err = s.ClaimActivityTask(ctx, ship, "w8")
	must(t, err)
	equal(t, "ship after release", got, claimed(t4, "w8"))
	got, err = s.ClaimActivityTask(ctx, approve, "w9")
	must(t, err)
	equal(t, "approve after release", got, claimed(t6, "w9"))
	n, err = s.ReleaseActivityTasks(ctx, []string{})
	must(t, err)
	equal(t, "released none", n, 0)
}

func testTasksClaimConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	approve := activityARN("approve")
	e := newExecution("orders", "e", at(0))
	createExecution(t, s, e)
	const n = 40
	var add []store.Task
	for i := range n {
		add = append(add, newTask(e.ARN, fmt.Sprintf("k%02d", i), fmt.Sprintf("tok-%02d", i), approve, at(i)))
	}
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: e.ARN, AddTasks: add}}))

	var (
		mu  sync.Mutex
		got = make(map[string]string) // task ID → worker
		wg  sync.WaitGroup
	)
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			worker := fmt.Sprintf("w%d", w)
			for {
				tk, err := s.ClaimActivityTask(ctx, approve, worker)
				if errors.Is(err, store.ErrNotFound) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				prev, dup := got[tk.ID]
				got[tk.ID] = worker
				mu.Unlock()
				if dup {
					errs <- fmt.Errorf("task %s claimed by %s and %s", tk.ID, prev, worker)
					return
				}
				if tk.WorkerName != worker || !tk.Claimed {
					errs <- fmt.Errorf("task %s returned to %s as %+v", tk.ID, worker, tk)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	ids := slices.Sorted(maps.Keys(got))
	equal(t, "claimed", len(ids), n)
}

func testTasksDuplicateToken(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newExecution("orders", "a", at(0)), newExecution("orders", "b", at(0))
	createExecution(t, s, a)
	createExecution(t, s, b)
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: a.ARN, AddTasks: []store.Task{newTask(a.ARN, "k1", "tok", "", at(0))}}}))

	// Tokens are unique across the store.
	err := s.WriteSteps(ctx, []store.StepWrite{{
		ExecutionARN: b.ARN, Signal: []byte("s"), Events: events(2, 2),
		AddTasks: []store.Task{newTask(b.ARN, "k1", "tok", "", at(0))},
	}})
	wantErr(t, err, store.ErrConflict)
	checkUntouched(t, s, b)
}

// Close.

func testClose(t *testing.T, s store.Store) {
	must(t, s.Close())
	must(t, s.Close())
}

func testStepsRedrive(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := newExecution("orders", "r", at(0))
	createExecution(t, s, e)
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: e.ARN, Signal: []byte("fail"),
		Events: []store.Event{event(2, "ExecutionFailed")}, Status: store.StatusFailed, Error: "E", Cause: "C", StopDate: at(5)}}))
	// The redrive runs the execution again: the stop date, error and
	// cause are cleared, the count and date recorded.
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: e.ARN, Signal: []byte("redrive"),
		Events: []store.Event{event(3, "ExecutionRedriven")}, Status: store.StatusRunning, RedriveCount: 1, RedriveDate: at(9)}}))
	got, err := s.GetExecution(ctx, e.ARN)
	must(t, err)
	want := *e
	want.RedriveCount, want.RedriveDate = 1, at(9)
	equal(t, "redriven execution", got, &want)
	running, err := s.RunningExecutions(ctx)
	must(t, err)
	equal(t, "running after the redrive", len(running), 1)
	sigs, err := s.Signals(ctx, e.ARN)
	must(t, err)
	equal(t, "signals", sigs, [][]byte{[]byte("fail"), []byte("redrive")})
	// A later step that ends it again keeps the count.
	must(t, s.WriteSteps(ctx, []store.StepWrite{{ExecutionARN: e.ARN, Events: []store.Event{event(4, "ExecutionSucceeded")},
		Status: store.StatusSucceeded, Output: "{}", StopDate: at(12)}}))
	got, err = s.GetExecution(ctx, e.ARN)
	must(t, err)
	equal(t, "count kept", got.RedriveCount, 1)
	equal(t, "date kept", got.RedriveDate, at(9))
}
