package awsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// newJSONRouter registers a few JSON operations for the dispatch tests.
func newJSONRouter(t *testing.T, logs slog.Handler) *Router {
	t.Helper()
	var logger *slog.Logger
	if logs != nil {
		logger = slog.New(logs)
	} else {
		logger = testLogger(t)
	}
	r := NewRouter(Config{Logger: logger})
	r.HandleJSON("AWSStepFunctions.ListActivities", func(ctx context.Context, req *Request, body []byte) (any, error) {
		var in struct {
			MaxResults int `json:"maxResults"`
		}
		if err := Decode(body, &in); err != nil {
			return nil, err
		}
		return map[string]any{"activities": []any{}, "maxResults": in.MaxResults, "html": "<&>"}, nil
	})
	r.HandleJSON("AWSStepFunctions.DescribeActivity", func(ctx context.Context, req *Request, body []byte) (any, error) {
		return nil, fmt.Errorf("describe activity: %w", NewError("ActivityDoesNotExist", "Activity Does Not Exist: 'x'"))
	})
	r.HandleJSON("AWSStepFunctions.DeleteActivity", func(ctx context.Context, req *Request, body []byte) (any, error) {
		return nil, nil
	})
	r.HandleJSON("AWSStepFunctions.StartExecution", func(ctx context.Context, req *Request, body []byte) (any, error) {
		return nil, errors.New("disk on fire")
	})
	r.HandleJSON("AWSStepFunctions.StopExecution", func(ctx context.Context, req *Request, body []byte) (any, error) {
		panic("bug")
	})
	r.HandleJSON("AWSStepFunctions.SendTaskSuccess", func(ctx context.Context, req *Request, body []byte) (any, error) {
		return nil, NewError("NoSuchCodeAnywhere", "made up")
	})
	r.HandleJSON("AmazonSQS.GetQueueUrl", func(ctx context.Context, req *Request, body []byte) (any, error) {
		return nil, NewError("QueueDoesNotExist", "The specified queue does not exist.")
	})
	r.HandleJSON("AmazonSQS.SendMessage", func(ctx context.Context, req *Request, body []byte) (any, error) {
		return nil, NewError("InvalidParameterValue", "Value for parameter MessageBody is invalid.")
	})
	r.HandleJSON("AWSEvents.DescribeRule", func(ctx context.Context, req *Request, body []byte) (any, error) {
		return nil, NewError("ResourceNotFoundException", "Rule r does not exist on EventBus default.")
	})
	return r
}

func TestJSONDispatch(t *testing.T) {
	t.Parallel()
	r := newJSONRouter(t, nil)
	tests := []struct {
		name        string
		target      string
		contentType string
		body        string
		status      int
		wantCT      string
		errorType   string // X-Amzn-ErrorType, "" on success
		queryError  string // X-Amzn-Query-Error
		wantBody    string // exact, when set
		bodyHas     string
	}{
		{
			name: "success", target: "AWSStepFunctions.ListActivities", contentType: "application/x-amz-json-1.0",
			body: `{"maxResults":5,"unknownMember":true}`, status: 200, wantCT: "application/x-amz-json-1.0",
			wantBody: `{"activities":[],"html":"<&>","maxResults":5}`,
		},
		{
			name: "1.1 content type is echoed", target: "AWSStepFunctions.ListActivities", contentType: "application/x-amz-json-1.1",
			body: `{}`, status: 200, wantCT: "application/x-amz-json-1.1",
		},
		{
			name: "no content type takes the service's", target: "AWSEvents.DescribeRule", body: `{}`, status: 400,
			wantCT: "application/x-amz-json-1.1", errorType: "ResourceNotFoundException",
			wantBody: `{"__type":"ResourceNotFoundException","message":"Rule r does not exist on EventBus default."}`,
		},
		{
			name: "empty body is {}", target: "AWSStepFunctions.ListActivities", contentType: "application/x-amz-json-1.0",
			status: 200, wantCT: "application/x-amz-json-1.0", bodyHas: `"maxResults":0`,
		},
		{
			name: "nil result is {}", target: "AWSStepFunctions.DeleteActivity", contentType: "application/x-amz-json-1.0",
			status: 200, wantCT: "application/x-amz-json-1.0", wantBody: `{}`,
		},
		{
			name: "wrapped AWS error", target: "AWSStepFunctions.DescribeActivity", contentType: "application/x-amz-json-1.0",
			status: 400, wantCT: "application/x-amz-json-1.0", errorType: "ActivityDoesNotExist",
			wantBody: `{"__type":"ActivityDoesNotExist","message":"Activity Does Not Exist: 'x'"}`,
		},
		{
			name: "malformed JSON", target: "AWSStepFunctions.ListActivities", contentType: "application/x-amz-json-1.0",
			body: `{"maxResults":`, status: 400, wantCT: "application/x-amz-json-1.0", errorType: "SerializationException",
		},
		{
			name: "wrong member type", target: "AWSStepFunctions.ListActivities", contentType: "application/x-amz-json-1.0",
			body: `{"maxResults":"5"}`, status: 400, errorType: "SerializationException", bodyHas: "maxResults",
		},
		{
			name: "unknown operation", target: "AWSStepFunctions.NoSuchThing", contentType: "application/x-amz-json-1.0",
			body: `{}`, status: 400, errorType: "UnknownOperationException", bodyHas: `"__type":"UnknownOperationException"`,
		},
		{
			name: "target without operation", target: "AWSStepFunctions", body: `{}`, status: 400,
			errorType: "UnknownOperationException",
		},
		{
			name: "plain error is InternalFailure", target: "AWSStepFunctions.StartExecution", body: `{}`, status: 500,
			errorType: "InternalFailure", bodyHas: "unknown error",
		},
		{
			name: "panic is InternalFailure", target: "AWSStepFunctions.StopExecution", body: `{}`, status: 500,
			errorType: "InternalFailure",
		},
		{
			name: "code missing from the table is 400", target: "AWSStepFunctions.SendTaskSuccess", body: `{}`, status: 400,
			errorType: "NoSuchCodeAnywhere",
		},
		{
			name: "SQS: namespaced __type and query error", target: "AmazonSQS.GetQueueUrl",
			contentType: "application/x-amz-json-1.0", body: `{"QueueName":"q"}`, status: 400,
			wantCT: "application/x-amz-json-1.0", errorType: "QueueDoesNotExist",
			queryError: "AWS.SimpleQueueService.NonExistentQueue;Sender",
			wantBody:   `{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}`,
		},
		{
			name: "SQS: generic code", target: "AmazonSQS.SendMessage", contentType: "application/x-amz-json-1.0",
			body: `{}`, status: 400, errorType: "InvalidParameterValue", queryError: "InvalidParameterValue;Sender",
			wantBody: `{"__type":"InvalidParameterValue","message":"Value for parameter MessageBody is invalid."}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, r, jsonRequest(tt.target, tt.contentType, tt.body))
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if tt.wantCT != "" && resp.Header.Get("Content-Type") != tt.wantCT {
				t.Errorf("Content-Type %q, want %q", resp.Header.Get("Content-Type"), tt.wantCT)
			}
			if got := resp.Header.Get("X-Amzn-ErrorType"); got != tt.errorType {
				t.Errorf("X-Amzn-ErrorType %q, want %q", got, tt.errorType)
			}
			if got := resp.Header.Get("X-Amzn-Query-Error"); got != tt.queryError {
				t.Errorf("X-Amzn-Query-Error %q, want %q", got, tt.queryError)
			}
			if tt.wantBody != "" && body != tt.wantBody {
				t.Errorf("body %s, want %s", body, tt.wantBody)
			}
			if tt.bodyHas != "" && !strings.Contains(body, tt.bodyHas) {
				t.Errorf("body %s lacks %s", body, tt.bodyHas)
			}
			id := resp.Header.Get("X-Amzn-RequestId")
			if !isUUID(id) || resp.Header.Get("X-Amz-Request-Id") != id {
				t.Errorf("request id headers %q, %q", id, resp.Header.Get("X-Amz-Request-Id"))
			}
			if tt.errorType != "" {
				var e struct {
					Type    string `json:"__type"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.Type == "" || e.Message == "" {
					t.Errorf("error body %s: %+v, %v", body, e, err)
				}
			}
		})
	}
}

func TestJSONLogs(t *testing.T) {
	t.Parallel()
	logs := &recorder{}
	r := newJSONRouter(t, logs)

	resp, _ := do(t, r, jsonRequest("AWSStepFunctions.StartExecution", "", "{}"))
	id := resp.Header.Get("X-Amzn-RequestId")
	attrs, ok := logs.find("internal failure")
	if !ok || attrs["request_id"] != id || attrs["error"] != "disk on fire" || attrs["operation"] != "StartExecution" {
		t.Errorf("internal failure log = %v, %v", attrs, ok)
	}
	attrs, ok = logs.find("aws call")
	if !ok || attrs["error_code"] != "InternalFailure" || attrs["request_id"] != id || attrs["service"] != "sfn" || attrs["duration"] == "" {
		t.Errorf("call log = %v, %v", attrs, ok)
	}

	do(t, r, jsonRequest("AWSStepFunctions.StopExecution", "", "{}"))
	attrs, ok = logs.find("handler panic")
	if !ok || attrs["panic"] != "bug" || !strings.Contains(attrs["stack"], "json_test.go") {
		t.Errorf("panic log = %v, %v", attrs, ok)
	}

	do(t, r, jsonRequest("AWSStepFunctions.SendTaskSuccess", "", "{}"))
	if attrs, ok := logs.find("unknown AWS error code"); !ok || attrs["code"] != "NoSuchCodeAnywhere" {
		t.Errorf("unknown code log = %v, %v", attrs, ok)
	}
}

func TestJSONRegistrationPanics(t *testing.T) {
	t.Parallel()
	r := NewRouter(Config{})
	h := func(context.Context, *Request, []byte) (any, error) { return nil, nil }
	r.HandleJSON("AWSStepFunctions.ListActivities", h)
	for _, target := range []string{"AWSStepFunctions.ListActivities", "NoDot", ".Op", "Svc.", "A.B.C"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("HandleJSON(%q) did not panic", target)
				}
			}()
			r.HandleJSON(target, h)
		}()
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	type tag struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	type input struct {
		Name       string `json:"name"`
		MaxResults int    `json:"maxResults"`
		Tags       []tag  `json:"tags"`
		Enabled    bool   `json:"enabled"`
	}
	tests := []struct {
		body    string
		want    input
		errHas  string // "" for success
		errCode string
	}{
		{body: `{"name":"a","maxResults":3,"extra":{"x":1}}`, want: input{Name: "a", MaxResults: 3}},
		{body: ``, want: input{}},
		{body: "  \n", want: input{}},
		{body: `null`, want: input{}},
		{body: `{"tags":[{"key":"k","value":"v"}]}`, want: input{Tags: []tag{{"k", "v"}}}},
		{body: `{"name":`, errHas: "Malformed JSON"},
		{body: `{"name":"a"} {}`, errHas: "Malformed JSON"},
		{body: `[1]`, errHas: "Expected object, got array"},
		{body: `{"name":5}`, errHas: "Member name: expected string, got number"},
		{body: `{"maxResults":"5"}`, errHas: "Member maxResults: expected number, got string"},
		{body: `{"maxResults":1.5}`, errHas: "maxResults"},
		{body: `{"enabled":"yes"}`, errHas: "Member enabled: expected boolean"},
		{body: `{"tags":{}}`, errHas: "Member tags: expected array, got object"},
		{body: `{"tags":[{"key":1}]}`, errHas: "tags.key"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			var got input
			err := Decode([]byte(tt.body), &got)
			if tt.errHas == "" {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("Decode = %+v, want %+v", got, tt.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != "SerializationException" || !strings.Contains(e.Message, tt.errHas) {
				t.Errorf("Decode error = %v, want SerializationException with %q", err, tt.errHas)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(`{"name":"a","maxResults":3}`)
	f.Add(`{"tags":[{"key":1}]}`)
	f.Add(`{"when":1767225600.5}`)
	f.Fuzz(func(t *testing.T, body string) {
		var v struct {
			Name string            `json:"name"`
			Max  int               `json:"maxResults"`
			Tags []map[string]any  `json:"tags"`
			When Timestamp         `json:"when"`
			M    map[string]string `json:"m"`
		}
		err := Decode([]byte(body), &v)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != "SerializationException" {
			t.Errorf("Decode error %v is not a SerializationException", err)
		}
	})
}

func TestTimestamp(t *testing.T) {
	t.Parallel()
	tm := time.Date(2026, 1, 1, 0, 0, 0, 123_456_789, time.UTC)
	b, err := json.Marshal(struct {
		T    Timestamp `json:"t"`
		Zero Timestamp `json:"zero,omitzero"`
	}{T: Timestamp(tm)})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"t":1767225600.123}` {
		t.Errorf("Marshal = %s", b)
	}
	for _, in := range []string{`1767225600.123`, `"2026-01-01T00:00:00.123Z"`, `1.767225600123E9`} {
		var got Timestamp
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("Unmarshal %s: %v", in, err)
		}
		if want := tm.Truncate(time.Millisecond); !got.Time().Equal(want) {
			t.Errorf("Unmarshal %s = %v, want %v", in, got.Time(), want)
		}
	}
	var got Timestamp
	if err := json.Unmarshal([]byte(`"yesterday"`), &got); err == nil {
		t.Error("Unmarshal of a bad timestamp succeeded")
	}
}

func isUUID(s string) bool {
	if len(s) != 36 || s[14] != '4' {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdef", c) {
				return false
			}
		}
	}
	return strings.ContainsRune("89ab", rune(s[19]))
}

func TestRequestIDsDiffer(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		id := newRequestID()
		if !isUUID(id) || seen[id] {
			t.Fatalf("request id %q: not a fresh v4 UUID", id)
		}
		seen[id] = true
	}
}

// TestJSONMethod checks that awsJson is POST only, as AWS has it.
func TestJSONMethod(t *testing.T) {
	t.Parallel()
	r := newJSONRouter(t, nil)
	req := jsonRequest("AWSStepFunctions.DeleteActivity", "", "")
	req.Method = http.MethodGet
	resp, body := do(t, r, req)
	if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "UnknownOperationException" {
		t.Errorf("GET with X-Amz-Target: %d %s", resp.StatusCode, body)
	}
}
