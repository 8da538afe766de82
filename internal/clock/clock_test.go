package clock

import (
	"testing"
	"time"
)

func TestVirtualAdvanceWakesInOrder(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewVirtual(start)
	late, early := c.After(2*time.Hour), c.After(time.Hour)
	if c.Waiters() != 2 {
		t.Fatalf("waiters = %d", c.Waiters())
	}
	c.Advance(90 * time.Minute)
	select {
	case got := <-early:
		if !got.Equal(start.Add(90 * time.Minute)) {
			t.Fatalf("early got %v", got)
		}
	default:
		t.Fatal("the one-hour waiter did not wake")
	}
	select {
	case <-late:
		t.Fatal("the two-hour waiter woke early")
	default:
	}
	c.Set(start) // never backwards
	if !c.Now().Equal(start.Add(90 * time.Minute)) {
		t.Fatalf("clock moved backwards to %v", c.Now())
	}
	c.Advance(time.Hour)
	if _, ok := <-late; !ok || c.Waiters() != 0 {
		t.Fatal("the two-hour waiter did not wake")
	}
}
