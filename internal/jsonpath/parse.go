package jsonpath

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The compiler follows Jayway's PathCompiler closely, quirks included, so
// that Baton accepts and rejects the paths AWS does: a property after '.'
// runs to the next '.', '[' or '(' and may hold any other character; after a
// bracket, wildcard or property token a single trailing character is ignored
// (Jayway stops when the current character is the last one); names in
// brackets keep their backslashes (AWS looks up $['a\"b'] as the key a\"b).

type compiler struct {
	src  string // the text given to Parse
	s    string // src without surrounding spaces
	off  int    // offset of s in src
	pos  int
	p    *Path
	done bool
}

func compile(src string, allowCurrent bool) (*Path, error) {
	s := strings.TrimLeft(src, " ")
	off := len(src) - len(s)
	s = strings.TrimRight(s, " ")
	c := &compiler{src: src, s: s, off: off}
	if s == "" {
		return nil, c.fail(0, "Path must not be empty")
	}
	if s[0] != '$' && !(allowCurrent && s[0] == '@') {
		return nil, c.fail(0, "Path must start with '$'")
	}
	if s[len(s)-1] == '.' {
		return nil, c.fail(len(s)-1, "Path must not end with a '.' or '..'")
	}
	c.p = &Path{src: src, root: s[0]}
	if len(s) > 1 {
		c.pos = 1
		if s[1] != '.' && s[1] != '[' {
			return nil, c.fail(1, "Illegal character at position 1 expected '.' or '['")
		}
		if err := c.readTokens(); err != nil {
			return nil, err
		}
	}
	p := c.p
	if p.fn != nil {
		if len(p.segs) > 0 && p.segs[len(p.segs)-1].kind == segScan {
			return nil, c.fail(len(s)-1, "a function can not follow a deep scan ('..')")
		}
		// Jayway turns $..a.fn() into $.fn($..a): the function sees the
		// list of every match.
		p.scanFn = len(p.segs) > 0 && p.segs[0].kind == segScan
	}
	p.finish()
	return p, nil
}

func (c *compiler) fail(pos int, msg string) error {
	return &SyntaxError{Path: c.src, Offset: c.off + pos, Msg: msg}
}

func (c *compiler) inBounds(i int) bool { return i >= 0 && i < len(c.s) }

// tail reports whether Jayway stops reading: the current character is the
// last one or beyond.
func (c *compiler) tail() bool { return c.pos+1 >= len(c.s) }

func (c *compiler) add(s segment) error {
	if c.p.fn != nil {
		return c.fail(c.pos, "a function must be the last element of a path")
	}
	c.p.segs = append(c.p.segs, s)
	return nil
}

// nextSignificant returns the index of the first non-space character after
// i, or -1.
func (c *compiler) nextSignificant(i int) int {
	for i++; i < len(c.s); i++ {
		if c.s[i] != ' ' {
			return i
		}
	}
	return -1
}

func (c *compiler) readTokens() error {
	for {
		var err error
		switch c.s[c.pos] {
		case '[':
			err = c.readBracket()
		case '.':
			err = c.readDot()
		case '*':
			err = c.readWildcard()
		default:
			err = c.readProperty()
		}
		if err != nil {
			return err
		}
		if c.done {
			return nil
		}
	}
}

// endToken finishes a bracket, wildcard or property token.
func (c *compiler) endToken() { c.done = c.tail() }

func (c *compiler) readDot() error {
	if c.inBounds(c.pos+1) && c.s[c.pos+1] == '.' {
		if err := c.add(segment{kind: segScan}); err != nil {
			return err
		}
		c.pos += 2
	} else {
		c.pos++
	}
	if !c.inBounds(c.pos) {
		return c.fail(c.pos, "Path must not end with a '.'")
	}
	if c.s[c.pos] == '.' {
		return c.fail(c.pos, fmt.Sprintf("Character '.' on position %d is not valid.", c.off+c.pos))
	}
	return nil
}

func (c *compiler) readWildcard() error {
	if err := c.add(segment{kind: segWildcard}); err != nil {
		return err
	}
	c.pos++
	c.endToken()
	return nil
}

// readProperty reads a name written after '.', or a function call.
func (c *compiler) readProperty() error {
	start := c.pos
	if c.s[start] == ' ' {
		return c.fail(start, fmt.Sprintf("Could not parse token starting at position %d", c.off+start))
	}
	end := len(c.s)
	isFunc := false
	for i := start; i < len(c.s); i++ {
		ch := c.s[i]
		if ch == ' ' {
			return c.fail(i, fmt.Sprintf("Use bracket notion ['my prop'] if your property contains blank characters. position: %d", c.off+start))
		}
		if ch == '.' || ch == '[' || ch == '(' {
			end = i
			isFunc = ch == '('
			break
		}
	}
	name := c.s[start:end]
	if !isFunc {
		if err := c.add(segment{kind: segName, name: name, quote: '\''}); err != nil {
			return err
		}
		c.pos = end
		c.endToken()
		return nil
	}
	depth := 1
	closeAt := -1
	for i := end + 1; i < len(c.s); i++ {
		switch c.s[i] {
		case '(':
			depth++
		case ')':
			depth--
		}
		if depth == 0 {
			closeAt = i
			break
		}
	}
	if closeAt < 0 {
		return c.fail(end, fmt.Sprintf("Arguments to function: '%s' are not closed properly.", name))
	}
	if strings.Trim(c.s[end+1:closeAt], " \t\r\n") != "" {
		return c.fail(end+1, fmt.Sprintf("arguments to function '%s' are not supported", name))
	}
	fn, ok := functions[name]
	if !ok {
		return c.fail(start, fmt.Sprintf("Function with name: %s does not exist.", name))
	}
	if c.p.fn != nil {
		return c.fail(start, "a function must be the last element of a path")
	}
	c.p.fn = fn
	if closeAt != len(c.s)-1 {
		return c.fail(closeAt+1, "a function must be the last element of a path")
	}
	c.done = true
	return nil
}

func (c *compiler) readBracket() error {
	for _, read := range []func() (bool, error){c.readBracketNames, c.readArray, c.readBracketWildcard, c.readFilter, c.readPlaceholder} {
		ok, err := read()
		if err != nil {
			return err
		}
		if ok {
			c.endToken()
			return nil
		}
	}
	return c.fail(c.pos, fmt.Sprintf("Could not parse token starting at position %d. Expected ?, ', 0-9, * ", c.off+c.pos))
}

// readBracketNames reads ['a'], ["a"] and ['a','b']. Names are kept as
// written: a backslash only stops the next character from ending the name.
func (c *compiler) readBracketNames() (bool, error) {
	q := c.nextSignificant(c.pos)
	if q < 0 || (c.s[q] != '\'' && c.s[q] != '"') {
		return false, nil
	}
	delim := c.s[q]
	var names []string
	start, end := c.pos+1, 0
	inName, inEscape, lastWasComma := false, false, false
scan:
	for i := c.pos + 1; i < len(c.s); i++ {
		ch := c.s[i]
		switch {
		case inEscape:
			inEscape = false
		case ch == '\\':
			inEscape = true
		case ch == ']' && !inName:
			if lastWasComma {
				return false, c.fail(i, fmt.Sprintf("Found empty property at index %d", c.off+i))
			}
			break scan
		case ch == delim:
			if inName {
				if n := c.nextSignificant(i); n < 0 || (c.s[n] != ']' && c.s[n] != ',') {
					return false, c.fail(i, fmt.Sprintf("Property must be separated by comma or Property must be terminated close square bracket at index %d", c.off+i))
				}
				end = i
				names = append(names, c.s[start:end])
				inName = false
			} else {
				start = i + 1
				inName = true
				lastWasComma = false
			}
		case ch == ',' && !inName:
			if lastWasComma {
				return false, c.fail(i, fmt.Sprintf("Found empty property at index %d", c.off+i))
			}
			lastWasComma = true
		}
	}
	if inName {
		return false, c.fail(len(c.s)-1, fmt.Sprintf("Property has not been closed - missing closing %c", delim))
	}
	closeAt := c.nextSignificant(end)
	if end == 0 || closeAt < 0 || c.s[closeAt] != ']' {
		return false, c.fail(c.pos, "Property has not been closed - missing closing ]")
	}
	seg := segment{kind: segName, quote: delim}
	if len(names) == 1 {
		seg.name = names[0]
	} else {
		seg.kind = segNames
		seg.names = names
	}
	if err := c.add(seg); err != nil {
		return false, err
	}
	c.pos = closeAt + 1
	return true, nil
}

// readArray reads [1], [1,2], [-1], [1:2], [:2] and [1:].
func (c *compiler) readArray() (bool, error) {
	n := c.nextSignificant(c.pos)
	if n < 0 {
		return false, nil
	}
	if ch := c.s[n]; !isDigit(ch) && ch != '-' && ch != ':' {
		return false, nil
	}
	closeAt := strings.IndexByte(c.s[c.pos+1:], ']')
	if closeAt < 0 {
		return false, nil
	}
	closeAt += c.pos + 1
	expr := strings.TrimFunc(c.s[c.pos+1:closeAt], func(r rune) bool { return r <= ' ' })
	for i := 0; i < len(expr); i++ {
		if ch := expr[i]; !isDigit(ch) && ch != ',' && ch != '-' && ch != ':' && ch != ' ' {
			return false, nil
		}
	}
	var seg segment
	if strings.Contains(expr, ":") {
		parts := javaSplit(expr, ':')
		var err error
		if len(parts) > 0 && parts[0] != "" {
			if seg.from, err = parseJavaInt(parts[0]); err != nil {
				return false, c.fail(c.pos+1, "Failed to parse SliceOperation: "+expr)
			}
			seg.hasFrom = true
		}
		if len(parts) > 1 && parts[1] != "" {
			if seg.to, err = parseJavaInt(parts[1]); err != nil {
				return false, c.fail(c.pos+1, "Failed to parse SliceOperation: "+expr)
			}
			seg.hasTo = true
		}
		if !seg.hasFrom && !seg.hasTo {
			return false, c.fail(c.pos+1, "Failed to parse SliceOperation: "+expr)
		}
		seg.kind = segSlice
	} else {
		for _, tok := range indexSeparator.Split(expr, -1) {
			n, err := parseJavaInt(tok)
			if err != nil {
				return false, c.fail(c.pos+1, "Failed to parse token in ArrayIndexOperation: "+tok)
			}
			seg.indexes = append(seg.indexes, n)
		}
		if len(seg.indexes) == 1 {
			seg.kind = segIndex
			seg.index = seg.indexes[0]
			seg.indexes = nil
		} else {
			seg.kind = segIndexes
		}
	}
	if err := c.add(seg); err != nil {
		return false, err
	}
	c.pos = closeAt + 1
	return true, nil
}

var indexSeparator = regexp.MustCompile(`\s*,\s*`)

// javaSplit is Java's String.split for a one-character pattern: trailing
// empty strings are removed.
func javaSplit(s string, sep byte) []string {
	parts := strings.Split(s, string(sep))
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// parseJavaInt is Integer.parseInt for ASCII input.
func parseJavaInt(s string) (int, error) {
	if s == "" || s[0] == '+' {
		return 0, strconv.ErrSyntax
	}
	n, err := strconv.ParseInt(s, 10, 32)
	return int(n), err
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (c *compiler) readBracketWildcard() (bool, error) {
	w := c.nextSignificant(c.pos)
	if w < 0 || c.s[w] != '*' {
		return false, nil
	}
	closeAt := c.nextSignificant(w)
	if closeAt < 0 || c.s[closeAt] != ']' {
		return false, c.fail(w+1, fmt.Sprintf("Expected wildcard token to end with ']' on position %d", c.off+w+1))
	}
	if err := c.add(segment{kind: segWildcard}); err != nil {
		return false, err
	}
	c.pos = closeAt + 1
	return true, nil
}

func (c *compiler) readFilter() (bool, error) {
	q := c.nextSignificant(c.pos)
	if q < 0 || c.s[q] != '?' {
		return false, nil
	}
	open := c.nextSignificant(q)
	if open < 0 || c.s[open] != '(' {
		return false, nil
	}
	closeParen := matchingClose(c.s, open, '(', ')', true)
	if closeParen < 0 {
		return false, nil
	}
	closeAt := c.nextSignificant(closeParen)
	if closeAt < 0 || c.s[closeAt] != ']' {
		return false, nil
	}
	f, err := compileFilter(c.s[c.pos : closeAt+1])
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return false, c.fail(c.pos+se.Offset, se.Msg)
		}
		return false, err
	}
	if err := c.add(segment{kind: segFilter, filter: f}); err != nil {
		return false, err
	}
	c.pos = closeAt + 1
	return true, nil
}

// readPlaceholder recognises [?], which stands for a filter passed to Jayway
// as an object; a path in a state machine cannot supply one.
func (c *compiler) readPlaceholder() (bool, error) {
	q := c.nextSignificant(c.pos)
	if q < 0 || c.s[q] != '?' {
		return false, nil
	}
	if n := c.nextSignificant(q); n < 0 || (c.s[n] != ']' && c.s[n] != ',') {
		return false, nil
	}
	closeAt := strings.IndexByte(c.s[c.pos+1:], ']')
	if closeAt < 0 {
		return false, nil
	}
	expr := c.s[c.pos+1 : c.pos+1+closeAt]
	return false, c.fail(c.pos, fmt.Sprintf("Not enough predicates supplied for filter [%s] at position %d", expr, c.off+c.pos))
}

// matchingClose returns the index of the character that closes the one at
// start, skipping quoted strings and, if skipRegex, /regex/ literals; -1 if
// there is none.
func matchingClose(s string, start int, open, close byte, skipRegex bool) int {
	depth := 1
	for i := start + 1; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '\'' || ch == '"' || ch == '/' && skipRegex:
			j := indexUnescaped(s, i+1, ch)
			if j < 0 {
				return -1
			}
			i = j
		case ch == open:
			depth++
		case ch == close:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// indexUnescaped returns the index of the first c at or after from that is
// not escaped by a backslash, or -1.
func indexUnescaped(s string, from int, c byte) int {
	escaped := false
	for i := from; i < len(s); i++ {
		switch {
		case escaped:
			escaped = false
		case s[i] == '\\':
			escaped = true
		case s[i] == c:
			return i
		}
	}
	return -1
}
