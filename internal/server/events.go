package server

import "context"

// eventsWiring holds what the server keeps of EventBridge buses, rules and EventBridge Scheduler schedules (internal/events).
type eventsWiring struct{}

// startEvents starts EventBridge buses, rules and EventBridge Scheduler schedules and registers their operations on s.router.
func (s *Server) startEvents(ctx context.Context) error { return nil }

// stopEvents stops what startEvents started; safe when it did not run.
func (s *Server) stopEvents(ctx context.Context) error { return nil }
