package jsonpath

import (
	"errors"
	"testing"

	"github.com/batonrun/baton/internal/value"
)

func TestSet(t *testing.T) {
	t.Parallel()
	cases := []struct {
		root, path, v, want string
		err                 error
	}{
		{`{"a":1}`, "$", `"x"`, `"x"`, nil},
		{`"str"`, "$", `{"b":2}`, `{"b":2}`, nil},
		{`{}`, "$.a", `1`, `{"a":1}`, nil},
		{`{"a":1,"b":2}`, "$.a", `3`, `{"a":3,"b":2}`, nil},
		{`{}`, "$.a.b.c", `1`, `{"a":{"b":{"c":1}}}`, nil},
		{`{"a":{"x":1}}`, "$['a']['b c']", `2`, `{"a":{"x":1,"b c":2}}`, nil},
		// Recorded: test_base_scenarios__test_map_state_item_selector: the
		// result is appended to the existing object.
		{`{"detail":{"delivery-partner":"UQS","shipped":[1]}}`, "$.detail.shipped_output", `[9]`,
			`{"detail":{"delivery-partner":"UQS","shipped":[1],"shipped_output":[9]}}`, nil},
		{`{"a":[1,{"b":2},3]}`, "$.a[1].b", `5`, `{"a":[1,{"b":5},3]}`, nil},
		{`{"a":[1,2]}`, "$.a[0]", `null`, `{"a":[null,2]}`, nil},
		{`{"a":[1,2]}`, "$.a[2]", `0`, ``, ErrConflict},
		{`{"a":"s"}`, "$.a.b", `0`, ``, ErrConflict},
		{`{"a":null}`, "$.a.b", `0`, ``, ErrConflict},
		{`{"a":{"b":1}}`, "$.a[0]", `0`, ``, ErrConflict},
		{`{}`, "$.a[0]", `0`, ``, ErrConflict},
		// An input that is not an object cannot take a member; AWS reports
		// "Unable to apply ReferencePath $.partitioned to input ..." for a
		// string input.
		{`"{\"min_size\":1}"`, "$.partitioned", `1`, ``, ErrConflict},
		{`[1]`, "$.a", `1`, ``, ErrConflict},
		{`{"a":[1]}`, "$.a[*]", `1`, ``, ErrNotReference},
		{`{"a":[1]}`, "$.a[-1]", `1`, ``, ErrNotReference},
		{`{"a":1}`, "$..a", `1`, ``, ErrNotReference},
	}
	for _, c := range cases {
		root := value.MustDecode(c.root)
		before := value.EncodeString(root)
		got, err := MustParse(c.path).Set(root, value.MustDecode(c.v))
		if after := value.EncodeString(root); after != before {
			t.Errorf("Set(%s, %q) modified its input: %s became %s", c.root, c.path, before, after)
		}
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("Set(%s, %q) error = %v, want %v", c.root, c.path, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Set(%s, %q): %v", c.root, c.path, err)
			continue
		}
		if gotJSON := value.EncodeString(got); gotJSON != c.want {
			t.Errorf("Set(%s, %q) = %s, want %s", c.root, c.path, gotJSON, c.want)
		}
	}
}

func TestSetSharesUntouchedValues(t *testing.T) {
	t.Parallel()
	root := value.MustDecode(`{"keep":{"big":[1,2,3]},"edit":{"x":1}}`).(*value.Object)
	out, err := MustParse("$.edit.y").Set(root, 2.0)
	if err != nil {
		t.Fatal(err)
	}
	o := out.(*value.Object)
	if o == root {
		t.Fatal("Set returned its input object")
	}
	keepIn, _ := root.Get("keep")
	keepOut, _ := o.Get("keep")
	if keepIn != keepOut {
		t.Fatal("Set copied a member it did not touch")
	}
	editIn, _ := root.Get("edit")
	if editIn.(*value.Object).Has("y") {
		t.Fatal("Set modified a nested object of its input")
	}
}
