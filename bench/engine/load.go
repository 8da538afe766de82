package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/batonrun/baton/internal/value"
)

// newClient returns one SDK client for every goroutine of the benchmark (an
// sfn.Client is safe for concurrent use). Its transport keeps up to conns
// idle connections to the server, so that each client goroutine reuses its
// connection instead of dialling per request (net/http keeps 2 by default).
// Nothing is retried: every error counts. A request that takes longer than
// requestTimeout fails, so that a stuck server ends the benchmark.
func newClient(url string, conns int) *sfn.Client {
	hc := awshttp.NewBuildableClient().WithTimeout(requestTimeout).WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = 2 * conns
		t.MaxIdleConnsPerHost = 2 * conns
	})
	return sfn.New(sfn.Options{
		BaseEndpoint: aws.String(url),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("bench", "bench", ""),
		HTTPClient:   hideWriteTo{hc},
		Retryer:      aws.NopRetryer{},
	}, noHostPrefix)
}

// hideWriteTo works around a race between smithy-go and net/http that
// fails responses with "use of closed network connection" (the symptom of
// aws-sdk-go-v2 issues 1825 and 2737), often for responses of tens of
// kilobytes such as GetExecutionHistory's. smithy-go wraps the request body
// in a reader whose WriteTo returns io.EOF once the body is closed, and
// closes it as soon as the response headers arrive; net/http's writeLoop,
// which copies the body once more after Content-Length bytes to check that
// none are left, may do so only then, takes that io.EOF for a failed write
// and closes the connection under the response body being read. Hiding
// WriteTo makes that last copy use Read, whose io.EOF is the normal end.
type hideWriteTo struct{ c *awshttp.BuildableClient }

func (h hideWriteTo) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = struct{ io.ReadCloser }{r.Body}
	}
	return h.c.Do(r)
}

// noHostPrefix turns off the "sync-" host prefix the SDK puts on
// StartSyncExecution's endpoint (127.0.0.1 has no sync-127.0.0.1), as
// internal/server's tests and docs/clients.md do.
func noHostPrefix(o *sfn.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("BatonNoHostPrefix",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
	})
}

// bench is what every phase needs: the SDK client, which checks results,
// the two state machines, one Standard and one Express, with the same
// definition, and the starter that the load phases use.
type bench struct {
	c        *sfn.Client
	standard string
	express  string
	want     any
	load     starter
}

// starter starts executions for the load phases. Its methods are safe for
// concurrent use.
type starter interface {
	// start starts a Standard execution and returns its ARN.
	start(ctx context.Context) (string, error)
	// startSync runs an Express execution and fails unless it succeeded.
	startSync(ctx context.Context) error
}

// sdkStarter starts executions with the AWS SDK for Go v2, as users do.
type sdkStarter struct{ b *bench }

func (s sdkStarter) start(ctx context.Context) (string, error) { return s.b.start(ctx) }
func (s sdkStarter) startSync(ctx context.Context) error       { return s.b.startSync(ctx, false) }

// httpStarter sends the same awsJson requests as the SDK with net/http
// and a fixed Authorization header (Baton reads the credential's scope but
// checks no signature). It costs the client far less CPU than the SDK,
// whose middleware and SigV4 signing take as much as the server on the
// same cores; with it the figures show more of what the server can do.
type httpStarter struct {
	hc                  *http.Client
	url                 string
	startBody, syncBody []byte
}

func newHTTPStarter(url string, conns int, b *bench) (*httpStarter, error) {
	body := func(arn string) ([]byte, error) {
		return json.Marshal(map[string]string{"stateMachineArn": arn, "input": input})
	}
	start, err := body(b.standard)
	if err != nil {
		return nil, err
	}
	sync, err := body(b.express)
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{MaxIdleConns: 2 * conns, MaxIdleConnsPerHost: 2 * conns}
	return &httpStarter{hc: &http.Client{Transport: tr, Timeout: requestTimeout}, url: url + "/", startBody: start, syncBody: sync}, nil
}

// httpAuthorization is a well-formed SigV4 Authorization header with a
// made-up signature.
const httpAuthorization = "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/states/aws4_request, " +
	"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" +
	"0000000000000000000000000000000000000000000000000000000000000000"

// call posts body to the operation and decodes the JSON answer into out.
func (s *httpStarter) call(ctx context.Context, op string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
	req.Header.Set("X-Amz-Date", "20260101T000000Z")
	req.Header.Set("Authorization", httpAuthorization)
	resp, err := s.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", op, resp.Status, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

func (s *httpStarter) start(ctx context.Context) (string, error) {
	var out struct {
		ExecutionArn string `json:"executionArn"`
	}
	if err := s.call(ctx, "StartExecution", s.startBody, &out); err != nil {
		return "", err
	}
	return out.ExecutionArn, nil
}

func (s *httpStarter) startSync(ctx context.Context) error {
	var out struct {
		ExecutionArn string `json:"executionArn"`
		Status       string `json:"status"`
		Error, Cause string
	}
	if err := s.call(ctx, "StartSyncExecution", s.syncBody, &out); err != nil {
		return err
	}
	if out.Status != string(types.SyncExecutionStatusSucceeded) {
		return fmt.Errorf("express execution %s %s: %s: %s", out.ExecutionArn, out.Status, out.Error, out.Cause)
	}
	return nil
}

const role = "arn:aws:iam::000000000000:role/bench"

// requestTimeout bounds every request of the benchmark.
const requestTimeout = time.Minute

// setup creates the two state machines (idempotently) and runs one
// execution of each, checking its output and, for the Standard one, its
// history.
func setup(ctx context.Context, c *sfn.Client) (*bench, error) {
	want, err := wantOutput()
	if err != nil {
		return nil, err
	}
	b := &bench{c: c, want: want}
	b.load = sdkStarter{b}
	for _, m := range []struct {
		arn *string
		typ types.StateMachineType
	}{{&b.standard, types.StateMachineTypeStandard}, {&b.express, types.StateMachineTypeExpress}} {
		out, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
			Name: aws.String("passchain-" + strings.ToLower(string(m.typ))), Type: m.typ,
			Definition: aws.String(definition), RoleArn: aws.String(role),
		})
		if err != nil {
			return nil, fmt.Errorf("create state machine: %w", err)
		}
		*m.arn = *out.StateMachineArn
	}
	arn, err := b.start(ctx)
	if err != nil {
		return nil, err
	}
	if err := b.verify(ctx, arn); err != nil {
		return nil, err
	}
	if err := b.startSync(ctx, true); err != nil {
		return nil, err
	}
	return b, nil
}

// start starts one Standard execution and returns its ARN.
func (b *bench) start(ctx context.Context) (string, error) {
	out, err := b.c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(b.standard), Input: aws.String(input)})
	if err != nil {
		return "", fmt.Errorf("StartExecution: %w", err)
	}
	return *out.ExecutionArn, nil
}

// startSync runs one Express execution and checks that it succeeded and,
// when checkOutput is set, its output.
func (b *bench) startSync(ctx context.Context, checkOutput bool) error {
	out, err := b.c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(b.express), Input: aws.String(input)})
	if err != nil {
		return fmt.Errorf("StartSyncExecution: %w", err)
	}
	if out.Status != types.SyncExecutionStatusSucceeded {
		return fmt.Errorf("express execution %s: %s: %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	if checkOutput {
		return b.checkOutput(*out.ExecutionArn, aws.ToString(out.Output))
	}
	return nil
}

func (b *bench) checkOutput(arn, out string) error {
	got, err := value.DecodeString(out)
	if err != nil {
		return fmt.Errorf("execution %s: output: %w", arn, err)
	}
	if !value.Equal(got, b.want) {
		return fmt.Errorf("execution %s: output differs from passchain.output.json: %s", arn, out)
	}
	return nil
}

// waitSucceeded polls DescribeExecution every interval until the execution
// is no longer RUNNING, and returns when the first answer that says
// SUCCEEDED arrived; any other end, or 10 s of RUNNING, is an error.
func (b *bench) waitSucceeded(ctx context.Context, arn string, interval time.Duration) (*sfn.DescribeExecutionOutput, time.Time, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := b.c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		now := time.Now()
		if err != nil {
			return nil, now, fmt.Errorf("DescribeExecution: %w", err)
		}
		switch out.Status {
		case types.ExecutionStatusSucceeded:
			return out, now, nil
		case types.ExecutionStatusRunning:
			if now.After(deadline) {
				return nil, now, fmt.Errorf("execution %s still RUNNING after 10s", arn)
			}
			time.Sleep(interval)
		default:
			return nil, now, fmt.Errorf("execution %s: %s: %s: %s", arn, out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
		}
	}
}

// verify checks that a Standard execution succeeded with the expected
// output and that its history shows one StateEntered event per state.
func (b *bench) verify(ctx context.Context, arn string) error {
	out, _, err := b.waitSucceeded(ctx, arn, time.Millisecond)
	if err != nil {
		return err
	}
	if err := b.checkOutput(arn, aws.ToString(out.Output)); err != nil {
		return err
	}
	entered := 0
	pages := sfn.NewGetExecutionHistoryPaginator(b.c, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("GetExecutionHistory: %w", err)
		}
		for _, ev := range page.Events {
			if strings.HasSuffix(string(ev.Type), "StateEntered") {
				entered++
			}
		}
	}
	if entered != statesPerExecution {
		return fmt.Errorf("execution %s: history has %d StateEntered events, want %d", arn, entered, statesPerExecution)
	}
	return nil
}

// throughput is a closed-loop phase's result.
type throughput struct {
	// Execs is the number of executions completed in Elapsed.
	Execs   int64
	Elapsed time.Duration
	// CPU is the CPU time used over Elapsed.
	CPU usage
	// Sample holds the last execution each client completed in the
	// measured time (Standard executions only).
	Sample []string
}

// ExecsPerSec returns executions per second of wall time.
func (t throughput) ExecsPerSec() float64 { return float64(t.Execs) / t.Elapsed.Seconds() }

// TransitionsPerSec returns states entered per second of wall time.
func (t throughput) TransitionsPerSec() float64 { return t.ExecsPerSec() * statesPerExecution }

// closedLoop runs op in a loop on each of clients goroutines: for warmup,
// then for duration, counting the operations that end in the measured
// time. op returns the execution's ARN, or "" when there is none to keep.
// The first error ends the phase. cpu reads the CPU counters.
func closedLoop(ctx context.Context, clients int, warmup, duration time.Duration, cpu func() (usage, error), op func(context.Context) (string, error)) (throughput, error) {
	var measuring, stop atomic.Bool
	var n atomic.Int64
	var errOnce sync.Once
	var firstErr error
	failed := make(chan struct{})
	sample := make([]string, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				arn, err := op(ctx)
				if err != nil {
					errOnce.Do(func() { firstErr = err; close(failed) })
					return
				}
				if measuring.Load() {
					n.Add(1)
					sample[i] = arn
				}
			}
		}()
	}
	end := func(t throughput, err error) (throughput, error) {
		stop.Store(true)
		wg.Wait()
		if firstErr != nil {
			return throughput{}, firstErr
		}
		t.Execs = n.Load()
		for _, arn := range sample {
			if arn != "" {
				t.Sample = append(t.Sample, arn)
			}
		}
		return t, err
	}
	wait := func(d time.Duration) bool {
		select {
		case <-time.After(d):
			return true
		case <-failed:
			return false
		}
	}
	if !wait(warmup) {
		return end(throughput{}, nil)
	}
	cpu0, err := cpu()
	if err != nil {
		return end(throughput{}, err)
	}
	start := time.Now()
	measuring.Store(true)
	ok := wait(duration)
	measuring.Store(false)
	t := throughput{Elapsed: time.Since(start)}
	if !ok {
		return end(t, nil)
	}
	cpu1, err := cpu()
	t.CPU = cpu1.sub(cpu0)
	return end(t, err)
}

// latencies is an open-loop phase's result.
type latencies struct {
	// Rate is the arrival rate, executions per second.
	Rate float64
	// Finish is, per execution, the time from its arrival until it had
	// SUCCEEDED; Response, until its StartExecution call returned. Both are
	// sorted.
	Finish, Response []time.Duration
	// Polled tells how Finish was measured: by polling DescribeExecution,
	// or as the later of the StartExecution response and the stopDate.
	Polled bool
	// Queued counts arrivals made while an earlier one still waited for a
	// free client.
	Queued int
	// Elapsed and CPU cover the measured arrivals.
	Elapsed time.Duration
	CPU     usage
}

// openLoop starts Standard executions at rate per second, evenly spaced,
// for warmup and then for duration, on clients goroutines. Times are
// measured from each execution's scheduled arrival, not from when a client
// picked it up, so that waiting for a free client counts (no coordinated
// omission); executions that arrive in the measured time are reported.
//
// With poll > 0, each goroutine polls DescribeExecution every poll after
// its StartExecution returns, and the execution finished when the first
// answer saying SUCCEEDED arrived. With poll 0, nothing is polled during the
// phase: afterwards every execution is described, must have SUCCEEDED, and
// finished at the later of its StartExecution response and its stopDate.
// (Baton commits a step before it answers; an execution that ends in its
// first step has SUCCEEDED, durably, when StartExecution returns.)
func openLoop(ctx context.Context, b *bench, clients int, rate float64, warmup, duration, poll time.Duration, cpu func() (usage, error)) (latencies, error) {
	type arrival struct {
		at       time.Time
		measured bool
	}
	type started struct {
		arn           string
		at, responded time.Time
	}
	total := warmup + duration
	arrivals := make(chan arrival, int(rate*total.Seconds())+1)
	interval := time.Duration(float64(time.Second) / rate)
	results := make([][]started, clients)
	finish := make([][]time.Duration, clients)
	errs := make([]error, clients)
	var queued atomic.Int64
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range arrivals {
				if errs[i] != nil {
					continue // drain
				}
				arn, err := b.load.start(ctx)
				if err != nil {
					errs[i] = err
					continue
				}
				responded := time.Now()
				if poll > 0 {
					_, seen, err := b.waitSucceeded(ctx, arn, poll)
					if err != nil {
						errs[i] = err
						continue
					}
					if a.measured {
						finish[i] = append(finish[i], seen.Sub(a.at))
					}
				}
				if a.measured {
					results[i] = append(results[i], started{arn: arn, at: a.at, responded: responded})
				}
			}
		}()
	}
	start := time.Now()
	measureFrom := start.Add(warmup)
	var cpu0 usage
	var cpuErr error
	for k := 0; ; k++ {
		at := start.Add(time.Duration(k) * interval)
		if at.Sub(start) >= total {
			break
		}
		if d := time.Until(at); d > 0 {
			time.Sleep(d)
		}
		measured := !at.Before(measureFrom)
		if measured && cpu0 == (usage{}) {
			cpu0, cpuErr = cpu()
		}
		if len(arrivals) > 0 && measured {
			queued.Add(1)
		}
		arrivals <- arrival{at: at, measured: measured}
	}
	close(arrivals)
	wg.Wait()
	l := latencies{Rate: rate, Queued: int(queued.Load()), Polled: poll > 0, Elapsed: time.Since(measureFrom)}
	cpu1, err := cpu()
	if err := errors.Join(append(errs, cpuErr, err)...); err != nil {
		return latencies{}, err
	}
	l.CPU = cpu1.sub(cpu0)
	var all []started
	for i := range clients {
		all = append(all, results[i]...)
		l.Finish = append(l.Finish, finish[i]...)
	}
	for _, s := range all {
		l.Response = append(l.Response, s.responded.Sub(s.at))
	}
	if poll == 0 {
		// Describe every execution, clients at a time.
		l.Finish = make([]time.Duration, len(all))
		next := make(chan int)
		var descErr error
		var mu sync.Mutex
		var dwg sync.WaitGroup
		for range clients {
			dwg.Add(1)
			go func() {
				defer dwg.Done()
				for i := range next {
					s := all[i]
					out, _, err := b.waitSucceeded(ctx, s.arn, time.Millisecond)
					if err != nil {
						mu.Lock()
						descErr = errors.Join(descErr, err)
						mu.Unlock()
						continue
					}
					end := s.responded
					if stop := aws.ToTime(out.StopDate); stop.After(end) {
						end = stop
					}
					l.Finish[i] = end.Sub(s.at)
				}
			}()
		}
		for i := range all {
			next <- i
		}
		close(next)
		dwg.Wait()
		if descErr != nil {
			return latencies{}, descErr
		}
	}
	slices.Sort(l.Finish)
	slices.Sort(l.Response)
	return l, nil
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method; 0 when sorted is empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}
