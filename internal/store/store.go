// Package store defines what Baton persists and the interface its storage
// drivers implement: records, sentinel errors and the Store interface, and
// no SQL. Drivers live in store/sqlite (embedded, the default) and
// store/postgres; store/storetest is the suite every driver must pass.
//
// The engine's durability rests on one method: WriteSteps commits many
// executions' steps — history events, the signal that caused each step, the
// execution's new status, and the timers and tasks the step schedules or
// withdraws (the outbox) — in one transaction. Everything a step schedules
// is performed only after that transaction commits.
//
//	st, err := sqlite.Open(ctx, sqlite.Config{Path: ".baton/baton.db"})
//	err = st.CreateExecution(ctx, exec, firstStep)
//	err = st.WriteSteps(ctx, []store.StepWrite{step1, step2})
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Drivers return them (possibly wrapped) so that callers
// can map them to AWS error codes.
var (
	// ErrNotFound is returned when a record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists is returned when creating a record whose key exists.
	ErrAlreadyExists = errors.New("already exists")
	// ErrConflict is returned when an update's precondition does not hold
	// (for example a task already completed).
	ErrConflict = errors.New("conflict")
	// ErrInvalidToken is returned by listings given a NextToken they did
	// not issue.
	ErrInvalidToken = errors.New("invalid page token")
)

// StateMachine is a state machine's current revision.
type StateMachine struct {
	ARN         string
	Name        string
	Type        string // STANDARD or EXPRESS
	Definition  string
	RoleARN     string
	Description string
	// LoggingConfiguration, TracingConfiguration and EncryptionConfiguration
	// are kept as the JSON text the API received.
	LoggingConfiguration    string
	TracingConfiguration    string
	EncryptionConfiguration string
	RevisionID              string
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

// StateMachineVersion is a published, immutable revision of a state machine.
type StateMachineVersion struct {
	ARN             string // the state machine's ARN with ":N"
	StateMachineARN string
	Version         int
	Definition      string
	RoleARN         string
	Type            string
	Description     string
	RevisionID      string
	CreatedAt       time.Time
}

// RoutingEntry is one version an alias routes to, with its weight (0–100).
type RoutingEntry struct {
	VersionARN string
	Weight     int
}

// StateMachineAlias routes executions to one or two versions.
type StateMachineAlias struct {
	ARN             string // the state machine's ARN with ":name"
	StateMachineARN string
	Name            string
	Description     string
	Routing         []RoutingEntry
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Activity is a named queue of tasks that workers poll.
type Activity struct {
	ARN       string
	Name      string
	CreatedAt time.Time
}

// Execution statuses, as AWS names them.
const (
	StatusRunning   = "RUNNING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
	StatusAborted   = "ABORTED"
	StatusPending   = "PENDING_REDRIVE"
)

// Execution is one execution of a state machine.
type Execution struct {
	ARN             string
	StateMachineARN string
	Name            string
	Type            string // STANDARD or EXPRESS
	// Definition is the text the execution runs: it keeps running the
	// revision it started with when the state machine is updated.
	Definition string
	// VersionARN and AliasARN record what StartExecution was given.
	VersionARN string
	AliasARN   string
	RoleARN    string
	Status     string
	Input      string // JSON text
	Output     string // JSON text; empty unless SUCCEEDED
	Error      string
	Cause      string
	StartDate  time.Time
	StopDate   time.Time // zero while running
	// Seed seeds the interpreter's random source, so that replaying the
	// execution's signals rebuilds it exactly.
	Seed         uint64
	TraceHeader  string
	RedriveCount int
	RedriveDate  time.Time
	// ParentARN is set on a child execution (a distributed Map's item or a
	// states:startExecution task) and names its parent.
	ParentARN string
}

// Event is one history event, stored as the engine produced it.
type Event struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	DetailsKey      string
	Details         string // JSON text of the details object; empty when none
}

// Timer is a durable timer: at FireAt the engine delivers TimerFired{ID} to
// the execution.
type Timer struct {
	ID           string // unique within the execution
	ExecutionARN string
	FireAt       time.Time
}

// Task is a dispatched task waiting for its outcome: an activity task, a
// callback (.waitForTaskToken) or a service integration in flight.
type Task struct {
	ID               string // unique within the execution
	ExecutionARN     string
	Resource         string
	Input            string // JSON text
	Token            string // the task token; unique across the store
	IdempotencyKey   string
	StateName        string
	Attempt          int
	TimeoutSeconds   int
	HeartbeatSeconds int
	// ActivityARN is set for activity tasks; Claimed is set once a worker
	// received the task through GetActivityTask.
	ActivityARN string
	Claimed     bool
	WorkerName  string
	CreatedAt   time.Time
}

// StepWrite is one execution's step, written atomically with the other
// steps of the same WriteSteps call.
type StepWrite struct {
	ExecutionARN string
	// Create, when set, is the execution this step starts: it is inserted
	// before the step is written, in the same transaction, and a name that
	// is taken fails the whole WriteSteps call with ErrAlreadyExists. This
	// lets execution starts share group commits.
	Create *Execution
	// Signal is the encoded signal that caused the step (nil for the step
	// that starts an execution). Signals are appended with consecutive
	// sequence numbers; replaying them rebuilds the execution.
	Signal []byte
	Events []Event
	// Status, when not empty, is the execution's new status; Output,
	// Error, Cause and StopDate go with it.
	Status   string
	Output   string
	Error    string
	Cause    string
	StopDate time.Time
	// RedriveCount, when not zero, is the execution's new redrive count and
	// RedriveDate the time of that redrive (a step that redrives an ended
	// execution has Status RUNNING and a zero StopDate).
	RedriveCount int
	RedriveDate  time.Time
	// Timers and tasks the step schedules, and IDs of those it withdraws.
	AddTimers    []Timer
	RemoveTimers []string
	AddTasks     []Task
	RemoveTasks  []string
}

// Page asks for one page of a listing. NextToken is opaque to callers: pass
// back the token a listing returned to get the items after its last one. A
// listing returns an empty token with its last page (it may also return a
// token whose next page is empty). Tokens resume after the last item's sort
// key, so they stay valid while items are added or removed. A token a
// listing cannot decode is an error.
type Page struct {
	MaxResults int // 0 means the driver's default (100)
	NextToken  string
}

// ExecutionFilter selects executions for ListExecutions: every non-empty
// field must match. With neither StateMachineARN nor ParentARN set, every
// execution is listed.
type ExecutionFilter struct {
	StateMachineARN string // required unless ParentARN is set
	VersionARN      string
	AliasARN        string
	ParentARN       string
	Status          string // empty for all
	Page
}

// HistoryQuery selects a page of history.
type HistoryQuery struct {
	Reverse bool
	Page
}

// Store is what the engine persists. Implementations are safe for
// concurrent use.
//
// Get, update and delete methods return ErrNotFound when the record does
// not exist; create methods return ErrAlreadyExists when its key does.
// Stores keep times in UTC and return them in UTC. storetest.Run is the
// executable form of this contract.
type Store interface {
	// Close releases the store's resources; it is safe to call twice.
	Close() error

	CreateStateMachine(ctx context.Context, sm *StateMachine) error // ErrAlreadyExists
	GetStateMachine(ctx context.Context, arn string) (*StateMachine, error)
	// UpdateStateMachine replaces every field of the record with the same
	// ARN; it does not reset version numbering.
	UpdateStateMachine(ctx context.Context, sm *StateMachine) error
	// DeleteStateMachine removes a state machine with its versions and
	// aliases and their tags; its executions remain.
	DeleteStateMachine(ctx context.Context, arn string) error
	// ListStateMachines lists in name order (then ARN).
	ListStateMachines(ctx context.Context, p Page) ([]*StateMachine, string, error)

	// CreateVersion stores a version; its Version number must be one more
	// than the highest so far, deleted versions included, so that numbers
	// are never reused (ErrConflict otherwise). ErrNotFound when the state
	// machine does not exist.
	CreateVersion(ctx context.Context, v *StateMachineVersion) error
	GetVersion(ctx context.Context, arn string) (*StateMachineVersion, error)
	// ListVersions lists a state machine's versions, newest first;
	// ErrNotFound when the state machine does not exist.
	ListVersions(ctx context.Context, stateMachineARN string, p Page) ([]*StateMachineVersion, string, error)
	// DeleteVersion removes a version; ErrConflict when an alias routes to
	// it.
	DeleteVersion(ctx context.Context, arn string) error

	// CreateAlias stores an alias: ErrAlreadyExists when its ARN exists,
	// ErrNotFound when its state machine or a version it routes to does
	// not.
	CreateAlias(ctx context.Context, a *StateMachineAlias) error
	GetAlias(ctx context.Context, arn string) (*StateMachineAlias, error)
	// UpdateAlias replaces the alias's Description, Routing and UpdatedAt;
	// ErrNotFound when a version it routes to does not exist.
	UpdateAlias(ctx context.Context, a *StateMachineAlias) error
	DeleteAlias(ctx context.Context, arn string) error
	// ListAliases lists a state machine's aliases by name; ErrNotFound when
	// the state machine does not exist.
	ListAliases(ctx context.Context, stateMachineARN string, p Page) ([]*StateMachineAlias, string, error)

	CreateActivity(ctx context.Context, a *Activity) error // ErrAlreadyExists
	GetActivity(ctx context.Context, arn string) (*Activity, error)
	// DeleteActivity removes an activity and its tags; its outstanding
	// tasks remain.
	DeleteActivity(ctx context.Context, arn string) error
	// ListActivities lists in name order (then ARN).
	ListActivities(ctx context.Context, p Page) ([]*Activity, string, error)

	// Tags are kept for any resource ARN, whether or not the store holds
	// the resource. TagResource overwrites the values of keys the resource
	// has; UntagResource ignores keys it does not have; ListTags returns an
	// empty map for a resource without tags.
	TagResource(ctx context.Context, arn string, tags map[string]string) error
	UntagResource(ctx context.Context, arn string, keys []string) error
	ListTags(ctx context.Context, arn string) (map[string]string, error)

	// CreateExecution stores a new execution together with its first step,
	// in one transaction. It returns ErrAlreadyExists, writing nothing, when
	// the state machine already has an execution of that name (executions
	// are unique by ARN, which embeds both). first.ExecutionARN may be
	// empty.
	CreateExecution(ctx context.Context, e *Execution, first StepWrite) error
	GetExecution(ctx context.Context, arn string) (*Execution, error)
	// ListExecutions lists newest first: by StartDate, then ARN, both
	// descending. It does not check that the state machine exists.
	ListExecutions(ctx context.Context, f ExecutionFilter) ([]*Execution, string, error)
	// WriteSteps commits the steps in one transaction: all or none.
	//
	// Steps apply in order (several may be for one execution). Within a
	// step: the status (with Output, Error, Cause and StopDate, replacing
	// the previous values) and the signal, the events, then RemoveTimers,
	// AddTimers, RemoveTasks and AddTasks, so a step may re-arm a timer
	// under the same ID. A Timer's or Task's ExecutionARN may be empty; it
	// is the step's. The whole batch fails, writing nothing, with
	//   - ErrNotFound when a step's execution does not exist;
	//   - ErrConflict when an event ID, a timer or task ID (unique within
	//     the execution) or a task token (unique in the store) is taken, or
	//     when a timer or task to remove is not outstanding: another step
	//     already handled it.
	WriteSteps(ctx context.Context, steps []StepWrite) error
	// History returns a page of an execution's events in ID order (or
	// reverse order); ErrNotFound when the execution does not exist.
	History(ctx context.Context, executionARN string, q HistoryQuery) ([]Event, string, error)
	// Signals returns an execution's signals in the order they were
	// written; ErrNotFound when the execution does not exist.
	Signals(ctx context.Context, executionARN string) ([][]byte, error)
	// RunningExecutions lists every execution whose status is RUNNING, for
	// recovery after a restart.
	RunningExecutions(ctx context.Context) ([]*Execution, error)

	// DueTimers returns up to limit timers (all when limit <= 0) with
	// FireAt at or before now, earliest first, then by execution ARN and
	// ID. Timers stay until a step removes them.
	DueTimers(ctx context.Context, now time.Time, limit int) ([]Timer, error)
	// NextTimer returns the earliest timer's time, or ok=false when there
	// is none.
	NextTimer(ctx context.Context) (at time.Time, ok bool, err error)

	// Tasks returns an execution's outstanding tasks, oldest first (by
	// CreatedAt, then ID); ErrNotFound when the execution does not exist.
	Tasks(ctx context.Context, executionARN string) ([]Task, error)
	// TaskByToken finds an outstanding task by its token (ErrNotFound when
	// it completed or never existed).
	TaskByToken(ctx context.Context, token string) (*Task, error)
	// ClaimActivityTask marks the oldest unclaimed task of the activity (by
	// CreatedAt, then execution ARN, then ID) as claimed by worker and
	// returns it, or ErrNotFound when there is none. Each task is claimed
	// once, however many workers poll at the same time.
	ClaimActivityTask(ctx context.Context, activityARN, worker string) (*Task, error)
	// ReleaseActivityTasks makes claimed activity tasks claimable again:
	// those with the given tokens, or every claimed task when tokens is
	// nil. It returns how many it released. A claim whose answer never
	// reached its worker (the poller hung up, or the process died between
	// the commit and the response) would otherwise hold the task until its
	// timeout, or forever when it has none.
	ReleaseActivityTasks(ctx context.Context, tokens []string) (int, error)
}
