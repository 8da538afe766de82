package awsapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"time"
)

// Config configures a Router.
type Config struct {
	// Logger receives one debug line per handler call and the internal failures. Default: discard.
	Logger *slog.Logger
	// Region is used when a request carries no SigV4 credential scope. Default "us-east-1".
	Region string
	// Account is every request's account id. Default "000000000000".
	Account string
	// MaxBodyBytes bounds a request body, before and after gzip decoding; a larger body gets
	// 413 RequestEntityTooLarge. Default 10 MiB.
	MaxBodyBytes int64
}

// Router dispatches AWS requests to registered operations. Register every operation before
// serving: registration is not safe for concurrent use, ServeHTTP is.
//
// A request goes to the first of:
//  1. a JSON operation, when it has an X-Amz-Target header (awsJson1_0, awsJson1_1);
//  2. a REST operation whose method and path pattern match (restJson1);
//  3. an HTTP handler whose prefix matches the path, the longest prefix first, "/" excepted;
//  4. an awsQuery operation, when it is a form-encoded POST or has an Action query parameter
//     (awsQuery requests arrive at any path: SQS clients post to queue URLs);
//  5. the HTTP handler registered for "/", if any;
//
// and otherwise gets UnknownOperationException.
type Router struct {
	cfg Config
	log *slog.Logger

	json        map[string]JSONHandler
	query       map[queryKey]QueryHandler
	queryByName map[string][]string // action → the versions that have it
	rest        []*route
	prefixes    []prefixHandler // longest prefix first
	root        http.Handler
}

// service describes how one AWS service speaks, where the protocol needs to know.
type service struct {
	// id qualifies the service's own codes in the error table.
	id string
	// jsonVersion is the awsJson version ("1.0", "1.1") of responses to requests whose
	// Content-Type is not an awsJson one.
	jsonVersion string
	// namespace is the Smithy namespace that JSON error bodies put before the service's own
	// codes in __type ("com.amazonaws.sqs#QueueDoesNotExist"); "" for a bare code.
	namespace string
	// queryCompatible services (SQS) send the awsQuery code in x-amzn-query-error.
	queryCompatible bool
	// xmlns is the awsQuery response namespace.
	xmlns string
}

type queryKey struct{ version, action string }

type prefixHandler struct {
	prefix string
	h      http.Handler
}

// NewRouter returns a Router with cfg's defaults applied.
func NewRouter(cfg Config) *Router {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Account == "" {
		cfg.Account = "000000000000"
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 10 << 20
	}
	return &Router{
		cfg:         cfg,
		log:         cfg.Logger.With("component", "awsapi"),
		json:        make(map[string]JSONHandler),
		query:       make(map[queryKey]QueryHandler),
		queryByName: make(map[string][]string),
	}
}

// HandleHTTP routes requests whose path is prefix or lies under it ("/console" takes "/console"
// and "/console/x", not "/consolex") to h, for what is not an AWS API: the web console, health
// checks. The prefix "/" is the last resort, consulted after the awsQuery check. It panics when
// prefix is already registered or does not start with "/".
func (r *Router) HandleHTTP(prefix string, h http.Handler) {
	if !strings.HasPrefix(prefix, "/") {
		panic(fmt.Sprintf("awsapi: HTTP prefix %q does not start with /", prefix))
	}
	if prefix != "/" {
		prefix = strings.TrimSuffix(prefix, "/")
	}
	if prefix == "/" {
		if r.root != nil {
			panic("awsapi: HTTP prefix / registered twice")
		}
		r.root = h
		return
	}
	for _, p := range r.prefixes {
		if p.prefix == prefix {
			panic(fmt.Sprintf("awsapi: HTTP prefix %q registered twice", prefix))
		}
	}
	r.prefixes = append(r.prefixes, prefixHandler{prefix: prefix, h: h})
	sort.SliceStable(r.prefixes, func(i, j int) bool { return len(r.prefixes[i].prefix) > len(r.prefixes[j].prefix) })
}

// ServeHTTP serves one request; see Router for the order in which it is matched.
func (r *Router) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	if target := hr.Header.Get("X-Amz-Target"); target != "" {
		r.serveJSON(w, hr, target)
		return
	}
	if rt, params, ok := r.matchREST(hr); ok {
		r.serveREST(w, hr, rt, params)
		return
	}
	for _, p := range r.prefixes {
		if hr.URL.Path == p.prefix || strings.HasPrefix(hr.URL.Path, p.prefix+"/") {
			p.h.ServeHTTP(w, hr)
			return
		}
	}
	if isQuery(hr) {
		r.serveQuery(w, hr)
		return
	}
	if r.root != nil {
		r.root.ServeHTTP(w, hr)
		return
	}
	req := r.newRequest(hr)
	start := time.Now()
	e := NewError("UnknownOperationException", "No operation matches %s %s.", hr.Method, hr.URL.Path)
	r.writeJSONError(w, req, jsonService(""), "application/x-amz-json-1.0", e)
	r.logCall(req, "unknown", start, e)
}

// isQuery reports whether hr is an awsQuery request.
func isQuery(hr *http.Request) bool {
	if hr.Method == http.MethodPost {
		mt, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
		if mt == "application/x-www-form-urlencoded" {
			return true
		}
	}
	return hr.URL.Query().Has("Action")
}

// newRequest makes the Request for hr, with a new request id; callers send the id with
// setRequestID.
func (r *Router) newRequest(hr *http.Request) *Request {
	req := &Request{
		ID:          newRequestID(),
		Region:      r.cfg.Region,
		Account:     r.cfg.Account,
		Host:        hr.Host,
		Scheme:      "http",
		Path:        hr.URL.Path,
		Header:      hr.Header,
		TraceHeader: hr.Header.Get("X-Amzn-Trace-Id"),
	}
	if hr.TLS != nil || strings.EqualFold(hr.Header.Get("X-Forwarded-Proto"), "https") {
		req.Scheme = "https"
	}
	if c, ok := ParseCredential(hr); ok {
		req.AccessKey = c.AccessKey
		if c.Region != "" {
			req.Region = c.Region
		}
	}
	return req
}

// setRequestID sends the request id headers.
func setRequestID(w http.ResponseWriter, req *Request) {
	w.Header().Set("X-Amzn-Requestid", req.ID)
	w.Header().Set("X-Amz-Request-Id", req.ID)
}

// readBody reads hr's body, decoding Content-Encoding gzip, bounded by MaxBodyBytes. Its errors
// are *Error.
func (r *Router) readBody(hr *http.Request) ([]byte, error) {
	max := r.cfg.MaxBodyBytes
	tooLarge := func() error {
		return NewError("RequestEntityTooLarge", "Request body is larger than %d bytes.", max)
	}
	if hr.Body == nil || hr.Body == http.NoBody {
		return nil, nil
	}
	if hr.ContentLength > max {
		return nil, tooLarge()
	}
	var body io.Reader = io.LimitReader(hr.Body, max+1)
	var encodings []string
	for _, enc := range strings.Split(hr.Header.Get("Content-Encoding"), ",") {
		enc = strings.ToLower(strings.TrimSpace(enc))
		switch enc {
		case "", "identity":
		case "gzip", "x-gzip":
			encodings = append(encodings, enc)
		default:
			return nil, NewError("UnsupportedMediaTypeException", "Content-Encoding %q is not supported; use gzip.", enc)
		}
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, NewError("SerializationException", "Could not read the request body: %v.", err)
	}
	if int64(len(raw)) > max {
		return nil, tooLarge()
	}
	for range encodings {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, NewError("SerializationException", "The request body is not valid gzip: %v.", err)
		}
		raw, err = io.ReadAll(io.LimitReader(zr, max+1))
		if err != nil {
			return nil, NewError("SerializationException", "The request body is not valid gzip: %v.", err)
		}
		if int64(len(raw)) > max {
			return nil, tooLarge()
		}
	}
	return raw, nil
}

// call runs a handler, turning a panic into InternalFailure. It returns the *Error to send, or nil.
func (r *Router) call(req *Request, fn func() error) (e *Error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler {
			panic(p)
		}
		r.log.Error("handler panic", "request_id", req.ID, "service", req.Service,
			"operation", req.Operation, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		e = internalFailure()
	}()
	return r.awsError(req, fn())
}

// awsError converts a handler's error into the *Error to send, logging the ones that are not AWS
// errors.
func (r *Router) awsError(req *Request, err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) && e != nil {
		return e
	}
	r.log.Error("internal failure", "request_id", req.ID, "service", req.Service,
		"operation", req.Operation, "error", err)
	return internalFailure()
}

func internalFailure() *Error {
	return NewError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.")
}

// errorInfo looks up e's code, warning about codes the table lacks.
func (r *Router) errorInfo(req *Request, e *Error) ErrorInfo {
	info, ok := lookupOrDefault(req.Service, e.Code)
	if !ok {
		r.log.Warn("unknown AWS error code", "code", e.Code, "service", req.Service, "operation", req.Operation)
	}
	return info
}

// logCall writes the debug line for one call.
func (r *Router) logCall(req *Request, protocol string, start time.Time, e *Error) {
	if !r.log.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	code := ""
	if e != nil {
		code = e.Code
	}
	r.log.Debug("aws call", "protocol", protocol, "service", req.Service, "operation", req.Operation,
		"request_id", req.ID, "duration", time.Since(start), "error_code", code)
}

// handlerContext returns the context handlers get: hr's, carrying req.
func handlerContext(hr *http.Request, req *Request) context.Context {
	return context.WithValue(hr.Context(), requestKey{}, req)
}
