package awsapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// Request carries per-request data to handlers. The Router makes one per request; handlers must
// not keep it after they return.
type Request struct {
	// ID is the request id, a random UUID, also sent as x-amzn-RequestId and x-amz-request-id
	// (and as <RequestId> in awsQuery responses).
	ID string
	// Region is the SigV4 credential scope's region, else Config.Region.
	Region string
	// Account is Config.Account: access keys are not mapped to accounts.
	Account string
	// AccessKey is the SigV4 access key id, "" when the request is unsigned.
	AccessKey string
	// Host is the Host header. StartSyncExecution clients send a "sync-" host prefix.
	Host string
	// Scheme is "https" when the request came over TLS or says so in X-Forwarded-Proto, else
	// "http". With Host it makes the URLs a service hands out (SQS queue URLs).
	Scheme string
	// Path is the request's URL path, unescaped. awsQuery SQS clients may address a queue by
	// posting to its URL path instead of sending QueueUrl.
	Path string
	// Header is the request's header. Handlers must not modify it.
	Header http.Header
	// TraceHeader is the X-Amzn-Trace-Id header, if any.
	TraceHeader string
	// Service is the service id the request was routed to ("sfn", "sqs", "sns", "events", or
	// the lower-cased X-Amz-Target prefix of another JSON service); "" for REST requests.
	Service string
	// Operation is the operation's name: the X-Amz-Target operation, the awsQuery Action, or
	// "METHOD pattern" for REST.
	Operation string
}

type requestKey struct{}

// FromContext returns the Request the context was made for, when it is a handler's context.
func FromContext(ctx context.Context) (*Request, bool) {
	r, ok := ctx.Value(requestKey{}).(*Request)
	return r, ok
}

// newRequestID returns a random (version 4) UUID.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}
