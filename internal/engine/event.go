package engine

import (
	"time"

	"github.com/batonrun/baton/internal/value"
)

// Event is one history event, as GetExecutionHistory returns it.
type Event struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	// DetailsKey names the event's details member as AWS does
	// ("stateEnteredEventDetails"); Details holds that member's members,
	// except that payloads are values, not yet JSON text: the input and
	// output members, a task's parameters and each assigned variable. Render
	// writes them as text, the way AWS shows them; an execution's payloads
	// are written only when its history is stored or read. Both are empty
	// for events without details (ParallelStateStarted, MapStateSucceeded,
	// ...). Details and the values in it are shared with the execution and
	// must not be modified.
	DetailsKey string
	Details    *value.Object
}

// Render returns the event's details as AWS shapes them: Details with each
// payload as its JSON text. It returns nil for an event without details,
// and a new object on every call. AppendDetails writes the same as text.
func (e *Event) Render() *value.Object {
	if e.Details == nil {
		return nil
	}
	d := value.NewObject(e.Details.Len())
	for _, m := range e.Details.Members() {
		switch detailKind(m.Key) {
		case detailPayload:
			d.Set(m.Key, value.EncodeString(m.Value))
		case detailPayloads:
			vars, _ := m.Value.(*value.Object)
			texts := value.NewObject(vars.Len())
			for _, v := range vars.Members() {
				texts.Set(v.Key, value.EncodeString(v.Value))
			}
			d.Set(m.Key, texts)
		default:
			d.Set(m.Key, m.Value)
		}
	}
	return d
}

// AppendDetails appends the JSON text of Render() to dst ({} for an event
// without details), writing each payload's text once, straight into its
// string literal, instead of building it and then escaping it.
func (e *Event) AppendDetails(dst []byte) []byte {
	dst = append(dst, '{')
	for i, m := range e.Details.Members() {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = value.AppendQuote(dst, m.Key)
		dst = append(dst, ':')
		switch detailKind(m.Key) {
		case detailPayload:
			dst = value.AppendEncodeQuoted(dst, m.Value)
		case detailPayloads:
			vars, _ := m.Value.(*value.Object)
			dst = append(dst, '{')
			for j, v := range vars.Members() {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = value.AppendQuote(dst, v.Key)
				dst = append(dst, ':')
				dst = value.AppendEncodeQuoted(dst, v.Value)
			}
			dst = append(dst, '}')
		default:
			dst = value.AppendEncode(dst, m.Value)
		}
	}
	return append(dst, '}')
}

// Kinds of details members, by how Render writes them.
const (
	detailPlain    = iota // as it is
	detailPayload         // a payload: as its JSON text
	detailPayloads        // an object of payloads (assigned variables): each as its JSON text
)

// detailKind says how Render writes the details member key. Payloads are
// always recorded under these keys (see setInput, setOutput, setAssigned
// and a task's parameters), and no other member uses them.
func detailKind(key string) int {
	switch key {
	case "input", "output", "parameters":
		return detailPayload
	case "assignedVariables":
		return detailPayloads
	}
	return detailPlain
}

// JSON returns the event as the AWS API shapes it, with the timestamp in
// epoch seconds and its details rendered (see Render).
func (e *Event) JSON() *value.Object {
	o := value.NewObject(5)
	o.Set("timestamp", float64(e.Timestamp.UnixMilli())/1000)
	o.Set("type", e.Type)
	o.Set("id", float64(e.ID))
	o.Set("previousEventId", float64(e.PreviousEventID))
	if e.DetailsKey != "" {
		o.Set(e.DetailsKey, e.Render())
	}
	return o
}

// notTruncated is the truncation flag of every payload Baton records: it
// never truncates below the payload limit. It is shared by every event and
// must not be modified.
var notTruncated = value.ObjectOf("truncated", false)

// setInput and setOutput record a payload in history details as AWS does:
// the payload (a value, which Event.Render writes as JSON text) and whether
// it was truncated. The value must not be modified afterwards; values are
// never modified once shared (see package value).
func setInput(d *value.Object, v any) {
	d.Set("input", v)
	d.Set("inputDetails", notTruncated)
}

func setOutput(d *value.Object, v any) {
	d.Set("output", v)
	d.Set("outputDetails", notTruncated)
}

// setAssigned records a state's assigned variables, each of which
// Event.Render writes as JSON text.
func setAssigned(d *value.Object, assigned *value.Object) {
	d.Set("assignedVariables", assigned)
	d.Set("assignedVariablesDetails", notTruncated)
}

// stateEnteredType and stateExitedType name the entered/exited events of a
// state type, e.g. PassStateEntered; the usual types get constant strings,
// so that naming an event allocates nothing.
func stateEnteredType(stateType string) string {
	switch stateType {
	case "Pass":
		return "PassStateEntered"
	case "Task":
		return "TaskStateEntered"
	case "Choice":
		return "ChoiceStateEntered"
	case "Wait":
		return "WaitStateEntered"
	case "Succeed":
		return "SucceedStateEntered"
	case "Fail":
		return "FailStateEntered"
	case "Parallel":
		return "ParallelStateEntered"
	case "Map":
		return "MapStateEntered"
	}
	return stateType + "StateEntered"
}

func stateExitedType(stateType string) string {
	switch stateType {
	case "Pass":
		return "PassStateExited"
	case "Task":
		return "TaskStateExited"
	case "Choice":
		return "ChoiceStateExited"
	case "Wait":
		return "WaitStateExited"
	case "Succeed":
		return "SucceedStateExited"
	case "Parallel":
		return "ParallelStateExited"
	case "Map":
		return "MapStateExited"
	}
	return stateType + "StateExited"
}
