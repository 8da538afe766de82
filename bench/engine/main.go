// Command engine measures a running Baton server the way clients see it,
// over HTTP with the AWS SDK for Go v2: how fast `baton serve` starts, how
// much memory it holds when idle, how many durable (Standard) state
// transitions per second it commits to SQLite with synchronous=FULL, the
// start-to-finish latency of executions at half that load, and how many
// Express transitions per second StartSyncExecution runs.
//
//	go run ./bench/engine                      # everything, against a real `baton serve`
//	go run ./bench/engine -client http         # load without the SDK's client-side cost
//	go run ./bench/engine -phases durable,express -duration 5s
//	go run ./bench/engine -inprocess -phases durable -cpuprofile cpu.out
//
// The state machine is bench/asl's passchain: ten chained Pass states with
// Parameters (paths and intrinsic functions) and ResultPath, so one
// execution is ten state transitions (states entered). The benchmark builds
// cmd/baton into a temporary directory (or runs -baton) and measures:
//
//   - startup: -starts times, the time from just before the exec of
//     `baton serve --db DIR/baton.db` with an empty DIR to the first 200
//     answer to GET /health, probing every 100µs; min and median.
//   - idle memory: VmRSS of the server after -idle with an empty store, and
//     again after the load phases and -idle.
//   - durable: -clients goroutines, each calling StartExecution in a loop
//     for -warmup, then -duration; executions/s and transitions/s over the
//     measured time. The goroutines share one SDK client whose transport
//     keeps a connection per goroutine. The last execution of each goroutine
//     is checked afterwards: SUCCEEDED, the expected output, ten
//     StateEntered events in its history.
//   - latency: StartExecution arrivals evenly spaced at half the durable
//     rate (or -rate), open loop, served by -clients goroutines, timed from
//     each arrival's scheduled time. An execution has finished when it has
//     SUCCEEDED durably: by default at the later of its StartExecution
//     response and its stopDate, every execution being described afterwards
//     (Baton commits a step before it answers, and the passchain ends in its
//     first step, so that is the response); with -poll, when the first
//     DescribeExecution answer saying SUCCEEDED arrives, polling every -poll
//     after the response. The stopDate alone will not do: it has millisecond
//     resolution and is the interpreter's time, taken before the commit.
//   - express: as durable, with StartSyncExecution of the same definition
//     as an EXPRESS state machine; every result must say SUCCEEDED.
//
// The clients run on the same machine as the server and use CPU that the
// server cannot: each phase reports the CPU cores used by the server, by
// this process and by everything else, and the idle ones. -client http
// sends the same requests with plain net/http, which costs a fraction of
// the SDK's CPU. -inprocess runs the server inside this process
// (internal/server, the same store file and defaults) so that -cpuprofile
// can profile it; startup and memory are then not measured, and the
// profile holds the clients too.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/batonrun/baton/internal/server"
)

// Targets from the issue.
const (
	targetStartup = 100 * time.Millisecond
	targetRSS     = 40 << 20
	targetDurable = 20000
	targetP99     = 50 * time.Millisecond
	targetExpress = 50000
	mib           = 1 << 20
	defaultPhases = "startup,durable,latency,express"
)

type options struct {
	clients         int
	duration        time.Duration
	warmup          time.Duration
	latencyDuration time.Duration
	rate            float64
	poll            time.Duration
	client          string
	starts          int
	idle            time.Duration
	baton           string
	inprocess       bool
	phases          map[string]bool
	cpuprofile      string
	dir             string
}

func main() {
	var o options
	flag.IntVar(&o.clients, "clients", 64, "concurrent clients")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of the durable and express phases")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured time before each load phase")
	flag.DurationVar(&o.latencyDuration, "latency-duration", 10*time.Second, "measured time of the latency phase")
	flag.Float64Var(&o.rate, "rate", 0, "executions per second of the latency phase (default half the durable rate)")
	flag.DurationVar(&o.poll, "poll", 0, "poll DescribeExecution at this interval in the latency phase (default: describe afterwards)")
	flag.StringVar(&o.client, "client", "sdk", "how the load phases call the server: sdk (AWS SDK for Go v2) or http (plain net/http)")
	flag.IntVar(&o.starts, "starts", 10, "server starts to time")
	flag.DurationVar(&o.idle, "idle", 2*time.Second, "idle time before each memory reading")
	flag.StringVar(&o.baton, "baton", "", "baton binary to run (default: build ./cmd/baton)")
	flag.BoolVar(&o.inprocess, "inprocess", false, "run the server in this process (for -cpuprofile); skips startup and memory")
	phases := flag.String("phases", defaultPhases, "comma-separated phases to run")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the load phases to this file (with -inprocess, it covers the server)")
	flag.StringVar(&o.dir, "dir", "", "new directory for the binary and the databases, kept afterwards (default: a temporary one, removed)")
	flag.Parse()
	o.phases = map[string]bool{}
	for p := range strings.SplitSeq(*phases, ",") {
		if !slices.Contains(strings.Split(defaultPhases, ","), p) {
			log.Fatalf("unknown phase %q (want some of %s)", p, defaultPhases)
		}
		o.phases[p] = true
	}
	if o.client != "sdk" && o.client != "http" {
		log.Fatalf("-client %q: want sdk or http", o.client)
	}
	if o.phases["latency"] && !o.phases["durable"] && o.rate <= 0 {
		log.Fatal("the latency phase needs the durable phase or -rate")
	}
	if err := run(o); err != nil {
		log.Fatal(err)
	}
}

// report gathers the figures; zero fields were not measured.
type report struct {
	startup         []time.Duration
	idle, afterLoad memory
	durable         throughput
	latency         latencies
	express         throughput
}

func run(o options) error {
	fmt.Printf("machine: %s\n", machineInfo())
	tmp := o.dir
	var err error
	if tmp == "" {
		if tmp, err = os.MkdirTemp("", "baton-bench-engine-"); err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
	} else if err = os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	ctx := context.Background()
	var rep report

	// The server under load: a real process, or internal/server in this
	// one. cpu reads its CPU time; pid is 0 in-process.
	var (
		url  string
		pid  int
		stop func() error
	)
	if o.inprocess {
		srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DB: filepath.Join(tmp, "baton.db")})
		if err != nil {
			return err
		}
		if err := srv.Start(ctx); err != nil {
			return err
		}
		url, stop = srv.URL(), func() error { return srv.Stop(ctx) }
		fmt.Println("server: in this process (startup and memory not measured)")
	} else {
		bin := o.baton
		if bin == "" {
			if bin, err = buildBaton(tmp); err != nil {
				return err
			}
		}
		if o.phases["startup"] {
			if rep.startup, err = measureStartup(bin, tmp, o.starts); err != nil {
				return err
			}
		}
		dir := filepath.Join(tmp, "load")
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
		p, _, err := startBaton(bin, dir)
		if err != nil {
			return err
		}
		defer p.stop()
		url, pid, stop = p.url, p.pid(), p.stop
		time.Sleep(o.idle)
		if rep.idle, err = readMemory(pid); err != nil {
			return err
		}
		fmt.Printf("server: baton serve, pid %d, %s\n", pid, url)
	}
	cpu := func() (usage, error) { return readUsage(pid) }

	b, err := setup(ctx, newClient(url, o.clients))
	if err != nil {
		return err
	}
	if o.client == "http" {
		if b.load, err = newHTTPStarter(url, o.clients, b); err != nil {
			return err
		}
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.phases["durable"] {
		fmt.Printf("durable: %d %s clients, %s warm-up, %s measured\n", o.clients, o.client, o.warmup, o.duration)
		rep.durable, err = closedLoop(ctx, o.clients, o.warmup, o.duration, cpu, b.load.start)
		if err != nil {
			return fmt.Errorf("durable: %w", err)
		}
		for _, arn := range rep.durable.Sample {
			if err := b.verify(ctx, arn); err != nil {
				return fmt.Errorf("durable: %w", err)
			}
		}
		fmt.Printf("durable: %d executions in %s, %d checked\n", rep.durable.Execs, rep.durable.Elapsed.Round(time.Millisecond), len(rep.durable.Sample))
	}
	if o.phases["latency"] {
		rate := o.rate
		if rate <= 0 {
			rate = rep.durable.ExecsPerSec() / 2
		}
		fmt.Printf("latency: %.0f executions/s, %d %s clients, %s warm-up, %s measured\n", rate, o.clients, o.client, o.warmup, o.latencyDuration)
		rep.latency, err = openLoop(ctx, b, o.clients, rate, o.warmup, o.latencyDuration, o.poll, cpu)
		if err != nil {
			return fmt.Errorf("latency: %w", err)
		}
	}
	if o.phases["express"] {
		fmt.Printf("express: %d %s clients, %s warm-up, %s measured\n", o.clients, o.client, o.warmup, o.duration)
		rep.express, err = closedLoop(ctx, o.clients, o.warmup, o.duration, cpu, func(ctx context.Context) (string, error) {
			return "", b.load.startSync(ctx)
		})
		if err != nil {
			return fmt.Errorf("express: %w", err)
		}
	}
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if pid != 0 {
		time.Sleep(o.idle)
		if rep.afterLoad, err = readMemory(pid); err != nil {
			return err
		}
	}
	if err := stop(); err != nil {
		return err
	}
	fmt.Println()
	rep.print(o.clients, pid == 0)
	return nil
}

// print writes the figures against the targets.
func (r *report) print(clients int, inprocess bool) {
	row := func(name, measured, target string, ok bool) {
		verdict := "ok"
		if !ok {
			verdict = "MISSED"
		}
		if target == "" {
			verdict = ""
		}
		fmt.Printf("%-46s %-30s %-12s %s\n", name, measured, target, verdict)
	}
	cores := func(u usage, elapsed time.Duration) {
		c := func(d time.Duration) float64 { return d.Seconds() / elapsed.Seconds() }
		if inprocess {
			row("  CPU cores: process, other, idle", fmt.Sprintf("%.2f, %.2f, %.2f",
				c(u.Server), max(0, c(u.Busy-u.Server)), c(u.Total-u.Busy)), "", true)
			return
		}
		row("  CPU cores: server, clients, other, idle", fmt.Sprintf("%.2f, %.2f, %.2f, %.2f",
			c(u.Server), c(u.Client), max(0, c(u.Busy-u.Server-u.Client)), c(u.Total-u.Busy)), "", true)
	}
	row("figure", "measured", "target", true)
	if len(r.startup) > 0 {
		med := r.startup[len(r.startup)/2]
		row(fmt.Sprintf("startup to /health, empty store (min/median of %d)", len(r.startup)),
			fmt.Sprintf("%s / %s", ms(r.startup[0]), ms(med)), "< 100 ms", med < targetStartup)
	}
	if r.idle.RSS > 0 {
		row("idle RSS, empty store", fmt.Sprintf("%.1f MiB", float64(r.idle.RSS)/mib), "< 40 MiB", r.idle.RSS < targetRSS)
	}
	if d := r.durable; d.Execs > 0 {
		row(fmt.Sprintf("durable transitions/s, %d clients", clients),
			fmt.Sprintf("%s (%s exec/s)", thousands(d.TransitionsPerSec()), thousands(d.ExecsPerSec())),
			">= 20,000", d.TransitionsPerSec() >= targetDurable)
		cores(d.CPU, d.Elapsed)
	}
	if l := r.latency; len(l.Finish) > 0 {
		how := "response or stopDate"
		if l.Polled {
			how = "polled"
		}
		row(fmt.Sprintf("latency to SUCCEEDED (%s), p50/p99/max", how),
			fmt.Sprintf("%s / %s / %s", ms(percentile(l.Finish, 50)), ms(percentile(l.Finish, 99)), ms(l.Finish[len(l.Finish)-1])),
			"p99 < 50 ms", percentile(l.Finish, 99) < targetP99)
		row(fmt.Sprintf("  at %s exec/s: executions, arrivals queued", thousands(l.Rate)), fmt.Sprintf("%d, %d", len(l.Finish), l.Queued), "", true)
		row("  StartExecution response, p50/p99/max",
			fmt.Sprintf("%s / %s / %s", ms(percentile(l.Response, 50)), ms(percentile(l.Response, 99)), ms(l.Response[len(l.Response)-1])), "", true)
		cores(l.CPU, l.Elapsed)
	}
	if e := r.express; e.Execs > 0 {
		row(fmt.Sprintf("express transitions/s, %d clients", clients),
			fmt.Sprintf("%s (%s exec/s)", thousands(e.TransitionsPerSec()), thousands(e.ExecsPerSec())),
			">= 50,000", e.TransitionsPerSec() >= targetExpress)
		cores(e.CPU, e.Elapsed)
	}
	if r.afterLoad.RSS > 0 {
		row("idle RSS after the load (peak)",
			fmt.Sprintf("%.1f MiB (%.1f MiB)", float64(r.afterLoad.RSS)/mib, float64(r.afterLoad.Peak)/mib), "", true)
	}
}

// ms formats d in milliseconds with one decimal.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// thousands formats f rounded, with commas between thousands.
func thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
