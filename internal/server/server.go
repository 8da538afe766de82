// Package server wires Baton together: it opens the store, starts the
// engine, registers every service's operations on the AWS protocol router
// and serves them on one port. Only cmd/baton and tests use it; it is the
// only package that imports the store drivers.
//
//	srv, err := server.New(server.Config{Addr: "127.0.0.1:4566", DB: ".baton/baton.db"})
//	if err := srv.Start(ctx); err != nil { ... }
//	defer srv.Stop(context.Background())
//	fmt.Println(srv.URL())
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/batonrun/baton/internal/awsapi"
	"github.com/batonrun/baton/internal/clock"
	"github.com/batonrun/baton/internal/engine"
	"github.com/batonrun/baton/internal/store"
	"github.com/batonrun/baton/internal/store/sqlite"
)

// Config configures a server. Field comments give the defaults.
type Config struct {
	// Addr is the address to listen on (default "127.0.0.1:4566"; ":0"
	// picks a free port).
	Addr string
	// DB is the SQLite database file (default ".baton/baton.db"; ":memory:"
	// keeps everything in memory).
	DB string
	// Region and Account make ARNs (defaults "us-east-1", "000000000000").
	Region  string
	Account string
	// Clock gives the time (default the system clock).
	Clock clock.Clock
	// Logger receives logs (default discards them).
	Logger *slog.Logger
	// Limits bounds executions; zero fields take AWS's limits.
	Limits engine.Limits
	// Synchronous is SQLite's synchronous setting (default "FULL").
	Synchronous string
}

// Server is a running Baton.
type Server struct {
	cfg Config
	log *slog.Logger
	mu  sync.Mutex
	st  store.Store
	db  *sqlite.Store // the same store as st, for the services' own store interfaces
	eng *engine.Engine
	svc *engine.Service
	// integrations dispatch Task states to the other services.
	integrations *engine.Integrations
	router       *awsapi.Router
	ln           net.Listener
	http         *http.Server
	serveWG      sync.WaitGroup
	started      bool
	stopped      bool

	// The services beside Step Functions, each wired in its own file
	// (queue.go, topic.go, events.go, schedule.go, function.go).
	queue    queueWiring
	topic    topicWiring
	events   eventsWiring
	schedule scheduleWiring
	function functionWiring
}

// New applies defaults and validates cfg; it does no I/O.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:4566"
	}
	if cfg.DB == "" {
		cfg.DB = ".baton/baton.db"
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Account == "" {
		cfg.Account = "000000000000"
	}
	if len(cfg.Account) != 12 || strings.Trim(cfg.Account, "0123456789") != "" {
		return nil, fmt.Errorf("server: account %q must be 12 digits", cfg.Account)
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Server{cfg: cfg, log: cfg.Logger.With("component", "server")}, nil
}

// Start opens the store, resumes executions, binds the port and serves in
// the background.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("server: already started")
	}
	s.started = true
	st, err := sqlite.Open(ctx, sqlite.Config{Path: s.cfg.DB, Synchronous: s.cfg.Synchronous})
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	s.st, s.db = st, st
	// Task states reach other services through the integrations; their
	// callers are added as those services start, before the engine does.
	s.integrations = &engine.Integrations{Callers: map[string]engine.Caller{}}
	eng, err := engine.New(engine.Config{Store: st, Clock: s.cfg.Clock, Logger: s.cfg.Logger, Limits: s.cfg.Limits, Dispatcher: s.integrations})
	if err != nil {
		st.Close()
		return err
	}
	svc, err := engine.NewService(engine.ServiceConfig{Engine: eng, Store: st, Region: s.cfg.Region, Account: s.cfg.Account, MaxPayloadBytes: s.cfg.Limits.MaxPayloadBytes})
	if err != nil {
		st.Close()
		return err
	}
	s.eng, s.svc = eng, svc
	s.integrations.Service = svc
	s.router = awsapi.NewRouter(awsapi.Config{Logger: s.cfg.Logger, Region: s.cfg.Region, Account: s.cfg.Account})
	registerStepFunctions(s.router, svc)
	// Each service starts after those it delivers to: topics send to
	// queues, rules and schedules to queues, topics and state machines.
	// Functions start last: queues, topics, rules and schedules reach them
	// through interfaces that the wiring resolves when they are called.
	for _, start := range []func(context.Context) error{s.startQueue, s.startTopic, s.startEvents, s.startSchedule, s.startFunction} {
		if err := start(ctx); err != nil {
			s.stopServices(context.WithoutCancel(ctx))
			st.Close()
			return err
		}
	}
	// The engine starts last: the executions it resumes dispatch their
	// tasks to the services at once.
	if err := eng.Start(ctx); err != nil {
		s.stopServices(context.WithoutCancel(ctx))
		st.Close()
		return fmt.Errorf("start engine: %w", err)
	}
	s.router.HandleHTTP("/health", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	}))
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		s.stopServices(context.WithoutCancel(ctx))
		_ = eng.Stop(ctx)
		st.Close()
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	s.http = &http.Server{Handler: s.router, ReadHeaderTimeout: 10 * time.Second}
	s.serveWG.Add(1)
	go func() {
		defer s.serveWG.Done()
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serve failed", "error", err)
		}
	}()
	s.log.Info("listening", "addr", ln.Addr().String())
	return nil
}

// URL returns the server's base URL, e.g. http://127.0.0.1:4566.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Stop stops accepting requests, lets requests in flight finish (until ctx
// ends), stops the engine and closes the store. Running executions stay in
// the store and resume at the next Start. Safe to call twice or before
// Start.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	if !s.started || s.stopped {
		s.stopped = true
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	s.mu.Unlock()
	var errs []error
	if s.http != nil {
		errs = append(errs, s.http.Shutdown(ctx))
		s.serveWG.Wait()
	}
	errs = append(errs, s.stopServices(ctx))
	errs = append(errs, s.eng.Stop(ctx))
	errs = append(errs, s.st.Close())
	return errors.Join(errs...)
}

// stopServices stops the services beside Step Functions in the reverse
// order of their start; each stop is safe when its start did not run.
func (s *Server) stopServices(ctx context.Context) error {
	return errors.Join(s.stopFunction(ctx), s.stopSchedule(ctx), s.stopEvents(ctx), s.stopTopic(ctx), s.stopQueue(ctx))
}

// operation adapts a typed service method to a JSON handler: it decodes the
// request into In, calls the method and maps an *engine.APIError to the
// protocol's error.
func operation[In any, Out any](fn func(context.Context, *In) (*Out, error)) awsapi.JSONHandler {
	return func(ctx context.Context, req *awsapi.Request, body []byte) (any, error) {
		in := new(In)
		if err := awsapi.Decode(body, in); err != nil {
			return nil, err
		}
		out, err := fn(ctx, in)
		if err != nil {
			var ae *engine.APIError
			if errors.As(err, &ae) {
				return nil, awsapi.NewError(ae.Code, "%s", ae.Message)
			}
			return nil, err
		}
		return out, nil
	}
}

// registerStepFunctions registers the Step Functions operations.
func registerStepFunctions(r *awsapi.Router, svc *engine.Service) {
	h := func(op string, handler awsapi.JSONHandler) { r.HandleJSON("AWSStepFunctions."+op, handler) }
	h("CreateStateMachine", operation(svc.CreateStateMachine))
	h("DescribeStateMachine", operation(svc.DescribeStateMachine))
	h("ListStateMachines", operation(svc.ListStateMachines))
	h("UpdateStateMachine", operation(svc.UpdateStateMachine))
	h("DeleteStateMachine", operation(svc.DeleteStateMachine))
	h("StartExecution", operation(svc.StartExecution))
	h("StartSyncExecution", operation(svc.StartSyncExecution))
	h("DescribeExecution", operation(svc.DescribeExecution))
	h("ListExecutions", operation(svc.ListExecutions))
	h("GetExecutionHistory", operation(svc.GetExecutionHistory))
	h("StopExecution", operation(svc.StopExecution))
	h("DescribeStateMachineForExecution", operation(svc.DescribeStateMachineForExecution))
	h("SendTaskSuccess", operation(svc.SendTaskSuccess))
	h("SendTaskFailure", operation(svc.SendTaskFailure))
	h("SendTaskHeartbeat", operation(svc.SendTaskHeartbeat))
	h("CreateActivity", operation(svc.CreateActivity))
	h("DescribeActivity", operation(svc.DescribeActivity))
	h("DeleteActivity", operation(svc.DeleteActivity))
	h("ListActivities", operation(svc.ListActivities))
	h("GetActivityTask", operation(svc.GetActivityTask))
	h("ValidateStateMachineDefinition", operation(svc.ValidateStateMachineDefinition))
	h("TagResource", operation(svc.TagResource))
	h("UntagResource", operation(svc.UntagResource))
	h("ListTagsForResource", operation(svc.ListTagsForResource))
	h("PublishStateMachineVersion", operation(svc.PublishStateMachineVersion))
	h("ListStateMachineVersions", operation(svc.ListStateMachineVersions))
	h("DeleteStateMachineVersion", operation(svc.DeleteStateMachineVersion))
	h("CreateStateMachineAlias", operation(svc.CreateStateMachineAlias))
	h("DescribeStateMachineAlias", operation(svc.DescribeStateMachineAlias))
	h("UpdateStateMachineAlias", operation(svc.UpdateStateMachineAlias))
	h("DeleteStateMachineAlias", operation(svc.DeleteStateMachineAlias))
	h("ListStateMachineAliases", operation(svc.ListStateMachineAliases))
	h("DescribeMapRun", operation(svc.DescribeMapRun))
	h("ListMapRuns", operation(svc.ListMapRuns))
	h("UpdateMapRun", operation(svc.UpdateMapRun))
	h("RedriveExecution", operation(svc.RedriveExecution))
	h("TestState", operation(svc.TestState))
}
