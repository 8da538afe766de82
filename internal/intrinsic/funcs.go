package intrinsic

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/batonrun/baton/internal/java"
	"hash"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/batonrun/baton/internal/value"
)

// function is one of the States.* functions.
type function struct {
	name             string
	minArgs, maxArgs int // maxArgs < 0: no limit
	// params gives the type each argument must have; the last one repeats.
	// Parse rejects a literal argument of the wrong type.
	params []param
	// literals, if set, checks the literal arguments further; args[i] is
	// nil where argument i is not a literal.
	literals func(args []*arg) string
	eval     func(env *Env, c *Call, args []any) (any, error)
}

type param uint8

const (
	anyValue param = iota
	aString
	aNumber
	aBoolean
	anArray  // no literal is an array
	anObject // no literal is an object
)

func (p param) String() string {
	return [...]string{"any value", "a string", "a number", "a boolean", "an array", "an object"}[p]
}

// checkLiteral reports why literal argument i cannot be right, or "".
func (f *function) checkLiteral(i int, v any) string {
	if len(f.params) == 0 {
		return ""
	}
	want := f.params[min(i, len(f.params)-1)]
	ok := false
	switch want {
	case anyValue:
		ok = true
	case aString:
		_, ok = v.(string)
	case aNumber:
		_, ok = v.(float64)
	case aBoolean:
		_, ok = v.(bool)
	}
	if !ok {
		return fmt.Sprintf("argument %d of %s must be %s, got %s", i+1, f.name, want, describe(v))
	}
	return ""
}

func (f *function) arity() string {
	switch {
	case f.maxArgs < 0:
		return fmt.Sprintf("at least %d arguments", f.minArgs)
	case f.minArgs == f.maxArgs && f.minArgs == 1:
		return "1 argument"
	case f.minArgs == f.maxArgs:
		return fmt.Sprintf("%d arguments", f.minArgs)
	default:
		return fmt.Sprintf("%d to %d arguments", f.minArgs, f.maxArgs)
	}
}

var functions = map[string]*function{}

func init() {
	for _, f := range []*function{
		{name: "States.Format", minArgs: 1, maxArgs: -1, params: []param{aString, anyValue}, eval: format},
		{name: "States.StringToJson", minArgs: 1, maxArgs: 1, params: []param{aString}, eval: stringToJSON},
		{name: "States.JsonToString", minArgs: 1, maxArgs: 1, eval: jsonToString},
		{name: "States.Array", minArgs: 0, maxArgs: -1, eval: array},
		{name: "States.ArrayPartition", minArgs: 2, maxArgs: 2, params: []param{anArray, aNumber}, eval: arrayPartition},
		{name: "States.ArrayContains", minArgs: 2, maxArgs: 2, params: []param{anArray, anyValue}, eval: arrayContains},
		{name: "States.ArrayRange", minArgs: 3, maxArgs: 3, params: []param{aNumber}, eval: arrayRange},
		{name: "States.ArrayGetItem", minArgs: 2, maxArgs: 2, params: []param{anArray, aNumber}, eval: arrayGetItem},
		{name: "States.ArrayLength", minArgs: 1, maxArgs: 1, params: []param{anArray}, eval: arrayLength},
		{name: "States.ArrayUnique", minArgs: 1, maxArgs: 1, params: []param{anArray}, eval: arrayUnique},
		{name: "States.Base64Encode", minArgs: 1, maxArgs: 1, params: []param{aString}, eval: base64Encode},
		{name: "States.Base64Decode", minArgs: 1, maxArgs: 1, params: []param{aString}, eval: base64Decode},
		{name: "States.Hash", minArgs: 2, maxArgs: 2, params: []param{aString}, literals: hashLiterals, eval: hashFunc},
		{name: "States.JsonMerge", minArgs: 3, maxArgs: 3, params: []param{anObject, anObject, aBoolean}, literals: mergeLiterals, eval: jsonMerge},
		{name: "States.MathRandom", minArgs: 2, maxArgs: 3, params: []param{aNumber}, eval: mathRandom},
		{name: "States.MathAdd", minArgs: 2, maxArgs: 2, params: []param{aNumber}, eval: mathAdd},
		{name: "States.StringSplit", minArgs: 2, maxArgs: 2, params: []param{aString}, eval: stringSplit},
		{name: "States.UUID", minArgs: 0, maxArgs: 0, eval: uuid},
	} {
		functions[f.name] = f
	}
}

// maxStringLength is the longest string, in UTF-16 units, that
// States.Base64Encode, States.Base64Decode and States.Hash accept.
const maxStringLength = 10000

// maxRangeItems is the most items States.ArrayRange may produce.
const maxRangeItems = 1000

func (c *Call) stringArg(args []any, i int, what string) (string, error) {
	s, ok := args[i].(string)
	if !ok {
		return "", c.fail("the %s must be a string, got %s", what, describe(args[i]))
	}
	return s, nil
}

func (c *Call) arrayArg(args []any, i int, what string) ([]any, error) {
	a, ok := args[i].([]any)
	if !ok {
		return nil, c.fail("the %s must be an array, got %s", what, describe(args[i]))
	}
	return a, nil
}

func (c *Call) objectArg(args []any, i int, what string) (*value.Object, error) {
	o, ok := args[i].(*value.Object)
	if !ok {
		return nil, c.fail("the %s must be an object, got %s", what, describe(args[i]))
	}
	return o, nil
}

// intArg reads a number argument and rounds it to an integer, as AWS does
// for every argument it documents as an integer.
func (c *Call) intArg(args []any, i int, what string) (int64, error) {
	f, ok := args[i].(float64)
	if !ok {
		return 0, c.fail("the %s must be a number, got %s", what, describe(args[i]))
	}
	return java.Round(f), nil
}

// describe names a value for messages: its type and, when short, the value.
func describe(v any) string {
	s := value.EncodeString(v)
	if len(s) > 64 {
		return value.TypeName(v)
	}
	return value.TypeName(v) + " " + s
}

// format fills each unescaped {} of the template with the next argument,
// printed as Java prints it: strings raw, objects as {a=1, b=[]}.
func format(_ *Env, c *Call, args []any) (any, error) {
	var parts []string
	if c.args[0].kind == argLiteral && c.args[0].template != nil {
		parts = c.args[0].template
	} else {
		s, err := c.stringArg(args, 0, "template")
		if err != nil {
			return nil, err
		}
		parts = strings.Split(s, "{}")
	}
	if len(parts)-1 != len(args)-1 {
		return nil, c.fail("the template has %d placeholders but %d values were given", len(parts)-1, len(args)-1)
	}
	var b []byte
	for i, p := range parts {
		b = append(b, p...)
		if i+1 < len(parts) {
			b = java.AppendValueOf(b, args[i+1])
		}
	}
	return string(b), nil
}

// stringToJSON parses its argument as Jackson's readTree does: blank text is
// null and anything after the first complete value is ignored.
func stringToJSON(_ *Env, c *Call, args []any) (any, error) {
	s, err := c.stringArg(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	s = strings.Trim(s, " \t\r\n")
	if s == "" {
		return nil, nil
	}
	v, err := value.DecodeString(s)
	var se *value.SyntaxError
	if errors.As(err, &se) && se.Msg == value.ErrTrailingData.Error() {
		v, err = value.DecodeString(s[:se.Offset])
	}
	if err != nil {
		return nil, c.fail("the argument is not valid JSON: %v", err)
	}
	return v, nil
}

func jsonToString(_ *Env, _ *Call, args []any) (any, error) {
	return value.EncodeString(args[0]), nil
}

func array(_ *Env, _ *Call, args []any) (any, error) {
	out := make([]any, len(args))
	copy(out, args)
	return out, nil
}

func arrayPartition(_ *Env, c *Call, args []any) (any, error) {
	arr, err := c.arrayArg(args, 0, "first argument")
	if err != nil {
		return nil, err
	}
	size, err := c.intArg(args, 1, "chunk size")
	if err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, c.fail("the chunk size must be a positive integer, got %d", size)
	}
	chunks := 0
	if len(arr) > 0 {
		chunks = int((int64(len(arr))-1)/size + 1)
	}
	out := make([]any, 0, chunks)
	for i := 0; i < len(arr); {
		j := i + int(min(size, int64(len(arr)-i)))
		out = append(out, arr[i:j:j])
		i = j
	}
	return out, nil
}

func arrayContains(_ *Env, c *Call, args []any) (any, error) {
	arr, err := c.arrayArg(args, 0, "first argument")
	if err != nil {
		return nil, err
	}
	for _, e := range arr {
		if value.Equal(e, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

// arrayRange counts from the first argument to the second, inclusive, in
// steps of the third, which may be negative but not zero. The arguments are
// rounded and must fit in 32 bits, as Java ints.
func arrayRange(_ *Env, c *Call, args []any) (any, error) {
	var n [3]int64
	for i, what := range []string{"start", "end", "step"} {
		v, err := c.intArg(args, i, what)
		if err != nil {
			return nil, err
		}
		if v < math.MinInt32 || v > math.MaxInt32 {
			return nil, c.fail("the %s (%d) is outside the 32-bit integer range", what, v)
		}
		n[i] = v
	}
	start, end, step := n[0], n[1], n[2]
	if step == 0 {
		return nil, c.fail("the step must not be zero")
	}
	if step > 0 && end < start || step < 0 && end > start {
		return []any{}, nil
	}
	count := (end-start)/step + 1
	if count > maxRangeItems {
		return nil, c.fail("the range would have %d items; at most %d are allowed", count, maxRangeItems)
	}
	out := make([]any, count)
	for i := range out {
		out[i] = float64(start + int64(i)*step)
	}
	return out, nil
}

func arrayGetItem(_ *Env, c *Call, args []any) (any, error) {
	arr, err := c.arrayArg(args, 0, "first argument")
	if err != nil {
		return nil, err
	}
	i, err := c.intArg(args, 1, "index")
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= int64(len(arr)) {
		return nil, c.fail("the index %d is out of bounds for an array of length %d", i, len(arr))
	}
	return arr[i], nil
}

func arrayLength(_ *Env, c *Call, args []any) (any, error) {
	arr, err := c.arrayArg(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	return float64(len(arr)), nil
}

// arrayUnique keeps the first of equal elements, in order.
func arrayUnique(_ *Env, c *Call, args []any) (any, error) {
	arr, err := c.arrayArg(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(arr))
	out := make([]any, 0, len(arr))
	var key []byte
	for _, e := range arr {
		key = appendCanonical(key[:0], e)
		if seen[string(key)] {
			continue
		}
		seen[string(key)] = true
		out = append(out, e)
	}
	return out, nil
}

// appendCanonical appends JSON text for v with object members sorted by key,
// so that values equal under value.Equal have the same text.
func appendCanonical(dst []byte, v any) []byte {
	switch t := v.(type) {
	case []any:
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendCanonical(dst, e)
		}
		return append(dst, ']')
	case *value.Object:
		ms := make([]value.Member, t.Len())
		copy(ms, t.Members())
		sort.Slice(ms, func(i, j int) bool { return ms[i].Key < ms[j].Key })
		dst = append(dst, '{')
		for i, m := range ms {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = value.AppendQuote(dst, m.Key)
			dst = append(dst, ':')
			dst = appendCanonical(dst, m.Value)
		}
		return append(dst, '}')
	default:
		return value.AppendEncode(dst, v)
	}
}

func base64Encode(_ *Env, c *Call, args []any) (any, error) {
	s, err := c.stringArg(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	if n := java.Length(s); n > maxStringLength {
		return nil, c.fail("the argument has %d characters; at most %d are allowed", n, maxStringLength)
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// base64Decode decodes as Java's Base64 decoder: padding may be left out but
// must be right when present, and nothing outside the alphabet is allowed.
// Bytes that are not UTF-8 become U+FFFD, as Java's new String does.
func base64Decode(_ *Env, c *Call, args []any) (any, error) {
	s, err := c.stringArg(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	if n := java.Length(s); n > maxStringLength {
		return nil, c.fail("the argument has %d characters; at most %d are allowed", n, maxStringLength)
	}
	enc := base64.StdEncoding
	if !strings.Contains(s, "=") {
		enc = base64.RawStdEncoding
	}
	var b []byte
	if !strings.ContainsAny(s, "\r\n") {
		b, err = enc.DecodeString(s)
	} else {
		err = errors.New("line breaks are not allowed")
	}
	if err != nil {
		return nil, c.fail("the argument is not valid base64: %v", err)
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		sb.WriteRune(r) // RuneError for a bad byte is U+FFFD
		b = b[size:]
	}
	return sb.String(), nil
}

var hashes = map[string]func() hash.Hash{
	"MD5":     md5.New,
	"SHA-1":   sha1.New,
	"SHA-256": sha256.New,
	"SHA-384": sha512.New384,
	"SHA-512": sha512.New,
}

func hashLiterals(args []*arg) string {
	if a := args[1]; a != nil {
		if _, ok := hashes[a.val.(string)]; !ok {
			return fmt.Sprintf("the algorithm %q is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512", a.val)
		}
	}
	return ""
}

// hashFunc hashes the UTF-8 bytes of a string and returns lowercase hex.
func hashFunc(_ *Env, c *Call, args []any) (any, error) {
	s, err := c.stringArg(args, 0, "data")
	if err != nil {
		return nil, err
	}
	alg, err := c.stringArg(args, 1, "algorithm")
	if err != nil {
		return nil, err
	}
	newHash, ok := hashes[alg]
	if !ok {
		return nil, c.fail("the algorithm %q is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512", alg)
	}
	if n := java.Length(s); n > maxStringLength {
		return nil, c.fail("the data has %d characters; at most %d are allowed", n, maxStringLength)
	}
	h := newHash()
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil)), nil
}

func mergeLiterals(args []*arg) string {
	if a := args[2]; a != nil && a.val == true {
		return "deep merging is not supported; the third argument must be false"
	}
	return ""
}

// jsonMerge is a shallow merge: the members of the second object replace or
// follow those of the first. AWS requires the deep-merge flag to be false.
func jsonMerge(_ *Env, c *Call, args []any) (any, error) {
	a, err := c.objectArg(args, 0, "first argument")
	if err != nil {
		return nil, err
	}
	b, err := c.objectArg(args, 1, "second argument")
	if err != nil {
		return nil, err
	}
	deep, ok := args[2].(bool)
	if !ok {
		return nil, c.fail("the third argument must be a boolean, got %s", describe(args[2]))
	}
	if deep {
		return nil, c.fail("deep merging is not supported; the third argument must be false")
	}
	out := a.ShallowCopy()
	for _, m := range b.Members() {
		out.Set(m.Key, m.Value)
	}
	return out, nil
}

// mathRandom returns an integer in [start, end). With a seed it is what
// new java.util.Random(seed).nextInt(end - start) + start gives, so the same
// seed gives the same number.
func mathRandom(env *Env, c *Call, args []any) (any, error) {
	start, err := c.intArg(args, 0, "start")
	if err != nil {
		return nil, err
	}
	end, err := c.intArg(args, 1, "end")
	if err != nil {
		return nil, err
	}
	if start < math.MinInt32 || start > math.MaxInt32 || end < math.MinInt32 || end > math.MaxInt32 {
		return nil, c.fail("start and end must be between %d and %d", math.MinInt32, math.MaxInt32)
	}
	span := end - start
	if span <= 0 || span > math.MaxInt32 {
		return nil, c.fail("the end (%d) must be greater than the start (%d)", end, start)
	}
	if len(args) == 3 {
		seed, err := c.intArg(args, 2, "seed")
		if err != nil {
			return nil, err
		}
		return float64(start + int64(java.NewRandom(seed).NextInt(int32(span)))), nil
	}
	if env.Rand != nil {
		return float64(start + env.Rand.Int64N(span)), nil
	}
	return float64(start + rand.Int64N(span)), nil
}

// mathAdd rounds both arguments to integers, which must fit in 32 bits, and
// adds them.
func mathAdd(_ *Env, c *Call, args []any) (any, error) {
	var sum int64
	for i, what := range []string{"first argument", "second argument"} {
		n, err := c.intArg(args, i, what)
		if err != nil {
			return nil, err
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, c.fail("the %s (%s) is outside the 32-bit integer range", what, strconv.FormatInt(n, 10))
		}
		sum += n
	}
	return float64(sum), nil
}

// stringSplit splits the first argument at every character of the second,
// dropping empty pieces, as java.util.StringTokenizer does.
func stringSplit(_ *Env, c *Call, args []any) (any, error) {
	s, err := c.stringArg(args, 0, "first argument")
	if err != nil {
		return nil, err
	}
	delims, err := c.stringArg(args, 1, "delimiter")
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) }) {
		out = append(out, tok)
	}
	return out, nil
}

func uuid(env *Env, _ *Call, _ []any) (any, error) {
	if env.NewUUID != nil {
		return env.NewUUID(), nil
	}
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		var n uint64
		if env.Rand != nil {
			n = env.Rand.Uint64()
		} else {
			n = rand.Uint64()
		}
		for j := 0; j < 8; j++ {
			b[i+j] = byte(n >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], nil
}
