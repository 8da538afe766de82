package awsapi

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// QueryHandler serves one awsQuery action. form holds the request's parameters: the form body
// merged over the URL's query parameters, Action and Version included. FormList, FormStructs and
// FormMap read AWS's numbered lists and maps out of it.
type QueryHandler func(ctx context.Context, req *Request, form url.Values) (QueryResponse, error)

// QueryResponse is an awsQuery action's result. The Router writes
//
//	<?xml version="1.0" encoding="UTF-8"?>
//	<ActionResponse xmlns="…service namespace…">
//	  <ActionResult>…Result…</ActionResult>
//	  <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
//	</ActionResponse>
//
// where Result is encoded with encoding/xml as the <ActionResult> element: its fields become the
// element's children (the Result type's own name and XMLName are ignored). Result is usually a
// struct with xml tags:
//
//	type listQueuesResult struct {
//		QueueURLs []string `xml:"QueueUrl"`
//	}
//	type listTopicsResult struct {
//		Topics    []topic `xml:"Topics>member"`
//		NextToken string  `xml:",omitempty"`
//	}
//
// A nil Result writes no <ActionResult> element, as AWS does for actions without output
// (DeleteMessage, SetTopicAttributes).
type QueryResponse struct {
	Result any
}

// HandleQuery registers h for the awsQuery action of the API version, such as ("2012-11-05",
// "SendMessage") for SQS and ("2010-03-31", "Publish") for SNS. It panics when the pair is
// already registered.
func (r *Router) HandleQuery(version, action string, h QueryHandler) {
	if version == "" || action == "" {
		panic("awsapi: query version and action must not be empty")
	}
	k := queryKey{version, action}
	if _, dup := r.query[k]; dup {
		panic(fmt.Sprintf("awsapi: query action %s %s registered twice", version, action))
	}
	r.query[k] = h
	r.queryByName[action] = append(r.queryByName[action], version)
}

// queryVersions maps awsQuery API versions to their services.
var queryVersions = map[string]service{
	"2012-11-05": {id: serviceSQS, xmlns: "http://queue.amazonaws.com/doc/2012-11-05/"},
	"2010-03-31": {id: serviceSNS, xmlns: "http://sns.amazonaws.com/doc/2010-03-31/"},
}

func queryService(version string) service {
	if s, ok := queryVersions[version]; ok {
		return s
	}
	return service{}
}

func (r *Router) serveQuery(w http.ResponseWriter, hr *http.Request) {
	start := time.Now()
	req := r.newRequest(hr)
	var svc service
	var action string
	var out []byte
	e := func() *Error {
		form, err := r.readForm(hr)
		if err != nil {
			return r.awsError(req, err)
		}
		action = form.Get("Action")
		version := form.Get("Version")
		svc = queryService(version)
		req.Service, req.Operation = svc.id, action
		if action == "" {
			return NewError("MissingAction", "The request must contain the parameter Action.")
		}
		if version == "" {
			versions := r.queryByName[action]
			if len(versions) != 1 {
				return NewError("MissingParameter", "The request must contain the parameter Version.")
			}
			version = versions[0]
			svc = queryService(version)
			req.Service = svc.id
		}
		h, ok := r.query[queryKey{version, action}]
		if !ok {
			return NewError("InvalidAction", "The action %s is not valid for this web service (version %s).", action, version)
		}
		ctx := handlerContext(hr, req)
		var resp QueryResponse
		if e := r.call(req, func() error {
			var err error
			resp, err = h(ctx, req, form)
			return err
		}); e != nil {
			return e
		}
		if out, err = encodeQueryResponse(svc.xmlns, action, req.ID, resp); err != nil {
			return r.awsError(req, fmt.Errorf("encode %s result: %w", action, err))
		}
		return nil
	}()
	setRequestID(w, req)
	if e != nil {
		r.writeQueryError(w, req, svc, e)
	} else {
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(out)
	}
	r.logCall(req, "query", start, e)
}

// readForm returns the request's parameters: the form body (for a form-encoded POST) over the
// URL's query parameters.
func (r *Router) readForm(hr *http.Request) (url.Values, error) {
	form, err := url.ParseQuery(hr.URL.RawQuery)
	if err != nil {
		return nil, NewError("MalformedQueryString", "The query string is malformed: %v.", err)
	}
	if hr.Method != http.MethodPost {
		return form, nil
	}
	body, err := r.readBody(hr)
	if err != nil {
		return nil, err
	}
	posted, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, NewError("MalformedQueryString", "The form body is malformed: %v.", err)
	}
	for k, v := range posted {
		form[k] = v
	}
	return form, nil
}

// encodeQueryResponse writes the <ActionResponse> document.
func encodeQueryResponse(xmlns, action, requestID string, resp QueryResponse) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	root := xml.StartElement{Name: xml.Name{Local: action + "Response"}}
	if xmlns != "" {
		root.Attr = []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: xmlns}}
	}
	if err := enc.EncodeToken(root); err != nil {
		return nil, err
	}
	if resp.Result != nil {
		if err := enc.EncodeElement(resp.Result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			return nil, err
		}
	}
	md := responseMetadata{RequestID: requestID}
	if err := enc.EncodeElement(md, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return nil, err
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// queryErrorResponse is awsQuery's error document.
type queryErrorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr,omitempty"`
	Type      Fault    `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	Detail    struct{} `xml:"Error>Detail"`
	RequestID string   `xml:"RequestId"`
}

// writeQueryError writes e as awsQuery does: the table's status and
// <ErrorResponse><Error><Type/><Code/><Message/><Detail/></Error><RequestId/></ErrorResponse>,
// with the table's query code.
func (r *Router) writeQueryError(w http.ResponseWriter, req *Request, svc service, e *Error) {
	info := r.errorInfo(req, e)
	doc := queryErrorResponse{Xmlns: svc.xmlns, Type: info.Fault, Code: info.QueryCode, Message: e.Message, RequestID: req.ID}
	out, err := xml.Marshal(doc)
	if err != nil { // Only strings: cannot fail.
		panic(err)
	}
	out = append([]byte(xml.Header), out...)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(info.Status)
	_, _ = w.Write(out)
}

// FormList returns the awsQuery list prefix.1, prefix.2, … in index order, for instance
// FormList(form, "AttributeName") for SQS's AttributeName.1=All. Indexes need not be contiguous;
// members that are not positive integers are ignored.
func FormList(form url.Values, prefix string) []string {
	idx := formIndexes(form, prefix, false)
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, form.Get(prefix+"."+strconv.Itoa(i)))
	}
	return out
}

// FormStructs returns the awsQuery list of structures prefix.N.Member in index order, each as
// its own url.Values keyed by what follows "prefix.N.". For instance FormStructs(form,
// "SendMessageBatchRequestEntry") turns SendMessageBatchRequestEntry.1.Id=a and
// SendMessageBatchRequestEntry.1.MessageBody=b into [{Id: [a], MessageBody: [b]}], and
// FormStructs(form, "Attributes.entry") reads SNS's maps (.N.key, .N.value).
func FormStructs(form url.Values, prefix string) []url.Values {
	idx := formIndexes(form, prefix, true)
	out := make([]url.Values, 0, len(idx))
	for _, i := range idx {
		p := prefix + "." + strconv.Itoa(i) + "."
		sub := url.Values{}
		for k, v := range form {
			if rest, ok := strings.CutPrefix(k, p); ok && rest != "" {
				sub[rest] = v
			}
		}
		out = append(out, sub)
	}
	return out
}

// FormMap returns the awsQuery map prefix.N.keyName / prefix.N.valueName as a Go map: for SQS
// FormMap(form, "Attribute", "Name", "Value"), for SNS FormMap(form, "Attributes.entry", "key",
// "value"). Entries without a key are skipped; a repeated key keeps the last value in index order.
func FormMap(form url.Values, prefix, keyName, valueName string) map[string]string {
	out := make(map[string]string)
	for _, s := range FormStructs(form, prefix) {
		if k := s.Get(keyName); k != "" {
			out[k] = s.Get(valueName)
		}
	}
	return out
}

// formIndexes returns the sorted, distinct N of the keys prefix.N (structs false) or
// prefix.N.something (structs true).
func formIndexes(form url.Values, prefix string, structs bool) []int {
	seen := make(map[int]bool)
	for k := range form {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		num, tail, hasTail := strings.Cut(rest, ".")
		if hasTail != structs || (structs && tail == "") {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || strconv.Itoa(n) != num {
			continue
		}
		seen[n] = true
	}
	idx := make([]int, 0, len(seen))
	for n := range seen {
		idx = append(idx, n)
	}
	sort.Ints(idx)
	return idx
}
