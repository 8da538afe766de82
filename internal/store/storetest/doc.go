// Package storetest is the one test suite every store driver must pass.
//
// It owns the behaviour of the store.Store contract as tests: success paths,
// the sentinel errors, pagination and ordering, the atomicity of WriteSteps,
// timers, tasks and concurrent writers. Every new Store method gets its test
// here before a driver implements it. It must not know about any driver: it
// imports only the store package, and it holds no SQL.
//
// A driver's test calls Run with a function that opens a fresh, empty store
// for one subtest and closes it when the subtest ends:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			st, err := sqlite.Open(t.Context(), sqlite.Config{Path: ":memory:"})
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { st.Close() })
//			return st
//		})
//	}
//
// Subtests run in parallel, each with its own store. Times in the fixtures
// have millisecond precision, so a driver may store milliseconds or finer.
package storetest
