package awsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// JSONHandler serves one awsJson operation. body is the request body (gzip already decoded);
// Decode it into the operation's input. The result is encoded with encoding/json (HTML
// characters unescaped) as the response body: a struct with json tags, a map, or a
// json.RawMessage; nil means "{}". Use Timestamp for AWS JSON timestamps.
type JSONHandler func(ctx context.Context, req *Request, body []byte) (any, error)

// HandleJSON registers h for the X-Amz-Target value target, "Service.Operation", such as
// "AWSStepFunctions.StartExecution", "AmazonSQS.SendMessage" or "AWSEvents.PutEvents". It panics
// when target is malformed or already registered.
func (r *Router) HandleJSON(target string, h JSONHandler) {
	prefix, op, ok := strings.Cut(target, ".")
	if !ok || prefix == "" || op == "" || strings.Contains(op, ".") {
		panic(fmt.Sprintf("awsapi: X-Amz-Target %q is not Service.Operation", target))
	}
	if _, dup := r.json[target]; dup {
		panic(fmt.Sprintf("awsapi: X-Amz-Target %q registered twice", target))
	}
	r.json[target] = h
}

// jsonServices maps X-Amz-Target prefixes to their services. A prefix not here is served as
// awsJson1_0 with the lower-cased prefix as its id.
var jsonServices = map[string]service{
	"AWSStepFunctions": {id: serviceSFN, jsonVersion: "1.0"},
	"AmazonSQS":        {id: serviceSQS, jsonVersion: "1.0", namespace: "com.amazonaws.sqs", queryCompatible: true},
	"AWSEvents":        {id: serviceEvents, jsonVersion: "1.1"},
	"AmazonSSM":        {id: "ssm", jsonVersion: "1.1"},
}

func jsonService(prefix string) service {
	if s, ok := jsonServices[prefix]; ok {
		return s
	}
	return service{id: strings.ToLower(prefix), jsonVersion: "1.0"}
}

// jsonContentType is the response Content-Type: the request's when it is an awsJson one, else
// the service's.
func jsonContentType(hr *http.Request, svc service) string {
	mt, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
	switch mt {
	case "application/x-amz-json-1.0", "application/x-amz-json-1.1":
		return mt
	}
	return "application/x-amz-json-" + svc.jsonVersion
}

func (r *Router) serveJSON(w http.ResponseWriter, hr *http.Request, target string) {
	start := time.Now()
	req := r.newRequest(hr)
	prefix, op, _ := strings.Cut(target, ".")
	svc := jsonService(prefix)
	req.Service, req.Operation = svc.id, op
	ct := jsonContentType(hr, svc)

	var result any
	e := r.callJSON(hr, req, target, &result)
	var out []byte
	if e == nil {
		var err error
		if out, err = encodeJSON(result); err != nil {
			e = r.awsError(req, fmt.Errorf("encode %s result: %w", target, err))
		}
	}
	if e != nil {
		r.writeJSONError(w, req, svc, ct, e)
	} else {
		setRequestID(w, req)
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(out)
	}
	r.logCall(req, "json", start, e)
}

func (r *Router) callJSON(hr *http.Request, req *Request, target string, result *any) *Error {
	h, ok := r.json[target]
	if !ok {
		return NewError("UnknownOperationException", "Operation %s is not supported.", target)
	}
	if hr.Method != http.MethodPost {
		return NewError("UnknownOperationException", "Operation %s must be called with POST, not %s.", target, hr.Method)
	}
	body, err := r.readBody(hr)
	if err != nil {
		return r.awsError(req, err)
	}
	ctx := handlerContext(hr, req)
	return r.call(req, func() error {
		var err error
		*result, err = h(ctx, req, body)
		return err
	})
}

// encodeJSON encodes a handler's result; nil (or a nil pointer) is "{}".
func encodeJSON(v any) ([]byte, error) {
	if v == nil {
		return []byte("{}"), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	out := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if string(out) == "null" {
		return []byte("{}"), nil
	}
	return out, nil
}

// writeJSONError writes e as awsJson does: the table's status, X-Amzn-ErrorType, and a body
// {"__type": code, "message": text}; for query-compatible services also x-amzn-query-error.
func (r *Router) writeJSONError(w http.ResponseWriter, req *Request, svc service, ct string, e *Error) {
	info := r.errorInfo(req, e)
	typ := e.Code
	if svc.namespace != "" && qualified(svc.id, e.Code) {
		typ = svc.namespace + "#" + e.Code
	}
	body, _ := encodeJSON(jsonError{Type: typ, Message: e.Message})
	h := w.Header()
	setRequestID(w, req)
	h.Set("Content-Type", ct)
	h.Set("X-Amzn-Errortype", e.Code)
	if svc.queryCompatible {
		h.Set("X-Amzn-Query-Error", info.QueryCode+";"+string(info.Fault))
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(info.Status)
	_, _ = w.Write(body)
}

type jsonError struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

// Decode unmarshals the JSON body of a request into v. As AWS does, it ignores members v does
// not have, and treats an empty body as {}. Malformed JSON, and a member of the wrong JSON type
// (named in the message), are *Error SerializationException. Member names match
// case-insensitively (encoding/json's rule), where AWS matches exactly.
func Decode(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return NewError("SerializationException", "Malformed JSON at offset %d: %s.", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		want := jsonKind(typ.Type.String())
		if typ.Field == "" {
			return NewError("SerializationException", "Expected %s, got %s.", want, typ.Value)
		}
		return NewError("SerializationException", "Member %s: expected %s, got %s.", typ.Field, want, typ.Value)
	default:
		return NewError("SerializationException", "Malformed request: %v.", err)
	}
}

// jsonKind names a Go type as the JSON it decodes from.
func jsonKind(goType string) string {
	t := strings.TrimLeft(goType, "*")
	switch {
	case t == "string":
		return "string"
	case t == "bool":
		return "boolean"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "number"
	case strings.HasPrefix(t, "[]"):
		return "array"
	case strings.HasPrefix(t, "map["), strings.Contains(t, "."):
		return "object"
	}
	return t
}

// Timestamp is a time as the awsJson protocols send it: epoch seconds with a fractional part,
// millisecond precision (1767225600.123). It decodes from a number or an RFC 3339 string. Use
// `json:",omitzero"` to leave out a zero Timestamp.
type Timestamp time.Time

// MarshalJSON encodes t as epoch seconds.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON decodes epoch seconds or an RFC 3339 string.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("timestamp %q is neither epoch seconds nor RFC 3339", s)
		}
		*t = Timestamp(tm)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("timestamp %s is neither epoch seconds nor RFC 3339", b)
	}
	*t = Timestamp(time.UnixMilli(int64(f*1000 + copysign(0.5, f))).UTC())
	return nil
}

// IsZero reports whether t is the zero time, for omitzero.
func (t Timestamp) IsZero() bool { return time.Time(t).IsZero() }

// Time returns t as a time.Time.
func (t Timestamp) Time() time.Time { return time.Time(t) }

func copysign(x, sign float64) float64 {
	if sign < 0 {
		return -x
	}
	return x
}
