// Package crashtest holds Baton's crash test, and nothing else: it has no
// non-test code and nothing imports it.
//
// The test builds cmd/baton, runs `baton serve` as a subprocess on a SQLite
// file, keeps 200 executions of a state machine with a Wait, activity and
// callback (.waitForTaskToken) tasks, a Map, a Parallel and a Retry in
// flight, and kills the process with SIGKILL at random moments (20 or more
// times), restarting it on the same database each time. Activity workers and
// the callback answerers are goroutines in the test that talk to the server
// with the AWS SDK for Go v2 and ride out the restarts. At the end every
// execution must have succeeded with the output its input determines, and
// its history must show each state entered exactly as often as the
// definition enters it: a crash may make the engine dispatch a task again,
// but it must never lose an execution, lose a step, or enter a state twice.
//
// It takes about 20 seconds after the build (90 more when an execution is
// stuck, waiting for it) and is skipped with -short:
//
//	go test ./internal/crashtest -run Crash -v
//
// BATON_CRASH_SEED=<n> replays the random kill schedule of an earlier run
// (the test logs its seed); the timing of everything else still varies.
package crashtest
