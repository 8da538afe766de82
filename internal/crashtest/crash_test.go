package crashtest

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	_ "modernc.org/sqlite" // reads the database, read-only, to explain a stuck execution
)

const (
	// numExecutions executions run at once, named exec-000 and up, with
	// input {"id": i}.
	numExecutions = 200
	// minKills is how many times the server is killed while executions are
	// still running.
	minKills = 30
	// numWorkers goroutines poll the activity.
	numWorkers = 8
	// mapItems is the length of the Map state's item list.
	mapItems = 4
	// bigThreshold splits the Map's items between the Big and Small
	// states.
	bigThreshold = 100
	// finishDeadline bounds how long the executions may take to finish
	// after the last kill.
	finishDeadline = 90 * time.Second
	// callTimeout bounds every call but GetActivityTask's long poll.
	callTimeout = 5 * time.Second
	// pollTimeout outlasts the server's 60-second activity long poll, so
	// that a worker never walks away from a poll the server may still
	// answer with a task (which would then be claimed by nobody).
	pollTimeout = 75 * time.Second
)

const activityName = "crash-work"

// definition is the machine every execution runs. Nothing loops, so each
// execution enters each top-level and branch state once and each Map state
// once per item. Work fails deterministically on its first attempts for some
// inputs (see failures) and is retried; Approve waits for a callback whose
// token the test reads from the TaskScheduled event.
func definition(activityARN string) string {
	return `{"Comment":"Baton crash test","StartAt":"Prepare","States":{
 "Prepare":{"Type":"Pass","Parameters":{"id.$":"$.id","items":[1,2,3,4]},"Next":"Work"},
 "Work":{"Type":"Task","Resource":"` + activityARN + `",
   "Parameters":{"kind":"work","id.$":"$.id","attempt.$":"$$.State.RetryCount"},
   "ResultPath":"$.work",
   "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":1}],
   "Next":"Pause"},
 "Pause":{"Type":"Wait","Seconds":1,"Next":"Approve"},
 "Approve":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
   "Parameters":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/000000000000/approvals",
     "MessageBody":{"token.$":"$$.Task.Token","id.$":"$.id"}},
   "ResultPath":"$.approval","Next":"Fan"},
 "Fan":{"Type":"Map","ItemsPath":"$.items",
   "ItemSelector":{"n.$":"States.MathAdd($$.Map.Item.Value, $.id)"},
   "ItemProcessor":{"StartAt":"Classify","States":{
     "Classify":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":` + strconv.Itoa(bigThreshold) + `,"Next":"Big"}],"Default":"Small"},
     "Big":{"Type":"Pass","Parameters":{"n.$":"$.n","size":"big"},"End":true},
     "Small":{"Type":"Pass","Parameters":{"n.$":"$.n","size":"small"},"End":true}}},
   "ResultPath":"$.fan","Next":"Split"},
 "Split":{"Type":"Parallel","ResultPath":"$.split","Next":"Done","Branches":[
   {"StartAt":"Enrich","States":{"Enrich":{"Type":"Task","Resource":"` + activityARN + `",
      "Parameters":{"kind":"enrich","id.$":"$.id","attempt.$":"$$.State.RetryCount"},"End":true}}},
   {"StartAt":"Settle","States":{"Settle":{"Type":"Wait","Seconds":2,"Next":"Sum"},
      "Sum":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.id, $.id)"},"End":true}}}]},
 "Done":{"Type":"Pass","Parameters":{"id.$":"$.id","work.$":"$.work","approval.$":"$.approval","fan.$":"$.fan","split.$":"$.split"},"End":true}}}`
}

// failures is how many attempts of Work the workers fail for input id: two
// for every fifth, one for the next, none for the rest.
func failures(id int) int {
	switch id % 5 {
	case 0:
		return 2
	case 1:
		return 1
	}
	return 0
}

// workOutput and enrichOutput are what the workers answer, and approval is
// what the callback answerers send.
func workOutput(id, attempt int) string {
	return fmt.Sprintf(`{"doubled":%d,"attempt":%d}`, 2*id, attempt)
}
func enrichOutput(id int) string { return fmt.Sprintf(`{"tripled":%d}`, 3*id) }
func approval(id int) string     { return fmt.Sprintf(`{"approved":true,"id":%d}`, id) }

// expectedOutput is the execution's output for input {"id": id}.
func expectedOutput(id int) string {
	fan := make([]string, mapItems)
	for i := range fan {
		n := id + i + 1
		size := "small"
		if n > bigThreshold {
			size = "big"
		}
		fan[i] = fmt.Sprintf(`{"n":%d,"size":"%s"}`, n, size)
	}
	return fmt.Sprintf(`{"id":%d,"work":%s,"approval":%s,"fan":[%s],"split":[%s,{"sum":%d}]}`,
		id, workOutput(id, failures(id)), approval(id), strings.Join(fan, ","), enrichOutput(id), 2*id)
}

// expectedEntered counts the StateEntered events of each state name in the
// history of input id.
func expectedEntered(id int) map[string]int {
	m := map[string]int{
		"Prepare": 1, "Work": 1, "Pause": 1, "Approve": 1, "Fan": 1, "Classify": mapItems,
		"Split": 1, "Enrich": 1, "Settle": 1, "Sum": 1, "Done": 1,
	}
	for i := 1; i <= mapItems; i++ {
		if id+i > bigThreshold {
			m["Big"]++
		} else {
			m["Small"]++
		}
	}
	return m
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds baton and kills it 30 times; skipped with -short")
	}
	t.Parallel()
	began := time.Now()

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("BATON_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("BATON_CRASH_SEED: %v", err)
		}
	}
	t.Logf("seed %d (BATON_CRASH_SEED=%d replays the kill schedule)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	dir := t.TempDir()
	srv := &server{
		t:   t,
		bin: buildBaton(t, dir),
		db:  filepath.Join(dir, "baton.db"),
		dir: dir,
	}
	srv.addr = freeAddr(t)
	srv.start()
	t.Cleanup(srv.stop)
	t.Logf("baton built and serving on %s in %v", srv.addr, time.Since(began).Round(time.Millisecond))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &run{
		t:         t,
		c:         newClient("http://" + srv.addr),
		done:      make([]chan struct{}, numExecutions),
		allDone:   make(chan struct{}),
		delivered: map[taskKey][]delivery{},
		answered:  map[taskKey][]string{},

		pollFailures: map[string][]pollFailure{},
	}
	r.remaining.Store(numExecutions)
	r.killed = make([]chan struct{}, minKills)
	for i := range r.killed {
		r.killed[i] = make(chan struct{})
	}
	for i := range r.done {
		r.done[i] = make(chan struct{})
	}
	setup, setupCancel := context.WithTimeout(ctx, 30*time.Second)
	act, err := r.c.CreateActivity(setup, &sfn.CreateActivityInput{Name: aws.String(activityName)})
	if err != nil {
		t.Fatalf("CreateActivity: %v", err)
	}
	r.activityARN = *act.ActivityArn
	sm, err := r.c.CreateStateMachine(setup, &sfn.CreateStateMachineInput{
		Name: aws.String("crash"), Definition: aws.String(definition(r.activityARN)),
		RoleArn: aws.String("arn:aws:iam::000000000000:role/crash"),
	})
	setupCancel()
	if err != nil {
		t.Fatalf("CreateStateMachine: %v", err)
	}
	r.machineARN = *sm.StateMachineArn

	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for w := range numWorkers {
		wg.Go(func() { r.work(ctx, fmt.Sprintf("worker-%d", w)) })
	}
	for id := range numExecutions {
		wg.Go(func() { r.drive(ctx, id) })
	}
	chaosStart := time.Now()

	// Kill the server at random moments until minKills kills have hit
	// running executions. Each uptime is drawn from the seeded source; a
	// short random downtime lets clients see refused connections too.
	var inFlight []string
	killsWhileRunning := 0
	for killsWhileRunning < minKills {
		if r.remaining.Load() == 0 {
			t.Errorf("every execution ended after %d kills that hit running executions; the test needs %d: make the executions longer",
				killsWhileRunning, minKills)
			break
		}
		up := time.Duration(50+rng.IntN(850)) * time.Millisecond
		down := time.Duration(rng.IntN(200)) * time.Millisecond
		if !pause(ctx, up) {
			t.Fatal("canceled")
		}
		running := r.remaining.Load()
		srv.kill()
		r.noteKill(time.Now())
		if running > 0 {
			killsWhileRunning++
		}
		inFlight = append(inFlight, strconv.Itoa(int(running)))
		pause(ctx, down)
		srv.start()
	}
	t.Logf("%d kills (SIGKILL) in %v; executions still running at each kill: %s; restarts took %v on average",
		srv.kills, time.Since(chaosStart).Round(time.Millisecond), strings.Join(inFlight, " "),
		(srv.startTime / time.Duration(srv.starts)).Round(time.Millisecond))

	// Let the last incarnation finish every execution.
	finished := true
	select {
	case <-r.allDone:
	case <-time.After(finishDeadline):
		finished = false
	}
	cancel()
	wg.Wait()
	if finished {
		t.Logf("executions finished %v after the last kill", time.Since(r.lastKill()).Round(time.Millisecond))
	}

	check, checkCancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer checkCancel()
	if !finished {
		r.reportStuck(check, srv.db)
	}
	r.verify(check)
	r.logStats()
	srv.logErrors()
	t.Logf("total %v", time.Since(began).Round(time.Millisecond))
}

// server runs `baton serve` as a subprocess. Only the test goroutine uses
// it.
type server struct {
	t         *testing.T
	bin       string
	db        string
	dir       string
	addr      string
	cmd       *exec.Cmd
	exited    chan struct{}
	starts    int
	kills     int
	startTime time.Duration
}

// buildBaton builds cmd/baton into dir and returns the binary's path.
func buildBaton(t *testing.T, dir string) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("runtime.Caller failed")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..")
	bin := filepath.Join(dir, "baton")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/baton")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/baton: %v\n%s", err, out)
	}
	return bin
}

// freeAddr returns a loopback address with a port that was free a moment
// ago. Every incarnation of the server listens on it, so that clients keep
// one endpoint. The port is below Linux's ephemeral range (32768 and up), so
// that while the server is down no outgoing connection, the clients' own
// included, takes it.
func freeAddr(t *testing.T) string {
	t.Helper()
	for range 100 {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", 20000+rand.IntN(12000)))
		if err != nil {
			continue
		}
		addr := ln.Addr().String()
		if err := ln.Close(); err != nil {
			t.Fatal(err)
		}
		return addr
	}
	t.Fatal("no free port between 20000 and 32000")
	return ""
}

// start runs a new incarnation on the database and waits until /health
// answers.
func (s *server) start() {
	s.t.Helper()
	began := time.Now()
	s.starts++
	logPath := filepath.Join(s.dir, fmt.Sprintf("baton-%02d.log", s.starts))
	logFile, err := os.Create(logPath)
	if err != nil {
		s.t.Fatal(err)
	}
	cmd := exec.Command(s.bin, "serve", "--addr", s.addr, "--db", s.db)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start baton serve: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	s.cmd, s.exited = cmd, exited

	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := hc.Get("http://" + s.addr + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-exited:
			out, _ := os.ReadFile(logPath)
			s.t.Fatalf("baton serve (start %d) exited before it was healthy: %v\n%s", s.starts, cmd.ProcessState, out)
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("baton serve (start %d) not healthy after 30s: %v", s.starts, err)
		}
		pause(context.Background(), 10*time.Millisecond)
	}
	s.startTime += time.Since(began)
}

// kill sends SIGKILL and waits for the process to go.
func (s *server) kill() {
	s.t.Helper()
	select {
	case <-s.exited:
		s.t.Fatalf("baton serve (start %d) exited by itself: %v", s.starts, s.cmd.ProcessState)
	default:
	}
	if err := s.cmd.Process.Kill(); err != nil {
		s.t.Fatalf("kill: %v", err)
	}
	<-s.exited
	s.kills++
}

// stop kills the last incarnation, if it still runs.
func (s *server) stop() {
	if s.cmd == nil {
		return
	}
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// logErrors logs the error and warning lines of every incarnation's log.
func (s *server) logErrors() {
	const max = 40
	n, hungUp := 0, 0
	for i := 1; i <= s.starts; i++ {
		f, err := os.Open(filepath.Join(s.dir, fmt.Sprintf("baton-%02d.log", i)))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if !strings.Contains(line, "level=ERROR") && !strings.Contains(line, "level=WARN") && !strings.Contains(line, "panic") {
				continue
			}
			if strings.Contains(line, "operation=GetActivityTask") && strings.Contains(line, `error="context canceled"`) {
				// The test's workers hang up on their long polls when it
				// ends, and the server logs each as an internal failure.
				hungUp++
				continue
			}
			if n < max {
				s.t.Logf("server log (start %d): %s", i, line)
			}
			n++
		}
		f.Close()
	}
	if n > max {
		s.t.Logf("... %d more error lines in the server logs", n-max)
	}
	if hungUp > 0 {
		s.t.Logf("server logs: %d GetActivityTask polls ended by the client logged as internal failures (context canceled)", hungUp)
	}
}

// newClient returns a Step Functions client without the SDK's retries: the
// test retries itself, so that it can count what a crash cost.
func newClient(endpoint string) *sfn.Client {
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     30 * time.Second,
	}
	return sfn.New(sfn.Options{
		BaseEndpoint: aws.String(endpoint),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   bufferingClient{&http.Client{Transport: transport}},
	})
}

// bufferingClient hands the transport a copy of each request body. Without
// it, a few percent of responses from a healthy server fail to read with
// "use of closed network connection" after a 200 (aws/aws-sdk-go-v2#2737;
// the SDK's standard retryer hides it by retrying): smithy-go closes the
// request body as soon as Do returns, which can be while the transport is
// still reading it, and the transport then closes the connection under the
// response. With a copy the transport owns, none failed in our runs. The
// test makes its calls without the SDK's retries, and a lost GetActivityTask
// response is a task claimed by nobody, which it would blame on Baton.
type bufferingClient struct{ c *http.Client }

func (b bufferingClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req.ContentLength = int64(len(body))
	}
	return b.c.Do(req)
}

// pause waits for d or until ctx ends; it reports whether d passed. The
// test uses it for back-off and for the random moments it chooses, never
// to wait for something to happen.
func pause(ctx context.Context, d time.Duration) bool {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// transient reports whether a call's error may be the server's death or
// restart (no response, a response cut short, or a 5xx), so that the call
// should be made again. Only an AWS error below 500 is the server's answer.
func transient(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return true
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() >= 500
}

func isTaskGone(err error) bool {
	var gone *types.TaskDoesNotExist
	return errors.As(err, &gone)
}

// taskKey names one dispatch of an activity task as the workers see it.
type taskKey struct {
	id      int
	kind    string
	attempt int
}

func (k taskKey) String() string {
	return fmt.Sprintf("exec-%03d %s attempt %d", k.id, k.kind, k.attempt)
}

type pollFailure struct {
	at  time.Time
	err string
}

type delivery struct {
	at     time.Time
	worker string
}

// run is the state the workers, the execution drivers and the checks
// share.
type run struct {
	t           *testing.T
	c           *sfn.Client
	activityARN string
	machineARN  string

	done      []chan struct{} // closed when execution i is seen ended
	remaining atomic.Int32
	allDone   chan struct{}

	// killed[k] is closed at the (k+1)th kill.
	killed []chan struct{}

	mu        sync.Mutex
	kills     []time.Time
	delivered map[taskKey][]delivery
	// pollFailures are each worker's failed GetActivityTask calls.
	pollFailures map[string][]pollFailure
	answered     map[taskKey][]string // each answer's outcome: ok, gone, lost
	problems     []string             // unexpected API errors

	startRetries    atomic.Int64 // StartExecution calls repeated after an error
	pollErrors      atomic.Int64 // GetActivityTask calls that failed
	redeliveries    atomic.Int64 // activity tasks handed out again
	lostAnswers     atomic.Int64 // SendTask* calls without a definite answer
	goneAfterLost   atomic.Int64 // TaskDoesNotExist after a lost answer: the lost one was committed
	goneFirst       atomic.Int64 // TaskDoesNotExist at the first answer of a delivery
	callbackAnswers atomic.Int64 // Approve callbacks sent (including repeats)
	historyPolls    atomic.Int64
}

func (r *run) noteKill(at time.Time) {
	r.mu.Lock()
	n := len(r.kills)
	r.kills = append(r.kills, at)
	r.mu.Unlock()
	if n < len(r.killed) {
		close(r.killed[n])
	}
}

// group is the number of kills execution id's Approve callback waits for:
// the executions are spread over the kills, so that every kill finds
// executions in every phase, and the last group is still running at the
// last kill.
func group(id int) int { return id % minKills }

func (r *run) lastKill() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.kills[len(r.kills)-1]
}

func (r *run) problem(format string, args ...any) {
	r.mu.Lock()
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// call makes one call with a timeout, again and again while it fails
// transiently; it returns the last error (nil, or a definite API error, or
// ctx's) and how many attempts failed transiently.
func call(ctx context.Context, fn func(context.Context) error) (int, error) {
	lost := 0
	for {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		err := fn(cctx)
		cancel()
		if err == nil || !transient(err) {
			return lost, err
		}
		if ctx.Err() != nil {
			return lost, ctx.Err()
		}
		lost++
		pause(ctx, time.Duration(20+rand.IntN(80))*time.Millisecond)
	}
}

// work is one activity worker: it long-polls, answers each task as its
// input dictates and repeats an answer until the server gives a definite
// reply.
func (r *run) work(ctx context.Context, name string) {
	for ctx.Err() == nil {
		pctx, cancel := context.WithTimeout(ctx, pollTimeout)
		out, err := r.c.GetActivityTask(pctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(r.activityARN), WorkerName: aws.String(name)})
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if !transient(err) {
				r.problem("%s: GetActivityTask: %v", name, err)
			}
			r.pollErrors.Add(1)
			r.mu.Lock()
			r.pollFailures[name] = append(r.pollFailures[name], pollFailure{time.Now(), err.Error()})
			r.mu.Unlock()
			pause(ctx, time.Duration(20+rand.IntN(80))*time.Millisecond)
			continue
		}
		if out.TaskToken == nil {
			continue
		}
		var in struct {
			Kind    string `json:"kind"`
			ID      int    `json:"id"`
			Attempt int    `json:"attempt"`
		}
		if err := json.Unmarshal([]byte(aws.ToString(out.Input)), &in); err != nil {
			r.problem("%s: task input %q: %v", name, aws.ToString(out.Input), err)
			continue
		}
		key := taskKey{in.ID, in.Kind, in.Attempt}
		r.mu.Lock()
		if len(r.delivered[key]) > 0 {
			r.redeliveries.Add(1)
		}
		r.delivered[key] = append(r.delivered[key], delivery{time.Now(), name})
		r.mu.Unlock()

		// The work takes a moment, so that kills also land between a
		// task's delivery and its answer.
		if !pause(ctx, time.Duration(rand.IntN(100))*time.Millisecond) {
			return
		}
		answer := func(cctx context.Context) error {
			switch {
			case in.Kind == "work" && in.Attempt < failures(in.ID):
				_, err := r.c.SendTaskFailure(cctx, &sfn.SendTaskFailureInput{
					TaskToken: out.TaskToken, Error: aws.String("Flaky"), Cause: aws.String(fmt.Sprintf("attempt %d fails by design", in.Attempt)),
				})
				return err
			case in.Kind == "work":
				_, err := r.c.SendTaskSuccess(cctx, &sfn.SendTaskSuccessInput{TaskToken: out.TaskToken, Output: aws.String(workOutput(in.ID, in.Attempt))})
				return err
			default:
				_, err := r.c.SendTaskSuccess(cctx, &sfn.SendTaskSuccessInput{TaskToken: out.TaskToken, Output: aws.String(enrichOutput(in.ID))})
				return err
			}
		}
		lost, err := call(ctx, answer)
		r.lostAnswers.Add(int64(lost))
		outcome := "ok"
		switch {
		case err == nil:
		case isTaskGone(err) && lost > 0:
			r.goneAfterLost.Add(1)
			outcome = "gone"
		case isTaskGone(err):
			r.goneFirst.Add(1)
			outcome = "gone"
		case ctx.Err() != nil:
			return
		default:
			r.problem("%s: answer %v: %v", name, key, err)
			outcome = "error"
		}
		if lost > 0 {
			outcome = fmt.Sprintf("%s after %d lost", outcome, lost)
		}
		r.mu.Lock()
		r.answered[key] = append(r.answered[key], outcome)
		r.mu.Unlock()
	}
}

func execName(id int) string { return fmt.Sprintf("exec-%03d", id) }

// drive starts execution id, answers its Approve callback when the history
// shows the task and the kills of its group have happened, and returns when
// the history shows the execution ended.
func (r *run) drive(ctx context.Context, id int) {
	var arn string
	lost, err := call(ctx, func(cctx context.Context) error {
		out, err := r.c.StartExecution(cctx, &sfn.StartExecutionInput{
			StateMachineArn: aws.String(r.machineARN), Name: aws.String(execName(id)), Input: aws.String(fmt.Sprintf(`{"id":%d}`, id)),
		})
		if err == nil {
			arn = *out.ExecutionArn
		}
		return err
	})
	r.startRetries.Add(int64(lost))
	if err != nil {
		if ctx.Err() == nil {
			r.problem("%s: StartExecution: %v", execName(id), err)
		}
		return
	}
	answered := map[string]bool{}
	for pause(ctx, time.Duration(400+rand.IntN(400))*time.Millisecond) {
		r.historyPolls.Add(1)
		var h *sfn.GetExecutionHistoryOutput
		_, err := call(ctx, func(cctx context.Context) error {
			var err error
			h, err = r.c.GetExecutionHistory(cctx, &sfn.GetExecutionHistoryInput{
				ExecutionArn: aws.String(arn), ReverseOrder: true, MaxResults: 3,
			})
			return err
		})
		if err != nil {
			if ctx.Err() == nil {
				r.problem("%s: GetExecutionHistory: %v", execName(id), err)
			}
			return
		}
		for _, ev := range h.Events {
			switch ev.Type {
			case types.HistoryEventTypeExecutionSucceeded, types.HistoryEventTypeExecutionFailed,
				types.HistoryEventTypeExecutionAborted, types.HistoryEventTypeExecutionTimedOut:
				close(r.done[id])
				if r.remaining.Add(-1) == 0 {
					close(r.allDone)
				}
				return
			case types.HistoryEventTypeTaskScheduled:
				var p struct {
					MessageBody struct {
						Token string `json:"token"`
					}
				}
				if err := json.Unmarshal([]byte(aws.ToString(ev.TaskScheduledEventDetails.Parameters)), &p); err != nil || p.MessageBody.Token == "" {
					r.problem("%s: TaskScheduled parameters %q: %v", execName(id), aws.ToString(ev.TaskScheduledEventDetails.Parameters), err)
					continue
				}
				if answered[p.MessageBody.Token] {
					continue
				}
				if g := group(id); g > 0 {
					select {
					case <-r.killed[g-1]:
					case <-ctx.Done():
						return
					}
				}
				r.callbackAnswers.Add(1)
				lost, err := call(ctx, func(cctx context.Context) error {
					_, err := r.c.SendTaskSuccess(cctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(p.MessageBody.Token), Output: aws.String(approval(id))})
					return err
				})
				r.lostAnswers.Add(int64(lost))
				switch {
				case err == nil:
					answered[p.MessageBody.Token] = true
				case isTaskGone(err) && lost > 0:
					r.goneAfterLost.Add(1)
					answered[p.MessageBody.Token] = true
				case isTaskGone(err):
					r.goneFirst.Add(1)
				case ctx.Err() != nil:
					return
				default:
					r.problem("%s: answer Approve: %v", execName(id), err)
				}
			}
		}
	}
}

// history returns an execution's whole history, oldest first.
func (r *run) history(ctx context.Context, arn string) ([]types.HistoryEvent, error) {
	var events []types.HistoryEvent
	p := sfn.NewGetExecutionHistoryPaginator(r.c, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 100})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		events = append(events, page.Events...)
	}
	return events, nil
}

func (r *run) execARN(id int) string {
	return strings.Replace(r.machineARN, ":stateMachine:", ":execution:", 1) + ":" + execName(id)
}

// describeEvent is a one-line summary of a history event for failure
// messages.
func describeEvent(ev types.HistoryEvent) string {
	s := fmt.Sprintf("#%d<-%d %s", ev.Id, ev.PreviousEventId, ev.Type)
	if ev.Timestamp != nil {
		s += " at " + ev.Timestamp.Format("15:04:05.000")
	}
	switch {
	case ev.StateEnteredEventDetails != nil:
		s += " " + aws.ToString(ev.StateEnteredEventDetails.Name)
	case ev.StateExitedEventDetails != nil:
		s += " " + aws.ToString(ev.StateExitedEventDetails.Name)
	case ev.ActivityScheduledEventDetails != nil:
		s += " input=" + aws.ToString(ev.ActivityScheduledEventDetails.Input)
	case ev.ActivityFailedEventDetails != nil:
		s += " " + aws.ToString(ev.ActivityFailedEventDetails.Error)
	case ev.MapIterationStartedEventDetails != nil:
		s += fmt.Sprintf(" index=%d", ev.MapIterationStartedEventDetails.Index)
	}
	return s
}

// reportStuck describes every execution still running at the deadline:
// the end of its history, the outstanding tasks the database holds for it
// (read-only, as evidence: the API does not show whether a task was
// claimed), what the workers were handed and answered, the failed polls of
// the worker a task was claimed for, and the kills.
func (r *run) reportStuck(ctx context.Context, dbPath string) {
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		r.t.Logf("open the database to show outstanding tasks: %v", err)
	} else {
		defer db.Close()
	}
	r.mu.Lock()
	var kills []string
	for i, k := range r.kills {
		kills = append(kills, fmt.Sprintf("#%d %s", i+1, k.Format("15:04:05.000")))
	}
	r.mu.Unlock()
	stuck := 0
	for id := range numExecutions {
		select {
		case <-r.done[id]:
			continue
		default:
		}
		stuck++
		if stuck > 10 {
			continue
		}
		events, err := r.history(ctx, r.execARN(id))
		if err != nil {
			r.t.Errorf("%s stuck (still not ended %v after the last kill); its history: %v", execName(id), finishDeadline, err)
			continue
		}
		var tail []string
		for _, ev := range events[max(0, len(events)-6):] {
			tail = append(tail, describeEvent(ev))
		}
		var outstanding []string
		if db != nil {
			outstanding = r.outstandingTasks(ctx, db, id)
		}
		r.mu.Lock()
		var tasks []string
		for _, kind := range []string{"work", "enrich"} {
			for a := range 3 {
				k := taskKey{id, kind, a}
				if d, ok := r.delivered[k]; ok {
					var ds []string
					for _, x := range d {
						ds = append(ds, fmt.Sprintf("%s to %s", x.at.Format("15:04:05.000"), x.worker))
					}
					tasks = append(tasks, fmt.Sprintf("%v: delivered %s; answers %v", k, strings.Join(ds, ", "), r.answered[k]))
				}
			}
		}
		if len(tasks) == 0 {
			tasks = append(tasks, "none")
		}
		r.mu.Unlock()
		r.t.Errorf("%s stuck: still not ended %v after the last kill.\n  history ends:\n    %s\n  outstanding tasks in the database:\n    %s\n  activity tasks the workers got:\n    %s\n  kills: %s",
			execName(id), finishDeadline, strings.Join(tail, "\n    "), strings.Join(outstanding, "\n    "),
			strings.Join(tasks, "\n    "), strings.Join(kills, ", "))
	}
	if stuck > 10 {
		r.t.Errorf("... and %d more executions stuck", stuck-10)
	}
	if stuck > 0 {
		r.t.Errorf("%d of %d executions never ended", stuck, numExecutions)
	}
}

// cutPolls describes the polls of worker, after since, that the server's
// death cut short (not those it refused while down): the candidates for a
// claim whose response was lost.
func (r *run) cutPolls(worker string, since time.Time) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var cut []string
	for _, f := range r.pollFailures[worker] {
		if f.at.Before(since) || strings.Contains(f.err, "connection refused") {
			continue
		}
		kill, best := "", time.Second
		for i, k := range r.kills {
			if d := f.at.Sub(k).Abs(); d < best {
				kill, best = fmt.Sprintf(" (kill #%d at %s)", i+1, k.Format("15:04:05.000")), d
			}
		}
		msg := f.err
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		cut = append(cut, fmt.Sprintf("%s %s%s", f.at.Format("15:04:05.000"), msg, kill))
		if len(cut) == 3 {
			cut = append(cut, "...")
			break
		}
	}
	if len(cut) == 0 {
		return worker + " had no poll cut short after the task was created"
	}
	return fmt.Sprintf("%s's polls cut short since the task was created: %s", worker, strings.Join(cut, ", "))
}

// outstandingTasks describes execution id's rows in the tasks table and,
// for a task claimed by a worker, that worker's polls that failed around
// the claim: a claim whose GetActivityTask response died with the server is
// a task no worker has and none will get again.
func (r *run) outstandingTasks(ctx context.Context, db *sql.DB, id int) []string {
	rows, err := db.QueryContext(ctx, `SELECT id, state_name, attempt, claimed, worker_name, created_at
		FROM tasks WHERE execution_arn = ? ORDER BY created_at, id`, r.execARN(id))
	if err != nil {
		return []string{fmt.Sprintf("query tasks: %v", err)}
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var (
			tid, state, worker string
			attempt, claimed   int
			created            int64
		)
		if err := rows.Scan(&tid, &state, &attempt, &claimed, &worker, &created); err != nil {
			return append(out, fmt.Sprintf("scan task: %v", err))
		}
		at := time.Unix(0, created)
		line := fmt.Sprintf("task %s of %s (attempt %d) created %s, claimed=%d by %q",
			tid, state, attempt, at.Format("15:04:05.000"), claimed, worker)
		if claimed != 0 {
			line += "; " + r.cutPolls(worker, at)
		}
		out = append(out, line)
	}
	if err := rows.Err(); err != nil {
		out = append(out, fmt.Sprintf("read tasks: %v", err))
	}
	if len(out) == 0 {
		out = append(out, "none")
	}
	return out
}

// verify checks every execution's status, output and history, and that
// nothing else exists.
func (r *run) verify(ctx context.Context) {
	t := r.t
	r.mu.Lock()
	for _, p := range r.problems {
		t.Errorf("unexpected API error: %s", p)
	}
	r.mu.Unlock()

	// Nothing is lost, and nothing extra was started.
	listed := map[string]types.ExecutionStatus{}
	p := sfn.NewListExecutionsPaginator(r.c, &sfn.ListExecutionsInput{StateMachineArn: aws.String(r.machineARN), MaxResults: 100})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListExecutions: %v", err)
		}
		for _, e := range page.Executions {
			listed[aws.ToString(e.Name)] = e.Status
		}
	}
	if len(listed) != numExecutions {
		t.Errorf("ListExecutions lists %d executions, want %d", len(listed), numExecutions)
	}

	redispatched := 0
	bad := 0
	for id := range numExecutions {
		name := execName(id)
		if _, ok := listed[name]; !ok {
			t.Errorf("%s: lost: ListExecutions does not list it", name)
		}
		arn := r.execARN(id)
		d, err := r.c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Errorf("%s: DescribeExecution: %v", name, err)
			bad++
			continue
		}
		if d.Status == types.ExecutionStatusRunning {
			bad++
			t.Errorf("%s: still RUNNING: stuck (described above)", name)
			continue
		}
		var errs []string
		if d.Status != types.ExecutionStatusSucceeded {
			errs = append(errs, fmt.Sprintf("status %s (error %q, cause %q), want SUCCEEDED", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause)))
		} else if got, want := aws.ToString(d.Output), expectedOutput(id); got != want {
			errs = append(errs, fmt.Sprintf("output\n    %s\n  want\n    %s", got, want))
		}
		events, err := r.history(ctx, arn)
		if err != nil {
			t.Errorf("%s: GetExecutionHistory: %v", name, err)
			bad++
			continue
		}
		herrs, extra := checkHistory(id, events)
		redispatched += extra
		errs = append(errs, herrs...)
		if len(errs) > 0 {
			bad++
			if bad <= 10 {
				var lines []string
				for _, ev := range events {
					lines = append(lines, describeEvent(ev))
				}
				t.Errorf("%s (input {\"id\":%d}):\n  %s\n  history:\n    %s", name, id, strings.Join(errs, "\n  "), strings.Join(lines, "\n    "))
			}
		}
	}
	if bad > 10 {
		t.Errorf("... %d executions wrong in all", bad)
	}
	t.Logf("%d/%d executions succeeded with the expected output and history; %d task dispatches after a crash show in the histories",
		numExecutions-bad, numExecutions, redispatched)
}

// checkHistory checks one execution's history and returns what is wrong
// and how many extra task schedulings (dispatches after a crash recorded
// in the history) it holds.
func checkHistory(id int, events []types.HistoryEvent) (errs []string, extraScheduled int) {
	if len(events) == 0 {
		return []string{"empty history"}, 0
	}
	for i, ev := range events {
		if ev.Id != int64(i+1) {
			errs = append(errs, fmt.Sprintf("event %d has id %d: ids are not 1..N", i+1, ev.Id))
			break
		}
		if ev.PreviousEventId >= ev.Id {
			errs = append(errs, fmt.Sprintf("event #%d has previousEventId %d", ev.Id, ev.PreviousEventId))
		}
	}
	if events[0].Type != types.HistoryEventTypeExecutionStarted {
		errs = append(errs, fmt.Sprintf("first event is %s, want ExecutionStarted", events[0].Type))
	}
	if last := events[len(events)-1]; last.Type != types.HistoryEventTypeExecutionSucceeded {
		errs = append(errs, fmt.Sprintf("last event is %s, want ExecutionSucceeded", last.Type))
	}
	entered, exited := map[string]int{}, map[string]int{}
	byType := map[types.HistoryEventType]int{}
	iterations := map[int32]int{}
	for _, ev := range events {
		byType[ev.Type]++
		if ev.StateEnteredEventDetails != nil {
			entered[aws.ToString(ev.StateEnteredEventDetails.Name)]++
		}
		if ev.StateExitedEventDetails != nil {
			exited[aws.ToString(ev.StateExitedEventDetails.Name)]++
		}
		if ev.MapIterationStartedEventDetails != nil {
			iterations[ev.MapIterationStartedEventDetails.Index]++
		}
	}
	want := expectedEntered(id)
	if !equalCounts(entered, want) {
		errs = append(errs, fmt.Sprintf("states entered %s, want %s", counts(entered), counts(want)))
	}
	if !equalCounts(exited, want) {
		errs = append(errs, fmt.Sprintf("states exited %s, want %s", counts(exited), counts(want)))
	}
	for i := range int32(mapItems) {
		if iterations[i] != 1 {
			errs = append(errs, fmt.Sprintf("Map iteration %d started %d times, want once", i, iterations[i]))
		}
	}
	if len(iterations) != mapItems {
		errs = append(errs, fmt.Sprintf("Map iterations started: %v, want indexes 0..%d once each", iterations, mapItems-1))
	}
	one := func(typ types.HistoryEventType, n int) {
		if byType[typ] != n {
			errs = append(errs, fmt.Sprintf("%d %s events, want %d", byType[typ], typ, n))
		}
	}
	one(types.HistoryEventTypeExecutionStarted, 1)
	one(types.HistoryEventTypeExecutionSucceeded, 1)
	one(types.HistoryEventTypeActivityFailed, failures(id))
	one(types.HistoryEventTypeActivitySucceeded, 2)
	one(types.HistoryEventTypeTaskSucceeded, 1)
	one(types.HistoryEventTypeMapIterationSucceeded, mapItems)
	one(types.HistoryEventTypeParallelStateSucceeded, 1)
	// Each attempt is scheduled once; a task dispatched again after a
	// crash may be scheduled again (a new attempt in the history) without
	// its state being entered again.
	wantActivities := failures(id) + 2
	if n := byType[types.HistoryEventTypeActivityScheduled]; n < wantActivities {
		errs = append(errs, fmt.Sprintf("%d ActivityScheduled events, want at least %d", n, wantActivities))
	} else {
		extraScheduled += n - wantActivities
	}
	if n := byType[types.HistoryEventTypeTaskScheduled]; n < 1 {
		errs = append(errs, fmt.Sprintf("%d TaskScheduled events, want at least 1", n))
	} else {
		extraScheduled += n - 1
	}
	return errs, extraScheduled
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func (r *run) logStats() {
	r.mu.Lock()
	deliveries := 0
	for _, d := range r.delivered {
		deliveries += len(d)
	}
	r.mu.Unlock()
	r.t.Logf("activity tasks: %d deliveries, %d delivered again after a crash; answers: %d lost to a crash and repeated, "+
		"%d repeats found the lost answer committed (TaskDoesNotExist), %d first answers found the task gone; "+
		"%d Approve callbacks sent; %d StartExecution calls repeated; %d failed polls; %d history polls",
		deliveries, r.redeliveries.Load(), r.lostAnswers.Load(), r.goneAfterLost.Load(), r.goneFirst.Load(),
		r.callbackAnswers.Load(), r.startRetries.Load(), r.pollErrors.Load(), r.historyPolls.Load())
}
