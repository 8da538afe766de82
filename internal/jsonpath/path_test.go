package jsonpath

import (
	"errors"
	"strings"
	"testing"

	"github.com/batonrun/baton/internal/value"
)

// store is Goessner's example document, which Jayway's README uses.
const store = `{
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10
}`

func TestParseForms(t *testing.T) {
	t.Parallel()
	cases := []struct {
		path, jayway        string
		definite, reference bool
	}{
		{"$", "$", true, true},
		{"$.a", "$['a']", true, true},
		{"$.NoSuchInputPath", "$['NoSuchInputPath']", true, true},
		{"$.a[0].b", "$['a'][0]['b']", true, true},
		{"$.a.b[2].c", "$['a']['b'][2]['c']", true, true},
		{"$['a']['b c']", "$['a']['b c']", true, true},
		{`$["a"]`, `$["a"]`, true, true},
		{"$[0]", "$[0]", true, true},
		{"$.a[-1]", "$['a'][-1]", true, false},
		{"$.delivery-partner", "$['delivery-partner']", true, true},
		{"$.a:b$c", "$['a:b$c']", true, true},
		{"$['a','b']", "$['a','b']", true, false},
		{"$['a','b'].c", "$['a','b']['c']", false, false},
		{"$.a[*]", "$['a'][*]", false, false},
		{"$.a.*", "$['a'][*]", false, false},
		{"$.*", "$[*]", false, false},
		{"$..a", "$..['a']", false, false},
		{"$..*", "$..[*]", false, false},
		{"$..[0]", "$..[0]", false, false},
		{"$.a[1:3]", "$['a'][1:3]", false, false},
		{"$.a[:2]", "$['a'][:2]", false, false},
		{"$.a[-2:]", "$['a'][-2:]", false, false},
		{"$.a[1:2:3]", "$['a'][1:2]", false, false}, // Jayway ignores a step
		{"$.a[0,1]", "$['a'][0,1]", false, false},
		{"$.a[ 0 , 1 ]", "$['a'][0,1]", false, false},
		{"$.users[?(@.status == 0)]", "$['users'][?]", false, false},
		{"$.a.length()", "$['a'].length()", true, false},
		{"$..price.sum()", "$..['price'].sum()", true, false},
		{"$.a[*].length()", "$['a'][*].length()", false, false},
		{"  $.a  ", "$['a']", true, true},
		{`$['Test\""Name"']`, `$['Test\""Name"']`, true, true},
		// Jayway stops when a bracket token leaves one character.
		{"$['a']x", "$['a']", true, true},
		{"$.a[0]]", "$['a'][0]", true, true},
		// A name may follow a bracket directly.
		{"$['a']bc", "$['a']['bc']", true, true},
		{"$.['a']", "$['a']", true, true},
	}
	for _, c := range cases {
		p, err := Parse(c.path)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.path, err)
			continue
		}
		if got := p.JaywayString(); got != c.jayway {
			t.Errorf("Parse(%q).JaywayString() = %q, want %q", c.path, got, c.jayway)
		}
		if got := p.IsDefinite(); got != c.definite {
			t.Errorf("Parse(%q).IsDefinite() = %v, want %v", c.path, got, c.definite)
		}
		if got := p.IsReference(); got != c.reference {
			t.Errorf("Parse(%q).IsReference() = %v, want %v", c.path, got, c.reference)
		}
		if p.String() != c.path {
			t.Errorf("Parse(%q).String() = %q", c.path, p.String())
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ path, msg string }{
		{"", "must not be empty"},
		{"a.b", "must start with '$'"},
		{"$myVar", "expected '.' or '['"},
		{"$$.Execution", "expected '.' or '['"},
		{"$.", "must not end with a '.'"},
		{"$..", "must not end with a '.'"},
		{"$.a.", "must not end with a '.'"},
		{"$...a", "Character '.' on position 3 is not valid."},
		{"$.a b", "Use bracket notion"},
		{"$. a", "Could not parse token"},
		{"$[]", "Could not parse token starting at position 1"},
		{"$['a'", "Property must be separated by comma"},
		{"$['a", "Property has not been closed - missing closing '"},
		{"$['a' 'b']", "Property must be separated by comma"},
		{"$['a',]", "Found empty property"},
		{"$[1:2 ]x", ""}, // "1:2" is fine, the trailing x is ignored
		{"$[1: 2]", "Failed to parse SliceOperation"},
		{"$[:]", "Failed to parse SliceOperation"},
		{"$[1,]", "Failed to parse token in ArrayIndexOperation"},
		{"$[99999999999]", "Failed to parse token in ArrayIndexOperation"},
		{"$[*", "Expected wildcard token to end with ']'"},
		{"$[?]", "Not enough predicates supplied"},
		{"$[?(@.a == )]", ""},
		{"$[?(@.a ==)]", ""},
		{"$[?(@.a)", "Could not parse token"},
		{"$[?(@.a =~ /(/)]", "Invalid regular expression"},
		{"$[?('a')]", "Expected path node"},
		{"$[?(@.a == 'x)]", ""},
		{"$[?(@.a type 'x')]", ""},
		{"$.a.nosuch()", "Function with name: nosuch does not exist."},
		{"$.a.sum(1)", "are not supported"},
		{"$.a.length().b", "must be the last element"},
		{"$.a.length(", "are not closed properly"},
		{"$..length()", "can not follow a deep scan"},
	}
	for _, c := range cases {
		p, err := Parse(c.path)
		if c.path == "$[1:2 ]x" {
			if err != nil {
				t.Errorf("Parse(%q): %v", c.path, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("Parse(%q) = %s, want an error", c.path, p.JaywayString())
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error %T, want *SyntaxError", c.path, err)
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Parse(%q) = %q, want it to contain %q", c.path, err, c.msg)
		}
	}
}

type getCase struct {
	path string
	want string // JSON of the result; "" with err set
	err  string // substring of the error; "!" for an error wrapping ErrNotFound
}

func runGet(t *testing.T, doc string, cases []getCase) {
	t.Helper()
	root := value.MustDecode(doc)
	for _, c := range cases {
		p, err := Parse(c.path)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.path, err)
			continue
		}
		got, err := p.Get(root)
		switch {
		case c.err != "":
			if err == nil {
				t.Errorf("Get(%q) = %s, want an error", c.path, value.Encode(got))
				continue
			}
			if c.err == "!" {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("Get(%q) error %q does not wrap ErrNotFound", c.path, err)
				}
			} else if !strings.Contains(err.Error(), c.err) {
				t.Errorf("Get(%q) error %q, want it to contain %q", c.path, err, c.err)
			}
		case err != nil:
			t.Errorf("Get(%q): %v", c.path, err)
		default:
			if want := value.MustDecode(c.want); !value.Equal(got, want) {
				t.Errorf("Get(%q) = %s, want %s", c.path, value.Encode(got), c.want)
			}
		}
	}
}

func TestGetStore(t *testing.T) {
	t.Parallel()
	runGet(t, store, []getCase{
		{"$.store.book[*].author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`, ""},
		{"$..author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`, ""},
		{"$.store.*", `[[{"category":"reference","author":"Nigel Rees","title":"Sayings of the Century","price":8.95},{"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99},{"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553-21311-3","price":8.99},{"category":"fiction","author":"J. R. R. Tolkien","title":"The Lord of the Rings","isbn":"0-395-19395-8","price":22.99}],{"color":"red","price":19.95}]`, ""},
		{"$.store..price", `[8.95,12.99,8.99,22.99,19.95]`, ""},
		{"$..book[2].title", `["Moby Dick"]`, ""},
		{"$..book[-2].title", `["Moby Dick"]`, ""},
		{"$..book[0,1].title", `["Sayings of the Century","Sword of Honour"]`, ""},
		{"$..book[:2].title", `["Sayings of the Century","Sword of Honour"]`, ""},
		{"$..book[1:2].title", `["Sword of Honour"]`, ""},
		{"$..book[-2:].title", `["Moby Dick","The Lord of the Rings"]`, ""},
		{"$..book[2:].title", `["Moby Dick","The Lord of the Rings"]`, ""},
		{"$..book[?(@.isbn)].title", `["Moby Dick","The Lord of the Rings"]`, ""},
		{"$.store.book[?(@.price < 10)].title", `["Sayings of the Century","Moby Dick"]`, ""},
		{"$..book[?(@.price <= $['expensive'])].title", `["Sayings of the Century","Moby Dick"]`, ""},
		{"$..book[?(@.author =~ /.*REES/i)].title", `["Sayings of the Century"]`, ""},
		{"$.store.book.length()", `4`, ""},
		{"$.store.book[0]['title','price']", `{"title":"Sayings of the Century","price":8.95}`, ""},
		{"$.store.bicycle.keys()", `["color","price"]`, ""},
		{"$..price.max()", `22.99`, ""},
		{"$..price.min()", `8.95`, ""},
		{"$.expensive", `10`, ""},
		{"$.store.bicycle.color", `"red"`, ""},
	})
}

func TestGetDefinite(t *testing.T) {
	t.Parallel()
	runGet(t, `{"a":{"b":[1,{"c":null},3],"s":"str","n":null},"items":[{"item_key":0},{"item_key":1}],"Test\\\"\"Name\"":"Value\"\\"}`, []getCase{
		{"$", `{"a":{"b":[1,{"c":null},3],"s":"str","n":null},"items":[{"item_key":0},{"item_key":1}],"Test\\\"\"Name\"":"Value\"\\"}`, ""},
		{"$.a.b[1].c", `null`, ""},
		{"$.a.b[-1]", `3`, ""},
		{"$.a.b[-3]", `1`, ""},
		{"$['a']['s']", `"str"`, ""},
		{`$["a"]["s"]`, `"str"`, ""},
		{"$.items[1].item_key", `1`, ""},
		// Recorded: test_base_scenarios__test_escape_sequence_parsing_
		// ESCAPE_SEQUENCES_JSONPATH: the backslash stays in the name.
		{`$['Test\""Name"']`, `"Value\"\\"`, ""},
		{"$.a.n", `null`, ""},
		{"$.missing", "", "No results for path: $['missing']"},
		{"$.missing", "", "!"},
		{"$.a.b[3]", "", "No results for path: $['a']['b'][3]"},
		{"$.a.b[-4]", "", "!"},
		{"$.missing.x", "", "Missing property in path $['missing']"},
		{"$.a.s.x", "", "Expected to find an object with property ['x'] in path $['a']['s'] but found 'java.lang.String'"},
		{"$.a.n.x", "", "but found 'null'"},
		{"$.a.b.x", "", "but found 'java.util.ArrayList'"},
		{"$.a[0]", "", "Filter: [0] can only be applied to arrays. Current context is: {b=[1, {c=null}, 3], s=str, n=null}"},
		{"$.a.n[0]", "", "The path $['a']['n'] is null"},
		{"$.a.s[0:1]", "", "Filter: [0:1] can only be applied to arrays. Current context is: str"},
		{"$.a.s[*]", `[]`, ""},
		{`$["missing"]`, "", `No results for path: $["missing"]`},
		{"$['a','zz']", `{"a":{"b":[1,{"c":null},3],"s":"str","n":null}}`, ""},
		{"$['y','zz']", `{}`, ""},
	})
}

func TestGetIndefinite(t *testing.T) {
	t.Parallel()
	runGet(t, `{"arr":[1,2,3,4,5],"objs":[{"id":1},{"x":2},{"id":3,"in":{"id":4}}],"o":{"a":1,"b":[2]},"s":"str"}`, []getCase{
		{"$.objs[*].id", `[1,3]`, ""},
		{"$..id", `[1,3,4]`, ""},
		{"$.o.*", `[1,[2]]`, ""},
		{"$.s[*]", `[]`, ""},
		{"$.missing[*]", "", "Missing property in path $['missing']"},
		{"$.objs[*].missing[*]", `[]`, ""},
		{"$.arr[1:3]", `[2,3]`, ""},
		{"$.arr[:2]", `[1,2]`, ""},
		{"$.arr[-2:]", `[4,5]`, ""},
		{"$.arr[3:]", `[4,5]`, ""},
		{"$.arr[:-1]", `[1,2,3,4]`, ""},
		{"$.arr[2:99]", `[3,4,5]`, ""},
		{"$.arr[4:2]", `[]`, ""},
		// Jayway does not count the bounds of [from:to] from the end; it
		// takes the negative indexes one by one.
		{"$.arr[-2:-1]", `[4]`, ""},
		{"$.arr[1:-1]", `[]`, ""},
		{"$.arr[0,4,9]", `[1,5]`, ""},
		{"$.arr[-1,0]", `[5,1]`, ""},
		{"$.*.id", `[]`, ""},
		{"$.objs[*]['id','x']", `[{"id":1},{"x":2},{"id":3}]`, ""}, // names at the end merge
		{"$.objs[*]['id','x'].length()", `[null,null,null]`, ""},   // before a function they are iterated
		{"$..[0]", `[1,{"id":1},2]`, ""},
		{"$.objs[*].length()", `[1,1,2]`, ""},
		{"$.arr.sum()", `15`, ""},
		{"$.arr.avg()", `3`, ""},
		{"$.arr.stddev()", `1.4142135623730951`, ""},
		{"$.arr.length()", `5`, ""},
		{"$.arr.size()", `5`, ""},
		{"$.s.length()", `null`, ""},
		{"$.o.sum()", "", "Aggregation function attempted to calculate value using empty array"},
		{"$.objs[*].id.sum()", "", "Aggregation function"},
		{"$..id.sum()", `8`, ""},
		{"$..id.length()", `3`, ""},
		{"$.o.length()", `2`, ""},
		{"$.missing.length()", "", "Missing property in path $['missing']"},
	})
}

func TestGetFilters(t *testing.T) {
	t.Parallel()
	doc := `{
	  "users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}],
	  "items": [
	    {"id": 1, "name": "apple", "price": 5, "tags": ["red", "fruit"], "ok": true, "n": null},
	    {"id": 2, "name": "Banana", "price": 12.5, "tags": ["yellow"], "ok": false, "n": 1},
	    {"id": 3, "name": "cherry", "price": "7", "tags": [], "ok": true},
	    {"id": 4, "name": "", "tags": ["red"], "nested": {"v": 1}}
	  ],
	  "nums": [1, 2, 3, "3", null, true],
	  "limit": 6,
	  "obj": {"a": 1, "b": "x"},
	  "prim": 5
	}`
	runGet(t, doc, []getCase{
		// Recorded: test_base__test_state_pass_regex_json_path_base.
		{"$.users[?(@.status == 0)]", `[{"year":1997,"status":0}]`, ""},
		{"$.items[?(@.price < 10)].id", `[1]`, ""},
		{"$.items[?(@.price > 10)].id", `[2]`, ""},
		{"$.items[?(@.price >= 5)].id", `[1,2]`, ""},
		{"$.items[?(@.price <= $.limit)].id", `[1]`, ""},
		{"$.items[?(@.price == '7')].id", `[3]`, ""},
		// A number equals a string holding the same number, both ways.
		{"$.items[?(@.id == '2')].id", `[2]`, ""},
		{"$.items[?('2' == @.id)].id", `[2]`, ""},
		{"$.items[?(@.id === '2')].id", `[]`, ""},
		{"$.items[?(@.id === 2)].id", `[2]`, ""},
		{"$.items[?(@.id !== 2)].id", `[1,3,4]`, ""},
		{"$.items[?(@.name == 'apple')].id", `[1]`, ""},
		{`$.items[?(@.name == "apple")].id`, `[1]`, ""},
		{"$.items[?(@.name != 'apple')].id", `[2,3,4]`, ""},
		{"$.items[?(@.name < 'b')].id", `[1,2,4]`, ""}, // UTF-16 order: "Banana" < "b"
		{"$.items[?(@.ok == true)].id", `[1,3]`, ""},
		{"$.items[?(@.ok)].id", `[1,2,3]`, ""},
		{"$.items[?(!@.ok)].id", `[4]`, ""},
		{"$.items[?(@.n == null)].id", `[1]`, ""},
		{"$.items[?(@.n)].id", `[1,2]`, ""},
		{"$.items[?(@.missing != 1)].id", `[1,2,3,4]`, ""},
		{"$.items[?(@.missing == null)].id", `[]`, ""},
		{"$.items[?(@.price < 10 && @.ok)].id", `[1]`, ""},
		{"$.items[?(@.price > 10 || @.name == 'cherry')].id", `[2,3]`, ""},
		{"$.items[?(!(@.price > 10 || @.name == 'cherry'))].id", `[1,4]`, ""},
		// A path alone tests that the member exists, not that it is true.
		{"$.items[?((@.id == 1 || @.id == 2) && @.ok)].id", `[1,2]`, ""},
		{"$.items[?((@.id == 1 || @.id == 2) && @.ok == true)].id", `[1]`, ""},
		{"$.items[?(@.name =~ /^[a-c].*/)].id", `[1,3]`, ""},
		{"$.items[?(@.name =~ /b.*/i)].id", `[2]`, ""},
		{"$.items[?(@.name =~ /an/)].id", `[]`, ""}, // the whole name must match
		{"$.items[?(@.id =~ /[12]/)].id", `[1,2]`, ""},
		{"$.items[?(@.id in [1, 3])].id", `[1,3]`, ""},
		{"$.items[?(@.id in ['1', '3'])].id", `[1,3]`, ""},
		{"$.items[?(@.name in ['apple','cherry'])].id", `[1,3]`, ""},
		{"$.items[?(@.id nin [1, 3])].id", `[2,4]`, ""},
		{"$.items[?(@.id IN [2])].id", `[2]`, ""},
		{"$.items[?(@.tags contains 'red')].id", `[1,4]`, ""},
		{"$.items[?(@.name contains 'an')].id", `[2]`, ""},
		{"$.items[?(@.tags size 1)].id", `[2,4]`, ""},
		{"$.items[?(@.name size 6)].id", `[2,3]`, ""},
		{"$.items[?(@.tags empty true)].id", `[3]`, ""},
		{"$.items[?(@.name empty false)].id", `[1,2,3]`, ""},
		{"$.items[?(@.tags subsetof ['red','fruit','blue'])].id", `[1,3,4]`, ""},
		{"$.items[?(@.tags anyof ['red','yellow'])].id", `[1,2,4]`, ""},
		{"$.items[?(@.tags noneof ['red'])].id", `[2,3]`, ""},
		{"$.items[?(@.tags all ['red','fruit'])].id", `[1]`, ""},
		{"$.items[?(@.tags == ['yellow'])].id", `[2]`, ""},
		{"$.items[?(@.nested == {'v': 1})].id", `[4]`, ""},
		{"$.items[?(@.nested.v)].id", `[4]`, ""},
		{"$.items[?(@.tags.length() > 1)].id", `[1]`, ""},
		{"$.items[?(@.tags[0] == 'red')].id", `[1,4]`, ""},
		{"$.items[?(@['name'] == 'apple')].id", `[1]`, ""},
		{"$.nums[?(@ > 1)]", `[2,3]`, ""},
		{"$.nums[?(@ == 3)]", `[3,"3"]`, ""},
		{"$.nums[?(@ == null)]", `[null]`, ""},
		{"$.nums[?(@ == true)]", `[true]`, ""},
		{"$.items[?(@.id > 1)][?(@.ok == true)].id", `[3]`, ""},
		// A filter on an object tests the object itself.
		{"$.obj[?(@.a == 1)]", `[{"a":1,"b":"x"}]`, ""},
		{"$.obj[?(@.a == 2)]", `[]`, ""},
		{"$..[?(@.v)]", `[{"v":1}]`, ""},
		{"$.prim[?(@ == 5)]", "", "Filter: [?] can not be applied to primitives. Current context is: 5"},
		{"$.items[?(@.tags in 'x')]", "", "Expected value list node"},
		{"$.items[?(@.tags empty 1)]", "", "Expected boolean node"},
		{`$.items[?(@.name == 'it\'s')]`, `[]`, ""},
	})
}

func TestGetSimpleDoesNotAllocate(t *testing.T) {
	root := value.MustDecode(`{"a":{"b":[0,{"c":"d"}]}}`)
	p := MustParse("$.a.b[1].c")
	allocs := testing.AllocsPerRun(100, func() {
		if v, err := p.Get(root); err != nil || v != "d" {
			t.Fatalf("Get = %v, %v", v, err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Get allocated %v times, want 0", allocs)
	}
}

func BenchmarkGetReference(b *testing.B) {
	root := value.MustDecode(`{"detail":{"shipped":[{"prod":"R31"},{"prod":"S39"}],"x":1,"y":2,"z":3}}`)
	p := MustParse("$.detail.shipped[1].prod")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(root); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetFilter(b *testing.B) {
	root := value.MustDecode(store)
	p := MustParse("$.store.book[?(@.price < 10 && @.category == 'fiction')].title")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(root); err != nil {
			b.Fatal(err)
		}
	}
}
