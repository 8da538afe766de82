package asl

import (
	"errors"
	"time"
)

// errBadTimestamp is returned by ParseTimestamp for text outside AWS's
// profile.
var errBadTimestamp = errors.New("not an ISO-8601 extended offset date-time")

// ParseTimestamp parses a timestamp as the States language defines it: RFC
// 3339 (ISO 8601) with an uppercase "T" between date and time, optional
// fractional seconds, and an uppercase "Z" or a numeric offset, which is
// required. "2016-03-14T01:59:00Z", "2016-03-05T21:29:29.243167252Z" and
// "2016-03-14T01:59:00+07:00" are valid; "2016-03-14T01:59:00" is not.
func ParseTimestamp(s string) (time.Time, error) {
	// Layout: YYYY-MM-DDTHH:MM:SS[.f+](Z|+HH:MM|-HH:MM)
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, errBadTimestamp
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18} {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, errBadTimestamp
		}
	}
	rest := s[19:]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 {
			return time.Time{}, errBadTimestamp
		}
		rest = rest[n:]
	}
	switch {
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
		isDigits(rest[1:3]) && isDigits(rest[4:6]):
	default:
		return time.Time{}, errBadTimestamp
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errBadTimestamp
	}
	return t, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isTimestamp(s string) bool {
	_, err := ParseTimestamp(s)
	return err == nil
}
