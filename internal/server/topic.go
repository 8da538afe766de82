package server

import "context"

// topicWiring holds what the server keeps of SNS topics (internal/topic).
type topicWiring struct{}

// startTopic starts SNS topics and registers their operations on s.router.
func (s *Server) startTopic(ctx context.Context) error { return nil }

// stopTopic stops what startTopic started; safe when it did not run.
func (s *Server) stopTopic(ctx context.Context) error { return nil }
