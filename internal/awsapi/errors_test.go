package awsapi

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		service, code string
		want          ErrorInfo
	}{
		{"sfn", "ExecutionDoesNotExist", ErrorInfo{400, Sender, ""}},
		{"sfn", "ConflictException", ErrorInfo{400, Sender, ""}},
		{"", "ConflictException", ErrorInfo{409, Sender, ""}},
		{"sfn", "ValidationException", ErrorInfo{400, Sender, ""}},
		{"sfn", "InternalFailure", ErrorInfo{500, Receiver, ""}},
		{"sqs", "QueueDoesNotExist", ErrorInfo{400, Sender, "AWS.SimpleQueueService.NonExistentQueue"}},
		{"sqs", "QueueNameExists", ErrorInfo{400, Sender, "QueueAlreadyExists"}},
		{"sqs", "ReceiptHandleIsInvalid", ErrorInfo{404, Sender, "ReceiptHandleIsInvalid"}},
		{"sqs", "PurgeQueueInProgress", ErrorInfo{403, Sender, "AWS.SimpleQueueService.PurgeQueueInProgress"}},
		{"sqs", "OverLimit", ErrorInfo{403, Sender, "OverLimit"}},
		{"sqs", "ResourceNotFoundException", ErrorInfo{404, Sender, "ResourceNotFoundException"}},
		{"sqs", "InvalidParameterValue", ErrorInfo{400, Sender, ""}},
		{"sns", "NotFoundException", ErrorInfo{404, Sender, "NotFound"}},
		{"sns", "InvalidParameterValueException", ErrorInfo{400, Sender, "ParameterValueInvalid"}},
		{"sns", "AuthorizationErrorException", ErrorInfo{403, Sender, "AuthorizationError"}},
		{"sns", "ThrottledException", ErrorInfo{429, Sender, "Throttled"}},
		{"events", "ResourceNotFoundException", ErrorInfo{400, Sender, ""}},
		{"", "ResourceNotFoundException", ErrorInfo{404, Sender, ""}},
		{"lambda", "TooManyRequestsException", ErrorInfo{429, Sender, ""}},
		{"", "RequestEntityTooLarge", ErrorInfo{413, Sender, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.service+"/"+tt.code, func(t *testing.T) {
			got, ok := Lookup(tt.service, tt.code)
			if !ok || got != tt.want {
				t.Errorf("Lookup(%q, %q) = %+v, %v; want %+v", tt.service, tt.code, got, ok, tt.want)
			}
		})
	}
	if _, ok := Lookup("sfn", "NoSuchCode"); ok {
		t.Error("Lookup of an unknown code: ok")
	}
	if _, ok := Lookup("sfn", "QueueDoesNotExist"); ok {
		t.Error("an SQS code is known to Step Functions")
	}
}

// TestStepFunctionsCodes checks that every error the Step Functions API declares is in the table.
func TestStepFunctionsCodes(t *testing.T) {
	t.Parallel()
	codes := []string{
		"ValidationException", "InvalidArn", "InvalidName", "InvalidDefinition", "InvalidExecutionInput",
		"InvalidOutput", "InvalidToken", "InvalidLoggingConfiguration", "InvalidTracingConfiguration",
		"InvalidEncryptionConfiguration", "ExecutionAlreadyExists", "ExecutionDoesNotExist",
		"ExecutionLimitExceeded", "ExecutionNotRedrivable", "StateMachineAlreadyExists",
		"StateMachineDoesNotExist", "StateMachineDeleting", "StateMachineLimitExceeded",
		"StateMachineTypeNotSupported", "ActivityDoesNotExist", "ActivityLimitExceeded",
		"ActivityWorkerLimitExceeded", "ActivityAlreadyExists", "TaskDoesNotExist", "TaskTimedOut",
		"ResourceNotFound", "ConflictException", "ServiceQuotaExceededException", "TooManyTags",
		"MissingRequiredParameter", "KmsAccessDeniedException", "KmsInvalidStateException",
		"KmsThrottlingException",
		// Generic codes any service may send.
		"SerializationException", "UnknownOperationException", "InvalidAction", "MissingAction",
		"InternalFailure", "AccessDeniedException", "ThrottlingException", "UnrecognizedClientException",
	}
	for _, c := range codes {
		info, ok := Lookup("sfn", c)
		if !ok {
			t.Errorf("%s is not in the table", c)
			continue
		}
		want := 400
		if c == "InternalFailure" {
			want = 500
		}
		if info.Status != want {
			t.Errorf("%s: status %d, want %d", c, info.Status, want)
		}
	}
}

// TestErrorTableConsistent checks every entry: a real status, and the fault agreeing with it.
func TestErrorTableConsistent(t *testing.T) {
	t.Parallel()
	for key, info := range errorTable {
		if info.Status < 400 || info.Status > 599 {
			t.Errorf("%s: status %d", key, info.Status)
		}
		if (info.Status >= 500) != (info.Fault == Receiver) {
			t.Errorf("%s: status %d with fault %s", key, info.Status, info.Fault)
		}
		if info.Fault != Sender && info.Fault != Receiver {
			t.Errorf("%s: fault %q", key, info.Fault)
		}
		if svc, code, ok := strings.Cut(key, "/"); ok {
			if svc == "" || code == "" || strings.Contains(code, "/") {
				t.Errorf("malformed key %q", key)
			}
		}
	}
}

func TestNewError(t *testing.T) {
	t.Parallel()
	e := NewError("InvalidArn", "Invalid Arn: '%s'", "x")
	if e.Code != "InvalidArn" || e.Message != "Invalid Arn: 'x'" {
		t.Errorf("NewError = %+v", e)
	}
	if got := e.Error(); got != "InvalidArn: Invalid Arn: 'x'" {
		t.Errorf("Error() = %q", got)
	}
	wrapped := fmt.Errorf("start execution: %w", e)
	var got *Error
	if !errors.As(wrapped, &got) || got != e {
		t.Error("errors.As does not find a wrapped *Error")
	}
}
