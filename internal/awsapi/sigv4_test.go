package awsapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestParseCredential(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		auth      string
		regionSet string // X-Amz-Region-Set header
		rawQuery  string
		want      Credential
		ok        bool
	}{
		{
			name: "sigv4",
			auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-2/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
			want: Credential{AccessKey: "AKIDEXAMPLE", Date: "20260101", Region: "eu-west-2", Service: "states"},
			ok:   true,
		},
		{
			name: "sigv4 without spaces",
			auth: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request,SignedHeaders=host,Signature=abc",
			want: Credential{AccessKey: "test", Date: "20260101", Region: "us-east-1", Service: "sqs"},
			ok:   true,
		},
		{
			name: "credential not first",
			auth: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc, Credential=K/20260101/ap-south-1/events/aws4_request",
			want: Credential{AccessKey: "K", Date: "20260101", Region: "ap-south-1", Service: "events"},
			ok:   true,
		},
		{
			name:      "sigv4a takes the region set",
			auth:      "AWS4-ECDSA-P256-SHA256 Credential=AKID/20260101/sqs/aws4_request, SignedHeaders=host;x-amz-region-set, Signature=3045",
			regionSet: "*,eu-central-1",
			want:      Credential{AccessKey: "AKID", Date: "20260101", Region: "eu-central-1", Service: "sqs"},
			ok:        true,
		},
		{
			name:      "sigv4a wildcard only",
			auth:      "AWS4-ECDSA-P256-SHA256 Credential=AKID/20260101/sqs/aws4_request, Signature=3045",
			regionSet: "*",
			want:      Credential{AccessKey: "AKID", Date: "20260101", Service: "sqs"},
			ok:        true,
		},
		{
			name: "sigv2",
			auth: "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
			want: Credential{AccessKey: "AKIDEXAMPLE"},
			ok:   true,
		},
		{
			name:     "presigned",
			rawQuery: "Action=ListQueues&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-west-2%2Fsqs%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Signature=abc",
			want:     Credential{AccessKey: "AKID", Date: "20260101", Region: "us-west-2", Service: "sqs"},
			ok:       true,
		},
		{name: "unsigned"},
		{name: "unknown algorithm", auth: "Bearer abc"},
		{name: "no credential", auth: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc"},
		{name: "short scope", auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/aws4_request"},
		{name: "bad terminator", auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/states/aws5_request"},
		{name: "bad date", auth: "AWS4-HMAC-SHA256 Credential=AKID/2026-1-1/us-east-1/states/aws4_request"},
		{name: "bad region", auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/US EAST/states/aws4_request"},
		{name: "empty key", auth: "AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/states/aws4_request"},
		{name: "empty service", auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1//aws4_request"},
		{name: "bad presigned", rawQuery: "X-Amz-Credential=nonsense"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/?"+tt.rawQuery, nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			if tt.regionSet != "" {
				r.Header.Set("X-Amz-Region-Set", tt.regionSet)
			}
			got, ok := ParseCredential(r)
			if ok != tt.ok || got != tt.want {
				t.Errorf("ParseCredential = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=abc")
	f.Add("AWS4-ECDSA-P256-SHA256 Credential=AKID/20260101/sqs/aws4_request")
	f.Add("AWS AKID:sig")
	f.Add("AWS4-HMAC-SHA256 Credential=/////")
	f.Fuzz(func(t *testing.T, h string) {
		c, ok := parseAuthorization(h)
		if !ok {
			if c != (Credential{}) {
				t.Errorf("not ok but %+v", c)
			}
			return
		}
		if !validAccessKey(c.AccessKey) {
			t.Errorf("access key %q accepted", c.AccessKey)
		}
		if c.Region != "" && !validRegion(c.Region) {
			t.Errorf("region %q accepted", c.Region)
		}
	})
}
