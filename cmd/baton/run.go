package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/engine"
	"github.com/batonrun/baton/internal/value"
)

func newRunCommand() *cobra.Command {
	var input, inputFile, mockFile string
	var history bool
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Run a state machine in memory, on a virtual clock, with tasks answered from a mock file",
		Long: `Run executes a state machine definition in memory. Waits and retry back-offs
take no real time: the clock jumps to the next timer. Task states are answered
from the --mock file:

  {"Tasks": {"StateName": [{"Return": {...}}, {"Throw": {"Error": "E", "Cause": "C"}}]}}

Each call of a state takes the next response; the last one repeats. A Task
without a mock fails with States.TaskFailed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			def, err := asl.Parse(src)
			if err != nil {
				return err
			}
			in, err := readInput(input, inputFile)
			if err != nil {
				return err
			}
			var handler engine.TaskHandler
			if mockFile != "" {
				if handler, err = loadMocks(mockFile); err != nil {
					return err
				}
			}
			res, err := engine.Run(context.Background(), def, in, engine.RunOptions{
				Info:    localInfo("local", "run", time.Now().UTC()),
				Handler: handler,
			})
			if err != nil {
				return err
			}
			return printResult(cmd.OutOrStdout(), res, history)
		},
	}
	cmd.Flags().StringVar(&input, "input", "", "the execution input as JSON (default {})")
	cmd.Flags().StringVar(&inputFile, "input-file", "", "read the execution input from a file")
	cmd.Flags().StringVar(&mockFile, "mock", "", "a JSON file of task responses by state name")
	cmd.Flags().BoolVar(&history, "history", false, "print the history events")
	return cmd
}

// localInfo names an execution for local runs, with AWS-shaped ARNs.
func localInfo(machine, name string, start time.Time) engine.Info {
	return engine.Info{
		ExecutionARN:     fmt.Sprintf("arn:aws:states:us-east-1:000000000000:execution:%s:%s", machine, name),
		Name:             name,
		StateMachineARN:  fmt.Sprintf("arn:aws:states:us-east-1:000000000000:stateMachine:%s", machine),
		StateMachineName: machine,
		RoleARN:          "arn:aws:iam::000000000000:role/baton",
		StartTime:        start,
	}
}

func readInput(input, file string) (any, error) {
	switch {
	case input != "" && file != "":
		return nil, fmt.Errorf("use --input or --input-file, not both")
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		input = string(data)
	case input == "":
		return value.NewObject(0), nil
	}
	v, err := value.DecodeString(input)
	if err != nil {
		return nil, fmt.Errorf("--input: %w", err)
	}
	return v, nil
}

func printResult(w io.Writer, res *engine.Result, history bool) error {
	if history {
		for _, e := range res.Events {
			fmt.Fprintf(w, "%4d %4d %-28s %s\n", e.ID, e.PreviousEventID, e.Type, e.AppendDetails(nil))
		}
	}
	out := value.NewObject(4)
	out.Set("status", res.Status)
	if res.Status == engine.StatusSucceeded {
		out.Set("output", res.Output)
	} else {
		out.Set("error", res.Error)
		out.Set("cause", res.Cause)
	}
	_, err := fmt.Fprintln(w, string(value.EncodeIndent(out, "  ")))
	if err == nil && res.Status != engine.StatusSucceeded {
		return &exitError{code: 1}
	}
	return err
}

// mockHandler answers tasks from canned responses by state name.
type mockHandler struct {
	mu        sync.Mutex
	responses map[string][]*value.Object
	calls     map[string]int
}

func loadMocks(path string) (*mockHandler, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := value.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	root, _ := v.(*value.Object)
	tasksV, _ := root.Get("Tasks")
	tasks, ok := tasksV.(*value.Object)
	if !ok {
		return nil, fmt.Errorf("%s: want {\"Tasks\": {\"StateName\": [responses]}}", path)
	}
	m := &mockHandler{responses: map[string][]*value.Object{}, calls: map[string]int{}}
	for _, t := range tasks.Members() {
		list, ok := t.Value.([]any)
		if !ok || len(list) == 0 {
			return nil, fmt.Errorf("%s: Tasks.%s must be a non-empty array of responses", path, t.Key)
		}
		for i, r := range list {
			o, ok := r.(*value.Object)
			if !ok || (o.Has("Return") == o.Has("Throw")) {
				return nil, fmt.Errorf("%s: Tasks.%s[%d] must have exactly one of Return or Throw", path, t.Key, i)
			}
			m.responses[t.Key] = append(m.responses[t.Key], o)
		}
	}
	return m, nil
}

func (m *mockHandler) RunTask(_ context.Context, t engine.RunTask) (any, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	list := m.responses[t.StateName]
	if len(list) == 0 {
		return nil, &asl.Failure{Name: asl.ErrTaskFailed, Cause: fmt.Sprintf("no mock response for state %s", t.StateName)}
	}
	i := m.calls[t.StateName]
	m.calls[t.StateName]++
	if i >= len(list) {
		i = len(list) - 1
	}
	r := list[i]
	if v, ok := r.Get("Return"); ok {
		return v, nil
	}
	th, _ := r.Get("Throw")
	o, _ := th.(*value.Object)
	name, _ := o.Get("Error")
	cause, _ := o.Get("Cause")
	ns, _ := name.(string)
	cs, _ := cause.(string)
	return nil, &asl.Failure{Name: ns, Cause: cs}
}
