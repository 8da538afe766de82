package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Date/time pictures ($fromMillis, $toMillis, $now), after XPath F&O 3.1
// format-dateTime, ported from jsonata-js.

type dtPart struct {
	literal   string
	isLiteral bool
	component byte
	pres1     string
	pres2     string
	names     letterCase
	hasNames  bool
	ordinal   bool
	widthMin  int // -1 when absent
	widthMax  int // -1 when absent
	intFmt    *intFormat
	n         int // Y: number of digits kept, -1 for all
}

var defaultPresentation = map[byte]string{
	'Y': "1", 'M': "1", 'D': "1", 'd': "1", 'F': "n", 'W': "1", 'w': "1", 'X': "1", 'x': "1", 'H': "1", 'h': "1",
	'P': "n", 'm': "01", 's': "01", 'f': "1", 'Z': "01:01", 'z': "01:01", 'C': "n", 'E': "n",
}

var spaceRun = regexp.MustCompile(`\s+`)

// pictureCache holds analysed date/time pictures; they are immutable once
// built.
var pictureCache = newBoundedCache[[]*dtPart](256)

func cachedDateTimePicture(picture string) ([]*dtPart, error) {
	if spec, ok := pictureCache.get(picture); ok {
		return spec, nil
	}
	spec, err := analyseDateTimePicture(picture)
	if err != nil {
		return nil, err
	}
	pictureCache.put(picture, spec)
	return spec, nil
}

func analyseDateTimePicture(picture string) ([]*dtPart, error) {
	var spec []*dtPart
	addLiteral := func(start, end int) {
		if end > start {
			lit := strings.ReplaceAll(picture[start:end], "]]", "]")
			spec = append(spec, &dtPart{isLiteral: true, literal: lit})
		}
	}
	start, pos := 0, 0
	for pos < len(picture) {
		if picture[pos] == '[' {
			if pos+1 < len(picture) && picture[pos+1] == '[' {
				addLiteral(start, pos)
				spec = append(spec, &dtPart{isLiteral: true, literal: "["})
				pos += 2
				start = pos
				continue
			}
			addLiteral(start, pos)
			start = pos
			end := strings.IndexByte(picture[start:], ']')
			if end == -1 {
				return nil, &Error{Code: "D3135"}
			}
			pos = start + end
			marker := spaceRun.ReplaceAllString(picture[start+1:pos], "")
			def := &dtPart{widthMin: -1, widthMax: -1}
			if marker != "" {
				def.component = marker[0]
			}
			var presMod string
			if comma := strings.LastIndexByte(marker, ','); comma != -1 {
				widthMod := marker[comma+1:]
				minS, maxS, hasDash := strings.Cut(widthMod, "-")
				parseWidth := func(s string) int {
					if s == "*" || s == "" {
						return -1
					}
					n, err := strconv.Atoi(leadingDigits(s, len(s)))
					if err != nil {
						return -1
					}
					return n
				}
				def.widthMin = parseWidth(minS)
				if hasDash {
					def.widthMax = parseWidth(maxS)
				}
				presMod = marker[min(1, comma):max(1, comma)] // String.substring swaps reversed bounds
			} else if len(marker) > 0 {
				presMod = marker[1:]
			}
			switch {
			case len(presMod) == 1:
				def.pres1 = presMod
			case len(presMod) > 1:
				last := presMod[len(presMod)-1]
				if strings.IndexByte("atco", last) != -1 {
					def.pres2 = string(last)
					if last == 'o' {
						def.ordinal = true
					}
					def.pres1 = presMod[:len(presMod)-1]
				} else {
					def.pres1 = presMod
				}
			default:
				p, ok := defaultPresentation[def.component]
				if !ok {
					return nil, &Error{Code: "D3132", Value: string(def.component)}
				}
				def.pres1 = p
			}
			switch {
			case def.pres1[0] == 'n':
				def.hasNames, def.names = true, caseLower
			case def.pres1[0] == 'N':
				def.hasNames = true
				if len(def.pres1) > 1 && def.pres1[1] == 'n' {
					def.names = caseTitle
				} else {
					def.names = caseUpper
				}
			case strings.IndexByte("YMDdFWwXxHhmsf", def.component) != -1:
				pattern := def.pres1
				if def.pres2 != "" {
					pattern += ";" + def.pres2
				}
				f, err := analyseIntegerPicture(pattern)
				if err != nil {
					return nil, err
				}
				def.intFmt = f
				if def.widthMin >= 0 && f.mandatoryDigit < def.widthMin {
					f.mandatoryDigit = def.widthMin
				}
				if def.component == 'Y' {
					def.n = -1
					if def.widthMax >= 0 {
						def.n = def.widthMax
						f.mandatoryDigit = def.n
					} else if w := f.mandatoryDigit + f.optionalDigits; w >= 2 {
						def.n = w
					}
				}
				if len(spec) > 0 {
					if prev := spec[len(spec)-1]; prev.intFmt != nil {
						prev.intFmt.parseWidth = prev.intFmt.mandatoryDigit
					}
				}
			}
			if def.component == 'Z' || def.component == 'z' {
				f, err := analyseIntegerPicture(def.pres1)
				if err != nil {
					return nil, err
				}
				def.intFmt = f
			}
			spec = append(spec, def)
			start = pos + 1
		}
		pos++
	}
	addLiteral(start, pos)
	return spec, nil
}

var dayNames = []string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

const millisInDay = 86400000

func utcMillis(year, month int) float64 {
	return float64(time.Date(year, time.Month(month+1), 1, 0, 0, 0, 0, time.UTC).UnixMilli())
}

func startOfFirstWeek(year, month int) float64 {
	jan1 := utcMillis(year, month)
	day := int(time.UnixMilli(int64(jan1)).UTC().Weekday())
	if day == 0 {
		day = 7
	}
	if day > 4 {
		return jan1 + float64((8-day)*millisInDay)
	}
	return jan1 - float64((day-1)*millisInDay)
}

func nextMonth(y, m int) (int, int) {
	if m == 11 {
		return y + 1, 0
	}
	return y, m + 1
}

func prevMonth(y, m int) (int, int) {
	if m == 0 {
		return y - 1, 11
	}
	return y, m - 1
}

func deltaWeeks(start, end float64) float64 { return (end-start)/(millisInDay*7) + 1 }

// dateFragment returns component c of t: an int, or a string for P, C, E.
func dateFragment(t time.Time, c byte) any {
	switch c {
	case 'Y':
		return t.Year()
	case 'M':
		return int(t.Month())
	case 'D':
		return t.Day()
	case 'd':
		return t.YearDay()
	case 'F':
		d := int(t.Weekday())
		if d == 0 {
			d = 7
		}
		return d
	case 'W':
		y := t.Year()
		start := startOfFirstWeek(y, 0)
		today := float64(time.Date(y, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).UnixMilli())
		week := deltaWeeks(start, today)
		if week > 52 {
			if today >= startOfFirstWeek(y+1, 0) {
				week = 1
			}
		} else if week < 1 {
			week = deltaWeeks(startOfFirstWeek(y-1, 0), today)
		}
		return int(math.Floor(week))
	case 'w':
		y, m := t.Year(), int(t.Month())-1
		start := startOfFirstWeek(y, m)
		today := float64(time.Date(y, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).UnixMilli())
		week := deltaWeeks(start, today)
		if week > 4 {
			ny, nm := nextMonth(y, m)
			if today >= startOfFirstWeek(ny, nm) {
				week = 1
			}
		} else if week < 1 {
			py, pm := prevMonth(y, m)
			week = deltaWeeks(startOfFirstWeek(py, pm), today)
		}
		return int(math.Floor(week))
	case 'X':
		y := t.Year()
		now := float64(t.UnixMilli())
		switch {
		case now < startOfFirstWeek(y, 0):
			return y - 1
		case now >= startOfFirstWeek(y+1, 0):
			return y + 1
		}
		return y
	case 'x':
		y, m := t.Year(), int(t.Month())-1
		now := float64(t.UnixMilli())
		ny, nm := nextMonth(y, m)
		switch {
		case now < startOfFirstWeek(y, m):
			_, pm := prevMonth(y, m)
			return pm + 1
		case now >= startOfFirstWeek(ny, nm):
			return nm + 1
		}
		return m + 1
	case 'H':
		return t.Hour()
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return h
	case 'P':
		if t.Hour() >= 12 {
			return "pm"
		}
		return "am"
	case 'm':
		return t.Minute()
	case 's':
		return t.Second()
	case 'f':
		return t.Nanosecond() / 1e6
	case 'C', 'E':
		return "ISO"
	}
	return nil
}

var iso8601Spec = sync.OnceValue(func() []*dtPart {
	s, _ := analyseDateTimePicture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]")
	return s
})

func formatDateTime(millis float64, picture *string, timezone *string) (string, error) {
	offsetHours, offsetMinutes := 0, 0
	if timezone != nil {
		off, err := strconv.Atoi(leadingSignedDigits(*timezone))
		if err == nil {
			offsetHours = int(math.Floor(float64(off) / 100))
			offsetMinutes = off % 100
		}
	}
	var spec []*dtPart
	if picture == nil {
		spec = iso8601Spec()
	} else {
		var err error
		if spec, err = cachedDateTimePicture(*picture); err != nil {
			return "", err
		}
	}
	offsetMillis := (60*offsetHours + offsetMinutes) * 60 * 1000
	t := time.UnixMilli(int64(millis) + int64(offsetMillis)).UTC()
	var b strings.Builder
	for _, part := range spec {
		if part.isLiteral {
			b.WriteString(part.literal)
			continue
		}
		s, err := formatComponent(t, part, offsetHours, offsetMinutes)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func leadingSignedDigits(s string) string {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

func formatComponent(t time.Time, part *dtPart, offsetHours, offsetMinutes int) (string, error) {
	v := dateFragment(t, part.component)
	c := part.component
	switch {
	case strings.IndexByte("YMDdFWwXxHhms", c) != -1:
		n := v.(int)
		if c == 'Y' && part.n != -1 {
			n %= int(math.Pow(10, float64(part.n)))
		}
		if part.hasNames {
			var name string
			switch c {
			case 'M', 'x':
				name = monthNames[n-1]
			case 'F':
				name = dayNames[n]
			default:
				return "", &Error{Code: "D3133", Value: string(c)}
			}
			switch part.names {
			case caseUpper:
				name = strings.ToUpper(name)
			case caseLower:
				name = strings.ToLower(name)
			}
			if part.widthMax >= 0 && len(name) > part.widthMax {
				name = name[:part.widthMax]
			}
			return name, nil
		}
		return formatIntegerWith(float64(n), part.intFmt)
	case c == 'f':
		if part.intFmt == nil {
			// A name presentation for fractional seconds; jsonata-js fails
			// with a JavaScript TypeError.
			return "", &Error{Code: "D3133", Value: string(c)}
		}
		return formatIntegerWith(float64(v.(int)), part.intFmt)
	case c == 'Z' || c == 'z':
		offset := offsetHours*100 + offsetMinutes
		var s string
		var err error
		if part.intFmt.regular {
			s, err = formatIntegerWith(float64(offset), part.intFmt)
		} else {
			switch part.intFmt.mandatoryDigit {
			case 1, 2:
				s, err = formatIntegerWith(float64(offsetHours), part.intFmt)
				if offsetMinutes != 0 {
					s += ":" + twoDigits(offsetMinutes)
				}
			case 3, 4:
				s, err = formatIntegerWith(float64(offset), part.intFmt)
			default:
				return "", &Error{Code: "D3134", Value: float64(part.intFmt.mandatoryDigit)}
			}
		}
		if err != nil {
			return "", err
		}
		if offset >= 0 {
			s = "+" + s
		}
		if c == 'z' {
			s = "GMT" + s
		}
		if offset == 0 && part.pres2 == "t" {
			s = "Z"
		}
		return s, nil
	case c == 'P':
		s := v.(string)
		if part.hasNames && part.names == caseUpper {
			s = strings.ToUpper(s)
		}
		return s, nil
	case c == 'C' || c == 'E':
		return v.(string), nil
	}
	// jsonata-js appends the undefined value of an unknown component.
	return "undefined", nil
}

func twoDigits(n int) string {
	if n < 0 {
		n = -n
	}
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

type dtMatcher struct {
	regex     string
	component byte
	parse     func(string) float64
}

func dateMatchers(spec []*dtPart) ([]dtMatcher, error) {
	var out []dtMatcher
	for _, part := range spec {
		var m dtMatcher
		switch {
		case part.isLiteral:
			m.regex = regexp.QuoteMeta(part.literal)
		case part.component == 'Z' || part.component == 'z':
			var sep string
			if part.intFmt.regular {
				sep = part.intFmt.separators[0].character
			}
			if part.component == 'z' {
				m.regex = "GMT"
			}
			m.regex += "[-+][0-9]+"
			if sep != "" {
				m.regex += regexp.QuoteMeta(sep) + "[0-9]+"
			}
			isZ := part.component == 'z'
			m.parse = func(v string) float64 {
				if isZ {
					v = v[3:]
				}
				var h, mi int
				if sep != "" {
					i := strings.Index(v, sep)
					h, _ = strconv.Atoi(v[:i])
					mi, _ = strconv.Atoi(v[i+len(sep):])
				} else if len(v)-1 <= 2 {
					h, _ = strconv.Atoi(v)
				} else {
					h, _ = strconv.Atoi(v[:3])
					mi, _ = strconv.Atoi(v[3:])
				}
				return float64(h*60 + mi)
			}
		case part.component == 'f':
			m.regex = "[0-9]+"
			m.parse = func(v string) float64 {
				if len(v) > 3 {
					v = v[:3]
				}
				f, _ := strconv.ParseFloat("0."+v, 64)
				return f * 1000
			}
		case part.intFmt != nil:
			re, parse, err := intMatcher(part.intFmt)
			if err != nil {
				return nil, err
			}
			m.regex, m.parse = re, parse
		default:
			m.regex = "[a-zA-Z]+"
			lookup := map[string]float64{}
			switch part.component {
			case 'M', 'x':
				for i, name := range monthNames {
					if part.widthMax > 0 && len(name) > part.widthMax {
						name = name[:part.widthMax]
					}
					lookup[name] = float64(i + 1)
				}
			case 'F':
				for i, name := range dayNames[1:] {
					if part.widthMax > 0 && len(name) > part.widthMax {
						name = name[:part.widthMax]
					}
					lookup[name] = float64(i + 1)
				}
			case 'P':
				lookup = map[string]float64{"am": 0, "AM": 0, "pm": 1, "PM": 1}
			default:
				return nil, &Error{Code: "D3133", Value: string(part.component)}
			}
			m.parse = func(v string) float64 {
				if n, ok := lookup[v]; ok {
					return n
				}
				return math.NaN()
			}
		}
		m.component = part.component
		out = append(out, m)
	}
	return out, nil
}

// dateParser is the compiled form of a picture for $toMillis.
type dateParser struct {
	matchers []dtMatcher
	re       *regexp.Regexp // nil when the picture yields no usable regex
}

var dateParserCache = newBoundedCache[*dateParser](256)

func cachedDateParser(picture string) (*dateParser, error) {
	if dp, ok := dateParserCache.get(picture); ok {
		return dp, nil
	}
	spec, err := cachedDateTimePicture(picture)
	if err != nil {
		return nil, err
	}
	matchers, err := dateMatchers(spec)
	if err != nil {
		return nil, err
	}
	var full strings.Builder
	full.WriteString("(?i)^")
	for _, m := range matchers {
		full.WriteString("(" + m.regex + ")")
	}
	full.WriteString("$")
	dp := &dateParser{matchers: matchers}
	dp.re, _ = regexp.Compile(full.String())
	dateParserCache.put(picture, dp)
	return dp, nil
}

func isType(mask, typ int) bool { return (^typ&mask) == 0 && (typ&mask) != 0 }

func parseDateTime(ts, picture string, now time.Time) (any, error) {
	dp, err := cachedDateParser(picture)
	if err != nil {
		return nil, err
	}
	if dp.re == nil {
		return undefined, nil
	}
	matchers := dp.matchers
	info := dp.re.FindStringSubmatch(ts)
	if info == nil {
		return undefined, nil
	}
	comps := map[byte]float64{}
	for i := 1; i < len(info); i++ {
		m := matchers[i-1]
		if m.parse != nil {
			comps[m.component] = m.parse(info[i])
		}
	}
	if len(comps) == 0 {
		return undefined, nil
	}
	mask := 0
	shift := func(c byte) {
		mask <<= 1
		if _, ok := comps[c]; ok {
			mask++
		}
	}
	for _, c := range []byte("YXMxWwdD") {
		shift(c)
	}
	dateA := isType(mask, 161)
	dateB := !dateA && isType(mask, 130)
	dateC := isType(mask, 84)
	dateD := !dateC && isType(mask, 72)
	mask = 0
	for _, c := range []byte("PHhmsf") {
		shift(c)
	}
	timeA := isType(mask, 23)
	timeB := !timeA && isType(mask, 47)
	dateComps := "YMD"
	switch {
	case dateB:
		dateComps = "YD"
	case dateC:
		dateComps = "XxwF"
	case dateD:
		dateComps = "XWF"
	}
	timeComps := "Hmsf"
	if timeB {
		timeComps = "Phmsf"
	}
	startSpecified, endSpecified := false, false
	nowUTC := now.UTC()
	for _, c := range []byte(dateComps + timeComps) {
		if _, ok := comps[c]; !ok {
			if startSpecified {
				if strings.IndexByte("MDd", c) != -1 {
					comps[c] = 1
				} else {
					comps[c] = 0
				}
				endSpecified = true
			} else {
				switch v := dateFragment(nowUTC, c).(type) {
				case int:
					comps[c] = float64(v)
				case string:
					if v == "pm" {
						comps[c] = 1
					} else {
						comps[c] = 0
					}
				}
			}
		} else {
			startSpecified = true
			if endSpecified {
				return nil, &Error{Code: "D3136"}
			}
		}
	}
	if comps['M'] > 0 {
		comps['M']--
	} else {
		comps['M'] = 0
	}
	if dateB {
		firstJan := utcMillis(int(comps['Y']), 0)
		d := time.UnixMilli(int64(firstJan + (comps['d']-1)*millisInDay)).UTC()
		comps['M'] = float64(d.Month() - 1)
		comps['D'] = float64(d.Day())
	}
	if dateC || dateD {
		return nil, &Error{Code: "D3136"}
	}
	if timeB {
		h := comps['h']
		if h == 12 {
			h = 0
		}
		if comps['P'] == 1 {
			h += 12
		}
		comps['H'] = h
	}
	for _, v := range comps {
		if math.IsNaN(v) {
			return undefined, nil
		}
	}
	t := time.Date(int(comps['Y']), time.Month(int(comps['M'])+1), int(comps['D']), int(comps['H']), int(comps['m']), int(comps['s']), int(comps['f'])*1e6, time.UTC)
	millis := float64(t.UnixMilli())
	if z, ok := comps['Z']; ok && z != 0 {
		millis -= z * 60 * 1000
	} else if z, ok := comps['z']; ok && z != 0 {
		millis -= z * 60 * 1000
	}
	return millis, nil
}

// parseISO is JavaScript's Date.parse for the ISO 8601 forms $toMillis
// accepts (jsonata-js checks them against
// ^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
// first): a form without an offset is UTC.
func parseISO(s string) (any, error) {
	bad := &Error{Code: "D3110", Value: s}
	p := 0
	num := func(n int, maxFirst byte) (int, bool) {
		if p+n > len(s) {
			return 0, false
		}
		v := 0
		for i := 0; i < n; i++ {
			c := s[p+i]
			if c < '0' || c > '9' || (i == 0 && c > maxFirst) {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		p += n
		return v, true
	}
	lit := func(c byte) bool {
		if p < len(s) && s[p] == c {
			p++
			return true
		}
		return false
	}
	year, ok := num(4, '9')
	if !ok {
		return nil, bad
	}
	month, day := 1, 1
	var h, mi, sec, ms int
	hasMonth, hasDay, hasTime := false, false, false
	if lit('-') {
		if month, ok = num(2, '1'); !ok {
			return nil, bad
		}
		hasMonth = true
	}
	if lit('-') {
		if day, ok = num(2, '3'); !ok {
			return nil, bad
		}
		hasDay = true
	}
	if lit('T') {
		if h, ok = num(2, '2'); !ok || !lit(':') {
			return nil, bad
		}
		if mi, ok = num(2, '5'); !ok || !lit(':') {
			return nil, bad
		}
		if sec, ok = num(2, '5'); !ok {
			return nil, bad
		}
		hasTime = true
	}
	if lit('.') {
		start := p
		for p < len(s) && s[p] >= '0' && s[p] <= '9' {
			p++
		}
		if p == start {
			return nil, bad
		}
		frac := s[start:p] + "00"
		ms, _ = strconv.Atoi(frac[:3])
	}
	offset := 0
	if p < len(s) && (s[p] == '+' || s[p] == '-') {
		sign := 1
		if s[p] == '-' {
			sign = -1
		}
		p++
		oh, ok := num(2, '2')
		if !ok {
			return nil, bad
		}
		lit(':')
		om, ok := num(2, '5')
		if !ok {
			return nil, bad
		}
		offset = sign * (oh*60 + om)
	} else {
		lit('Z')
	}
	if p != len(s) {
		return nil, bad
	}
	// Date.parse gives NaN for forms the pattern lets through but that name
	// no time; it lets a day of 29–31 overflow into the next month.
	if month < 1 || month > 12 || day < 1 || h > 24 || (h == 24 && (mi != 0 || sec != 0 || ms != 0)) ||
		(hasDay && !hasMonth) || (hasTime && !hasDay) || offset/60 > 23 || offset/60 < -23 {
		return math.NaN(), nil
	}
	t := time.Date(year, time.Month(month), day, h, mi, sec, ms*1e6, time.UTC)
	return float64(t.UnixMilli() - int64(offset)*60000), nil
}

func fnToMillis(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	if pic, ok := arg(args, 1).(string); ok {
		return parseDateTime(s, pic, ev.now)
	}
	return parseISO(s)
}

func optString(v any) *string {
	if s, ok := v.(string); ok {
		return &s
	}
	return nil
}

func fnFromMillis(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	ms, ok := arg(args, 0).(float64)
	if !ok {
		return undefined, nil
	}
	return formatDateTime(ms, optString(arg(args, 1)), optString(arg(args, 2)))
}

func fnNow(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	return formatDateTime(float64(ev.now.UnixMilli()), optString(arg(args, 0)), optString(arg(args, 1)))
}

func fnMillis(ev *evaluator, _ []any, _ any, _ *frame) (any, error) {
	return float64(ev.now.UnixMilli()), nil
}
