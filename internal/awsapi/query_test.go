package awsapi

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestFormList(t *testing.T) {
	t.Parallel()
	form := url.Values{
		"AttributeName.1":  {"All"},
		"AttributeName.3":  {"Policy"},
		"AttributeName.2":  {"VisibilityTimeout"},
		"AttributeName.10": {"Ten"},
		"AttributeName.0":  {"zero is not an index"},
		"AttributeName.01": {"leading zero"},
		"AttributeName.+4": {"sign"},
		"AttributeName.x":  {"not a number"},
		"AttributeName.5.": {"struct-like"},
		"AttributeNames.6": {"other prefix"},
	}
	got := FormList(form, "AttributeName")
	want := []string{"All", "VisibilityTimeout", "Policy", "Ten"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FormList = %q, want %q", got, want)
	}
	if got := FormList(form, "Missing"); len(got) != 0 {
		t.Errorf("FormList of a missing list = %q", got)
	}
}

func TestFormStructs(t *testing.T) {
	t.Parallel()
	// SQS SendMessageBatch with a message attribute, as the SDKs encode it.
	form, err := url.ParseQuery("Action=SendMessageBatch&Version=2012-11-05" +
		"&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=second" +
		"&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=first" +
		"&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=color" +
		"&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String" +
		"&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=red")
	if err != nil {
		t.Fatal(err)
	}
	entries := FormStructs(form, "SendMessageBatchRequestEntry")
	if len(entries) != 2 {
		t.Fatalf("FormStructs = %v", entries)
	}
	if entries[0].Get("Id") != "a" || entries[0].Get("MessageBody") != "first" || entries[1].Get("Id") != "b" {
		t.Errorf("entries = %v", entries)
	}
	attrs := FormStructs(entries[0], "MessageAttribute")
	if len(attrs) != 1 || attrs[0].Get("Name") != "color" || attrs[0].Get("Value.DataType") != "String" ||
		attrs[0].Get("Value.StringValue") != "red" {
		t.Errorf("nested attributes = %v", attrs)
	}
	if got := FormStructs(form, "Action"); len(got) != 0 {
		t.Errorf("FormStructs of a scalar = %v", got)
	}
}

func TestFormMap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query, prefix, key, value string
		want                            map[string]string
	}{
		{
			name:   "SQS attributes",
			query:  "Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=30&Attribute.2.Name=DelaySeconds&Attribute.2.Value=5",
			prefix: "Attribute", key: "Name", value: "Value",
			want: map[string]string{"VisibilityTimeout": "30", "DelaySeconds": "5"},
		},
		{
			name:   "SNS attributes, a value with = and & escaped",
			query:  "Attributes.entry.1.key=FilterPolicy&Attributes.entry.1.value=%7B%22a%22%3A%5B%22b%3D%26%22%5D%7D",
			prefix: "Attributes.entry", key: "key", value: "value",
			want: map[string]string{"FilterPolicy": `{"a":["b=&"]}`},
		},
		{
			name:   "entries without a key are skipped, later index wins",
			query:  "Tag.1.Value=orphan&Tag.2.Key=k&Tag.2.Value=first&Tag.3.Key=k&Tag.3.Value=second",
			prefix: "Tag", key: "Key", value: "Value",
			want: map[string]string{"k": "second"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := FormMap(form, tt.prefix, tt.key, tt.value); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FormMap = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzFormStructs(f *testing.F) {
	f.Add("A.1.B=x&A.2.B=y&A.1.C.1=z")
	f.Add("A.1=x&A.01=y&A.1.=z")
	f.Fuzz(func(t *testing.T, q string) {
		form, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		for _, s := range FormStructs(form, "A") {
			if len(s) == 0 {
				t.Errorf("empty struct from %q", q)
			}
		}
		_ = FormList(form, "A")
	})
}

type sqsQueueURL struct {
	QueueURL string `xml:"QueueUrl"`
}

type snsTopic struct {
	TopicArn string
}

// newQueryRouter registers SQS and SNS query actions for the tests.
func newQueryRouter(t *testing.T) *Router {
	t.Helper()
	r := NewRouter(Config{Logger: testLogger(t)})
	r.HandleQuery("2012-11-05", "GetQueueUrl", func(ctx context.Context, req *Request, form url.Values) (QueryResponse, error) {
		name := form.Get("QueueName")
		if name != "q" {
			return QueryResponse{}, NewError("QueueDoesNotExist", "The specified queue does not exist.")
		}
		return QueryResponse{Result: sqsQueueURL{QueueURL: fmt.Sprintf("%s://%s/%s/q", req.Scheme, req.Host, req.Account)}}, nil
	})
	r.HandleQuery("2012-11-05", "DeleteMessage", func(ctx context.Context, req *Request, form url.Values) (QueryResponse, error) {
		return QueryResponse{}, nil
	})
	r.HandleQuery("2012-11-05", "SendMessage", func(ctx context.Context, req *Request, form url.Values) (QueryResponse, error) {
		// The queue comes from QueueUrl or from the path the request was posted to.
		queue := form.Get("QueueUrl")
		if queue == "" {
			queue = req.Path
		}
		return QueryResponse{Result: struct {
			Queue string `xml:"Queue"`
			Body  string `xml:"MD5OfMessageBody"`
		}{queue, form.Get("MessageBody")}}, nil
	})
	r.HandleQuery("2012-11-05", "AddPermission", func(ctx context.Context, req *Request, form url.Values) (QueryResponse, error) {
		return QueryResponse{}, nil
	})
	r.HandleQuery("2010-03-31", "AddPermission", func(ctx context.Context, req *Request, form url.Values) (QueryResponse, error) {
		return QueryResponse{}, nil
	})
	r.HandleQuery("2010-03-31", "ListTopics", func(ctx context.Context, req *Request, form url.Values) (QueryResponse, error) {
		return QueryResponse{Result: struct {
			Topics    []snsTopic `xml:"Topics>member"`
			NextToken string     `xml:",omitempty"`
		}{Topics: []snsTopic{{"arn:aws:sns:us-east-1:000000000000:a<b"}}}}, nil
	})
	r.HandleQuery("2010-03-31", "GetTopicAttributes", func(ctx context.Context, req *Request, form url.Values) (QueryResponse, error) {
		return QueryResponse{}, NewError("NotFoundException", "Topic does not exist")
	})
	return r
}

func TestQueryDispatch(t *testing.T) {
	t.Parallel()
	r := newQueryRouter(t)
	tests := []struct {
		name   string
		req    *http.Request
		status int
		body   string // with REQID for the request id
	}{
		{
			name:   "success",
			req:    formRequest("/", "Action=GetQueueUrl&Version=2012-11-05&QueueName=q"),
			status: 200,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<GetQueueUrlResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">` +
				`<GetQueueUrlResult><QueueUrl>http://example.com/000000000000/q</QueueUrl></GetQueueUrlResult>` +
				`<ResponseMetadata><RequestId>REQID</RequestId></ResponseMetadata></GetQueueUrlResponse>`,
		},
		{
			name:   "no result element",
			req:    formRequest("/", "Action=DeleteMessage&Version=2012-11-05&QueueUrl=x&ReceiptHandle=y"),
			status: 200,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<DeleteMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">` +
				`<ResponseMetadata><RequestId>REQID</RequestId></ResponseMetadata></DeleteMessageResponse>`,
		},
		{
			name:   "SNS list with member wrapper and escaping",
			req:    formRequest("/", "Action=ListTopics&Version=2010-03-31"),
			status: 200,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">` +
				`<ListTopicsResult><Topics><member><TopicArn>arn:aws:sns:us-east-1:000000000000:a&lt;b</TopicArn></member></Topics></ListTopicsResult>` +
				`<ResponseMetadata><RequestId>REQID</RequestId></ResponseMetadata></ListTopicsResponse>`,
		},
		{
			name:   "queue URL path, GET with the action in the query string",
			req:    httptest.NewRequest(http.MethodGet, "/000000000000/q?Action=SendMessage&Version=2012-11-05&MessageBody=hi", nil),
			status: 200,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">` +
				`<SendMessageResult><Queue>/000000000000/q</Queue><MD5OfMessageBody>hi</MD5OfMessageBody></SendMessageResult>` +
				`<ResponseMetadata><RequestId>REQID</RequestId></ResponseMetadata></SendMessageResponse>`,
		},
		{
			name:   "form body wins over the query string",
			req:    formRequest("/?MessageBody=url&Version=2012-11-05", "Action=SendMessage&MessageBody=form&QueueUrl=u"),
			status: 200,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">` +
				`<SendMessageResult><Queue>u</Queue><MD5OfMessageBody>form</MD5OfMessageBody></SendMessageResult>` +
				`<ResponseMetadata><RequestId>REQID</RequestId></ResponseMetadata></SendMessageResponse>`,
		},
		{
			name:   "missing Version: a unique action resolves",
			req:    formRequest("/", "Action=ListTopics"),
			status: 200,
		},
		{
			name:   "SQS error has the query code",
			req:    formRequest("/", "Action=GetQueueUrl&Version=2012-11-05&QueueName=nope"),
			status: 400,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>` +
				`<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message>` +
				`<Detail></Detail></Error><RequestId>REQID</RequestId></ErrorResponse>`,
		},
		{
			name:   "SNS error has the query code and status",
			req:    formRequest("/", "Action=GetTopicAttributes&Version=2010-03-31&TopicArn=x"),
			status: 404,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>` +
				`<Code>NotFound</Code><Message>Topic does not exist</Message>` +
				`<Detail></Detail></Error><RequestId>REQID</RequestId></ErrorResponse>`,
		},
		{
			name:   "missing action",
			req:    formRequest("/", "Version=2012-11-05&QueueName=q"),
			status: 400,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>` +
				`<Code>MissingAction</Code><Message>The request must contain the parameter Action.</Message>` +
				`<Detail></Detail></Error><RequestId>REQID</RequestId></ErrorResponse>`,
		},
		{
			name:   "unknown action",
			req:    formRequest("/", "Action=Explode&Version=2012-11-05"),
			status: 400,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>` +
				`<Code>InvalidAction</Code><Message>The action Explode is not valid for this web service (version 2012-11-05).</Message>` +
				`<Detail></Detail></Error><RequestId>REQID</RequestId></ErrorResponse>`,
		},
		{
			name:   "unknown version",
			req:    formRequest("/", "Action=GetQueueUrl&Version=1999-01-01"),
			status: 400,
			body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<ErrorResponse><Error><Type>Sender</Type>` +
				`<Code>InvalidAction</Code><Message>The action GetQueueUrl is not valid for this web service (version 1999-01-01).</Message>` +
				`<Detail></Detail></Error><RequestId>REQID</RequestId></ErrorResponse>`,
		},
		{
			name:   "missing Version with an ambiguous action",
			req:    formRequest("/", "Action=AddPermission"),
			status: 400,
		},
		{
			name:   "malformed form",
			req:    formRequest("/", "Action=GetQueueUrl&Version=2012-11-05&QueueName=%zz"),
			status: 404,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, r, tt.req)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/xml" {
				t.Errorf("Content-Type %q", ct)
			}
			id := resp.Header.Get("X-Amzn-RequestId")
			if !isUUID(id) {
				t.Errorf("request id %q", id)
			}
			if tt.body != "" {
				if want := strings.ReplaceAll(tt.body, "REQID", id); body != want {
					t.Errorf("body\n%s\nwant\n%s", body, want)
				}
			}
			// Every response is well-formed XML.
			var v struct{}
			if err := xml.Unmarshal([]byte(body), &v); err != nil {
				t.Errorf("body is not XML: %v", err)
			}
		})
	}
}

func TestQueryRegistrationPanics(t *testing.T) {
	t.Parallel()
	r := NewRouter(Config{})
	h := func(context.Context, *Request, url.Values) (QueryResponse, error) { return QueryResponse{}, nil }
	r.HandleQuery("2012-11-05", "ListQueues", h)
	for _, args := range [][2]string{{"2012-11-05", "ListQueues"}, {"", "X"}, {"2012-11-05", ""}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("HandleQuery%q did not panic", args)
				}
			}()
			r.HandleQuery(args[0], args[1], h)
		}()
	}
}
