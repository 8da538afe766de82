package awsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RESTHandler serves one restJson1 operation.
type RESTHandler func(ctx context.Context, req *Request, in *RESTRequest) (*RESTResponse, error)

// RESTRequest is what a restJson1 operation receives.
type RESTRequest struct {
	// Params holds the path labels, unescaped: for the pattern
	// "/2015-03-31/functions/{FunctionName}/invocations" and the path
	// "/2015-03-31/functions/arn%3Aaws%3Alambda%3A…/invocations", Params["FunctionName"] is the ARN.
	Params map[string]string
	// Query is the URL's query parameters.
	Query url.Values
	// Header is the request's header (the same as Request.Header).
	Header http.Header
	// Body is the request body, gzip already decoded.
	Body []byte
}

// RESTResponse is what a restJson1 operation returns. A nil *RESTResponse is 200 with no body.
type RESTResponse struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Header holds response headers (Content-Type among them).
	Header http.Header
	// Body is written as it is.
	Body []byte
}

// JSONResponse returns a RESTResponse whose body is v encoded as JSON, with Content-Type
// application/json. nil encodes as {}.
func JSONResponse(status int, v any) (*RESTResponse, error) {
	body, err := encodeJSON(v)
	if err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	return &RESTResponse{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}, nil
}

// HandleREST registers h for method and a path pattern such as
// "/2015-03-31/functions/{FunctionName}/invocations". A {Label} matches one non-empty path
// segment (escaped slashes, %2F, stay inside it); a {Label+} as the last segment matches the
// rest of the path. A trailing slash is optional on both the pattern and the request. Where
// several patterns match, the one with a literal segment earliest wins over a label, and a label
// over a greedy label. It panics on a malformed pattern or a method and pattern already registered.
func (r *Router) HandleREST(method, pattern string, h RESTHandler) {
	segs, err := parsePattern(pattern)
	if err != nil {
		panic("awsapi: " + err.Error())
	}
	rt := &route{method: method, pattern: pattern, segs: segs, h: h}
	for _, o := range r.rest {
		if o.method == method && sameShape(o.segs, segs) {
			panic(fmt.Sprintf("awsapi: REST route %s %s conflicts with %s %s", method, pattern, o.method, o.pattern))
		}
	}
	r.rest = append(r.rest, rt)
	slices.SortStableFunc(r.rest, func(a, b *route) int { return compareSpecificity(a.segs, b.segs) })
}

type route struct {
	method  string
	pattern string
	segs    []segment
	h       RESTHandler
}

// segment is one path segment of a pattern: a literal (unescaped), or a label.
type segment struct {
	literal string
	label   string
	greedy  bool
}

func (s segment) rank() int {
	switch {
	case s.label == "":
		return 0
	case !s.greedy:
		return 1
	}
	return 2
}

// parsePattern splits a REST path pattern into segments.
func parsePattern(p string) ([]segment, error) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "?#") {
		return nil, fmt.Errorf("REST pattern %q must be a path starting with /", p)
	}
	p = strings.TrimSuffix(p[1:], "/")
	if p == "" {
		return nil, nil
	}
	parts := strings.Split(p, "/")
	segs := make([]segment, 0, len(parts))
	labels := make(map[string]bool)
	for i, part := range parts {
		if part == "" {
			return nil, fmt.Errorf("REST pattern %q has an empty segment", p)
		}
		if !strings.HasPrefix(part, "{") {
			if strings.ContainsAny(part, "{}") {
				return nil, fmt.Errorf("REST pattern %q: a label must be a whole segment", p)
			}
			segs = append(segs, segment{literal: part})
			continue
		}
		name, ok := strings.CutSuffix(part[1:], "}")
		greedy := false
		if ok {
			name, greedy = strings.CutSuffix(name, "+")
		}
		if !ok || !validLabel(name) {
			return nil, fmt.Errorf("REST pattern %q: bad label %q", p, part)
		}
		if greedy && i != len(parts)-1 {
			return nil, fmt.Errorf("REST pattern %q: greedy label %q must be the last segment", p, part)
		}
		if labels[name] {
			return nil, fmt.Errorf("REST pattern %q: label %q repeated", p, name)
		}
		labels[name] = true
		segs = append(segs, segment{label: name, greedy: greedy})
	}
	return segs, nil
}

func validLabel(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// compareSpecificity orders patterns so that the first to match is the most specific.
func compareSpecificity(a, b []segment) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if d := a[i].rank() - b[i].rank(); d != 0 {
			return d
		}
	}
	return len(b) - len(a)
}

// sameShape reports whether two patterns match the same paths.
func sameShape(a, b []segment) bool {
	return slices.EqualFunc(a, b, func(x, y segment) bool {
		return x.rank() == y.rank() && x.literal == y.literal
	})
}

// match matches an escaped request path against the pattern.
func (rt *route) match(escapedPath string) (map[string]string, bool) {
	p := strings.TrimPrefix(escapedPath, "/")
	p = strings.TrimSuffix(p, "/")
	var parts []string
	if p != "" {
		parts = strings.Split(p, "/")
	}
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = make(map[string]string)
		}
		params[k] = v
	}
	for i, s := range rt.segs {
		if i >= len(parts) {
			return nil, false
		}
		if s.greedy {
			rest := make([]string, 0, len(parts)-i)
			for _, part := range parts[i:] {
				v, err := url.PathUnescape(part)
				if err != nil {
					return nil, false
				}
				rest = append(rest, v)
			}
			v := strings.Join(rest, "/")
			if v == "" {
				return nil, false
			}
			set(s.label, v)
			return params, true
		}
		v, err := url.PathUnescape(parts[i])
		if err != nil {
			return nil, false
		}
		if s.label == "" {
			if v != s.literal {
				return nil, false
			}
			continue
		}
		if v == "" {
			return nil, false
		}
		set(s.label, v)
	}
	if len(parts) != len(rt.segs) {
		return nil, false
	}
	return params, true
}

// matchREST finds the route for hr. ok is also true, with a nil route, when a pattern matches the
// path but not the method: the Router then answers UnknownOperationException itself.
func (r *Router) matchREST(hr *http.Request) (rt *route, params map[string]string, ok bool) {
	if len(r.rest) == 0 {
		return nil, nil, false
	}
	path := hr.URL.EscapedPath()
	pathMatched := false
	for _, c := range r.rest {
		ps, m := c.match(path)
		if !m {
			continue
		}
		if c.method == hr.Method {
			return c, ps, true
		}
		pathMatched = true
	}
	return nil, nil, pathMatched
}

func (r *Router) serveREST(w http.ResponseWriter, hr *http.Request, rt *route, params map[string]string) {
	start := time.Now()
	req := r.newRequest(hr)
	var resp *RESTResponse
	e := func() *Error {
		if rt == nil {
			return NewError("UnknownOperationException", "No operation for %s %s.", hr.Method, hr.URL.Path)
		}
		req.Operation = rt.method + " " + rt.pattern
		body, err := r.readBody(hr)
		if err != nil {
			return r.awsError(req, err)
		}
		in := &RESTRequest{Params: params, Query: hr.URL.Query(), Header: hr.Header, Body: body}
		if in.Params == nil {
			in.Params = map[string]string{}
		}
		ctx := handlerContext(hr, req)
		return r.call(req, func() error {
			var err error
			resp, err = rt.h(ctx, req, in)
			return err
		})
	}()
	setRequestID(w, req)
	if e != nil {
		r.writeRESTError(w, req, e)
	} else {
		if resp == nil {
			resp = &RESTResponse{}
		}
		for k, v := range resp.Header {
			w.Header()[http.CanonicalHeaderKey(k)] = v
		}
		status := resp.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(resp.Body)))
		w.WriteHeader(status)
		_, _ = w.Write(resp.Body)
	}
	r.logCall(req, "rest", start, e)
}

// writeRESTError writes e as restJson1 services such as Lambda do: the table's status,
// X-Amzn-ErrorType, and a body {"Type": "User" or "Service", "Message": text}.
func (r *Router) writeRESTError(w http.ResponseWriter, req *Request, e *Error) {
	info := r.errorInfo(req, e)
	typ := "User"
	if info.Fault == Receiver {
		typ = "Service"
	}
	body, _ := json.Marshal(struct {
		Type    string `json:"Type"`
		Message string `json:"Message"`
	}{typ, e.Message})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", e.Code)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(info.Status)
	_, _ = w.Write(body)
}
