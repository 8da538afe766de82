package server

import "context"

// queueWiring holds what the server keeps of SQS queues (internal/queue).
type queueWiring struct{}

// startQueue starts SQS queues and registers their operations on s.router.
func (s *Server) startQueue(ctx context.Context) error { return nil }

// stopQueue stops what startQueue started; safe when it did not run.
func (s *Server) stopQueue(ctx context.Context) error { return nil }
