// Package sqlite is Baton's embedded store: store.Store on one SQLite file,
// through the pure-Go driver modernc.org/sqlite (no cgo, so Baton stays one
// static binary).
//
// It owns all of the store's SQL, the schema and its migrations
// (migration/*.sql, embedded, recorded in schema_migrations). It must not
// hold engine logic: it stores what it is given, checks only the keys and
// preconditions that store.Store documents, and reads no clock.
//
//	st, err := sqlite.Open(ctx, sqlite.Config{Path: ".baton/baton.db"})
//	if err != nil {
//		return err
//	}
//	defer st.Close()
//	err = st.WriteSteps(ctx, steps) // one transaction, one fsync
//
// # Connections and transactions
//
// SQLite allows one writer at a time, so the store has exactly one writer
// connection and hands it to one goroutine at a time (a one-slot semaphore
// that honours the caller's context). Every write, even a single statement,
// runs in BEGIN IMMEDIATE … COMMIT on it: the write lock is taken up front,
// so a transaction never fails half-way upgrading a read lock, and writers
// queue in Go rather than spinning in SQLite's busy handler. The busy
// timeout (Config.BusyTimeout) only matters when another process holds the
// file.
//
// Reads go to a separate pool of read-only connections (query_only), which
// WAL mode lets run alongside the writer; each read sees every transaction
// committed before it started. A ":memory:" database exists per connection,
// so an in-memory store has the writer connection only and reads take turns
// with writes.
//
// Every statement is prepared once per connection and cached until Close.
// Statements inside a write transaction run under a context that cannot be
// cancelled (the driver would start a goroutine per statement to watch it);
// the caller's context bounds the wait for the writer and for BEGIN, and is
// checked again before COMMIT, so a cancelled write rolls back.
//
// # Durability and group commit
//
// The database runs in WAL mode with synchronous=FULL by default: COMMIT
// returns once the WAL is on disk. WriteSteps writes a whole batch of steps,
// from many executions, in one transaction, so the cost of a commit is
// shared. Within the transaction a step costs one statement that checks the
// execution, applies its status and finds its last signal number, plus one
// per timer or task added or removed; the batch's events and signals are
// inserted afterwards in multi-row INSERTs of up to 64 rows. Statement
// journals stay in memory (temp_store=MEMORY).
//
// What a batch costs in the end is the pages it dirties: each step touches
// its execution's last page of the events index and of the signals index.
// Those two tables are therefore keyed by an integer execution id
// (executions.id) rather than the ARN, which keeps index entries small and
// puts executions started together side by side.
//
// # Encoding
//
// Times are INTEGER Unix nanoseconds in UTC and come back in UTC; the zero
// time is stored as 0 (so the instant 1970-01-01T00:00:00Z reads back as
// the zero time). JSON documents are TEXT, signals BLOBs. An execution's
// uint64 seed is stored as the int64 with the same bits.
//
// Page tokens are keyset cursors: the sort key of the last item returned,
// after the listing's kind, as a JSON array in unpadded base64url (for
// example ["execution",1741964966535000000,"arn:…"]). A token resumes after
// that key, so it stays valid while items come and go. A malformed token, or
// one from another listing, is an error that wraps no store sentinel.
//
// # Errors
//
// Primary key and unique violations become store.ErrAlreadyExists on create
// and store.ErrConflict inside WriteSteps; a foreign key violation becomes
// store.ErrNotFound (a missing state machine or version) or, deleting a
// version an alias routes to, store.ErrConflict.
package sqlite
