package main

import (
	_ "embed"
	"fmt"

	"github.com/batonrun/baton/internal/value"
)

// The benchmarked machine is bench/asl's passchain: ten chained Pass states,
// each with Parameters of paths and an intrinsic function and a ResultPath
// into the input. The files are copies (go:embed cannot reach ../asl);
// TestMachineMatchesASL keeps them identical.
var (
	//go:embed machines/passchain.asl.json
	definition string
	//go:embed machines/passchain.input.json
	input string
	//go:embed machines/passchain.output.json
	outputJSON string
)

// statesPerExecution is the number of states one execution of definition
// enters: the "transitions" of the figures.
const statesPerExecution = 10

// wantOutput is the execution's expected output.
func wantOutput() (any, error) {
	v, err := value.DecodeString(outputJSON)
	if err != nil {
		return nil, fmt.Errorf("decode passchain.output.json: %w", err)
	}
	return v, nil
}
