package jsonata

import "sync"

// boundedCache is a concurrency-safe map of at most max entries; when full
// it is emptied, which is enough for caches of pictures that expressions
// nearly always give as literals.
type boundedCache[V any] struct {
	mu  sync.RWMutex
	max int
	m   map[string]V
}

func newBoundedCache[V any](max int) *boundedCache[V] {
	return &boundedCache[V]{max: max, m: make(map[string]V)}
}

func (c *boundedCache[V]) get(k string) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

func (c *boundedCache[V]) put(k string, v V) {
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = make(map[string]V)
	}
	c.m[k] = v
	c.mu.Unlock()
}
