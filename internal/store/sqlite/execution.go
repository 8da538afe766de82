package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/store"
)

// Executions.

const executionColumns = `arn, state_machine_arn, name, type, status, start_date, stop_date, version_arn, alias_arn,
	parent_arn, role_arn, seed, trace_header, redrive_count, redrive_date, error, cause, input, output, definition`

func scanExecution(sc interface{ Scan(...any) error }) (*store.Execution, error) {
	var e store.Execution
	var start, stop, redrive, seed int64
	var parent sql.NullString
	err := sc.Scan(&e.ARN, &e.StateMachineARN, &e.Name, &e.Type, &e.Status, &start, &stop, &e.VersionARN, &e.AliasARN,
		&parent, &e.RoleARN, &seed, &e.TraceHeader, &e.RedriveCount, &redrive, &e.Error, &e.Cause, &e.Input, &e.Output,
		&e.Definition)
	if err != nil {
		return nil, err
	}
	e.StartDate, e.StopDate, e.RedriveDate = fromNanos(start), fromNanos(stop), fromNanos(redrive)
	e.Seed = uint64(seed)
	e.ParentARN = parent.String
	return &e, nil
}

// CreateExecution stores a new execution and its first step in one
// transaction; ErrAlreadyExists when its ARN exists, and then nothing is
// written. first.ExecutionARN may be empty.
func (s *Store) CreateExecution(ctx context.Context, e *store.Execution, first store.StepWrite) error {
	if first.ExecutionARN == "" {
		first.ExecutionARN = e.ARN
	}
	if first.ExecutionARN != e.ARN {
		return fmt.Errorf("create execution %s: first step is for %s", e.ARN, first.ExecutionARN)
	}
	first.Create = e
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		return writeSteps(ctx, q, []store.StepWrite{first})
	})
	if err != nil {
		return fmt.Errorf("create execution %s: %w", e.ARN, err)
	}
	return nil
}

// GetExecution returns the execution, or ErrNotFound.
func (s *Store) GetExecution(ctx context.Context, arn string) (*store.Execution, error) {
	var e *store.Execution
	err := s.read(ctx, func(q querier) error {
		st, err := q.stmts.get(ctx, `SELECT `+executionColumns+` FROM executions WHERE arn = ?`)
		if err != nil {
			return err
		}
		e, err = scanExecution(st.QueryRowContext(ctx, arn))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get execution %s: %w", arn, err)
	}
	return e, nil
}

// ListExecutions lists the executions that match every non-empty field of
// f, newest first (by StartDate, then ARN, both descending). Executions of an
// unknown or deleted state machine are listed like any others; with neither
// StateMachineARN nor ParentARN set, every execution is listed.
func (s *Store) ListExecutions(ctx context.Context, f store.ExecutionFilter) ([]*store.Execution, string, error) {
	var (
		conds []string
		args  []any
	)
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if f.StateMachineARN != "" {
		add("state_machine_arn = ?", f.StateMachineARN)
	}
	if f.ParentARN != "" {
		add("parent_arn = ?", f.ParentARN)
	}
	if f.VersionARN != "" {
		add("version_arn = ?", f.VersionARN)
	}
	if f.AliasARN != "" {
		add("alias_arn = ?", f.AliasARN)
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.NextToken != "" {
		var start int64
		var arn string
		if err := decodeToken(f.NextToken, "execution", &start, &arn); err != nil {
			return nil, "", fmt.Errorf("list executions: %w", err)
		}
		conds = append(conds, "(start_date, arn) < (?, ?)")
		args = append(args, start, arn)
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	limit := pageSize(f.Page)
	args = append(args, limit+1)
	var list []*store.Execution
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT `+executionColumns+` FROM executions `+where+`
			ORDER BY start_date DESC, arn DESC LIMIT ?`, args...)
		if err != nil {
			return err
		}
		list, err = collect(rows, scanExecution)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("list executions: %w", err)
	}
	var next string
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		next = encodeToken("execution", nanos(last.StartDate), last.ARN)
	}
	return list, next, nil
}

// RunningExecutions lists every RUNNING execution, oldest first.
func (s *Store) RunningExecutions(ctx context.Context) ([]*store.Execution, error) {
	var list []*store.Execution
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT `+executionColumns+` FROM executions
			WHERE status = 'RUNNING' ORDER BY start_date, arn`)
		if err != nil {
			return err
		}
		list, err = collect(rows, scanExecution)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list running executions: %w", err)
	}
	return list, nil
}

// Steps.

// WriteSteps commits the steps in one transaction, or none of them.
//
// The steps apply in order; within a step, the execution's status and
// signal first, then its events, then RemoveTimers, AddTimers, RemoveTasks
// and AddTasks, so a step may re-arm a timer under the same ID. The batch
// fails, writing nothing, with
//   - ErrNotFound when a step's execution does not exist;
//   - ErrConflict when an event, timer or task ID or a task token is already
//     taken, or when a timer or task to remove is not outstanding (another
//     step handled it).
//
// Errors from a step name it by index and execution; a taken event ID is
// found when the batch's events are inserted together, after the last step,
// and names no step.
func (s *Store) WriteSteps(ctx context.Context, steps []store.StepWrite) error {
	if len(steps) == 0 {
		return nil
	}
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		return writeSteps(ctx, q, steps)
	})
	if err != nil {
		return fmt.Errorf("write steps: %w", err)
	}
	return nil
}

// writeSteps writes steps inside the writer's transaction.
//
// Statements that depend on order (status, timer and task changes) run step
// by step. Events and signals only append rows whose keys this pass fixes,
// so they are gathered across the batch and inserted afterwards with
// multi-row INSERTs.
func writeSteps(ctx context.Context, q querier, steps []store.StepWrite) error {
	b := appendBatch{lastSeq: make(map[int64]int64)}
	for i := range steps {
		if err := writeStep(ctx, q, &steps[i], &b); err != nil {
			return fmt.Errorf("step %d (%s): %w", i, steps[i].ExecutionARN, err)
		}
	}
	if err := b.flush(ctx, q); err != nil {
		return err
	}
	return nil
}

// Each step starts with one statement that checks that the execution
// exists, applies the status when there is one, and returns the execution's
// id and, when the step has a signal, its last signal sequence number. A
// step without a status does not write the executions row.
const (
	// lastSignal is the execution's last signal sequence number, found
	// with one index seek (MAX(seq) inside COALESCE would scan them all).
	lastSignal = `COALESCE((SELECT seq FROM signals WHERE execution_id = executions.id
		ORDER BY seq DESC LIMIT 1), 0)`

	stepStatusSignal = `UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stop_date = ?
		WHERE arn = ? RETURNING id, ` + lastSignal
	stepStatus = `UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stop_date = ?
		WHERE arn = ? RETURNING id, 0`
	stepSignal = `SELECT id, ` + lastSignal + ` FROM executions WHERE arn = ?`
	stepPlain  = `SELECT id, 0 FROM executions WHERE arn = ?`
)

// insertExecution inserts a new execution; a taken ARN is ErrAlreadyExists.
func insertExecution(ctx context.Context, q querier, e *store.Execution) error {
	_, err := q.exec(ctx, `INSERT INTO executions (`+executionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ARN, e.StateMachineARN, e.Name, e.Type, e.Status, nanos(e.StartDate), nanos(e.StopDate), e.VersionARN,
		e.AliasARN, nullString(e.ParentARN), e.RoleARN, int64(e.Seed), e.TraceHeader, e.RedriveCount,
		nanos(e.RedriveDate), e.Error, e.Cause, e.Input, e.Output, e.Definition)
	if isUnique(err) {
		return store.ErrAlreadyExists
	}
	return err
}

func writeStep(ctx context.Context, q querier, st *store.StepWrite, b *appendBatch) error {
	arn := st.ExecutionARN
	if st.Create != nil {
		if st.Create.ARN != arn {
			return fmt.Errorf("step for %s creates %s", arn, st.Create.ARN)
		}
		if err := insertExecution(ctx, q, st.Create); err != nil {
			return err
		}
	}
	var query string
	var args []any
	switch {
	case st.Status != "" && st.Signal != nil:
		query = stepStatusSignal
	case st.Status != "":
		query = stepStatus
	case st.Signal != nil:
		query = stepSignal
	default:
		query = stepPlain
	}
	if st.Status != "" {
		args = []any{st.Status, st.Output, st.Error, st.Cause, nanos(st.StopDate), arn}
	} else {
		args = []any{arn}
	}
	var id, seq int64
	err := q.scan(ctx, query, args, &id, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("execution: %w", store.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if st.RedriveCount > 0 {
		if _, err := q.exec(ctx, `UPDATE executions SET redrive_count = ?, redrive_date = ? WHERE id = ?`,
			st.RedriveCount, nanos(st.RedriveDate), id); err != nil {
			return err
		}
	}
	if st.Signal != nil {
		// Signals are inserted after the last step, so an earlier step of
		// this batch may have taken the next number already.
		if last, ok := b.lastSeq[id]; ok {
			seq = last
		}
		seq++
		b.lastSeq[id] = seq
		b.signals = append(b.signals, id, seq, st.Signal)
	}
	for _, e := range st.Events {
		b.events = append(b.events, id, e.ID, e.PreviousEventID, nanos(e.Timestamp), e.Type, e.DetailsKey, e.Details)
	}

	for _, tid := range st.RemoveTimers {
		n, err := q.execN(ctx, `DELETE FROM timers WHERE execution_arn = ? AND id = ?`, arn, tid)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("remove timer %s: not outstanding: %w", tid, store.ErrConflict)
		}
	}
	for _, t := range st.AddTimers {
		if t.ExecutionARN != "" && t.ExecutionARN != arn {
			return fmt.Errorf("timer %s is for execution %s", t.ID, t.ExecutionARN)
		}
		_, err := q.exec(ctx, `INSERT INTO timers (execution_arn, id, fire_at) VALUES (?, ?, ?)`, arn, t.ID, nanos(t.FireAt))
		if isUnique(err) {
			return fmt.Errorf("add timer %s: %w", t.ID, store.ErrConflict)
		}
		if err != nil {
			return err
		}
	}
	for _, tid := range st.RemoveTasks {
		n, err := q.execN(ctx, `DELETE FROM tasks WHERE execution_arn = ? AND id = ?`, arn, tid)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("remove task %s: not outstanding: %w", tid, store.ErrConflict)
		}
	}
	for i := range st.AddTasks {
		t := &st.AddTasks[i]
		if t.ExecutionARN != "" && t.ExecutionARN != arn {
			return fmt.Errorf("task %s is for execution %s", t.ID, t.ExecutionARN)
		}
		_, err := q.exec(ctx, `INSERT INTO tasks (`+taskColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			arn, t.ID, nullString(t.Token), nullString(t.ActivityARN), t.Claimed, t.WorkerName, nanos(t.CreatedAt),
			t.Resource, t.IdempotencyKey, t.StateName, t.Attempt, t.TimeoutSeconds, t.HeartbeatSeconds, t.Input)
		if isUnique(err) {
			return fmt.Errorf("add task %s: ID or token taken: %w", t.ID, store.ErrConflict)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// appendBatch gathers the argument lists of the rows a batch appends.
type appendBatch struct {
	events  []any // eventCols values per row
	signals []any // signalCols values per row
	// lastSeq is the last signal sequence number given out in this batch,
	// by execution id.
	lastSeq map[int64]int64
}

const (
	eventCols  = 7
	signalCols = 3
	// maxRowsPerInsert bounds a multi-row INSERT: 64 events bind 448
	// variables, far below SQLite's limit of 32766.
	maxRowsPerInsert = 64
)

var (
	eventInserts  = multiRowInserts(`INSERT INTO events (execution_id, id, previous_event_id, timestamp, type, details_key, details) VALUES `, eventCols)
	signalInserts = multiRowInserts(`INSERT INTO signals (execution_id, seq, data) VALUES `, signalCols)
)

// multiRowInserts returns INSERT statements for 1, 2, 4, … maxRowsPerInsert
// rows, indexed by the base-2 logarithm of the row count. Batches are split
// into such chunks, so that few distinct statements are prepared and cached.
func multiRowInserts(prefix string, cols int) []string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	var stmts []string
	for n := 1; n <= maxRowsPerInsert; n *= 2 {
		stmts = append(stmts, prefix+strings.Repeat(row+", ", n-1)+row)
	}
	return stmts
}

func (b *appendBatch) flush(ctx context.Context, q querier) error {
	if err := insertRows(ctx, q, eventInserts, eventCols, b.events); err != nil {
		return fmt.Errorf("append events: %w", err)
	}
	if err := insertRows(ctx, q, signalInserts, signalCols, b.signals); err != nil {
		return fmt.Errorf("append signals: %w", err)
	}
	return nil
}

// insertRows inserts the rows whose values args holds, cols per row, in
// chunks of a power of two rows.
func insertRows(ctx context.Context, q querier, stmts []string, cols int, args []any) error {
	for len(args) > 0 {
		rows := len(args) / cols
		i := len(stmts) - 1
		for 1<<i > rows {
			i--
		}
		n := (1 << i) * cols
		_, err := q.exec(ctx, stmts[i], args[:n]...)
		if isUnique(err) {
			return fmt.Errorf("ID taken: %w (%w)", store.ErrConflict, err)
		}
		if isForeignKey(err) {
			return fmt.Errorf("execution: %w (%w)", store.ErrNotFound, err)
		}
		if err != nil {
			return err
		}
		args = args[n:]
	}
	return nil
}

// History returns a page of an execution's events by ID, ascending or
// descending; ErrNotFound when the execution does not exist.
func (s *Store) History(ctx context.Context, executionARN string, hq store.HistoryQuery) ([]store.Event, string, error) {
	after := int64(math.MinInt64)
	query := `SELECT id, previous_event_id, timestamp, type, details_key, details FROM events
		WHERE execution_id = (SELECT id FROM executions WHERE arn = ?) AND id > ? ORDER BY id LIMIT ?`
	if hq.Reverse {
		after = math.MaxInt64
		query = `SELECT id, previous_event_id, timestamp, type, details_key, details FROM events
		WHERE execution_id = (SELECT id FROM executions WHERE arn = ?) AND id < ? ORDER BY id DESC LIMIT ?`
	}
	if hq.NextToken != "" {
		if err := decodeToken(hq.NextToken, "event", &after); err != nil {
			return nil, "", fmt.Errorf("history of %s: %w", executionARN, err)
		}
	}
	limit := pageSize(hq.Page)
	var evs []store.Event
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, query, executionARN, after, limit+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e store.Event
			var ts int64
			if err := rows.Scan(&e.ID, &e.PreviousEventID, &ts, &e.Type, &e.DetailsKey, &e.Details); err != nil {
				return err
			}
			e.Timestamp = fromNanos(ts)
			evs = append(evs, e)
		}
		if err := rows.Err(); err != nil || len(evs) > 0 {
			return err
		}
		return checkExists(ctx, q, `SELECT 1 FROM executions WHERE arn = ?`, executionARN)
	})
	if err != nil {
		return nil, "", fmt.Errorf("history of %s: %w", executionARN, err)
	}
	var next string
	if len(evs) > limit {
		evs = evs[:limit]
		next = encodeToken("event", evs[limit-1].ID)
	}
	return evs, next, nil
}

// Signals returns an execution's signals in the order they were written;
// ErrNotFound when the execution does not exist.
func (s *Store) Signals(ctx context.Context, executionARN string) ([][]byte, error) {
	var sigs [][]byte
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT data FROM signals
			WHERE execution_id = (SELECT id FROM executions WHERE arn = ?) ORDER BY seq`, executionARN)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				return err
			}
			sigs = append(sigs, b)
		}
		if err := rows.Err(); err != nil || len(sigs) > 0 {
			return err
		}
		return checkExists(ctx, q, `SELECT 1 FROM executions WHERE arn = ?`, executionARN)
	})
	if err != nil {
		return nil, fmt.Errorf("signals of %s: %w", executionARN, err)
	}
	return sigs, nil
}

// Timers.

// DueTimers returns up to limit timers (all when limit <= 0) with FireAt at
// or before now, by FireAt, then execution ARN, then ID.
func (s *Store) DueTimers(ctx context.Context, now time.Time, limit int) ([]store.Timer, error) {
	if limit <= 0 {
		limit = -1 // no limit in SQLite
	}
	var timers []store.Timer
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT execution_arn, id, fire_at FROM timers
			WHERE fire_at <= ? ORDER BY fire_at, execution_arn, id LIMIT ?`, now.UnixNano(), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t store.Timer
			var at int64
			if err := rows.Scan(&t.ExecutionARN, &t.ID, &at); err != nil {
				return err
			}
			t.FireAt = fromNanos(at)
			timers = append(timers, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("due timers: %w", err)
	}
	return timers, nil
}

// NextTimer returns the earliest timer's FireAt, or ok=false when there is
// no timer.
func (s *Store) NextTimer(ctx context.Context) (time.Time, bool, error) {
	var at int64
	err := s.read(ctx, func(q querier) error {
		return q.scan(ctx, `SELECT fire_at FROM timers ORDER BY fire_at LIMIT 1`, nil, &at)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next timer: %w", err)
	}
	return fromNanos(at), true, nil
}

// Tasks.

const taskColumns = `execution_arn, id, token, activity_arn, claimed, worker_name, created_at, resource,
	idempotency_key, state_name, attempt, timeout_seconds, heartbeat_seconds, input`

func scanTask(sc interface{ Scan(...any) error }) (store.Task, error) {
	var t store.Task
	var token, activity sql.NullString
	var created int64
	err := sc.Scan(&t.ExecutionARN, &t.ID, &token, &activity, &t.Claimed, &t.WorkerName, &created, &t.Resource,
		&t.IdempotencyKey, &t.StateName, &t.Attempt, &t.TimeoutSeconds, &t.HeartbeatSeconds, &t.Input)
	t.Token, t.ActivityARN, t.CreatedAt = token.String, activity.String, fromNanos(created)
	return t, err
}

// Tasks returns an execution's outstanding tasks, oldest first (by
// CreatedAt, then ID); ErrNotFound when the execution does not exist.
func (s *Store) Tasks(ctx context.Context, executionARN string) ([]store.Task, error) {
	var tasks []store.Task
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT `+taskColumns+` FROM tasks WHERE execution_arn = ?
			ORDER BY created_at, id`, executionARN)
		if err != nil {
			return err
		}
		if tasks, err = collect(rows, scanTask); err != nil || len(tasks) > 0 {
			return err
		}
		return checkExists(ctx, q, `SELECT 1 FROM executions WHERE arn = ?`, executionARN)
	})
	if err != nil {
		return nil, fmt.Errorf("tasks of %s: %w", executionARN, err)
	}
	return tasks, nil
}

// TaskByToken returns the outstanding task with the token, or ErrNotFound.
func (s *Store) TaskByToken(ctx context.Context, token string) (*store.Task, error) {
	var t store.Task
	err := s.read(ctx, func(q querier) error {
		st, err := q.stmts.get(ctx, `SELECT `+taskColumns+` FROM tasks WHERE token = ?`)
		if err != nil {
			return err
		}
		t, err = scanTask(st.QueryRowContext(ctx, token))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("task by token: %w", err)
	}
	return &t, nil
}

// ReleaseActivityTasks clears the claim of the tasks with the given tokens,
// or of every claimed task when tokens is nil.
func (s *Store) ReleaseActivityTasks(ctx context.Context, tokens []string) (int, error) {
	var n int64
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		if tokens == nil {
			res, err := q.exec(ctx, `UPDATE tasks SET claimed = 0, worker_name = '' WHERE claimed = 1`)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		}
		for _, tok := range tokens {
			res, err := q.exec(ctx, `UPDATE tasks SET claimed = 0, worker_name = '' WHERE token = ?1 AND claimed = 1`, tok)
			if err != nil {
				return err
			}
			m, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += m
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("release activity tasks: %w", err)
	}
	return int(n), nil
}

// ClaimActivityTask marks the activity's oldest unclaimed task (by
// CreatedAt, then execution ARN, then ID) as claimed by worker and returns
// it; ErrNotFound when there is none.
func (s *Store) ClaimActivityTask(ctx context.Context, activityARN, worker string) (*store.Task, error) {
	var t store.Task
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		st, err := q.stmts.get(ctx, `UPDATE tasks SET claimed = 1, worker_name = ?1
			WHERE rowid = (SELECT rowid FROM tasks WHERE activity_arn = ?2 AND claimed = 0
				ORDER BY created_at, execution_arn, id LIMIT 1)
			RETURNING `+taskColumns)
		if err != nil {
			return err
		}
		t, err = scanTask(st.QueryRowContext(ctx, worker, activityARN))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("claim task of %s: %w", activityARN, err)
	}
	return &t, nil
}
