// Package value owns the JSON value model shared by Baton's query languages
// (JSONPath, intrinsic functions, JSONata) and by the state machine
// interpreter.
//
// A JSON value is one of these Go types, and nothing else:
//
//	nil        null
//	bool       true, false
//	float64    a number (IEEE 754 double, as JavaScript and JSONata have it)
//	string     a string
//	[]any      an array
//	*Object    an object, whose members keep the order they were written in
//
// Objects keep their key order because AWS does: States.JsonToString, the
// history's payload strings and JSONata's $keys and $string all show members
// in input order, and a map would lose it.
//
// The package does no I/O and imports nothing of the project. Values are
// immutable by convention once shared: code that wants to change a value
// copies it first (see Clone).
//
//	v, err := value.Decode([]byte(`{"b":1,"a":[true,null]}`))
//	obj := v.(*value.Object)
//	a, _ := obj.Get("a")
//	fmt.Println(string(value.Encode(a))) // [true,null]
package value
