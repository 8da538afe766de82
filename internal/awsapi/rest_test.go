package awsapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestRESTMatch(t *testing.T) {
	t.Parallel()
	r := NewRouter(Config{Logger: testLogger(t)})
	register := func(method, pattern string) {
		r.HandleREST(method, pattern, func(ctx context.Context, req *Request, in *RESTRequest) (*RESTResponse, error) {
			return JSONResponse(200, map[string]any{"route": method + " " + pattern, "params": in.Params, "operation": req.Operation})
		})
	}
	register("GET", "/2015-03-31/functions/")
	register("POST", "/2015-03-31/functions")
	register("GET", "/2015-03-31/functions/{FunctionName}")
	register("POST", "/2015-03-31/functions/{FunctionName}/invocations")
	register("GET", "/2015-03-31/functions/{FunctionName}/aliases/{Name}")
	register("GET", "/2015-03-31/functions/{FunctionName}/aliases/latest")
	register("GET", "/files/{Key+}")
	register("GET", "/files/{Bucket}/meta")
	register("GET", "/")

	tests := []struct {
		method, path string
		route        string // "" for no match
		params       map[string]string
	}{
		{"GET", "/2015-03-31/functions/", "GET /2015-03-31/functions/", map[string]string{}},
		{"GET", "/2015-03-31/functions", "GET /2015-03-31/functions/", map[string]string{}},
		{"POST", "/2015-03-31/functions/", "POST /2015-03-31/functions", map[string]string{}},
		{"GET", "/2015-03-31/functions/my-fn", "GET /2015-03-31/functions/{FunctionName}", map[string]string{"FunctionName": "my-fn"}},
		{
			"POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations",
			"POST /2015-03-31/functions/{FunctionName}/invocations",
			map[string]string{"FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:f"},
		},
		{
			"GET", "/2015-03-31/functions/a%2Fb/aliases/x%20y", "GET /2015-03-31/functions/{FunctionName}/aliases/{Name}",
			map[string]string{"FunctionName": "a/b", "Name": "x y"},
		},
		{
			"GET", "/2015-03-31/functions/f/aliases/latest", "GET /2015-03-31/functions/{FunctionName}/aliases/latest",
			map[string]string{"FunctionName": "f"},
		},
		{"GET", "/files/a/b/c%2Fd", "GET /files/{Key+}", map[string]string{"Key": "a/b/c/d"}},
		{"GET", "/files/b/meta", "GET /files/{Bucket}/meta", map[string]string{"Bucket": "b"}},
		{"GET", "/files/only", "GET /files/{Key+}", map[string]string{"Key": "only"}},
		{"GET", "/", "GET /", map[string]string{}},
		{"GET", "/files/", "", nil},
		{"GET", "/2015-03-31/functions//aliases/x", "", nil},
		{"GET", "/2015-03-31/functions/f/extra/segments", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "http://localhost:4566"+tt.path, nil)
			rt, params, ok := r.matchREST(req)
			if tt.route == "" {
				if ok && rt != nil {
					t.Errorf("matched %s %s", rt.method, rt.pattern)
				}
				return
			}
			if !ok || rt == nil {
				t.Fatalf("no match, want %s", tt.route)
			}
			resp, body := do(t, r, req)
			var got struct {
				Route     string            `json:"route"`
				Params    map[string]string `json:"params"`
				Operation string            `json:"operation"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if resp.StatusCode != 200 || got.Route != tt.route || got.Operation != tt.route {
				t.Errorf("%d %+v, want route %s", resp.StatusCode, got, tt.route)
			}
			if !reflect.DeepEqual(got.Params, tt.params) && !(len(got.Params) == 0 && len(tt.params) == 0) {
				t.Errorf("params %v, want %v", got.Params, tt.params)
			}
			if params == nil && len(tt.params) > 0 {
				t.Error("matchREST returned no params")
			}
		})
	}
}

func TestRESTBadEscape(t *testing.T) {
	t.Parallel()
	segs, err := parsePattern("/functions/{FunctionName}")
	if err != nil {
		t.Fatal(err)
	}
	rt := &route{segs: segs}
	if _, ok := rt.match("/functions/bad%zz"); ok {
		t.Error("a malformed escape matched")
	}
	if p, ok := rt.match("/functions/good%20one"); !ok || p["FunctionName"] != "good one" {
		t.Errorf("match = %v, %v", p, ok)
	}
}

func TestRESTResponses(t *testing.T) {
	t.Parallel()
	r := NewRouter(Config{Logger: testLogger(t)})
	r.HandleREST("POST", "/2015-03-31/functions/{FunctionName}/invocations", func(ctx context.Context, req *Request, in *RESTRequest) (*RESTResponse, error) {
		switch in.Params["FunctionName"] {
		case "missing":
			return nil, NewError("ResourceNotFoundException", "Function not found: %s", in.Params["FunctionName"])
		case "broken":
			return nil, NewError("ServiceException", "The service is broken.")
		}
		h := http.Header{}
		h.Set("X-Amz-Executed-Version", "$LATEST")
		h.Set("Content-Type", "application/json")
		return &RESTResponse{Status: 200, Header: h, Body: append([]byte("echo:"+in.Query.Get("Qualifier")+":"+in.Header.Get("X-Amz-Invocation-Type")+":"), in.Body...)}, nil
	})
	r.HandleREST("DELETE", "/2015-03-31/functions/{FunctionName}", func(ctx context.Context, req *Request, in *RESTRequest) (*RESTResponse, error) {
		return &RESTResponse{Status: 204}, nil
	})
	r.HandleREST("GET", "/2015-03-31/functions/{FunctionName}", func(ctx context.Context, req *Request, in *RESTRequest) (*RESTResponse, error) {
		return nil, nil
	})

	tests := []struct {
		name, method, path, body string
		status                   int
		errorType                string
		wantBody                 string
		header                   [2]string
	}{
		{
			name: "raw body, headers, query", method: "POST", path: "/2015-03-31/functions/f/invocations?Qualifier=live",
			body: `{"a":1}`, status: 200, wantBody: `echo:live:Event:{"a":1}`, header: [2]string{"X-Amz-Executed-Version", "$LATEST"},
		},
		{
			name: "404 error", method: "POST", path: "/2015-03-31/functions/missing/invocations", status: 404,
			errorType: "ResourceNotFoundException", wantBody: `{"Type":"User","Message":"Function not found: missing"}`,
		},
		{
			name: "service fault", method: "POST", path: "/2015-03-31/functions/broken/invocations", status: 500,
			errorType: "ServiceException", wantBody: `{"Type":"Service","Message":"The service is broken."}`,
		},
		{name: "status without body", method: "DELETE", path: "/2015-03-31/functions/f", status: 204},
		{name: "nil response", method: "GET", path: "/2015-03-31/functions/f", status: 200},
		{
			name: "path matches, method does not", method: "PUT", path: "/2015-03-31/functions/f", status: 400,
			errorType: "UnknownOperationException", wantBody: `{"Type":"User","Message":"No operation for PUT /2015-03-31/functions/f."}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			req.Header.Set("X-Amz-Invocation-Type", "Event")
			resp, body := do(t, r, req)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if got := resp.Header.Get("X-Amzn-ErrorType"); got != tt.errorType {
				t.Errorf("X-Amzn-ErrorType %q, want %q", got, tt.errorType)
			}
			if body != tt.wantBody {
				t.Errorf("body %s, want %s", body, tt.wantBody)
			}
			if tt.header[0] != "" && resp.Header.Get(tt.header[0]) != tt.header[1] {
				t.Errorf("header %s = %q", tt.header[0], resp.Header.Get(tt.header[0]))
			}
			if !isUUID(resp.Header.Get("X-Amzn-RequestId")) {
				t.Errorf("no request id")
			}
		})
	}
}

func TestRESTPatternErrors(t *testing.T) {
	t.Parallel()
	h := func(context.Context, *Request, *RESTRequest) (*RESTResponse, error) { return nil, nil }
	bad := []string{
		"no-slash", "/a?b=c", "/a//b", "/{}", "/{a", "/a{b}", "/{a b}", "/{Key+}/more", "/{a}/{a}",
	}
	for _, p := range bad {
		t.Run(p, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("HandleREST(%q) did not panic", p)
				}
			}()
			NewRouter(Config{}).HandleREST("GET", p, h)
		})
	}
	// The same shape twice, with other label names, conflicts.
	r := NewRouter(Config{})
	r.HandleREST("GET", "/f/{A}", h)
	r.HandleREST("POST", "/f/{A}", h) // another method is fine
	defer func() {
		if recover() == nil {
			t.Error("conflicting pattern did not panic")
		}
	}()
	r.HandleREST("GET", "/f/{B}/", h)
}

func FuzzRESTMatch(f *testing.F) {
	f.Add("/2015-03-31/functions/a%2Fb/invocations")
	f.Add("/files/a/b/c")
	f.Add("//")
	r := NewRouter(Config{})
	h := func(context.Context, *Request, *RESTRequest) (*RESTResponse, error) { return nil, nil }
	r.HandleREST("POST", "/2015-03-31/functions/{FunctionName}/invocations", h)
	r.HandleREST("GET", "/files/{Key+}", h)
	f.Fuzz(func(t *testing.T, path string) {
		for _, rt := range r.rest {
			params, ok := rt.match(path)
			if !ok {
				continue
			}
			for k, v := range params {
				if v == "" {
					t.Errorf("%s matched %q with empty %s", rt.pattern, path, k)
				}
			}
		}
	})
}
