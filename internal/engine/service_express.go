package engine

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/batonrun/baton/internal/asl"
	"github.com/batonrun/baton/internal/store"
	"github.com/batonrun/baton/internal/value"
)

// StartSyncExecutionOutput is the StartSyncExecution response.
type StartSyncExecutionOutput struct {
	ExecutionArn    string          `json:"executionArn"`
	StateMachineArn string          `json:"stateMachineArn"`
	Name            string          `json:"name"`
	StartDate       Epoch           `json:"startDate"`
	StopDate        Epoch           `json:"stopDate"`
	Status          string          `json:"status"`
	Input           string          `json:"input"`
	InputDetails    PayloadDetails  `json:"inputDetails"`
	Output          *string         `json:"output,omitempty"`
	OutputDetails   *PayloadDetails `json:"outputDetails,omitempty"`
	Error           string          `json:"error,omitempty"`
	Cause           string          `json:"cause,omitempty"`
	TraceHeader     string          `json:"traceHeader,omitempty"`
	BillingDetails  struct {
		BilledMemoryUsedInMB int64 `json:"billedMemoryUsedInMB"`
		BilledDurationInMs   int64 `json:"billedDurationInMilliseconds"`
	} `json:"billingDetails"`
}

// expressHandler runs an Express execution's tasks through the engine's
// dispatcher, waiting for each outcome. Express workflows support neither
// activities nor callbacks, as on AWS.
type expressHandler struct {
	eng *Engine
	arn string
}

func (h expressHandler) RunTask(ctx context.Context, t RunTask) (any, error) {
	if isActivity(t.Resource) || isCallback(t.Resource) {
		return nil, fmt.Errorf("%w: Express workflows support neither activities nor .waitForTaskToken (%s)", ErrUnsupportedResource, t.Resource)
	}
	if h.eng.cfg.Dispatcher == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnsupportedResource, t.Resource)
	}
	done := make(chan Signal, 1)
	h.eng.cfg.Dispatcher.Dispatch(ctx, h.arn, t, func(s Signal) { done <- s })
	select {
	case s := <-done:
		switch s := s.(type) {
		case TaskSucceeded:
			return s.Output, nil
		case TaskFailed:
			return nil, &asl.Failure{Name: s.Error, Cause: s.Cause}
		}
		return nil, fmt.Errorf("unexpected outcome %T", s)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// runExpress runs an Express execution in memory to its end. Express
// executions keep no history, as on AWS (which sends it to CloudWatch Logs).
func (s *Service) runExpress(ctx context.Context, sm *store.StateMachine, name, input, trace string) (*StartSyncExecutionOutput, error) {
	def, err := s.eng.definition(sm.Definition)
	if err != nil {
		return nil, err
	}
	in, err := value.DecodeString(input)
	if err != nil {
		return nil, apiErr("InvalidExecutionInput", "Invalid State Machine Execution Input: '%v'", err)
	}
	arn := fmt.Sprintf("arn:%s:states:%s:%s:express:%s:%s:%s", s.cfg.Partition, s.cfg.Region, s.cfg.Account, sm.Name, name, newExecutionName())
	start := s.eng.clk.Now()
	res, err := Run(ctx, def, in, RunOptions{
		Info:    Info{ExecutionARN: arn, Name: name, StateMachineARN: sm.ARN, StateMachineName: sm.Name, RoleARN: sm.RoleARN, StartTime: start},
		Handler: expressHandler{eng: s.eng, arn: arn},
		Limits:  s.eng.cfg.Limits,
		Rand:    rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
	})
	if err != nil {
		return nil, err
	}
	out := &StartSyncExecutionOutput{ExecutionArn: arn, StateMachineArn: sm.ARN, Name: name, StartDate: Epoch(start),
		StopDate: Epoch(s.eng.clk.Now()), Status: res.Status, Input: input, InputDetails: PayloadDetails{Included: true},
		Error: res.Error, Cause: res.Cause, TraceHeader: trace}
	if res.Status == StatusSucceeded {
		o := value.EncodeString(res.Output)
		out.Output, out.OutputDetails = &o, &PayloadDetails{Included: true}
	}
	out.BillingDetails.BilledDurationInMs = max(100, s.eng.clk.Now().Sub(start).Milliseconds())
	out.BillingDetails.BilledMemoryUsedInMB = 64
	return out, nil
}

// StartSyncExecution runs an Express state machine and returns its result.
func (s *Service) StartSyncExecution(ctx context.Context, in *StartExecutionInput) (*StartSyncExecutionOutput, error) {
	sm, _, _, err := s.resolveStateMachine(ctx, "stateMachineArn", in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	if sm.Type != "EXPRESS" {
		return nil, apiErr("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine; StartSyncExecution runs EXPRESS state machines")
	}
	input, err := s.checkInput(in.Input)
	if err != nil {
		return nil, err
	}
	name := in.Name
	if name == "" {
		name = newExecutionName()
	} else if err := checkName("name", name); err != nil {
		return nil, err
	}
	return s.runExpress(ctx, sm, name, input, in.TraceHeader)
}

// startExpress starts an Express execution in the background: at-least-once
// and in memory, with no history to describe, as on AWS.
func (s *Service) startExpress(sm *store.StateMachine, name, input, trace string) (*StartExecutionOutput, error) {
	if name == "" {
		name = newExecutionName()
	} else if err := checkName("name", name); err != nil {
		return nil, err
	}
	start := s.eng.clk.Now()
	arn := fmt.Sprintf("arn:%s:states:%s:%s:express:%s:%s:%s", s.cfg.Partition, s.cfg.Region, s.cfg.Account, sm.Name, name, newExecutionName())
	s.eng.wg.Add(1)
	go func() {
		defer s.eng.wg.Done()
		if _, err := s.runExpress(s.eng.runCtx, sm, name, input, trace); err != nil {
			s.eng.log.Error("express execution failed to run", "execution", arn, "error", err)
		}
	}()
	return &StartExecutionOutput{ExecutionArn: arn, StartDate: Epoch(start)}, nil
}
