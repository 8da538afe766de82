// Package awsapi speaks the AWS wire protocols, so that the AWS CLI and every SDK work against
// Baton unchanged. It owns HTTP for all services on the API port: dispatch, request decoding,
// response and error encoding, SigV4 credential parsing, and the AWS error table.
//
// Services register operations; awsapi does HTTP. A Router dispatches by protocol:
//
//   - awsJson1_0 and awsJson1_1 (Step Functions, SQS, EventBridge): by the X-Amz-Target header
//     "Service.Operation". HandleJSON.
//   - awsQuery (SQS's older protocol, SNS): form-encoded Action and Version, XML responses.
//     HandleQuery.
//   - restJson1 (Lambda, Scheduler, Batch): method and path pattern with {labels}. HandleREST.
//   - anything else (the web console, health checks): HandleHTTP.
//
// Use:
//
//	r := awsapi.NewRouter(awsapi.Config{Logger: logger})
//	r.HandleJSON("AWSStepFunctions.DescribeActivity", func(ctx context.Context, req *awsapi.Request, body []byte) (any, error) {
//		var in struct{ ActivityArn string `json:"activityArn"` }
//		if err := awsapi.Decode(body, &in); err != nil {
//			return nil, err
//		}
//		a, ok := activities[in.ActivityArn]
//		if !ok {
//			return nil, awsapi.NewError("ActivityDoesNotExist", "Activity Does Not Exist: '%s'", in.ActivityArn)
//		}
//		return a, nil
//	})
//	http.ListenAndServe(":4566", r)
//
// Errors: a handler returns an *Error (or an error wrapping one) whose Code is the error's shape
// name in the AWS model. The one error table (errors.go) gives each code its HTTP status, fault
// and, for SQS and SNS, the legacy awsQuery code; the Router writes it in the request's protocol:
// awsJson ({"__type","message"}, X-Amzn-ErrorType, and x-amzn-query-error for SQS), awsQuery
// (<ErrorResponse>) or restJson1 (X-Amzn-ErrorType, {"Type","Message"}). Any other error, and a
// handler's panic, becomes InternalFailure (500) and is logged with the request id.
//
// Signatures: the Authorization header (SigV4, SigV4a, SigV2) and presigned URLs are parsed for
// the access key and the region, and never verified. Baton is for local use and for servers
// behind their own access control; verifying signatures against configured keys is a later
// option. Access keys are not mapped to accounts: every request is in Config.Account.
//
// awsapi must not import the project's other packages (internal/value excepted): services
// depend on it, not the other way round.
package awsapi
