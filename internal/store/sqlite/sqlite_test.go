package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/batonrun/baton/internal/store"
	"github.com/batonrun/baton/internal/store/sqlite"
	"github.com/batonrun/baton/internal/store/storetest"
)

func open(t testing.TB, cfg sqlite.Config) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	})
	return st
}

func TestMemory(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, sqlite.Config{Path: sqlite.MemoryPath})
	})
}

func TestFile(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, sqlite.Config{Path: filepath.Join(t.TempDir(), "db", "baton.db")})
	})
}

// TestReopen checks that data survives closing and opening the file again,
// and that migrations are not applied twice.
func TestReopen(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "baton.db")
	st, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	// Nanosecond timestamps round-trip.
	created := time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.UTC)
	a := &store.Activity{ARN: "arn:aws:states:us-east-1:123456789012:activity:a", Name: "a", CreatedAt: created}
	if err := st.CreateActivity(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetActivity(ctx, a.ARN); err == nil {
		t.Fatal("GetActivity after Close succeeded")
	}
	if err := st.CreateActivity(ctx, a); err == nil {
		t.Fatal("CreateActivity after Close succeeded")
	}

	st = open(t, sqlite.Config{Path: path})
	got, err := st.GetActivity(ctx, a.ARN)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *a {
		t.Fatalf("activity after reopen = %+v, want %+v", got, a)
	}
}

func TestOpenConfig(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	for _, cfg := range []sqlite.Config{
		{Path: sqlite.MemoryPath, Synchronous: "sometimes"},
		{Path: sqlite.MemoryPath, BusyTimeout: -time.Second},
		{Path: filepath.Join(t.TempDir(), "a?b.db")},
		{Path: "file:" + filepath.Join(t.TempDir(), "a.db")},
	} {
		if st, err := sqlite.Open(ctx, cfg); err == nil {
			st.Close()
			t.Errorf("Open(%+v) succeeded", cfg)
		}
	}
	// Lower-case names are accepted.
	open(t, sqlite.Config{Path: sqlite.MemoryPath, Synchronous: "normal"})
}

// TestDefaultPath checks that the default path is .baton/baton.db under the
// working directory, created when missing. It changes the working
// directory, so it does not run in parallel.
func TestDefaultPath(t *testing.T) {
	t.Chdir(t.TempDir())
	open(t, sqlite.Config{})
	if _, err := os.Stat(filepath.Join(".baton", "baton.db")); err != nil {
		t.Fatal(err)
	}
}

func TestInvalidToken(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st := open(t, sqlite.Config{Path: sqlite.MemoryPath})
	for _, tok := range []string{"!!", "bm90IGpzb24", "WyJldmVudCIsMV0"} { // "not json", ["event",1]
		if _, _, err := st.ListStateMachines(ctx, store.Page{NextToken: tok}); !errors.Is(err, store.ErrInvalidToken) {
			t.Errorf("ListStateMachines with token %q: err = %v, want ErrInvalidToken", tok, err)
		}
	}
	if _, _, err := st.History(ctx, "arn", store.HistoryQuery{Page: store.Page{NextToken: "WyJzbSIsImEiLCJiIl0"}}); !errors.Is(err, store.ErrInvalidToken) {
		t.Errorf("History with a state machine token: err = %v, want ErrInvalidToken", err)
	}
}

// TestNewerSchema checks that Open refuses a database a newer Baton
// migrated further, rather than running against a schema it does not know.
func TestNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "baton.db")
	st, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if st, err := sqlite.Open(ctx, sqlite.Config{Path: path}); err == nil {
		st.Close()
		t.Fatal("Open of a newer schema succeeded")
	}
}

// TestCancelledWrite checks that a write whose context is cancelled fails
// with the context's error and writes nothing.
func TestCancelledWrite(t *testing.T) {
	t.Parallel()
	st := open(t, sqlite.Config{Path: filepath.Join(t.TempDir(), "baton.db")})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	a := &store.Activity{ARN: "arn:aws:states:us-east-1:123456789012:activity:a", Name: "a"}
	if err := st.CreateActivity(ctx, a); !errors.Is(err, context.Canceled) {
		t.Fatalf("CreateActivity with a cancelled context: err = %v, want context.Canceled", err)
	}
	if _, err := st.GetActivity(t.Context(), a.ARN); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetActivity: err = %v, want ErrNotFound", err)
	}
}
