package engine

import (
	"fmt"
	"strconv"
	"time"

	"github.com/batonrun/baton/internal/value"
)

// EncodeSignal records a signal and the time it was delivered, as the
// durable engine stores it in an execution's signal log.
func EncodeSignal(sig Signal, at time.Time) []byte {
	o := value.NewObject(5)
	// The time is a decimal string: Unix nanoseconds do not fit a double.
	o.Set("at", strconv.FormatInt(at.UnixNano(), 10))
	switch s := sig.(type) {
	case TaskSucceeded:
		o.Set("k", "TaskSucceeded")
		o.Set("id", s.ID)
		o.Set("output", s.Output)
	case TaskFailed:
		o.Set("k", "TaskFailed")
		o.Set("id", s.ID)
		o.Set("error", s.Error)
		o.Set("cause", s.Cause)
	case TaskHeartbeat:
		o.Set("k", "TaskHeartbeat")
		o.Set("id", s.ID)
	case TimerFired:
		o.Set("k", "TimerFired")
		o.Set("id", s.ID)
	case Redrive:
		o.Set("k", "Redrive")
	case Stop:
		o.Set("k", "Stop")
		o.Set("error", s.Error)
		o.Set("cause", s.Cause)
	}
	return value.Encode(o)
}

// DecodeSignal reads a signal written by EncodeSignal.
func DecodeSignal(data []byte) (Signal, time.Time, error) {
	v, err := value.Decode(data)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("decode signal: %w", err)
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, time.Time{}, fmt.Errorf("decode signal: not an object")
	}
	str := func(k string) string {
		x, _ := o.Get(k)
		s, _ := x.(string)
		return s
	}
	nanos, err := strconv.ParseInt(str("at"), 10, 64)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("decode signal: bad time: %w", err)
	}
	at := time.Unix(0, nanos).UTC()
	switch k := str("k"); k {
	case "TaskSucceeded":
		out, _ := o.Get("output")
		return TaskSucceeded{ID: str("id"), Output: out}, at, nil
	case "TaskFailed":
		return TaskFailed{ID: str("id"), Error: str("error"), Cause: str("cause")}, at, nil
	case "TaskHeartbeat":
		return TaskHeartbeat{ID: str("id")}, at, nil
	case "TimerFired":
		return TimerFired{ID: str("id")}, at, nil
	case "Redrive":
		return Redrive{}, at, nil
	case "Stop":
		return Stop{Error: str("error"), Cause: str("cause")}, at, nil
	default:
		return nil, time.Time{}, fmt.Errorf("decode signal: unknown kind %q", k)
	}
}
