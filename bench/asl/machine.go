package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/engine"
	"github.com/batonrun/baton/internal/value"
)

// machineFiles holds the definitions, inputs and expected outputs that
// peer.js reads from disk too, so both sides run the same bytes.
//
//go:embed machines
var machineFiles embed.FS

// machineNames lists the benchmarked machines in report order. Each name N
// has machines/N.asl.json, N.input.json and N.output.json.
var machineNames = []string{"passchain", "choice", "map100"}

// machine is a parsed definition with its input and expected output.
// Executions never modify the input, so every run shares it.
type machine struct {
	name  string
	def   *asl.Definition
	input any
	want  any
	// hasWant is false when machines/NAME.output.json is missing, so that
	// the test's -update can create it; check then fails.
	hasWant bool
}

// loadMachines parses every machine of machineNames.
func loadMachines() ([]*machine, error) {
	var ms []*machine
	for _, name := range machineNames {
		m, err := loadMachine(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, nil
}

func loadMachine(name string) (*machine, error) {
	src, err := machineFiles.ReadFile("machines/" + name + ".asl.json")
	if err != nil {
		return nil, err
	}
	def, err := asl.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	input, err := readJSON("machines/" + name + ".input.json")
	if err != nil {
		return nil, err
	}
	m := &machine{name: name, def: def, input: input}
	if _, err := fs.Stat(machineFiles, "machines/"+name+".output.json"); err == nil {
		if m.want, err = readJSON("machines/" + name + ".output.json"); err != nil {
			return nil, err
		}
		m.hasWant = true
	}
	return m, nil
}

func readJSON(path string) (any, error) {
	b, err := machineFiles.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := value.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return v, nil
}

// run executes m once and returns its output, or an error when the
// execution does not succeed.
func (m *machine) run(ctx context.Context) (any, error) {
	res, err := m.execute(ctx)
	if err != nil {
		return nil, err
	}
	if res.Status != engine.StatusSucceeded {
		return nil, fmt.Errorf("run %s: status %s: %s: %s", m.name, res.Status, res.Error, res.Cause)
	}
	return res.Output, nil
}

// execute runs m once, as a server would for StartExecution: a fresh
// execution with its own start time and full event history.
func (m *machine) execute(ctx context.Context) (*engine.Result, error) {
	res, err := engine.Run(ctx, m.def, m.input, engine.RunOptions{Info: engine.Info{
		ExecutionARN:     "arn:aws:states:us-east-1:123456789012:execution:" + m.name + ":bench",
		Name:             "bench",
		StateMachineARN:  "arn:aws:states:us-east-1:123456789012:stateMachine:" + m.name,
		StateMachineName: m.name,
		RoleARN:          "arn:aws:iam::123456789012:role/bench",
		StartTime:        time.Now(),
	}})
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", m.name, err)
	}
	return res, nil
}

// check runs m once and compares its output with the expected output.
func (m *machine) check(ctx context.Context) error {
	out, err := m.run(ctx)
	if err != nil {
		return err
	}
	if !m.hasWant {
		return fmt.Errorf("run %s: no machines/%s.output.json (go test ./bench/asl -run TestMachines -update writes it)", m.name, m.name)
	}
	if !value.Equal(out, m.want) {
		return fmt.Errorf("run %s: output differs from %s.output.json:\n%s", m.name, m.name, value.EncodeString(out))
	}
	return nil
}
