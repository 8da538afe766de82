package server

import "context"

// scheduleWiring holds what the server keeps of EventBridge Scheduler
// schedules (internal/schedule).
type scheduleWiring struct{}

// startSchedule starts EventBridge Scheduler and registers its operations on
// s.router.
func (s *Server) startSchedule(ctx context.Context) error { return nil }

// stopSchedule stops what startSchedule started; safe when it did not run.
func (s *Server) stopSchedule(ctx context.Context) error { return nil }
