package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildBaton builds cmd/baton into dir and returns the binary's path. It
// runs go from the module's root, found with go env GOMOD.
func buildBaton(dir string) (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	bin := filepath.Join(dir, "baton")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/baton")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/baton: %w\n%s", err, out)
	}
	return bin, nil
}

// process is a running `baton serve`.
type process struct {
	cmd    *exec.Cmd
	url    string
	stderr bytes.Buffer
	// exited is closed when the process has ended; err is then Wait's error.
	exited chan struct{}
	err    error
}

// startBaton runs `baton serve` on a free port with its database in dir
// (created empty when missing) and waits until GET /health answers 200. It
// returns the process and the time from just before the exec to that
// answer: the startup time a client sees.
func startBaton(bin, dir string) (*process, time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	p := &process{url: "http://" + addr, exited: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--addr", addr, "--db", filepath.Join(dir, "baton.db"))
	p.cmd.Stderr = &p.stderr
	start := time.Now()
	if err := p.cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	// Each probe dials afresh; a refused connection costs a few
	// microseconds, so probing every 100µs measures to about that.
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	deadline := start.Add(10 * time.Second)
	for {
		if resp, err := hc.Get(p.url + "/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, time.Since(start), nil
			}
		}
		select {
		case <-p.exited:
			return nil, 0, fmt.Errorf("baton serve exited before answering /health: %v\n%s", p.err, p.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = p.stop()
			return nil, 0, fmt.Errorf("baton serve did not answer /health within 10s\n%s", p.stderr.String())
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// stop sends SIGTERM and waits for the process to end (killing it after
// 30 s). It is safe to call twice.
func (p *process) stop() error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("signal baton serve: %w", err)
	}
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return errors.New("baton serve did not stop within 30s of SIGTERM")
	}
	var ee *exec.ExitError
	if p.err != nil && !errors.As(p.err, &ee) {
		return p.err
	}
	if p.err != nil {
		return fmt.Errorf("baton serve: %w\n%s", p.err, p.stderr.String())
	}
	return nil
}

func (p *process) pid() int { return p.cmd.Process.Pid }

// measureStartup starts `baton serve` n times, each with an empty store in
// a fresh directory under dir, and returns the startup times, sorted.
func measureStartup(bin, dir string, n int) ([]time.Duration, error) {
	var ds []time.Duration
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("startup-%d", i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			return nil, err
		}
		p, d, err := startBaton(bin, sub)
		if err != nil {
			return nil, err
		}
		if err := p.stop(); err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds, nil
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// memory is a process's resident memory, in bytes, from /proc/PID/status.
type memory struct {
	// RSS is the resident set now (VmRSS); Peak the highest it has been
	// (VmHWM).
	RSS, Peak int64
}

// readMemory reads pid's resident memory; pid 0 means this process.
func readMemory(pid int) (memory, error) {
	b, err := os.ReadFile(procPath(pid, "status"))
	if err != nil {
		return memory{}, err
	}
	var m memory
	for line := range strings.SplitSeq(string(b), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("parse %s %q: %w", name, rest, err)
		}
		if name == "VmRSS" {
			m.RSS = kb << 10
		} else {
			m.Peak = kb << 10
		}
	}
	if m.RSS == 0 {
		return memory{}, fmt.Errorf("no VmRSS in %s", procPath(pid, "status"))
	}
	return m, nil
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's CPU times; 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// cpuTime returns the CPU time, user and system, that pid has used so far
// on all its threads; pid 0 means this process.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(procPath(pid, "stat"))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces;
	// utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("parse %s", procPath(pid, "stat"))
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("parse %s", procPath(pid, "stat"))
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse %s: %w", procPath(pid, "stat"), err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// usage is a reading of CPU time counters, or the difference of two.
type usage struct {
	// Server is the server process's CPU time; Client this process's.
	// In-process they are the same.
	Server, Client time.Duration
	// Busy and Total are the machine's CPU time, summed over its cores:
	// spent on anything but idling, and in all.
	Busy, Total time.Duration
}

func (u usage) sub(v usage) usage {
	return usage{Server: u.Server - v.Server, Client: u.Client - v.Client, Busy: u.Busy - v.Busy, Total: u.Total - v.Total}
}

// readUsage reads the CPU counters of the server pid (0: this process),
// of this process and of the machine.
func readUsage(pid int) (usage, error) {
	var u usage
	var err error
	if u.Client, err = cpuTime(0); err != nil {
		return usage{}, err
	}
	u.Server = u.Client
	if pid != 0 {
		if u.Server, err = cpuTime(pid); err != nil {
			return usage{}, err
		}
	}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return usage{}, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return usage{}, fmt.Errorf("parse /proc/stat: %q", line)
	}
	// user nice system idle iowait irq softirq steal: idle and iowait are
	// idle time.
	for i, s := range f[1:9] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return usage{}, fmt.Errorf("parse /proc/stat: %w", err)
		}
		d := time.Duration(n) * time.Second / clockTicks
		u.Total += d
		if i != 3 && i != 4 {
			u.Busy += d
		}
	}
	return u, nil
}

func procPath(pid int, name string) string {
	if pid == 0 {
		return "/proc/self/" + name
	}
	return fmt.Sprintf("/proc/%d/%s", pid, name)
}

// machineInfo describes the machine: cores, CPU model, load average and Go
// version.
func machineInfo() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if name, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%d cores (%s), load average %s, %s %s/%s",
		runtime.NumCPU(), model, loadAverage(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// loadAverage returns the 1, 5 and 15 minute load averages.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
