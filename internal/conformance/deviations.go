package conformance

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// KnownDeviations reads the case names listed in one section of
// docs/deviations.md: the text between "<!-- conformance:NAME -->" and
// "<!-- /conformance:NAME -->", where every backquoted word is a case name.
// A name that starts with "_" continues the previous name: "`x_resp_0`,
// `_1`" lists x_resp_0 and x_resp_1.
func KnownDeviations(path, section string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := string(data)
	open, closing := "<!-- conformance:"+section+" -->", "<!-- /conformance:"+section+" -->"
	i, j := strings.Index(text, open), strings.Index(text, closing)
	if i < 0 || j < i {
		return nil, fmt.Errorf("%s: no section %q", path, section)
	}
	out := map[string]bool{}
	last := ""
	for _, line := range strings.Split(text[i+len(open):j], "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "- ") {
			continue
		}
		head, _, _ := strings.Cut(line, ": ")
		for _, m := range backquoted.FindAllStringSubmatch(head, -1) {
			name := m[1]
			if !caseName.MatchString(name) {
				continue // a quoted snippet, not a case name
			}
			if strings.HasPrefix(name, "_") && last != "" {
				name = last[:strings.LastIndex(last, "_")] + name
			}
			out[name] = true
			last = name
		}
	}
	return out, nil
}

var (
	backquoted = regexp.MustCompile("`([^`]+)`")
	caseName   = regexp.MustCompile(`^[A-Za-z0-9_./-]+$`)
)
