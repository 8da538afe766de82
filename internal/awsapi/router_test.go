package awsapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// echoRouter has a JSON operation, a query action and a REST route that echo their input.
func echoRouter(t *testing.T, maxBody int64) *Router {
	t.Helper()
	r := NewRouter(Config{Logger: testLogger(t), MaxBodyBytes: maxBody})
	r.HandleJSON("AWSStepFunctions.StartExecution", func(ctx context.Context, req *Request, body []byte) (any, error) {
		return json.RawMessage(body), nil
	})
	r.HandleQuery("2012-11-05", "SendMessage", func(ctx context.Context, req *Request, form url.Values) (QueryResponse, error) {
		return QueryResponse{Result: struct{ MessageBody string }{form.Get("MessageBody")}}, nil
	})
	r.HandleREST("POST", "/echo", func(ctx context.Context, req *Request, in *RESTRequest) (*RESTResponse, error) {
		return &RESTResponse{Body: in.Body}, nil
	})
	return r
}

func TestBodies(t *testing.T) {
	t.Parallel()
	r := echoRouter(t, 100)
	big := `{"input":"` + strings.Repeat("x", 100) + `"}`
	tests := []struct {
		name     string
		req      func() *http.Request
		status   int
		bodyHas  string
		errorTyp string
	}{
		{
			name: "gzip JSON",
			req: func() *http.Request {
				req := httptest.NewRequest("POST", "/", bytes.NewReader(gzipped(t, `{"name":"zipped"}`)))
				req.Header.Set("X-Amz-Target", "AWSStepFunctions.StartExecution")
				req.Header.Set("Content-Encoding", "gzip")
				return req
			},
			status: 200, bodyHas: `{"name":"zipped"}`,
		},
		{
			name: "gzip query form",
			req: func() *http.Request {
				req := formRequest("/", "")
				req.Body = io.NopCloser(bytes.NewReader(gzipped(t, "Action=SendMessage&Version=2012-11-05&MessageBody=zipped")))
				req.ContentLength = -1
				req.Header.Set("Content-Encoding", "GZIP")
				return req
			},
			status: 200, bodyHas: "<MessageBody>zipped</MessageBody>",
		},
		{
			name: "gzip REST",
			req: func() *http.Request {
				req := httptest.NewRequest("POST", "/echo", bytes.NewReader(gzipped(t, "raw")))
				req.Header.Set("Content-Encoding", "gzip")
				return req
			},
			status: 200, bodyHas: "raw",
		},
		{
			name: "identity encoding",
			req: func() *http.Request {
				req := jsonRequest("AWSStepFunctions.StartExecution", "", `{"a":1}`)
				req.Header.Set("Content-Encoding", "identity")
				return req
			},
			status: 200, bodyHas: `{"a":1}`,
		},
		{
			name: "corrupt gzip",
			req: func() *http.Request {
				req := jsonRequest("AWSStepFunctions.StartExecution", "", "not gzip at all")
				req.Header.Set("Content-Encoding", "gzip")
				return req
			},
			status: 400, errorTyp: "SerializationException",
		},
		{
			name: "unsupported encoding",
			req: func() *http.Request {
				req := jsonRequest("AWSStepFunctions.StartExecution", "", "{}")
				req.Header.Set("Content-Encoding", "br")
				return req
			},
			status: 415, errorTyp: "UnsupportedMediaTypeException",
		},
		{
			name:   "too large by Content-Length",
			req:    func() *http.Request { return jsonRequest("AWSStepFunctions.StartExecution", "", big) },
			status: 413, errorTyp: "RequestEntityTooLarge",
		},
		{
			name: "too large, length unknown",
			req: func() *http.Request {
				req := jsonRequest("AWSStepFunctions.StartExecution", "", "")
				req.Body = io.NopCloser(strings.NewReader(big))
				req.ContentLength = -1
				return req
			},
			status: 413, errorTyp: "RequestEntityTooLarge",
		},
		{
			name: "too large once unzipped",
			req: func() *http.Request {
				req := jsonRequest("AWSStepFunctions.StartExecution", "", "")
				z := gzipped(t, big)
				req.Body = io.NopCloser(bytes.NewReader(z))
				req.ContentLength = int64(len(z))
				req.Header.Set("Content-Encoding", "gzip")
				return req
			},
			status: 413, errorTyp: "RequestEntityTooLarge",
		},
		{
			name: "too large, query",
			req: func() *http.Request {
				return formRequest("/", "Action=SendMessage&Version=2012-11-05&MessageBody="+strings.Repeat("x", 100))
			},
			status: 413, bodyHas: "<Code>RequestEntityTooLarge</Code>",
		},
		{
			name:   "too large, REST",
			req:    func() *http.Request { return httptest.NewRequest("POST", "/echo", strings.NewReader(big)) },
			status: 413, errorTyp: "RequestEntityTooLarge",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, r, tt.req())
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if !strings.Contains(body, tt.bodyHas) {
				t.Errorf("body %s lacks %s", body, tt.bodyHas)
			}
			if got := resp.Header.Get("X-Amzn-ErrorType"); got != tt.errorTyp {
				t.Errorf("X-Amzn-ErrorType %q, want %q", got, tt.errorTyp)
			}
		})
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	r := echoRouter(t, 0)
	text := func(s string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, s) })
	}
	r.HandleHTTP("/console", text("console"))
	r.HandleHTTP("/console/api/", text("console api"))
	r.HandleHTTP("/health", text("ok"))
	r.HandleHTTP("/", text("root"))

	tests := []struct {
		name string
		req  *http.Request
		want string // body prefix
	}{
		{"JSON wins over any path", func() *http.Request {
			req := jsonRequest("AWSStepFunctions.StartExecution", "", `{"x":1}`)
			req.URL.Path = "/console"
			return req
		}(), `{"x":1}`},
		{"REST route", httptest.NewRequest("POST", "/echo", strings.NewReader("e")), "e"},
		{"prefix exact", httptest.NewRequest("GET", "/console", nil), "console"},
		{"prefix subtree", httptest.NewRequest("GET", "/console/executions", nil), "console"},
		{"longest prefix", httptest.NewRequest("GET", "/console/api/x", nil), "console api"},
		{"prefix is a whole segment", httptest.NewRequest("GET", "/consolex", nil), "root"},
		{"console form post is not awsQuery", formRequest("/console/login", "user=a"), "console"},
		{"awsQuery at a queue URL", formRequest("/000000000000/q", "Action=SendMessage&Version=2012-11-05&MessageBody=m"), "<?xml"},
		{"awsQuery GET", httptest.NewRequest("GET", "/?Action=SendMessage&Version=2012-11-05&MessageBody=m", nil), "<?xml"},
		{"root is the last resort", httptest.NewRequest("GET", "/anything", nil), "root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := do(t, r, tt.req)
			if !strings.HasPrefix(body, tt.want) {
				t.Errorf("body %q, want prefix %q", body, tt.want)
			}
		})
	}

	// Without a root handler, an unroutable request is UnknownOperationException.
	bare := echoRouter(t, 0)
	resp, body := do(t, bare, httptest.NewRequest("GET", "/nothing", nil))
	if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "UnknownOperationException" {
		t.Errorf("unroutable: %d %s", resp.StatusCode, body)
	}
}

func TestRequestFields(t *testing.T) {
	t.Parallel()
	r := NewRouter(Config{Logger: testLogger(t), Region: "eu-west-1", Account: "123456789012"})
	var got *Request
	var fromCtx bool
	r.HandleJSON("AWSStepFunctions.StartSyncExecution", func(ctx context.Context, req *Request, body []byte) (any, error) {
		got = req
		c, ok := FromContext(ctx)
		fromCtx = ok && c == req
		return nil, nil
	})

	tests := []struct {
		name   string
		setup  func(*http.Request)
		region string
		key    string
		scheme string
	}{
		{"unsigned takes the config", func(*http.Request) {}, "eu-west-1", "", "http"},
		{"signed", func(req *http.Request) {
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDX/20260101/ap-northeast-1/states/aws4_request, SignedHeaders=host, Signature=00")
		}, "ap-northeast-1", "AKIDX", "http"},
		{"malformed signature is unsigned", func(req *http.Request) {
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 garbage")
		}, "eu-west-1", "", "http"},
		{"presigned", func(req *http.Request) {
			req.URL.RawQuery = "X-Amz-Credential=" + url.QueryEscape("K2/20260101/sa-east-1/states/aws4_request")
		}, "sa-east-1", "K2", "http"},
		{"tls", func(req *http.Request) { req.TLS = &tls.ConnectionState{} }, "eu-west-1", "", "https"},
		{"forwarded https", func(req *http.Request) { req.Header.Set("X-Forwarded-Proto", "https") }, "eu-west-1", "", "https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := jsonRequest("AWSStepFunctions.StartSyncExecution", "application/x-amz-json-1.0", "{}")
			req.Host = "sync-localhost:4566"
			req.Header.Set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")
			tt.setup(req)
			resp, _ := do(t, r, req)
			if got == nil {
				t.Fatal("handler not called")
			}
			want := Request{
				ID: resp.Header.Get("X-Amzn-RequestId"), Region: tt.region, Account: "123456789012", AccessKey: tt.key,
				Host: "sync-localhost:4566", Scheme: tt.scheme, Path: "/", Header: req.Header,
				TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793", Service: "sfn", Operation: "StartSyncExecution",
			}
			if fmt.Sprint(*got) != fmt.Sprint(want) {
				t.Errorf("Request\n%+v\nwant\n%+v", *got, want)
			}
			if !fromCtx {
				t.Error("FromContext did not return the Request")
			}
		})
	}
	if _, ok := FromContext(context.Background()); ok {
		t.Error("FromContext of a bare context")
	}
}

func TestNewRouterDefaults(t *testing.T) {
	t.Parallel()
	r := NewRouter(Config{})
	if r.cfg.Region != "us-east-1" || r.cfg.Account != "000000000000" || r.cfg.MaxBodyBytes != 10<<20 || r.cfg.Logger == nil {
		t.Errorf("defaults: %+v", r.cfg)
	}
}

func TestHandleHTTPPanics(t *testing.T) {
	t.Parallel()
	for _, prefixes := range [][]string{{"nope"}, {"/a", "/a/"}, {"/", "/"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("HandleHTTP%q did not panic", prefixes)
				}
			}()
			r := NewRouter(Config{})
			for _, p := range prefixes {
				r.HandleHTTP(p, http.NotFoundHandler())
			}
		}()
	}
}

// TestConcurrent serves requests of every protocol at once; run with -race.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	r := echoRouter(t, 0)
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			var req *http.Request
			switch i % 3 {
			case 0:
				req = jsonRequest("AWSStepFunctions.StartExecution", "", fmt.Sprintf(`{"i":%d}`, i))
			case 1:
				req = formRequest("/", fmt.Sprintf("Action=SendMessage&Version=2012-11-05&MessageBody=%d", i))
			default:
				req = httptest.NewRequest("POST", "/echo", strings.NewReader(fmt.Sprint(i)))
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != 200 || !strings.Contains(w.Body.String(), fmt.Sprint(i)) {
				t.Errorf("request %d: %d %s", i, w.Code, w.Body)
			}
		})
	}
	wg.Wait()
}
