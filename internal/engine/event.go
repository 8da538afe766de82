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
	// ("stateEnteredEventDetails"); Details is that member's object, with
	// payloads (input, output, parameters) as JSON text. Both are empty for
	// events without details (ParallelStateStarted, MapStateSucceeded, ...).
	DetailsKey string
	Details    *value.Object
}

// JSON returns the event as the AWS API shapes it, with the timestamp in
// epoch seconds.
func (e *Event) JSON() *value.Object {
	o := value.NewObject(5)
	o.Set("timestamp", float64(e.Timestamp.UnixMilli())/1000)
	o.Set("type", e.Type)
	o.Set("id", float64(e.ID))
	o.Set("previousEventId", float64(e.PreviousEventID))
	if e.DetailsKey != "" {
		o.Set(e.DetailsKey, e.Details)
	}
	return o
}

// payload is how AWS records a JSON payload in history details: its text and
// whether it was truncated (Baton never truncates below the payload limit).
func payloadDetails(d *value.Object, key string, v any) {
	d.Set(key, value.EncodeString(v))
	d.Set(key+"Details", value.ObjectOf("truncated", false))
}

// stateEnteredType and stateExitedType name the entered/exited events of a
// state type, e.g. PassStateEntered.
func stateEnteredType(stateType string) string { return stateType + "StateEntered" }
func stateExitedType(stateType string) string  { return stateType + "StateExited" }
