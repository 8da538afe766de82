package awsapi

import (
	"fmt"
	"net/http"
)

// Error is an AWS error: a code from the error table and a message for people. Services return it,
// or an error that wraps it; the Router finds it with errors.As and sends it in the request's
// protocol. Any other error becomes InternalFailure (500) and is logged.
//
// Code is the error's shape name in the AWS model, as the SDKs name their error types:
// "ExecutionDoesNotExist", "QueueDoesNotExist", "NotFoundException". For services that speak
// awsQuery (SQS, SNS) the table maps the shape name to the legacy query code
// ("AWS.SimpleQueueService.NonExistentQueue", "NotFound"), so a service never spells those itself.
type Error struct {
	Code    string
	Message string
}

// NewError returns an *Error with the message fmt.Sprintf(format, args...).
func NewError(code string, format string, args ...any) *Error {
	if len(args) == 0 {
		return &Error{Code: code, Message: format}
	}
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error returns "Code: Message".
func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// ErrorCode returns the code, as the SDKs' API errors do; services that see
// each other's errors (a state machine's Task calling SQS) read it.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns the message.
func (e *Error) ErrorMessage() string { return e.Message }

// Fault says whose fault an error is, as awsQuery's <Type> and x-amzn-query-error put it.
type Fault string

// The two faults.
const (
	Sender   Fault = "Sender"
	Receiver Fault = "Receiver"
)

// ErrorInfo is how AWS sends one error code.
type ErrorInfo struct {
	// Status is the HTTP status code.
	Status int
	// Fault is Sender for client errors, Receiver for server errors.
	Fault Fault
	// QueryCode is the code in awsQuery's <Code> and in the x-amzn-query-error header that
	// awsJson services with query compatibility (SQS) send; "" means the same as the code.
	QueryCode string
}

// Service ids qualify service-specific codes in the error table. The Router knows a request's
// service from its X-Amz-Target prefix or its awsQuery Version (see services in router.go).
const (
	serviceSFN    = "sfn"
	serviceSQS    = "sqs"
	serviceSNS    = "sns"
	serviceEvents = "events"
)

// Lookup returns how AWS sends code for service (a service id such as "sfn", "sqs", "sns",
// "events"; "" for none): the service's own entry if it has one, else the generic entry. ok is
// false when the table has neither; the Router then sends the code as 400 Sender and logs a
// warning, so services should test their codes with Lookup.
func Lookup(service, code string) (info ErrorInfo, ok bool) {
	if service != "" {
		if info, ok := errorTable[service+"/"+code]; ok {
			return info, true
		}
	}
	info, ok = errorTable[code]
	return info, ok
}

// lookupOrDefault is Lookup with 400 Sender for unknown codes.
func lookupOrDefault(service, code string) (ErrorInfo, bool) {
	info, ok := Lookup(service, code)
	if !ok {
		info = ErrorInfo{Status: http.StatusBadRequest, Fault: Sender}
	}
	if info.QueryCode == "" {
		info.QueryCode = code
	}
	return info, ok
}

// qualified reports whether code is one of service's own codes (a "service/code" entry), which
// SQS's JSON protocol sends with the service's Smithy namespace in __type.
func qualified(service, code string) bool {
	_, ok := errorTable[service+"/"+code]
	return ok
}

func sender(status int) ErrorInfo   { return ErrorInfo{Status: status, Fault: Sender} }
func receiver(status int) ErrorInfo { return ErrorInfo{Status: status, Fault: Receiver} }
func query(status int, code string) ErrorInfo {
	return ErrorInfo{Status: status, Fault: Sender, QueryCode: code}
}

// errorTable is the one place AWS error codes become HTTP. A key is either a code that every
// service sends the same way (AWS's "common errors", and the REST services' codes, which agree) or
// "service/Code" for a code whose status or query code is that service's own: the same name means
// different things in different services (ResourceNotFoundException is 404 in SQS and Lambda, 400
// in EventBridge; ConflictException is 400 in Step Functions, 409 elsewhere). Statuses and query
// codes follow the AWS models as the SDKs carry them (httpError and awsQueryError traits; a model
// error without httpError is 400 for client faults, 500 for server faults).
var errorTable = map[string]ErrorInfo{
	// Common errors, and the protocol layer's own.
	"AccessDeniedException":          sender(400),
	"IncompleteSignature":            sender(400),
	"InternalFailure":                receiver(500),
	"InvalidAction":                  sender(400),
	"InvalidClientTokenId":           sender(403),
	"InvalidParameterCombination":    sender(400),
	"InvalidParameterValue":          sender(400),
	"InvalidQueryParameter":          sender(400),
	"MalformedQueryString":           sender(404),
	"MissingAction":                  sender(400),
	"MissingAuthenticationToken":     sender(403),
	"MissingParameter":               sender(400),
	"NotAuthorized":                  sender(400),
	"OptInRequired":                  sender(403),
	"RequestExpired":                 sender(400),
	"ServiceUnavailable":             receiver(503),
	"ThrottlingException":            sender(400),
	"UnrecognizedClientException":    sender(400),
	"ValidationError":                sender(400),
	"ValidationException":            sender(400),
	"SerializationException":         sender(400),
	"UnknownOperationException":      sender(400),
	"RequestEntityTooLarge":          sender(413),
	"UnsupportedMediaTypeException":  sender(415),
	"ResourceNotFoundException":      sender(404),
	"ConflictException":              sender(409),
	"ServiceQuotaExceededException":  sender(402),
	"InternalServerException":        receiver(500),
	"TooManyRequestsException":       sender(429),
	"InvalidParameterValueException": sender(400),
	"InvalidRequestContentException": sender(400),
	"RequestTooLargeException":       sender(413),
	"ResourceConflictException":      sender(409),
	"ResourceInUseException":         sender(400),
	"PreconditionFailedException":    sender(412),
	"ServiceException":               receiver(500),

	// Step Functions (awsJson1_0, AWSStepFunctions.*): every error is 400.
	"sfn/ActivityAlreadyExists":          sender(400),
	"sfn/ActivityDoesNotExist":           sender(400),
	"sfn/ActivityLimitExceeded":          sender(400),
	"sfn/ActivityWorkerLimitExceeded":    sender(400),
	"sfn/ConflictException":              sender(400),
	"sfn/ExecutionAlreadyExists":         sender(400),
	"sfn/ExecutionDoesNotExist":          sender(400),
	"sfn/ExecutionLimitExceeded":         sender(400),
	"sfn/ExecutionNotRedrivable":         sender(400),
	"sfn/InvalidArn":                     sender(400),
	"sfn/InvalidDefinition":              sender(400),
	"sfn/InvalidEncryptionConfiguration": sender(400),
	"sfn/InvalidExecutionInput":          sender(400),
	"sfn/InvalidLoggingConfiguration":    sender(400),
	"sfn/InvalidName":                    sender(400),
	"sfn/InvalidOutput":                  sender(400),
	"sfn/InvalidToken":                   sender(400),
	"sfn/InvalidTracingConfiguration":    sender(400),
	"sfn/KmsAccessDeniedException":       sender(400),
	"sfn/KmsInvalidStateException":       sender(400),
	"sfn/KmsThrottlingException":         sender(400),
	"sfn/MissingRequiredParameter":       sender(400),
	"sfn/ResourceNotFound":               sender(400),
	"sfn/ServiceQuotaExceededException":  sender(400),
	"sfn/StateMachineAlreadyExists":      sender(400),
	"sfn/StateMachineDeleting":           sender(400),
	"sfn/StateMachineDoesNotExist":       sender(400),
	"sfn/StateMachineLimitExceeded":      sender(400),
	"sfn/StateMachineTypeNotSupported":   sender(400),
	"sfn/TaskDoesNotExist":               sender(400),
	"sfn/TaskTimedOut":                   sender(400),
	"sfn/TooManyTags":                    sender(400),
	"sfn/ValidationException":            sender(400),

	// SQS (awsJson1_0 AmazonSQS.* with x-amzn-query-error, and awsQuery 2012-11-05).
	"sqs/BatchEntryIdsNotDistinct":     query(400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
	"sqs/BatchRequestTooLong":          query(400, "AWS.SimpleQueueService.BatchRequestTooLong"),
	"sqs/EmptyBatchRequest":            query(400, "AWS.SimpleQueueService.EmptyBatchRequest"),
	"sqs/InvalidAddress":               query(404, "InvalidAddress"),
	"sqs/InvalidAttributeName":         sender(400),
	"sqs/InvalidAttributeValue":        sender(400),
	"sqs/InvalidBatchEntryId":          query(400, "AWS.SimpleQueueService.InvalidBatchEntryId"),
	"sqs/InvalidIdFormat":              sender(400),
	"sqs/InvalidMessageContents":       sender(400),
	"sqs/InvalidSecurity":              query(403, "InvalidSecurity"),
	"sqs/KmsAccessDenied":              query(400, "KMS.AccessDeniedException"),
	"sqs/KmsDisabled":                  query(400, "KMS.DisabledException"),
	"sqs/KmsInvalidKeyUsage":           query(400, "KMS.InvalidKeyUsageException"),
	"sqs/KmsInvalidState":              query(400, "KMS.InvalidStateException"),
	"sqs/KmsNotFound":                  query(400, "KMS.NotFoundException"),
	"sqs/KmsOptInRequired":             query(403, "KMS.OptInRequired"),
	"sqs/KmsThrottled":                 query(400, "KMS.ThrottlingException"),
	"sqs/MessageNotInflight":           query(400, "AWS.SimpleQueueService.MessageNotInflight"),
	"sqs/OverLimit":                    query(403, "OverLimit"),
	"sqs/PurgeQueueInProgress":         query(403, "AWS.SimpleQueueService.PurgeQueueInProgress"),
	"sqs/QueueDeletedRecently":         query(400, "AWS.SimpleQueueService.QueueDeletedRecently"),
	"sqs/QueueDoesNotExist":            query(400, "AWS.SimpleQueueService.NonExistentQueue"),
	"sqs/QueueNameExists":              query(400, "QueueAlreadyExists"),
	"sqs/ReceiptHandleIsInvalid":       query(404, "ReceiptHandleIsInvalid"),
	"sqs/RequestThrottled":             query(403, "RequestThrottled"),
	"sqs/ResourceNotFoundException":    query(404, "ResourceNotFoundException"),
	"sqs/TooManyEntriesInBatchRequest": query(400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
	"sqs/UnsupportedOperation":         query(400, "AWS.SimpleQueueService.UnsupportedOperation"),

	// SNS (awsQuery 2010-03-31): shape names map to the query codes the SDKs match.
	"sns/AuthorizationErrorException":           query(403, "AuthorizationError"),
	"sns/BatchEntryIdsNotDistinctException":     query(400, "BatchEntryIdsNotDistinct"),
	"sns/BatchRequestTooLongException":          query(400, "BatchRequestTooLong"),
	"sns/ConcurrentAccessException":             query(400, "ConcurrentAccess"),
	"sns/EmptyBatchRequestException":            query(400, "EmptyBatchRequest"),
	"sns/EndpointDisabledException":             query(400, "EndpointDisabled"),
	"sns/FilterPolicyLimitExceededException":    query(403, "FilterPolicyLimitExceeded"),
	"sns/InternalErrorException":                {Status: 500, Fault: Receiver, QueryCode: "InternalError"},
	"sns/InvalidBatchEntryIdException":          query(400, "InvalidBatchEntryId"),
	"sns/InvalidParameterException":             query(400, "InvalidParameter"),
	"sns/InvalidParameterValueException":        query(400, "ParameterValueInvalid"),
	"sns/InvalidSecurityException":              query(403, "InvalidSecurity"),
	"sns/InvalidStateException":                 query(400, "InvalidState"),
	"sns/KMSAccessDeniedException":              query(400, "KMSAccessDenied"),
	"sns/KMSDisabledException":                  query(400, "KMSDisabled"),
	"sns/KMSInvalidStateException":              query(400, "KMSInvalidState"),
	"sns/KMSNotFoundException":                  query(400, "KMSNotFound"),
	"sns/KMSOptInRequired":                      query(403, "KMSOptInRequired"),
	"sns/KMSThrottlingException":                query(400, "KMSThrottling"),
	"sns/NotFoundException":                     query(404, "NotFound"),
	"sns/OptedOutException":                     query(400, "OptedOut"),
	"sns/PlatformApplicationDisabledException":  query(400, "PlatformApplicationDisabled"),
	"sns/ReplayLimitExceededException":          query(403, "ReplayLimitExceeded"),
	"sns/ResourceNotFoundException":             query(404, "ResourceNotFound"),
	"sns/StaleTagException":                     query(400, "StaleTag"),
	"sns/SubscriptionLimitExceededException":    query(403, "SubscriptionLimitExceeded"),
	"sns/TagLimitExceededException":             query(400, "TagLimitExceeded"),
	"sns/TagPolicyException":                    query(400, "TagPolicy"),
	"sns/ThrottledException":                    query(429, "Throttled"),
	"sns/TooManyEntriesInBatchRequestException": query(400, "TooManyEntriesInBatchRequest"),
	"sns/TopicLimitExceededException":           query(403, "TopicLimitExceeded"),
	"sns/UserErrorException":                    query(400, "UserError"),
	"sns/ValidationException":                   query(400, "ValidationException"),
	"sns/VerificationException":                 query(400, "VerificationException"),

	// EventBridge (awsJson1_1, AWSEvents.*): no httpError traits, so 400 (500 for InternalException).
	"events/ConcurrentModificationException": sender(400),
	"events/IllegalStatusException":          sender(400),
	"events/InternalException":               receiver(500),
	"events/InvalidEventPatternException":    sender(400),
	"events/InvalidStateException":           sender(400),
	"events/LimitExceededException":          sender(400),
	"events/ManagedRuleException":            sender(400),
	"events/OperationDisabledException":      sender(400),
	"events/PolicyLengthExceededException":   sender(400),
	"events/ResourceAlreadyExistsException":  sender(400),
	"events/ResourceNotFoundException":       sender(400),
}
