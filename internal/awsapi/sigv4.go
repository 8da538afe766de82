package awsapi

import (
	"net/http"
	"strings"
)

// Credential is the identity part of a request's signature: who signed it, for which region and
// service. The signature itself is not verified (see the package comment).
type Credential struct {
	AccessKey string
	// Date is the credential scope's date, yyyymmdd ("" for SigV2).
	Date string
	// Region is the scope's region; for SigV4a, the first region of X-Amz-Region-Set that is not
	// a wildcard. "" when the signature names none.
	Region string
	// Service is the scope's signing name ("states", "sqs", "events", "lambda").
	Service string
}

// ParseCredential reads the credential of r from, in order: the Authorization header (SigV4
// "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/states/aws4_request, SignedHeaders=…,
// Signature=…", SigV4a "AWS4-ECDSA-P256-SHA256 Credential=AKID/20260101/sqs/aws4_request, …",
// or SigV2 "AWS AKID:signature"); a presigned URL's X-Amz-Credential (and X-Amz-Region-Set)
// query parameters. ok is false when r carries none of them or they cannot be parsed; the Router
// then treats the request as unsigned.
func ParseCredential(r *http.Request) (c Credential, ok bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		c, ok = parseAuthorization(h)
		if ok && c.Region == "" && c.Service != "" { // SigV4a
			c.Region = firstRegion(r.Header.Get("X-Amz-Region-Set"))
		}
		return c, ok
	}
	q := r.URL.Query()
	if cred := q.Get("X-Amz-Credential"); cred != "" {
		c, ok = parseScope(cred)
		if ok && c.Region == "" {
			c.Region = firstRegion(q.Get("X-Amz-Region-Set"))
		}
		return c, ok
	}
	return Credential{}, false
}

// parseAuthorization parses an Authorization header value.
func parseAuthorization(h string) (Credential, bool) {
	algorithm, params, found := strings.Cut(strings.TrimSpace(h), " ")
	if !found {
		return Credential{}, false
	}
	switch algorithm {
	case "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256":
		for p := range strings.SplitSeq(params, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
			if name == "Credential" {
				return parseScope(value)
			}
		}
		return Credential{}, false
	case "AWS":
		key, _, found := strings.Cut(strings.TrimSpace(params), ":")
		if !found || !validAccessKey(key) {
			return Credential{}, false
		}
		return Credential{AccessKey: key}, true
	default:
		return Credential{}, false
	}
}

// parseScope parses a credential "AKID/date/region/service/aws4_request" (SigV4) or
// "AKID/date/service/aws4_request" (SigV4a, whose region comes from X-Amz-Region-Set).
func parseScope(s string) (Credential, bool) {
	parts := strings.Split(s, "/")
	if parts[len(parts)-1] != "aws4_request" || !validAccessKey(parts[0]) {
		return Credential{}, false
	}
	var c Credential
	switch len(parts) {
	case 5:
		c = Credential{AccessKey: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}
		if !validRegion(c.Region) {
			return Credential{}, false
		}
	case 4:
		c = Credential{AccessKey: parts[0], Date: parts[1], Service: parts[2]}
	default:
		return Credential{}, false
	}
	if !validDate(c.Date) || c.Service == "" {
		return Credential{}, false
	}
	return c, true
}

// firstRegion returns the first region of a SigV4a region set that is not a wildcard.
func firstRegion(set string) string {
	for r := range strings.SplitSeq(set, ",") {
		r = strings.TrimSpace(r)
		if validRegion(r) {
			return r
		}
	}
	return ""
}

// validAccessKey accepts the characters access key ids are made of. Keys are not looked up.
func validAccessKey(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// validRegion accepts region names: lower-case letters, digits and dashes, such as "us-east-1".
func validRegion(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validDate accepts a scope date, yyyymmdd.
func validDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
