package value

// Member is one key and value of an Object.
type Member struct {
	Key   string
	Value any
}

// indexThreshold is the member count above which an Object keeps a map from
// key to position; below it a linear scan is faster than hashing.
const indexThreshold = 12

// Object is a JSON object whose members keep their insertion order. Setting
// an existing key replaces its value in place, keeping its position, as
// JavaScript objects and Jackson's ObjectNode do.
//
// The zero value is an empty object ready to use. An Object is not safe for
// concurrent mutation; concurrent reads are safe.
type Object struct {
	members []Member
	index   map[string]int
}

// NewObject returns an empty object with room for n members.
func NewObject(n int) *Object {
	return &Object{members: make([]Member, 0, n)}
}

// ObjectOf builds an object from alternating keys and values; it is meant for
// tests and literals. It panics when a key is not a string.
func ObjectOf(kv ...any) *Object {
	o := NewObject(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// Len returns the number of members.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.members)
}

// Members returns the members in order. The caller must not modify the slice.
func (o *Object) Members() []Member {
	if o == nil {
		return nil
	}
	return o.members
}

// Keys returns the keys in order, in a new slice.
func (o *Object) Keys() []string {
	keys := make([]string, o.Len())
	for i, m := range o.Members() {
		keys[i] = m.Key
	}
	return keys
}

func (o *Object) find(key string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i := range o.members {
		if o.members[i].Key == key {
			return i
		}
	}
	return -1
}

// Get returns the value of key and whether the key is present.
func (o *Object) Get(key string) (any, bool) {
	i := o.find(key)
	if i < 0 {
		return nil, false
	}
	return o.members[i].Value, true
}

// Has reports whether key is present.
func (o *Object) Has(key string) bool { return o.find(key) >= 0 }

// Set sets key to v, appending the key when it is new.
func (o *Object) Set(key string, v any) {
	if i := o.find(key); i >= 0 {
		o.members[i].Value = v
		return
	}
	o.members = append(o.members, Member{Key: key, Value: v})
	switch {
	case o.index != nil:
		o.index[key] = len(o.members) - 1
	case len(o.members) > indexThreshold:
		o.index = make(map[string]int, len(o.members)*2)
		for i, m := range o.members {
			o.index[m.Key] = i
		}
	}
}

// Delete removes key, keeping the order of the other members.
func (o *Object) Delete(key string) {
	i := o.find(key)
	if i < 0 {
		return
	}
	o.members = append(o.members[:i], o.members[i+1:]...)
	if o.index != nil {
		delete(o.index, key)
		for j := i; j < len(o.members); j++ {
			o.index[o.members[j].Key] = j
		}
	}
}

// ShallowCopy returns a new object with the same members; the values are
// shared.
func (o *Object) ShallowCopy() *Object {
	c := &Object{members: make([]Member, len(o.Members()), o.Len()+1)}
	copy(c.members, o.Members())
	if o != nil && o.index != nil {
		c.index = make(map[string]int, len(o.index))
		for k, v := range o.index {
			c.index[k] = v
		}
	}
	return c
}

// Clone returns a deep copy of v: objects and arrays are copied, scalars are
// shared (they are immutable).
func Clone(v any) any {
	switch t := v.(type) {
	case *Object:
		c := &Object{members: make([]Member, len(t.members))}
		for i, m := range t.members {
			c.members[i] = Member{Key: m.Key, Value: Clone(m.Value)}
		}
		if t.index != nil {
			c.index = make(map[string]int, len(t.index))
			for k, v := range t.index {
				c.index[k] = v
			}
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			c[i] = Clone(e)
		}
		return c
	default:
		return v
	}
}
