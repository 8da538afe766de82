package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/batonrun/baton/internal/store"
)

var _ store.Store = (*Store)(nil)

// MemoryPath is the Config.Path that opens a private in-memory database.
const MemoryPath = ":memory:"

// Config configures Open.
type Config struct {
	// Path is the database file; its directory is created when missing.
	// Default ".baton/baton.db". MemoryPath (":memory:") opens a private
	// in-memory database on one connection, for tests.
	Path string
	// BusyTimeout is how long a statement waits for a lock held by another
	// process before it fails with SQLITE_BUSY. Default 5s.
	BusyTimeout time.Duration
	// Synchronous is PRAGMA synchronous: OFF, NORMAL, FULL or EXTRA.
	// Default FULL: a committed transaction survives a power loss.
	Synchronous string
}

// withDefaults returns c with its zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.Path == "" {
		c.Path = filepath.Join(".baton", "baton.db")
	}
	if c.BusyTimeout == 0 {
		c.BusyTimeout = 5 * time.Second
	}
	if c.Synchronous == "" {
		c.Synchronous = "FULL"
	}
	c.Synchronous = strings.ToUpper(c.Synchronous)
	return c
}

func (c Config) validate() error {
	switch c.Synchronous {
	case "OFF", "NORMAL", "FULL", "EXTRA":
	default:
		return fmt.Errorf("synchronous %q: want OFF, NORMAL, FULL or EXTRA", c.Synchronous)
	}
	if c.BusyTimeout < 0 {
		return fmt.Errorf("busy timeout %v is negative", c.BusyTimeout)
	}
	// The driver reads the text after '?' as connection parameters.
	if strings.Contains(c.Path, "?") {
		return fmt.Errorf("path %q contains '?'", c.Path)
	}
	if strings.HasPrefix(c.Path, "file:") {
		return fmt.Errorf("path %q: give a file name, not a URI", c.Path)
	}
	return nil
}

// errClosed is returned by writes (and, for in-memory stores, reads) after
// Close.
var errClosed = errors.New("sqlite store is closed")

// Store is the SQLite store. It is safe for concurrent use.
type Store struct {
	// wdb holds the single writer connection, w. wsem is a one-slot
	// semaphore: whoever holds it owns w, its statements in wstmts, and
	// closed.
	wdb    *sql.DB
	w      *sql.Conn
	wsem   chan struct{}
	wstmts *stmtCache
	closed bool

	// rdb is the pool of read-only connections, with its statements in
	// rstmts. Both are nil for an in-memory store, whose reads go through
	// w.
	rdb    *sql.DB
	rstmts *stmtCache

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating when missing) the database at cfg.Path, brings its
// schema up to date and returns the store. The caller must Close it.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("sqlite config: %w", err)
	}
	memory := cfg.Path == MemoryPath
	if !memory {
		if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o755); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}

	params := url.Values{}
	params.Add("_pragma", "busy_timeout("+strconv.FormatInt(cfg.BusyTimeout.Milliseconds(), 10)+")")
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "synchronous("+cfg.Synchronous+")")
	// Statement journals (a multi-row INSERT inside a transaction needs one
	// to undo itself alone) and temporary sort tables stay in memory: on
	// disk they cost a write system call per page, a third of WriteSteps'
	// time.
	params.Add("_pragma", "temp_store(MEMORY)")
	wparams := cloneValues(params)
	if !memory {
		wparams.Set("_journal_mode", "WAL")
	}
	// BEGIN IMMEDIATE takes the write lock at once, so a transaction never
	// has to upgrade a read lock, which can fail with SQLITE_BUSY without
	// waiting when another process wrote in between.
	wparams.Set("_txlock", "immediate")

	s := &Store{wsem: make(chan struct{}, 1)}
	wdb, err := sql.Open("sqlite", cfg.Path+"?"+wparams.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", cfg.Path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	s.wdb = wdb
	s.w, err = wdb.Conn(ctx)
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open %s: %w", cfg.Path, err)
	}
	s.wstmts = newStmtCache(s.w.PrepareContext)

	if err := s.init(ctx, memory, cfg, params); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// cloneValues copies url.Values, whose values are slices.
func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

func (s *Store) init(ctx context.Context, memory bool, cfg Config, params url.Values) error {
	if !memory {
		var mode string
		if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			return fmt.Errorf("read journal mode: %w", err)
		}
		if !strings.EqualFold(mode, "wal") {
			return fmt.Errorf("open %s: journal mode is %q, not WAL", cfg.Path, mode)
		}
	}
	if err := migrate(ctx, s.w); err != nil {
		return err
	}
	if memory {
		return nil
	}

	params.Set("_query_only", "1")
	rdb, err := sql.Open("sqlite", cfg.Path+"?"+params.Encode())
	if err != nil {
		return fmt.Errorf("open %s for reading: %w", cfg.Path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	rdb.SetConnMaxLifetime(0)
	rdb.SetConnMaxIdleTime(0)
	s.rdb = rdb
	s.rstmts = newStmtCache(rdb.PrepareContext)
	if err := rdb.PingContext(ctx); err != nil {
		return fmt.Errorf("open %s for reading: %w", cfg.Path, err)
	}
	return nil
}

// Close closes the store, waiting for a write in progress to end. It is safe
// to call twice; later calls return the first call's result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.wsem <- struct{}{}
		s.closed = true
		var errs []error
		if s.rstmts != nil {
			errs = append(errs, s.rstmts.close())
		}
		if s.rdb != nil {
			errs = append(errs, s.rdb.Close())
		}
		errs = append(errs, s.wstmts.close())
		if s.w != nil {
			errs = append(errs, s.w.Close())
		}
		errs = append(errs, s.wdb.Close())
		<-s.wsem
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("close sqlite store: %w", err)
		}
	})
	return s.closeErr
}

// stmtCache prepares each query once and keeps the statement until close.
type stmtCache struct {
	prepare func(ctx context.Context, query string) (*sql.Stmt, error)
	mu      sync.Mutex
	m       map[string]*sql.Stmt
}

func newStmtCache(prepare func(context.Context, string) (*sql.Stmt, error)) *stmtCache {
	return &stmtCache{prepare: prepare, m: make(map[string]*sql.Stmt)}
}

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	st, err := c.prepare(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", firstLine(query), err)
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, st := range c.m {
		errs = append(errs, st.Close())
	}
	clear(c.m)
	return errors.Join(errs...)
}

func firstLine(q string) string {
	q = strings.TrimSpace(q)
	if i := strings.IndexByte(q, '\n'); i >= 0 {
		return q[:i] + " …"
	}
	return q
}

// querier runs cached prepared statements on one connection (the writer)
// or pool (the readers).
type querier struct {
	stmts *stmtCache
}

func (q querier) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := q.stmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// execN runs a statement and returns the number of rows it changed.
func (q querier) execN(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q querier) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := q.stmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// scan runs a query that returns at most one row and scans it into dest;
// it returns sql.ErrNoRows when there is none.
func (q querier) scan(ctx context.Context, query string, args []any, dest ...any) error {
	st, err := q.stmts.get(ctx, query)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, args...).Scan(dest...)
}

// exists reports whether a query returns a row.
func (q querier) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := q.scan(ctx, query, args, &one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// lockWriter takes the writer connection, or fails when ctx ends first or
// the store is closed.
func (s *Store) lockWriter(ctx context.Context) error {
	select {
	case s.wsem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if s.closed {
		<-s.wsem
		return errClosed
	}
	return nil
}

func (s *Store) unlockWriter() { <-s.wsem }

// read runs fn with the read pool, or with the writer connection for an
// in-memory store.
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	if s.rstmts != nil {
		return fn(querier{s.rstmts})
	}
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	return fn(querier{s.wstmts})
}

// write runs fn in a transaction on the writer connection and commits it
// when fn returns nil.
//
// BEGIN IMMEDIATE waits for the write lock under ctx. The statements inside
// run under a context that cannot be cancelled: the driver watches a
// cancellable context with a goroutine per statement, a cost paid hundreds of
// times per group commit, while each statement here is short. ctx is checked
// instead between fn and COMMIT; a cancelled ctx rolls the transaction back.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, q querier) error) error {
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	q := querier{s.wstmts}
	if _, err := q.exec(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	bg := context.WithoutCancel(ctx)
	err := fn(bg, q)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		if _, err = q.exec(bg, "COMMIT"); err != nil {
			err = fmt.Errorf("commit: %w", err)
		}
	}
	if err != nil {
		// SQLite may have rolled back already (after an I/O error or
		// SQLITE_FULL); then ROLLBACK fails harmlessly.
		_, _ = q.exec(bg, "ROLLBACK")
		return err
	}
	return nil
}

// sqliteCode returns the extended result code of a driver error, or 0.
func sqliteCode(err error) int {
	var se *msqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// isUnique reports whether err is a primary key or unique constraint
// violation.
func isUnique(err error) bool {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return true
	}
	return false
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// Times are stored as Unix nanoseconds in UTC; the zero time is stored as 0
// (so the instant 1970-01-01T00:00:00Z reads back as the zero time).

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// nullString stores "" as NULL, for columns where NULL means none.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
