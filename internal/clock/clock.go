// Package clock gives services the time. Every service reads time through a
// Clock so that tests, and `baton test`, can run on a virtual clock: a Wait of
// a week or a retry back-off of an hour then takes no real time.
//
//	c := clock.NewVirtual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
//	ch := c.After(time.Hour)
//	c.Advance(time.Hour) // ch receives now
//
// The package must not import anything of the project.
package clock

import (
	"sort"
	"sync"
	"time"
)

// Clock tells the time and signals when a moment has come. Implementations
// are safe for concurrent use.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives the time once d has elapsed.
	After(d time.Duration) <-chan time.Time
}

// Real is the system clock.
type Real struct{}

// Now returns the current UTC time.
func (Real) Now() time.Time { return time.Now().UTC() }

// After is time.After.
func (Real) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Virtual is a clock that moves only when told to. Waiters whose moment has
// come receive the time on Advance or Set.
type Virtual struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewVirtual returns a virtual clock reading start.
func NewVirtual(start time.Time) *Virtual { return &Virtual{now: start} }

// Now returns the clock's time.
func (v *Virtual) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now
}

// After returns a channel that receives the time when the clock reaches
// now+d; at once when d <= 0.
func (v *Virtual) After(d time.Duration) <-chan time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	ch := make(chan time.Time, 1)
	at := v.now.Add(d)
	if d <= 0 {
		ch <- v.now
		return ch
	}
	v.waiters = append(v.waiters, waiter{at: at, ch: ch})
	return ch
}

// Advance moves the clock forward by d and wakes the waiters it passes.
func (v *Virtual) Advance(d time.Duration) { v.Set(v.Now().Add(d)) }

// Set moves the clock to t (never backwards) and wakes the waiters it
// passes, earliest first.
func (v *Virtual) Set(t time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if t.After(v.now) {
		v.now = t
	}
	sort.Slice(v.waiters, func(i, j int) bool { return v.waiters[i].at.Before(v.waiters[j].at) })
	kept := v.waiters[:0]
	for _, w := range v.waiters {
		if !w.at.After(v.now) {
			w.ch <- v.now
			continue
		}
		kept = append(kept, w)
	}
	v.waiters = kept
}

// Waiters returns how many After channels are still waiting; tests use it
// to know that a service has gone to sleep before they advance the clock.
func (v *Virtual) Waiters() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.waiters)
}
