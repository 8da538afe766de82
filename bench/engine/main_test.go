package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/batonrun/baton/internal/server"
)

// These tests check that the benchmark's pieces work, briefly; they
// measure nothing. go run ./bench/engine measures.

// TestMachineMatchesASL keeps machines/ a copy of bench/asl's passchain.
func TestMachineMatchesASL(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"passchain.asl.json", "passchain.input.json", "passchain.output.json"} {
		ours, err := os.ReadFile(filepath.Join("machines", name))
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := os.ReadFile(filepath.Join("..", "asl", "machines", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours, theirs) {
			t.Errorf("machines/%s differs from ../asl/machines/%s; copy it again", name, name)
		}
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	ms := func(ns ...int) []time.Duration {
		var ds []time.Duration
		for _, n := range ns {
			ds = append(ds, time.Duration(n)*time.Millisecond)
		}
		return ds
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of odd", ms(1, 2, 3), 50, 2 * time.Millisecond},
		{"median of even is the lower", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p100 is the max", ms(hundred...), 100, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("%s: percentile(%v) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for in, want := range map[float64]string{0: "0", 999.4: "999", 1000: "1,000", 20262.2: "20,262", 1234567: "1,234,567"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestProcReadings(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	m, err := readMemory(0)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 || m.Peak < m.RSS {
		t.Errorf("memory %+v", m)
	}
	u, err := readUsage(0)
	if err != nil {
		t.Fatal(err)
	}
	if u.Server != u.Client || u.Busy <= 0 || u.Total < u.Busy {
		t.Errorf("usage %+v", u)
	}
}

// TestPhases runs each load phase briefly against an in-process server,
// with both starters, and checks what they report.
func TestPhases(t *testing.T) {
	t.Parallel()
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DB: filepath.Join(t.TempDir(), "baton.db")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(ctx) })
	b, err := setup(ctx, newClient(srv.URL(), 4))
	if err != nil {
		t.Fatal(err)
	}
	h, err := newHTTPStarter(srv.URL(), 4, b)
	if err != nil {
		t.Fatal(err)
	}
	cpu := func() (usage, error) { return readUsage(0) }
	for _, tt := range []struct {
		name string
		load starter
		poll time.Duration
	}{{"sdk", sdkStarter{b}, time.Millisecond}, {"http", h, 0}} {
		b := *b
		b.load = tt.load
		t.Run(tt.name, func(t *testing.T) {
			d, err := closedLoop(ctx, 4, 0, 100*time.Millisecond, cpu, b.load.start)
			if err != nil {
				t.Fatal(err)
			}
			if d.Execs == 0 || len(d.Sample) == 0 || d.Elapsed < 100*time.Millisecond {
				t.Fatalf("durable: %+v", d)
			}
			for _, arn := range d.Sample {
				if err := b.verify(ctx, arn); err != nil {
					t.Fatal(err)
				}
			}
			l, err := openLoop(ctx, &b, 4, 100, 20*time.Millisecond, 100*time.Millisecond, tt.poll, cpu)
			if err != nil {
				t.Fatal(err)
			}
			// 100/s for 120 ms: arrivals 2 to 11 are measured.
			if len(l.Finish) != 10 || len(l.Response) != 10 || l.Polled != (tt.poll > 0) {
				t.Fatalf("latency: %d finishes, %d responses, polled %v", len(l.Finish), len(l.Response), l.Polled)
			}
			if l.Finish[0] <= 0 || l.Response[0] <= 0 {
				t.Fatalf("latency: non-positive times %v %v", l.Finish, l.Response)
			}
			e, err := closedLoop(ctx, 4, 0, 50*time.Millisecond, cpu, func(ctx context.Context) (string, error) {
				return "", b.load.startSync(ctx)
			})
			if err != nil {
				t.Fatal(err)
			}
			if e.Execs == 0 {
				t.Fatalf("express: %+v", e)
			}
		})
	}
}

// TestStartBaton builds cmd/baton and times two starts; it takes a few
// seconds, so -short skips it.
func TestStartBaton(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/baton")
	}
	t.Parallel()
	dir := t.TempDir()
	bin, err := buildBaton(dir)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := measureStartup(bin, dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0] <= 0 || ds[0] > ds[1] {
		t.Fatalf("startup times %v", ds)
	}
	p, _, err := startBaton(bin, filepath.Join(dir, "startup-0"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := readMemory(p.pid())
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 {
		t.Fatalf("memory %+v", m)
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	if err := p.stop(); err != nil {
		t.Fatalf("second stop: %v", err)
	}
}
