// Command asl measures how many executions per second Baton's in-memory
// engine completes for three state machines: ten chained Pass states with
// Parameters and ResultPath (passchain), ten Choice states with And, Or and
// Not over string, numeric, boolean and timestamp comparisons (choice), and
// a Map over 100 items with a Pass state inside (map100).
//
//	go run ./bench/asl                          # Baton, one goroutine
//	go run ./bench/asl -parallel 0              # one goroutine per GOMAXPROCS
//	go run ./bench/asl -compare peer.json       # add peer.js's figures and ratios
//	go run ./bench/asl -cpuprofile cpu.prof     # profile the measured runs
//
// The definitions, inputs and expected outputs live in machines/, which
// peer.js reads too; run.sh compares Baton with aws-local-stepfunctions.
// Each execution is a full engine.Run with its event history, as for
// StartExecution; every execution must succeed, and each machine's output
// is compared with the expected one before it is measured.
//
// Each machine runs for -warmup, then for -duration split into -rounds
// rounds. The reported rate is the best round's executions per second of
// wall time, which is the least disturbed by other load on the machine;
// the rate per CPU-second covers all rounds and counts every thread of the
// process, the garbage collector's included. peer.js measures the same way.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"
)

// rates is one machine's measurement, in the shape peer.js prints.
type rates struct {
	// ExecPerSec is the best round's executions per second of wall time.
	ExecPerSec float64 `json:"execPerSec"`
	// ExecPerCPUSec is executions per second of process CPU time over all
	// rounds; 0 where the CPU time is unknown.
	ExecPerCPUSec float64 `json:"execPerCPUSec"`
}

func main() {
	duration := flag.Duration("duration", 3*time.Second, "measured time per machine, split into -rounds rounds")
	rounds := flag.Int("rounds", 3, "rounds per machine; the best round's rate is reported")
	warmup := flag.Duration("warmup", time.Second, "unmeasured time per machine before measuring")
	parallel := flag.Int("parallel", 1, "goroutines running executions; 0 means GOMAXPROCS")
	only := flag.String("machines", "", "comma-separated machines to run (default: all)")
	compare := flag.String("compare", "", "JSON file of the peer's rates (peer.js output) to compare with")
	jsonOut := flag.Bool("json", false, "print one JSON object per machine instead of a table")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measured runs to this file")
	flag.Parse()

	if *parallel <= 0 {
		*parallel = runtime.GOMAXPROCS(0)
	}
	if *rounds < 1 {
		*rounds = 1
	}
	ms, err := loadMachines()
	if err != nil {
		log.Fatal(err)
	}
	if *only != "" {
		if ms, err = selectMachines(ms, strings.Split(*only, ",")); err != nil {
			log.Fatal(err)
		}
	}
	var peer map[string]rates
	if *compare != "" {
		b, err := os.ReadFile(*compare)
		if err != nil {
			log.Fatal(err)
		}
		if err := json.Unmarshal(b, &peer); err != nil {
			log.Fatalf("read %s: %v", *compare, err)
		}
	}
	ctx := context.Background()
	for _, m := range ms {
		if err := m.check(ctx); err != nil {
			log.Fatal(err)
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}

	if !*jsonOut {
		fmt.Printf("baton: %d goroutine(s), GOMAXPROCS %d; per machine %s warm-up, then best of %d rounds of %s\n",
			*parallel, runtime.GOMAXPROCS(0), *warmup, *rounds, (*duration / time.Duration(*rounds)).Round(time.Millisecond))
		if peer != nil {
			fmt.Printf("%-10s %13s %13s %7s   %13s %13s %7s\n", "machine",
				"baton exec/s", "peer exec/s", "ratio", "baton /cpu-s", "peer /cpu-s", "ratio")
		} else {
			fmt.Printf("%-10s %13s %13s\n", "machine", "baton exec/s", "baton /cpu-s")
		}
	}
	var ratios []float64
	for _, m := range ms {
		if _, _, err := measure(ctx, m, *warmup, *parallel); err != nil {
			log.Fatal(err)
		}
		r, err := measureRounds(ctx, m, *duration, *rounds, *parallel)
		if err != nil {
			log.Fatal(err)
		}
		p, hasPeer := peer[m.name]
		switch {
		case *jsonOut:
			out := map[string]any{"machine": m.name, "goroutines": *parallel, "baton": r}
			if hasPeer {
				out["peer"], out["ratio"] = p, r.ExecPerSec/p.ExecPerSec
			}
			b, _ := json.Marshal(out)
			fmt.Println(string(b))
		case hasPeer:
			ratio := r.ExecPerSec / p.ExecPerSec
			ratios = append(ratios, ratio)
			fmt.Printf("%-10s %13.0f %13.1f %6.1fx   %13s %13s %7s\n", m.name,
				r.ExecPerSec, p.ExecPerSec, ratio,
				perCPU(r.ExecPerCPUSec), perCPU(p.ExecPerCPUSec), cpuRatio(r, p))
		default:
			fmt.Printf("%-10s %13.0f %13s\n", m.name, r.ExecPerSec, perCPU(r.ExecPerCPUSec))
		}
	}
	if len(ratios) > 0 {
		sort.Float64s(ratios)
		fmt.Printf("minimum ratio %.1fx (target 10x)\n", ratios[0])
	}
}

func perCPU(rate float64) string {
	if rate == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", rate)
}

func cpuRatio(baton, peer rates) string {
	if baton.ExecPerCPUSec == 0 || peer.ExecPerCPUSec == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fx", baton.ExecPerCPUSec/peer.ExecPerCPUSec)
}

func selectMachines(ms []*machine, names []string) ([]*machine, error) {
	var out []*machine
	for _, name := range names {
		found := false
		for _, m := range ms {
			if m.name == name {
				out = append(out, m)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown machine %q (have %s)", name, strings.Join(machineNames, ", "))
		}
	}
	return out, nil
}

// measureRounds runs m for d in the given number of rounds and returns the
// best round's wall-time rate and the CPU-time rate over all rounds.
func measureRounds(ctx context.Context, m *machine, d time.Duration, rounds, n int) (rates, error) {
	var r rates
	total := 0
	runtime.GC() // start from a clean heap, outside the CPU time measured
	cpu0 := processCPU()
	for range rounds {
		count, elapsed, err := measure(ctx, m, d/time.Duration(rounds), n)
		if err != nil {
			return rates{}, err
		}
		r.ExecPerSec = max(r.ExecPerSec, float64(count)/elapsed.Seconds())
		total += count
	}
	if cpu := processCPU() - cpu0; cpu > 0 {
		r.ExecPerCPUSec = float64(total) / cpu.Seconds()
	}
	return r, nil
}

// measure runs m on n goroutines for about d and returns how many
// executions they completed together and the wall time taken. It stops at
// the first failed execution.
func measure(ctx context.Context, m *machine, d time.Duration, n int) (int, time.Duration, error) {
	counts := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for g := range n {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if _, err := m.run(ctx); err != nil {
					errs[g] = err
					return
				}
				counts[g]++
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	total := 0
	for g := range n {
		if errs[g] != nil {
			return 0, 0, errs[g]
		}
		total += counts[g]
	}
	return total, elapsed, nil
}
