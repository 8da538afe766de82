package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/batonrun/baton/internal/store"
)

// State machines.

const stateMachineColumns = `arn, name, type, role_arn, description, revision_id, created_at, updated_at,
	logging_configuration, tracing_configuration, encryption_configuration, definition`

func scanStateMachine(sc interface{ Scan(...any) error }) (*store.StateMachine, error) {
	var sm store.StateMachine
	var created, updated int64
	err := sc.Scan(&sm.ARN, &sm.Name, &sm.Type, &sm.RoleARN, &sm.Description, &sm.RevisionID, &created, &updated,
		&sm.LoggingConfiguration, &sm.TracingConfiguration, &sm.EncryptionConfiguration, &sm.Definition)
	if err != nil {
		return nil, err
	}
	sm.CreatedAt, sm.UpdatedAt = fromNanos(created), fromNanos(updated)
	return &sm, nil
}

// CreateStateMachine stores a new state machine; ErrAlreadyExists when its
// ARN exists.
func (s *Store) CreateStateMachine(ctx context.Context, sm *store.StateMachine) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		_, err := q.exec(ctx, `INSERT INTO state_machines (`+stateMachineColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sm.ARN, sm.Name, sm.Type, sm.RoleARN, sm.Description, sm.RevisionID, nanos(sm.CreatedAt), nanos(sm.UpdatedAt),
			sm.LoggingConfiguration, sm.TracingConfiguration, sm.EncryptionConfiguration, sm.Definition)
		if isUnique(err) {
			return store.ErrAlreadyExists
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("create state machine %s: %w", sm.ARN, err)
	}
	return nil
}

// GetStateMachine returns the state machine, or ErrNotFound.
func (s *Store) GetStateMachine(ctx context.Context, arn string) (*store.StateMachine, error) {
	var sm *store.StateMachine
	err := s.read(ctx, func(q querier) error {
		st, err := q.stmts.get(ctx, `SELECT `+stateMachineColumns+` FROM state_machines WHERE arn = ?`)
		if err != nil {
			return err
		}
		sm, err = scanStateMachine(st.QueryRowContext(ctx, arn))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get state machine %s: %w", arn, err)
	}
	return sm, nil
}

// UpdateStateMachine replaces every field of the state machine but its ARN;
// ErrNotFound when it does not exist. Version numbering is unaffected.
func (s *Store) UpdateStateMachine(ctx context.Context, sm *store.StateMachine) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		n, err := q.execN(ctx, `UPDATE state_machines SET name = ?, type = ?, role_arn = ?, description = ?,
			revision_id = ?, created_at = ?, updated_at = ?, logging_configuration = ?,
			tracing_configuration = ?, encryption_configuration = ?, definition = ?
			WHERE arn = ?`,
			sm.Name, sm.Type, sm.RoleARN, sm.Description, sm.RevisionID, nanos(sm.CreatedAt), nanos(sm.UpdatedAt),
			sm.LoggingConfiguration, sm.TracingConfiguration, sm.EncryptionConfiguration, sm.Definition, sm.ARN)
		if err == nil && n == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("update state machine %s: %w", sm.ARN, err)
	}
	return nil
}

// DeleteStateMachine removes the state machine, its versions and aliases,
// and their tags; ErrNotFound when it does not exist. Executions remain.
func (s *Store) DeleteStateMachine(ctx context.Context, arn string) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		if _, err := q.exec(ctx, `DELETE FROM tags WHERE resource_arn = ?1
			OR resource_arn IN (SELECT arn FROM versions WHERE state_machine_arn = ?1)
			OR resource_arn IN (SELECT arn FROM aliases WHERE state_machine_arn = ?1)`, arn); err != nil {
			return err
		}
		// Versions and aliases (with their routes) go by ON DELETE CASCADE.
		n, err := q.execN(ctx, `DELETE FROM state_machines WHERE arn = ?`, arn)
		if err == nil && n == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete state machine %s: %w", arn, err)
	}
	return nil
}

// ListStateMachines lists state machines by name (then ARN).
func (s *Store) ListStateMachines(ctx context.Context, p store.Page) ([]*store.StateMachine, string, error) {
	var (
		name, arn string
		args      []any
		where     = ""
	)
	if p.NextToken != "" {
		if err := decodeToken(p.NextToken, "sm", &name, &arn); err != nil {
			return nil, "", fmt.Errorf("list state machines: %w", err)
		}
		where = `WHERE (name, arn) > (?, ?)`
		args = append(args, name, arn)
	}
	limit := pageSize(p)
	args = append(args, limit+1)
	var list []*store.StateMachine
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT `+stateMachineColumns+` FROM state_machines `+where+`
			ORDER BY name, arn LIMIT ?`, args...)
		if err != nil {
			return err
		}
		list, err = collect(rows, scanStateMachine)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("list state machines: %w", err)
	}
	var next string
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		next = encodeToken("sm", last.Name, last.ARN)
	}
	return list, next, nil
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(sc interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}

// Versions.

const versionColumns = `arn, state_machine_arn, version, role_arn, type, description, revision_id, created_at, definition`

func scanVersion(sc interface{ Scan(...any) error }) (*store.StateMachineVersion, error) {
	var v store.StateMachineVersion
	var created int64
	err := sc.Scan(&v.ARN, &v.StateMachineARN, &v.Version, &v.RoleARN, &v.Type, &v.Description, &v.RevisionID,
		&created, &v.Definition)
	if err != nil {
		return nil, err
	}
	v.CreatedAt = fromNanos(created)
	return &v, nil
}

// CreateVersion stores a version numbered one more than the highest ever
// published for its state machine, deleted versions included: ErrConflict
// for any other number, ErrNotFound when the state machine does not exist.
func (s *Store) CreateVersion(ctx context.Context, v *store.StateMachineVersion) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		n, err := q.execN(ctx, `UPDATE state_machines SET last_version = ?1 WHERE arn = ?2 AND last_version = ?1 - 1`,
			v.Version, v.StateMachineARN)
		if err != nil {
			return err
		}
		if n == 0 {
			var last int
			err := q.scan(ctx, `SELECT last_version FROM state_machines WHERE arn = ?`, []any{v.StateMachineARN}, &last)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("state machine %s: %w", v.StateMachineARN, store.ErrNotFound)
			}
			if err != nil {
				return err
			}
			return fmt.Errorf("version %d follows %d: %w", v.Version, last, store.ErrConflict)
		}
		_, err = q.exec(ctx, `INSERT INTO versions (`+versionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ARN, v.StateMachineARN, v.Version, v.RoleARN, v.Type, v.Description, v.RevisionID,
			nanos(v.CreatedAt), v.Definition)
		if isUnique(err) {
			return store.ErrAlreadyExists
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("create version %s: %w", v.ARN, err)
	}
	return nil
}

// GetVersion returns the version, or ErrNotFound.
func (s *Store) GetVersion(ctx context.Context, arn string) (*store.StateMachineVersion, error) {
	var v *store.StateMachineVersion
	err := s.read(ctx, func(q querier) error {
		st, err := q.stmts.get(ctx, `SELECT `+versionColumns+` FROM versions WHERE arn = ?`)
		if err != nil {
			return err
		}
		v, err = scanVersion(st.QueryRowContext(ctx, arn))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get version %s: %w", arn, err)
	}
	return v, nil
}

// ListVersions lists a state machine's versions, newest first; ErrNotFound
// when the state machine does not exist.
func (s *Store) ListVersions(ctx context.Context, stateMachineARN string, p store.Page) ([]*store.StateMachineVersion, string, error) {
	after := int64(1) << 62
	if p.NextToken != "" {
		if err := decodeToken(p.NextToken, "version", &after); err != nil {
			return nil, "", fmt.Errorf("list versions of %s: %w", stateMachineARN, err)
		}
	}
	limit := pageSize(p)
	var list []*store.StateMachineVersion
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT `+versionColumns+` FROM versions
			WHERE state_machine_arn = ? AND version < ? ORDER BY version DESC LIMIT ?`,
			stateMachineARN, after, limit+1)
		if err != nil {
			return err
		}
		if list, err = collect(rows, scanVersion); err != nil || len(list) > 0 {
			return err
		}
		return checkExists(ctx, q, `SELECT 1 FROM state_machines WHERE arn = ?`, stateMachineARN)
	})
	if err != nil {
		return nil, "", fmt.Errorf("list versions of %s: %w", stateMachineARN, err)
	}
	var next string
	if len(list) > limit {
		list = list[:limit]
		next = encodeToken("version", list[limit-1].Version)
	}
	return list, next, nil
}

// checkExists returns ErrNotFound when query returns no row.
func checkExists(ctx context.Context, q querier, query string, args ...any) error {
	ok, err := q.exists(ctx, query, args...)
	if err == nil && !ok {
		err = store.ErrNotFound
	}
	return err
}

// DeleteVersion removes a version and its tags; ErrNotFound when it does
// not exist, ErrConflict when an alias routes to it.
func (s *Store) DeleteVersion(ctx context.Context, arn string) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		n, err := q.execN(ctx, `DELETE FROM versions WHERE arn = ?`, arn)
		if isForeignKey(err) {
			return fmt.Errorf("an alias routes to it: %w", store.ErrConflict)
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		_, err = q.exec(ctx, `DELETE FROM tags WHERE resource_arn = ?`, arn)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete version %s: %w", arn, err)
	}
	return nil
}

// Aliases.

// aliasColumns reads an alias with its routing as a JSON array of
// [version_arn, weight] pairs in order.
const aliasColumns = `arn, state_machine_arn, name, description, created_at, updated_at,
	(SELECT json_group_array(json_array(r.version_arn, r.weight) ORDER BY r.position)
	 FROM alias_routes r WHERE r.alias_arn = aliases.arn)`

func scanAlias(sc interface{ Scan(...any) error }) (*store.StateMachineAlias, error) {
	var a store.StateMachineAlias
	var created, updated int64
	var routing string
	if err := sc.Scan(&a.ARN, &a.StateMachineARN, &a.Name, &a.Description, &created, &updated, &routing); err != nil {
		return nil, err
	}
	a.CreatedAt, a.UpdatedAt = fromNanos(created), fromNanos(updated)
	var pairs [][2]json.RawMessage
	if err := json.Unmarshal([]byte(routing), &pairs); err != nil {
		return nil, fmt.Errorf("decode routing of %s: %w", a.ARN, err)
	}
	for _, p := range pairs {
		var e store.RoutingEntry
		if err := json.Unmarshal(p[0], &e.VersionARN); err != nil {
			return nil, fmt.Errorf("decode routing of %s: %w", a.ARN, err)
		}
		if err := json.Unmarshal(p[1], &e.Weight); err != nil {
			return nil, fmt.Errorf("decode routing of %s: %w", a.ARN, err)
		}
		a.Routing = append(a.Routing, e)
	}
	return &a, nil
}

// insertRoutes stores an alias's routing; ErrNotFound when a version does
// not exist.
func insertRoutes(ctx context.Context, q querier, a *store.StateMachineAlias) error {
	for i, r := range a.Routing {
		_, err := q.exec(ctx, `INSERT INTO alias_routes (alias_arn, position, version_arn, weight) VALUES (?, ?, ?, ?)`,
			a.ARN, i, r.VersionARN, r.Weight)
		if isForeignKey(err) {
			return fmt.Errorf("version %s: %w", r.VersionARN, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// CreateAlias stores an alias: ErrAlreadyExists when its ARN exists,
// ErrNotFound when its state machine or a version it routes to does not.
func (s *Store) CreateAlias(ctx context.Context, a *store.StateMachineAlias) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		_, err := q.exec(ctx, `INSERT INTO aliases (arn, state_machine_arn, name, description, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`,
			a.ARN, a.StateMachineARN, a.Name, a.Description, nanos(a.CreatedAt), nanos(a.UpdatedAt))
		switch {
		case isUnique(err):
			return store.ErrAlreadyExists
		case isForeignKey(err):
			return fmt.Errorf("state machine %s: %w", a.StateMachineARN, store.ErrNotFound)
		case err != nil:
			return err
		}
		return insertRoutes(ctx, q, a)
	})
	if err != nil {
		return fmt.Errorf("create alias %s: %w", a.ARN, err)
	}
	return nil
}

// GetAlias returns the alias, or ErrNotFound.
func (s *Store) GetAlias(ctx context.Context, arn string) (*store.StateMachineAlias, error) {
	var a *store.StateMachineAlias
	err := s.read(ctx, func(q querier) error {
		st, err := q.stmts.get(ctx, `SELECT `+aliasColumns+` FROM aliases WHERE arn = ?`)
		if err != nil {
			return err
		}
		a, err = scanAlias(st.QueryRowContext(ctx, arn))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get alias %s: %w", arn, err)
	}
	return a, nil
}

// UpdateAlias replaces the alias's Description, Routing and UpdatedAt:
// ErrNotFound when the alias or a version it routes to does not exist.
func (s *Store) UpdateAlias(ctx context.Context, a *store.StateMachineAlias) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		n, err := q.execN(ctx, `UPDATE aliases SET description = ?, updated_at = ? WHERE arn = ?`,
			a.Description, nanos(a.UpdatedAt), a.ARN)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		if _, err := q.exec(ctx, `DELETE FROM alias_routes WHERE alias_arn = ?`, a.ARN); err != nil {
			return err
		}
		return insertRoutes(ctx, q, a)
	})
	if err != nil {
		return fmt.Errorf("update alias %s: %w", a.ARN, err)
	}
	return nil
}

// DeleteAlias removes the alias and its tags; ErrNotFound when it does not
// exist.
func (s *Store) DeleteAlias(ctx context.Context, arn string) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		n, err := q.execN(ctx, `DELETE FROM aliases WHERE arn = ?`, arn)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		_, err = q.exec(ctx, `DELETE FROM tags WHERE resource_arn = ?`, arn)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete alias %s: %w", arn, err)
	}
	return nil
}

// ListAliases lists a state machine's aliases by name; ErrNotFound when the
// state machine does not exist.
func (s *Store) ListAliases(ctx context.Context, stateMachineARN string, p store.Page) ([]*store.StateMachineAlias, string, error) {
	var after string
	if p.NextToken != "" {
		if err := decodeToken(p.NextToken, "alias", &after); err != nil {
			return nil, "", fmt.Errorf("list aliases of %s: %w", stateMachineARN, err)
		}
	}
	limit := pageSize(p)
	var list []*store.StateMachineAlias
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT `+aliasColumns+` FROM aliases
			WHERE state_machine_arn = ? AND name > ? ORDER BY name LIMIT ?`,
			stateMachineARN, after, limit+1)
		if err != nil {
			return err
		}
		if list, err = collect(rows, scanAlias); err != nil || len(list) > 0 {
			return err
		}
		return checkExists(ctx, q, `SELECT 1 FROM state_machines WHERE arn = ?`, stateMachineARN)
	})
	if err != nil {
		return nil, "", fmt.Errorf("list aliases of %s: %w", stateMachineARN, err)
	}
	var next string
	if len(list) > limit {
		list = list[:limit]
		next = encodeToken("alias", list[limit-1].Name)
	}
	return list, next, nil
}

// Activities.

func scanActivity(sc interface{ Scan(...any) error }) (*store.Activity, error) {
	var a store.Activity
	var created int64
	if err := sc.Scan(&a.ARN, &a.Name, &created); err != nil {
		return nil, err
	}
	a.CreatedAt = fromNanos(created)
	return &a, nil
}

// CreateActivity stores an activity; ErrAlreadyExists when its ARN exists.
func (s *Store) CreateActivity(ctx context.Context, a *store.Activity) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		_, err := q.exec(ctx, `INSERT INTO activities (arn, name, created_at) VALUES (?, ?, ?)`,
			a.ARN, a.Name, nanos(a.CreatedAt))
		if isUnique(err) {
			return store.ErrAlreadyExists
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("create activity %s: %w", a.ARN, err)
	}
	return nil
}

// GetActivity returns the activity, or ErrNotFound.
func (s *Store) GetActivity(ctx context.Context, arn string) (*store.Activity, error) {
	var a *store.Activity
	err := s.read(ctx, func(q querier) error {
		st, err := q.stmts.get(ctx, `SELECT arn, name, created_at FROM activities WHERE arn = ?`)
		if err != nil {
			return err
		}
		a, err = scanActivity(st.QueryRowContext(ctx, arn))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get activity %s: %w", arn, err)
	}
	return a, nil
}

// DeleteActivity removes the activity and its tags; ErrNotFound when it
// does not exist. Its outstanding tasks remain.
func (s *Store) DeleteActivity(ctx context.Context, arn string) error {
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		n, err := q.execN(ctx, `DELETE FROM activities WHERE arn = ?`, arn)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		_, err = q.exec(ctx, `DELETE FROM tags WHERE resource_arn = ?`, arn)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete activity %s: %w", arn, err)
	}
	return nil
}

// ListActivities lists activities by name (then ARN).
func (s *Store) ListActivities(ctx context.Context, p store.Page) ([]*store.Activity, string, error) {
	var (
		name, arn string
		args      []any
		where     = ""
	)
	if p.NextToken != "" {
		if err := decodeToken(p.NextToken, "activity", &name, &arn); err != nil {
			return nil, "", fmt.Errorf("list activities: %w", err)
		}
		where = `WHERE (name, arn) > (?, ?)`
		args = append(args, name, arn)
	}
	limit := pageSize(p)
	args = append(args, limit+1)
	var list []*store.Activity
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT arn, name, created_at FROM activities `+where+`
			ORDER BY name, arn LIMIT ?`, args...)
		if err != nil {
			return err
		}
		list, err = collect(rows, scanActivity)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("list activities: %w", err)
	}
	var next string
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		next = encodeToken("activity", last.Name, last.ARN)
	}
	return list, next, nil
}

// Tags.

// TagResource adds tags to any ARN, overwriting the values of keys it has.
func (s *Store) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	if len(tags) == 0 {
		return nil
	}
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		for k, v := range tags {
			if _, err := q.exec(ctx, `INSERT INTO tags (resource_arn, key, value) VALUES (?, ?, ?)
				ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value`, arn, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tag %s: %w", arn, err)
	}
	return nil
}

// UntagResource removes the tags with the given keys; missing keys are
// ignored.
func (s *Store) UntagResource(ctx context.Context, arn string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	err := s.write(ctx, func(ctx context.Context, q querier) error {
		for _, k := range keys {
			if _, err := q.exec(ctx, `DELETE FROM tags WHERE resource_arn = ? AND key = ?`, arn, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("untag %s: %w", arn, err)
	}
	return nil
}

// ListTags returns the ARN's tags: an empty, non-nil map when it has none.
func (s *Store) ListTags(ctx context.Context, arn string) (map[string]string, error) {
	tags := make(map[string]string)
	err := s.read(ctx, func(q querier) error {
		rows, err := q.query(ctx, `SELECT key, value FROM tags WHERE resource_arn = ?`, arn)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				return err
			}
			tags[k] = v
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list tags of %s: %w", arn, err)
	}
	return tags, nil
}
