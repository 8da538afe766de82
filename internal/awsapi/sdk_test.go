package awsapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/batonrun/baton/internal/awsapi"
)

// seen records what the fake handlers were called with.
type seen struct {
	mu        sync.Mutex
	region    string
	accessKey string
	maxResult int
}

// newSDKServer serves fake Step Functions, SQS (both protocols) and SNS operations.
func newSDKServer(t *testing.T, s *seen) *httptest.Server {
	t.Helper()
	created := time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	r := awsapi.NewRouter(awsapi.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})

	type activity struct {
		ActivityArn  string           `json:"activityArn"`
		Name         string           `json:"name"`
		CreationDate awsapi.Timestamp `json:"creationDate"`
	}
	r.HandleJSON("AWSStepFunctions.ListActivities", func(ctx context.Context, req *awsapi.Request, body []byte) (any, error) {
		var in struct {
			MaxResults int    `json:"maxResults"`
			NextToken  string `json:"nextToken"`
		}
		if err := awsapi.Decode(body, &in); err != nil {
			return nil, err
		}
		if in.NextToken != "" {
			return nil, awsapi.NewError("InvalidToken", "Invalid Token: '%s'", in.NextToken)
		}
		s.mu.Lock()
		s.region, s.accessKey, s.maxResult = req.Region, req.AccessKey, in.MaxResults
		s.mu.Unlock()
		arn := fmt.Sprintf("arn:aws:states:%s:%s:activity:worker", req.Region, req.Account)
		return struct {
			Activities []activity `json:"activities"`
		}{[]activity{{ActivityArn: arn, Name: "worker", CreationDate: awsapi.Timestamp(created)}}}, nil
	})
	r.HandleJSON("AWSStepFunctions.DescribeActivity", func(ctx context.Context, req *awsapi.Request, body []byte) (any, error) {
		var in struct {
			ActivityArn string `json:"activityArn"`
		}
		if err := awsapi.Decode(body, &in); err != nil {
			return nil, err
		}
		return nil, awsapi.NewError("ActivityDoesNotExist", "Activity Does Not Exist: '%s'", in.ActivityArn)
	})

	queueURL := func(req *awsapi.Request) string {
		return fmt.Sprintf("%s://%s/%s/jobs", req.Scheme, req.Host, req.Account)
	}
	// SQS, awsJson1_0 (what the SDK for Go v2 speaks now).
	r.HandleJSON("AmazonSQS.ListQueues", func(ctx context.Context, req *awsapi.Request, body []byte) (any, error) {
		return map[string]any{"QueueUrls": []string{queueURL(req)}}, nil
	})
	r.HandleJSON("AmazonSQS.GetQueueUrl", func(ctx context.Context, req *awsapi.Request, body []byte) (any, error) {
		return nil, awsapi.NewError("QueueDoesNotExist", "The specified queue does not exist.")
	})
	// SQS, awsQuery (older SDKs and CLIs).
	r.HandleQuery("2012-11-05", "ListQueues", func(ctx context.Context, req *awsapi.Request, form url.Values) (awsapi.QueryResponse, error) {
		return awsapi.QueryResponse{Result: struct {
			QueueURLs []string `xml:"QueueUrl"`
		}{[]string{queueURL(req)}}}, nil
	})
	// SNS, awsQuery.
	r.HandleQuery("2010-03-31", "ListTopics", func(ctx context.Context, req *awsapi.Request, form url.Values) (awsapi.QueryResponse, error) {
		type topic struct{ TopicArn string }
		return awsapi.QueryResponse{Result: struct {
			Topics []topic `xml:"Topics>member"`
		}{[]topic{{"arn:aws:sns:" + req.Region + ":" + req.Account + ":alerts"}}}}, nil
	})
	r.HandleQuery("2010-03-31", "GetTopicAttributes", func(ctx context.Context, req *awsapi.Request, form url.Values) (awsapi.QueryResponse, error) {
		return awsapi.QueryResponse{}, awsapi.NewError("NotFoundException", "Topic does not exist")
	})

	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func sdkConfig() aws.Config {
	return aws.Config{
		Region:           "us-west-2",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		RetryMaxAttempts: 1,
	}
}

// TestSDK drives the Router with the AWS SDK for Go v2: the SDK must accept its successes and
// map its errors to the modelled error types.
func TestSDK(t *testing.T) {
	t.Parallel()
	s := &seen{}
	srv := newSDKServer(t, s)
	ctx := t.Context()

	t.Run("StepFunctions", func(t *testing.T) {
		client := sfn.NewFromConfig(sdkConfig(), func(o *sfn.Options) { o.BaseEndpoint = aws.String(srv.URL) })

		out, err := client.ListActivities(ctx, &sfn.ListActivitiesInput{MaxResults: 7})
		if err != nil {
			t.Fatalf("ListActivities: %v", err)
		}
		if len(out.Activities) != 1 || aws.ToString(out.Activities[0].Name) != "worker" ||
			aws.ToString(out.Activities[0].ActivityArn) != "arn:aws:states:us-west-2:000000000000:activity:worker" {
			t.Errorf("ListActivities = %+v", out.Activities)
		}
		if got, want := aws.ToTime(out.Activities[0].CreationDate), time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC); !got.Equal(want) {
			t.Errorf("creationDate = %v, want %v", got, want)
		}
		s.mu.Lock()
		if s.region != "us-west-2" || s.accessKey != "AKIDTEST" || s.maxResult != 7 {
			t.Errorf("handler saw region %q, access key %q, maxResults %d", s.region, s.accessKey, s.maxResult)
		}
		s.mu.Unlock()

		_, err = client.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String("arn:aws:states:us-west-2:000000000000:activity:nope")})
		var notExist *sfntypes.ActivityDoesNotExist
		if !errors.As(err, &notExist) {
			t.Fatalf("DescribeActivity error %T %v, want *types.ActivityDoesNotExist", err, err)
		}
		if want := "Activity Does Not Exist: 'arn:aws:states:us-west-2:000000000000:activity:nope'"; notExist.ErrorMessage() != want {
			t.Errorf("message %q, want %q", notExist.ErrorMessage(), want)
		}
		var re interface{ ServiceRequestID() string }
		if !errors.As(err, &re) || len(re.ServiceRequestID()) != 36 {
			t.Errorf("the SDK did not read the request id from %v", err)
		}

		// A code that ListActivities does not model arrives as a generic API error.
		_, err = client.ListActivities(ctx, &sfn.ListActivitiesInput{NextToken: aws.String("bad")})
		var apiErr smithy.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidToken" || apiErr.ErrorMessage() != "Invalid Token: 'bad'" {
			t.Errorf("ListActivities with a bad token: %v", err)
		}

		// An operation nobody registered.
		_, err = client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
		if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "UnknownOperationException" {
			t.Errorf("ListStateMachines: %v", err)
		}
	})

	t.Run("SQS JSON", func(t *testing.T) {
		client := sqs.NewFromConfig(sdkConfig(), func(o *sqs.Options) { o.BaseEndpoint = aws.String(srv.URL) })
		out, err := client.ListQueues(ctx, &sqs.ListQueuesInput{})
		if err != nil {
			t.Fatalf("ListQueues: %v", err)
		}
		wantURL := srv.URL + "/000000000000/jobs"
		if len(out.QueueUrls) != 1 || out.QueueUrls[0] != wantURL {
			t.Errorf("ListQueues = %q, want [%s]", out.QueueUrls, wantURL)
		}

		_, err = client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("nope")})
		var notExist *sqstypes.QueueDoesNotExist
		if !errors.As(err, &notExist) {
			t.Fatalf("GetQueueUrl error %T %v, want *types.QueueDoesNotExist", err, err)
		}
		// The query-compatible code is what code written against the old protocol checks.
		if notExist.ErrorCode() != "AWS.SimpleQueueService.NonExistentQueue" || notExist.ErrorFault() != smithy.FaultClient ||
			notExist.ErrorMessage() != "The specified queue does not exist." {
			t.Errorf("QueueDoesNotExist: code %q, fault %v, message %q", notExist.ErrorCode(), notExist.ErrorFault(), notExist.ErrorMessage())
		}
	})

	t.Run("SQS query", func(t *testing.T) {
		// No current SDK for Go speaks awsQuery to SQS; post the form as the older SDKs do.
		form := url.Values{"Action": {"ListQueues"}, "Version": {"2012-11-05"}}
		resp, err := http.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		want := "<ListQueuesResult><QueueUrl>" + srv.URL + "/000000000000/jobs</QueueUrl></ListQueuesResult>"
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("ListQueues over awsQuery: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("SNS query", func(t *testing.T) {
		client := sns.NewFromConfig(sdkConfig(), func(o *sns.Options) { o.BaseEndpoint = aws.String(srv.URL) })
		out, err := client.ListTopics(ctx, &sns.ListTopicsInput{})
		if err != nil {
			t.Fatalf("ListTopics: %v", err)
		}
		if len(out.Topics) != 1 || aws.ToString(out.Topics[0].TopicArn) != "arn:aws:sns:us-west-2:000000000000:alerts" {
			t.Errorf("ListTopics = %+v", out.Topics)
		}
		if id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata); !ok || len(id) != 36 {
			t.Errorf("request id %q", id)
		}

		_, err = client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String("arn:aws:sns:us-west-2:000000000000:nope")})
		var notFound *snstypes.NotFoundException
		if !errors.As(err, &notFound) {
			t.Fatalf("GetTopicAttributes error %T %v, want *types.NotFoundException", err, err)
		}
		if notFound.ErrorCode() != "NotFound" || notFound.ErrorMessage() != "Topic does not exist" {
			t.Errorf("NotFoundException: %q %q", notFound.ErrorCode(), notFound.ErrorMessage())
		}
	})
}
