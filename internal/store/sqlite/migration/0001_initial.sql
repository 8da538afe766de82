-- The initial schema. Times are integer Unix nanoseconds (UTC), 0 for the
-- zero time. JSON documents are TEXT; signals are BLOBs as the engine encoded
-- them. Large text columns come last in each table so that the small, hot
-- columns stay in the row's first page.

CREATE TABLE state_machines (
	arn                      TEXT    NOT NULL PRIMARY KEY,
	name                     TEXT    NOT NULL,
	type                     TEXT    NOT NULL,
	role_arn                 TEXT    NOT NULL,
	description              TEXT    NOT NULL,
	revision_id              TEXT    NOT NULL,
	created_at               INTEGER NOT NULL,
	updated_at               INTEGER NOT NULL,
	-- last_version is the highest version number ever published, so that
	-- numbers are never reused after a version is deleted.
	last_version             INTEGER NOT NULL DEFAULT 0,
	logging_configuration    TEXT    NOT NULL,
	tracing_configuration    TEXT    NOT NULL,
	encryption_configuration TEXT    NOT NULL,
	definition               TEXT    NOT NULL
);
CREATE INDEX state_machines_name ON state_machines (name, arn);

CREATE TABLE versions (
	arn               TEXT    NOT NULL PRIMARY KEY,
	state_machine_arn TEXT    NOT NULL REFERENCES state_machines (arn) ON DELETE CASCADE,
	version           INTEGER NOT NULL,
	role_arn          TEXT    NOT NULL,
	type              TEXT    NOT NULL,
	description       TEXT    NOT NULL,
	revision_id       TEXT    NOT NULL,
	created_at        INTEGER NOT NULL,
	definition        TEXT    NOT NULL,
	UNIQUE (state_machine_arn, version)
);

CREATE TABLE aliases (
	arn               TEXT    NOT NULL PRIMARY KEY,
	state_machine_arn TEXT    NOT NULL REFERENCES state_machines (arn) ON DELETE CASCADE,
	name              TEXT    NOT NULL,
	description       TEXT    NOT NULL,
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	UNIQUE (state_machine_arn, name)
);

-- alias_routes holds an alias's routing configuration in order. The foreign
-- key to versions makes a version that an alias routes to undeletable.
CREATE TABLE alias_routes (
	alias_arn   TEXT    NOT NULL REFERENCES aliases (arn) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	version_arn TEXT    NOT NULL REFERENCES versions (arn),
	weight      INTEGER NOT NULL,
	PRIMARY KEY (alias_arn, position)
) WITHOUT ROWID;
CREATE INDEX alias_routes_version ON alias_routes (version_arn);

CREATE TABLE activities (
	arn        TEXT    NOT NULL PRIMARY KEY,
	name       TEXT    NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX activities_name ON activities (name, arn);

CREATE TABLE tags (
	resource_arn TEXT NOT NULL,
	key          TEXT NOT NULL,
	value        TEXT NOT NULL,
	PRIMARY KEY (resource_arn, key)
) WITHOUT ROWID;

-- Executions have no foreign key to state_machines: they outlive it. id is
-- the key of their events and signals: an integer keeps those indexes small
-- and puts executions started together next to each other, so that a group
-- commit touches few pages (an ARN key made the two indexes 90% of the pages
-- a batch wrote).
CREATE TABLE executions (
	id                INTEGER PRIMARY KEY,
	arn               TEXT    NOT NULL UNIQUE,
	state_machine_arn TEXT    NOT NULL,
	name              TEXT    NOT NULL,
	type              TEXT    NOT NULL,
	status            TEXT    NOT NULL,
	start_date        INTEGER NOT NULL,
	stop_date         INTEGER NOT NULL,
	version_arn       TEXT    NOT NULL,
	alias_arn         TEXT    NOT NULL,
	parent_arn        TEXT,   -- NULL when none, for the partial index
	role_arn          TEXT    NOT NULL,
	seed              INTEGER NOT NULL, -- the uint64's bits
	trace_header      TEXT    NOT NULL,
	redrive_count     INTEGER NOT NULL,
	redrive_date      INTEGER NOT NULL,
	error             TEXT    NOT NULL,
	cause             TEXT    NOT NULL,
	input             TEXT    NOT NULL,
	output            TEXT    NOT NULL,
	definition        TEXT    NOT NULL
);
CREATE INDEX executions_state_machine ON executions (state_machine_arn, start_date, arn);
CREATE INDEX executions_parent ON executions (parent_arn, start_date, arn) WHERE parent_arn IS NOT NULL;
CREATE INDEX executions_running ON executions (status) WHERE status = 'RUNNING';

CREATE TABLE events (
	execution_id      INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
	id                INTEGER NOT NULL,
	previous_event_id INTEGER NOT NULL,
	timestamp         INTEGER NOT NULL,
	type              TEXT    NOT NULL,
	details_key       TEXT    NOT NULL,
	details           TEXT    NOT NULL,
	PRIMARY KEY (execution_id, id)
);

CREATE TABLE signals (
	execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
	seq          INTEGER NOT NULL,
	data         BLOB    NOT NULL,
	PRIMARY KEY (execution_id, seq)
);

-- Timers and tasks hold only outstanding work, so they stay small and are
-- keyed by ARN.
CREATE TABLE timers (
	execution_arn TEXT    NOT NULL REFERENCES executions (arn) ON DELETE CASCADE,
	id            TEXT    NOT NULL,
	fire_at       INTEGER NOT NULL,
	PRIMARY KEY (execution_arn, id)
) WITHOUT ROWID;
-- The primary key is part of every index of a WITHOUT ROWID table, so this
-- index orders by (fire_at, execution_arn, id).
CREATE INDEX timers_fire_at ON timers (fire_at);

CREATE TABLE tasks (
	execution_arn     TEXT    NOT NULL REFERENCES executions (arn) ON DELETE CASCADE,
	id                TEXT    NOT NULL,
	token             TEXT    UNIQUE, -- NULL when the task has none
	activity_arn      TEXT,           -- NULL when not an activity task
	claimed           INTEGER NOT NULL,
	worker_name       TEXT    NOT NULL,
	created_at        INTEGER NOT NULL,
	resource          TEXT    NOT NULL,
	idempotency_key   TEXT    NOT NULL,
	state_name        TEXT    NOT NULL,
	attempt           INTEGER NOT NULL,
	timeout_seconds   INTEGER NOT NULL,
	heartbeat_seconds INTEGER NOT NULL,
	input             TEXT    NOT NULL,
	PRIMARY KEY (execution_arn, id)
);
CREATE INDEX tasks_activity ON tasks (activity_arn, claimed, created_at, execution_arn, id)
	WHERE activity_arn IS NOT NULL;
