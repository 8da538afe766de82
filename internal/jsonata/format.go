package jsonata

import (
	"math"
	"strconv"
	"strings"

	"github.com/batonrun/baton/internal/value"
)

// $formatNumber: XPath F&O 3.1 format-number picture strings.

type numberFormatProps struct {
	decimalSep, groupSep, exponentSep, minusSign, percent, perMille, zeroDigit, digit, patternSep rune
	infinity, nan                                                                                 string
}

type subPicture struct {
	prefix, suffix, activePart, mantissaPart, integerPart, fractionalPart []rune
	exponentPart                                                          []rune
	hasExponent                                                           bool
	picture                                                               []rune
}

type pictureVars struct {
	integerGroupPositions    []int
	regularGrouping          int
	minIntegerSize           int
	scalingFactor            int
	prefix, suffix           string
	fractionalGroupPositions []int
	minFractionalSize        int
	maxFractionalSize        int
	minExponentSize          int
	picture                  []rune
}

func runeIndex(rs []rune, r rune) int {
	for i, c := range rs {
		if c == r {
			return i
		}
	}
	return -1
}

func runeLastIndex(rs []rune, r rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

func fnFormatNumber(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v, ok := arg(args, 0).(float64)
	if !ok {
		return undefined, nil
	}
	picture, _ := arg(args, 1).(string)
	props := numberFormatProps{
		decimalSep: '.', groupSep: ',', exponentSep: 'e', minusSign: '-', percent: '%',
		perMille: '‰', zeroDigit: '0', digit: '#', patternSep: ';', infinity: "Infinity", nan: "NaN",
	}
	if o, ok := arg(args, 2).(*value.Object); ok {
		for _, m := range o.Members() {
			s, _ := m.Value.(string)
			r := []rune(s)
			var first rune
			if len(r) > 0 {
				first = r[0]
			}
			switch m.Key {
			case "decimal-separator":
				props.decimalSep = first
			case "grouping-separator":
				props.groupSep = first
			case "exponent-separator":
				props.exponentSep = first
			case "minus-sign":
				props.minusSign = first
			case "percent":
				props.percent = first
			case "per-mille":
				props.perMille = first
			case "zero-digit":
				props.zeroDigit = first
			case "digit":
				props.digit = first
			case "pattern-separator":
				props.patternSep = first
			case "infinity":
				props.infinity = s
			case "NaN":
				props.nan = s
			}
		}
	}
	return formatNumber(v, []rune(picture), &props)
}

func formatNumber(num float64, picture []rune, p *numberFormatProps) (any, error) {
	isDigit := func(r rune) bool { return r >= p.zeroDigit && r < p.zeroDigit+10 }
	isActive := func(r rune) bool {
		return isDigit(r) || r == p.decimalSep || r == p.exponentSep || r == p.groupSep || r == p.digit || r == p.patternSep
	}
	var subs [][]rune
	start := 0
	for i, r := range picture {
		if r == p.patternSep {
			subs = append(subs, picture[start:i])
			start = i + 1
		}
	}
	subs = append(subs, picture[start:])
	if len(subs) > 2 {
		return nil, &Error{Code: "D3080"}
	}
	split := func(sp []rune) subPicture {
		var prefix, suffix []rune
		for i, r := range sp {
			if isActive(r) && r != p.exponentSep {
				prefix = sp[:i]
				break
			}
		}
		for i := len(sp) - 1; i >= 0; i-- {
			if isActive(sp[i]) && sp[i] != p.exponentSep {
				suffix = sp[i+1:]
				break
			}
		}
		active := sp[len(prefix) : len(sp)-len(suffix)]
		parts := subPicture{prefix: prefix, suffix: suffix, activePart: active, picture: sp}
		expPos := -1
		for i := len(prefix); i < len(sp); i++ {
			if sp[i] == p.exponentSep {
				expPos = i
				break
			}
		}
		if expPos == -1 || expPos > len(sp)-len(suffix) {
			parts.mantissaPart = active
		} else {
			parts.mantissaPart = active[:min(expPos, len(active))]
			parts.exponentPart = active[min(expPos+1, len(active)):]
			parts.hasExponent = true
		}
		if d := runeIndex(parts.mantissaPart, p.decimalSep); d == -1 {
			parts.integerPart = parts.mantissaPart
			parts.fractionalPart = suffix
		} else {
			parts.integerPart = parts.mantissaPart[:d]
			parts.fractionalPart = parts.mantissaPart[d+1:]
		}
		return parts
	}
	validate := func(parts subPicture) error {
		code := ""
		sp := parts.picture
		decimalPos := runeIndex(sp, p.decimalSep)
		if decimalPos != runeLastIndex(sp, p.decimalSep) {
			code = "D3081"
		}
		if runeIndex(sp, p.percent) != runeLastIndex(sp, p.percent) {
			code = "D3082"
		}
		if runeIndex(sp, p.perMille) != runeLastIndex(sp, p.perMille) {
			code = "D3083"
		}
		if runeIndex(sp, p.percent) != -1 && runeIndex(sp, p.perMille) != -1 {
			code = "D3084"
		}
		valid := false
		for _, r := range parts.mantissaPart {
			if isDigit(r) || r == p.digit {
				valid = true
				break
			}
		}
		if !valid {
			code = "D3085"
		}
		for _, r := range parts.activePart {
			if !isActive(r) {
				code = "D3086"
			}
		}
		if decimalPos != -1 {
			if (decimalPos > 0 && sp[decimalPos-1] == p.groupSep) || (decimalPos+1 < len(sp) && sp[decimalPos+1] == p.groupSep) {
				code = "D3087"
			}
		} else if n := len(parts.integerPart); n > 0 && parts.integerPart[n-1] == p.groupSep {
			code = "D3088"
		}
		for i := 0; i+1 < len(sp); i++ {
			if sp[i] == p.groupSep && sp[i+1] == p.groupSep {
				code = "D3089"
			}
		}
		if opt := runeIndex(parts.integerPart, p.digit); opt != -1 {
			for _, r := range parts.integerPart[:opt] {
				if isDigit(r) {
					code = "D3090"
				}
			}
		}
		if opt := runeLastIndex(parts.fractionalPart, p.digit); opt != -1 {
			for _, r := range parts.fractionalPart[opt:] {
				if isDigit(r) {
					code = "D3091"
				}
			}
		}
		if parts.hasExponent && len(parts.exponentPart) > 0 && (runeIndex(sp, p.percent) != -1 || runeIndex(sp, p.perMille) != -1) {
			code = "D3092"
		}
		if parts.hasExponent {
			bad := len(parts.exponentPart) == 0
			for _, r := range parts.exponentPart {
				if !isDigit(r) {
					bad = true
				}
			}
			if bad {
				code = "D3093"
			}
		}
		if code != "" {
			return &Error{Code: code}
		}
		return nil
	}
	analyse := func(parts subPicture) pictureVars {
		groupPositions := func(part []rune, toLeft bool) []int {
			var positions []int
			g := runeIndex(part, p.groupSep)
			for g != -1 {
				var seg []rune
				if toLeft {
					seg = part[:g]
				} else {
					seg = part[g:]
				}
				n := 0
				for _, r := range seg {
					if isDigit(r) || r == p.digit {
						n++
					}
				}
				positions = append(positions, n)
				next := -1
				for i := g + 1; i < len(parts.integerPart); i++ {
					if parts.integerPart[i] == p.groupSep {
						next = i
						break
					}
				}
				g = next
			}
			return positions
		}
		v := pictureVars{picture: parts.picture, prefix: string(parts.prefix), suffix: string(parts.suffix)}
		v.integerGroupPositions = groupPositions(parts.integerPart, false)
		v.regularGrouping = regularInterval(v.integerGroupPositions)
		v.fractionalGroupPositions = groupPositions(parts.fractionalPart, true)
		for _, r := range parts.integerPart {
			if isDigit(r) {
				v.minIntegerSize++
			}
		}
		v.scalingFactor = v.minIntegerSize
		for _, r := range parts.fractionalPart {
			if isDigit(r) {
				v.minFractionalSize++
			}
			if isDigit(r) || r == p.digit {
				v.maxFractionalSize++
			}
		}
		if v.minIntegerSize == 0 && v.maxFractionalSize == 0 {
			if parts.hasExponent {
				v.minFractionalSize = 1
				v.maxFractionalSize = 1
			} else {
				v.minIntegerSize = 1
			}
		}
		if parts.hasExponent && v.minIntegerSize == 0 && runeIndex(parts.integerPart, p.digit) != -1 {
			v.minIntegerSize = 1
		}
		if v.minIntegerSize == 0 && v.minFractionalSize == 0 {
			v.minFractionalSize = 1
		}
		if parts.hasExponent {
			for _, r := range parts.exponentPart {
				if isDigit(r) {
					v.minExponentSize++
				}
			}
		}
		return v
	}
	var vars []pictureVars
	var partsList []subPicture
	for _, sp := range subs {
		partsList = append(partsList, split(sp))
	}
	for _, parts := range partsList {
		if err := validate(parts); err != nil {
			return nil, err
		}
	}
	for _, parts := range partsList {
		vars = append(vars, analyse(parts))
	}
	if len(vars) == 1 {
		neg := vars[0]
		neg.prefix = string(p.minusSign) + neg.prefix
		vars = append(vars, neg)
	}
	pic := vars[0]
	if num < 0 {
		pic = vars[1]
	}
	adjusted := num
	if runeIndex(pic.picture, p.percent) != -1 {
		adjusted = num * 100
	} else if runeIndex(pic.picture, p.perMille) != -1 {
		adjusted = num * 1000
	}
	mantissa := adjusted
	exponent := 0
	hasExp := pic.minExponentSize != 0
	if hasExp {
		maxM := math.Pow(10, float64(pic.scalingFactor))
		minM := math.Pow(10, float64(pic.scalingFactor-1))
		if mantissa != 0 {
			for math.Abs(mantissa) < minM {
				mantissa *= 10
				exponent--
			}
			for math.Abs(mantissa) > maxM {
				mantissa /= 10
				exponent++
			}
		}
	}
	rounded := roundHalfEven(mantissa, pic.maxFractionalSize)
	makeString := func(v float64, dp int) []rune {
		s := strconv.FormatFloat(math.Abs(v), 'f', dp, 64)
		rs := []rune(s)
		if p.zeroDigit != '0' {
			for i, r := range rs {
				if r >= '0' && r <= '9' {
					rs[i] = p.zeroDigit + (r - '0')
				}
			}
		}
		return rs
	}
	sv := makeString(rounded, pic.maxFractionalSize)
	if d := runeIndex(sv, '.'); d == -1 {
		sv = append(sv, p.decimalSep)
	} else {
		sv[d] = p.decimalSep
	}
	for len(sv) > 0 && sv[0] == p.zeroDigit {
		sv = sv[1:]
	}
	for len(sv) > 0 && sv[len(sv)-1] == p.zeroDigit {
		sv = sv[:len(sv)-1]
	}
	decimalPos := runeIndex(sv, p.decimalSep)
	padLeft := pic.minIntegerSize - decimalPos
	padRight := pic.minFractionalSize - (len(sv) - decimalPos - 1)
	if padLeft > 0 {
		sv = append([]rune(strings.Repeat(string(p.zeroDigit), padLeft)), sv...)
	}
	if padRight > 0 {
		sv = append(sv, []rune(strings.Repeat(string(p.zeroDigit), padRight))...)
	}
	decimalPos = runeIndex(sv, p.decimalSep)
	insert := func(s []rune, at int, r rune) []rune {
		out := make([]rune, 0, len(s)+1)
		out = append(out, s[:at]...)
		out = append(out, r)
		return append(out, s[at:]...)
	}
	if pic.regularGrouping > 0 {
		groupCount := (decimalPos - 1) / pic.regularGrouping
		for g := 1; g <= groupCount; g++ {
			sv = insert(sv, decimalPos-g*pic.regularGrouping, p.groupSep)
		}
	} else {
		for _, pos := range pic.integerGroupPositions {
			if at := decimalPos - pos; at >= 0 && at <= len(sv) {
				sv = insert(sv, at, p.groupSep)
			}
			decimalPos++
		}
	}
	decimalPos = runeIndex(sv, p.decimalSep)
	for _, pos := range pic.fractionalGroupPositions {
		if at := pos + decimalPos + 1; at <= len(sv) {
			sv = insert(sv, at, p.groupSep)
		}
	}
	decimalPos = runeIndex(sv, p.decimalSep)
	if runeIndex(pic.picture, p.decimalSep) == -1 || decimalPos == len(sv)-1 {
		sv = sv[:len(sv)-1]
	}
	if hasExp {
		se := makeString(float64(exponent), 0)
		if pad := pic.minExponentSize - len(se); pad > 0 {
			se = append([]rune(strings.Repeat(string(p.zeroDigit), pad)), se...)
		}
		sv = append(sv, p.exponentSep)
		if exponent < 0 {
			sv = append(sv, p.minusSign)
		}
		sv = append(sv, se...)
	}
	return pic.prefix + string(sv) + pic.suffix, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// regularInterval returns the interval of evenly spaced grouping positions,
// or 0 when they are not regular.
func regularInterval(positions []int) int {
	if len(positions) == 0 {
		return 0
	}
	factor := positions[0]
	for _, p := range positions[1:] {
		factor = gcd(factor, p)
	}
	for i := 1; i <= len(positions); i++ {
		found := false
		for _, p := range positions {
			if p == i*factor {
				found = true
				break
			}
		}
		if !found {
			return 0
		}
	}
	return factor
}

func fnFormatBase(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v, ok := arg(args, 0).(float64)
	if !ok {
		return undefined, nil
	}
	v = roundHalfEven(v, 0)
	radix := 10.0
	if r, ok := arg(args, 1).(float64); ok {
		radix = roundHalfEven(r, 0)
	}
	if radix < 2 || radix > 36 {
		return nil, &Error{Code: "D3100", Value: radix}
	}
	if math.Abs(v) < 1<<62 {
		return strconv.FormatInt(int64(v), int(radix)), nil
	}
	return value.FormatNumber(v), nil
}

// Integer pictures ($formatInteger, $parseInteger and date/time
// components).

type intPrimary uint8

const (
	intDecimal intPrimary = iota
	intLetters
	intRoman
	intWords
	intSequence
)

type letterCase uint8

const (
	caseLower letterCase = iota
	caseUpper
	caseTitle
)

type groupSep struct {
	position  int
	character string
}

type intFormat struct {
	primary        intPrimary
	caseType       letterCase
	ordinal        bool
	zeroCode       rune
	mandatoryDigit int
	optionalDigits int
	regular        bool
	separators     []groupSep // when regular, one entry: interval and character
	token          string
	parseWidth     int
}

var decimalGroups = []rune{0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10}

func analyseIntegerPicture(picture string) (*intFormat, error) {
	f := &intFormat{primary: intDecimal, caseType: caseLower}
	primary := picture
	if semi := strings.LastIndexByte(picture, ';'); semi != -1 {
		primary = picture[:semi]
		if strings.HasPrefix(picture[semi+1:], "o") {
			f.ordinal = true
		}
	}
	switch primary {
	case "A":
		f.caseType = caseUpper
		f.primary = intLetters
	case "a":
		f.primary = intLetters
	case "I":
		f.caseType = caseUpper
		f.primary = intRoman
	case "i":
		f.primary = intRoman
	case "W":
		f.caseType = caseUpper
		f.primary = intWords
	case "Ww":
		f.caseType = caseTitle
		f.primary = intWords
	case "w":
		f.primary = intWords
	default:
		zero := rune(-1)
		pos := 0
		var seps []groupSep
		rs := []rune(primary)
		for i := len(rs) - 1; i >= 0; i-- {
			c := rs[i]
			digit := false
			for _, g := range decimalGroups {
				if c >= g && c <= g+9 {
					digit = true
					f.mandatoryDigit++
					pos++
					if zero == -1 {
						zero = g
					} else if g != zero {
						return nil, &Error{Code: "D3131"}
					}
					break
				}
			}
			if !digit {
				if c == '#' {
					pos++
					f.optionalDigits++
				} else {
					seps = append(seps, groupSep{position: pos, character: string(c)})
				}
			}
		}
		if f.mandatoryDigit > 0 {
			f.zeroCode = zero
			if r := regularSeparators(seps); r > 0 {
				f.regular = true
				f.separators = []groupSep{{position: r, character: seps[0].character}}
			} else {
				f.separators = seps
			}
		} else {
			f.primary = intSequence
			f.token = primary
		}
	}
	return f, nil
}

func regularSeparators(seps []groupSep) int {
	if len(seps) == 0 {
		return 0
	}
	for _, s := range seps[1:] {
		if s.character != seps[0].character {
			return 0
		}
	}
	positions := make([]int, len(seps))
	for i, s := range seps {
		positions[i] = s.position
	}
	return regularInterval(positions)
}

var (
	fewWords     = []string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	ordinalWords = []string{"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"}
	decadeWords  = []string{"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"}
	magnitudes   = []string{"Thousand", "Million", "Billion", "Trillion"}
)

func numberToWords(num float64, prev, ord bool) string {
	var words string
	switch {
	case num <= 19:
		if prev {
			words = " and "
		}
		if ord {
			words += ordinalWords[int(num)]
		} else {
			words += fewWords[int(num)]
		}
	case num < 100:
		tens := int(num) / 10
		rem := math.Mod(num, 10)
		if prev {
			words = " and "
		}
		words += decadeWords[tens-2]
		if rem > 0 {
			words += "-" + numberToWords(rem, false, ord)
		} else if ord {
			words = words[:len(words)-1] + "ieth"
		}
	case num < 1000:
		hundreds := int(num) / 100
		rem := math.Mod(num, 100)
		if prev {
			words = ", "
		}
		words += fewWords[hundreds] + " Hundred"
		if rem > 0 {
			words += numberToWords(rem, true, ord)
		} else if ord {
			words += "th"
		}
	default:
		mag := int(math.Floor(math.Log10(num) / 3))
		if mag > len(magnitudes) {
			mag = len(magnitudes)
		}
		factor := math.Pow(10, float64(mag*3))
		mant := math.Floor(num / factor)
		rem := num - mant*factor
		if prev {
			words = ", "
		}
		words += numberToWords(mant, false, false) + " " + magnitudes[mag-1]
		if rem > 0 {
			words += numberToWords(rem, true, ord)
		} else if ord {
			words += "th"
		}
	}
	return words
}

var romanNumerals = []struct {
	v int
	s string
}{{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}}

func decimalToRoman(v int) string {
	var b strings.Builder
	for _, n := range romanNumerals {
		for v >= n.v {
			b.WriteString(n.s)
			v -= n.v
		}
	}
	return b.String()
}

func decimalToLetters(v int, a rune) string {
	var letters []rune
	for v > 0 {
		letters = append([]rune{rune((v-1)%26) + a}, letters...)
		v = (v - 1) / 26
	}
	return string(letters)
}

func formatIntegerWith(v float64, f *intFormat) (string, error) {
	negative := v < 0
	v = math.Abs(v)
	if (f.primary == intRoman && v > 1e8) || (f.primary == intLetters && v > 1<<53) {
		// jsonata-js overflows its stack or loses precision here; refuse
		// rather than loop.
		return "", &Error{Code: "D1001", Value: v}
	}
	var s string
	switch f.primary {
	case intLetters:
		a := 'a'
		if f.caseType == caseUpper {
			a = 'A'
		}
		s = decimalToLetters(int(v), a)
	case intRoman:
		s = decimalToRoman(int(v))
		if f.caseType == caseUpper {
			s = strings.ToUpper(s)
		}
	case intWords:
		s = numberToWords(v, false, f.ordinal)
		switch f.caseType {
		case caseUpper:
			s = strings.ToUpper(s)
		case caseLower:
			s = strings.ToLower(s)
		}
	case intDecimal:
		s = value.FormatNumber(v)
		if pad := f.mandatoryDigit - len(s); pad > 0 {
			s = strings.Repeat("0", pad) + s
		}
		if f.zeroCode != '0' {
			rs := []rune(s)
			for i, r := range rs {
				rs[i] = r + f.zeroCode - '0'
			}
			s = string(rs)
		}
		rs := []rune(s)
		if f.regular {
			sep := f.separators[0]
			n := (len(rs) - 1) / sep.position
			for i := n; i > 0; i-- {
				pos := len(rs) - i*sep.position
				rs = append(rs[:pos], append([]rune(sep.character), rs[pos:]...)...)
			}
		} else {
			for i := len(f.separators) - 1; i >= 0; i-- {
				sep := f.separators[i]
				pos := len(rs) - sep.position
				if pos < 0 {
					pos = 0
				}
				rs = append(rs[:pos], append([]rune(sep.character), rs[pos:]...)...)
			}
		}
		s = string(rs)
		if f.ordinal {
			suffix := "th"
			last := s[len(s)-1]
			switch last {
			case '1':
				suffix = "st"
			case '2':
				suffix = "nd"
			case '3':
				suffix = "rd"
			}
			if len(s) > 1 && s[len(s)-2] == '1' {
				suffix = "th"
			}
			s += suffix
		}
	case intSequence:
		return "", &Error{Code: "D3130", Value: f.token}
	}
	if negative {
		s = "-" + s
	}
	return s, nil
}

func fnFormatInteger(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v, ok := arg(args, 0).(float64)
	if !ok {
		return undefined, nil
	}
	picture, _ := arg(args, 1).(string)
	f, err := analyseIntegerPicture(picture)
	if err != nil {
		return nil, err
	}
	s, err := formatIntegerWith(math.Floor(v), f)
	if err != nil {
		return nil, err
	}
	return s, nil
}

var wordValues = func() map[string]float64 {
	m := map[string]float64{}
	for i, w := range fewWords {
		m[strings.ToLower(w)] = float64(i)
	}
	for i, w := range ordinalWords {
		m[strings.ToLower(w)] = float64(i)
	}
	for i, w := range decadeWords {
		lw := strings.ToLower(w)
		m[lw] = float64((i + 2) * 10)
		m[lw[:len(lw)-1]+"ieth"] = m[lw]
	}
	m["hundredth"] = 100
	for i, w := range magnitudes {
		lw := strings.ToLower(w)
		v := math.Pow(10, float64((i+1)*3))
		m[lw] = v
		m[lw+"th"] = v
	}
	return m
}()

func wordsToNumber(text string) float64 {
	text = strings.ReplaceAll(text, ", ", " ")
	text = strings.ReplaceAll(text, " and ", " ")
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '-' || r == '\\' || r == '\t' || r == '\n' })
	segs := []float64{0}
	for _, p := range parts {
		v, ok := wordValues[p]
		if !ok {
			return math.NaN()
		}
		if v < 100 {
			top := segs[len(segs)-1]
			segs = segs[:len(segs)-1]
			if top >= 1000 {
				segs = append(segs, top)
				top = 0
			}
			segs = append(segs, top+v)
		} else {
			segs[len(segs)-1] *= v
		}
	}
	total := 0.0
	for _, s := range segs {
		total += s
	}
	return total
}

func romanToDecimal(s string) float64 {
	values := map[byte]int{'M': 1000, 'D': 500, 'C': 100, 'L': 50, 'X': 10, 'V': 5, 'I': 1}
	dec, mx := 0, 1
	for i := len(s) - 1; i >= 0; i-- {
		v := values[s[i]]
		if v < mx {
			dec -= v
		} else {
			mx = v
			dec += v
		}
	}
	return float64(dec)
}

func lettersToDecimal(s string, a rune) float64 {
	d := 0.0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		d += float64(rs[len(rs)-i-1]-a+1) * math.Pow(26, float64(i))
	}
	return d
}

// intMatcher returns the regular expression (Go syntax) that matches an
// integer in format f, and the function that parses the matched text.
func intMatcher(f *intFormat) (string, func(string) float64, error) {
	upper := f.caseType == caseUpper
	switch f.primary {
	case intLetters:
		a := 'a'
		re := "[a-z]+"
		if upper {
			a, re = 'A', "[A-Z]+"
		}
		return re, func(s string) float64 { return lettersToDecimal(s, a) }, nil
	case intRoman:
		re := "[mdclxvi]+"
		if upper {
			re = "[MDCLXVI]+"
		}
		return re, func(s string) float64 { return romanToDecimal(strings.ToUpper(s)) }, nil
	case intWords:
		words := make([]string, 0, len(wordValues)+2)
		for w := range wordValues {
			words = append(words, w)
		}
		// Longer words first, so that alternation prefers them.
		sortStringsByLenDesc(words)
		words = append(words, "and", `[\-, ]`)
		return "(?:" + strings.Join(words, "|") + ")+", func(s string) float64 { return wordsToNumber(strings.ToLower(s)) }, nil
	case intDecimal:
		re := "[0-9]+"
		if f.parseWidth > 0 {
			re = "[0-9]{" + strconv.Itoa(f.parseWidth) + "}"
		}
		if f.ordinal {
			re += "(?:th|st|nd|rd)"
		}
		return re, func(s string) float64 {
			digits := s
			if f.ordinal {
				digits = digits[:len(digits)-2]
			}
			if f.regular {
				digits = strings.ReplaceAll(digits, ",", "")
			} else {
				for _, sep := range f.separators {
					digits = strings.ReplaceAll(digits, sep.character, "")
				}
			}
			if f.zeroCode != '0' {
				rs := []rune(digits)
				for i, r := range rs {
					rs[i] = r - f.zeroCode + '0'
				}
				digits = string(rs)
			}
			n, err := strconv.ParseFloat(digits, 64)
			if err != nil {
				return math.NaN()
			}
			return n
		}, nil
	}
	return "", nil, &Error{Code: "D3130", Value: f.token}
}

func sortStringsByLenDesc(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (len(s[j]) > len(s[j-1]) || (len(s[j]) == len(s[j-1]) && s[j] < s[j-1])); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func fnParseInteger(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	picture, _ := arg(args, 1).(string)
	f, err := analyseIntegerPicture(picture)
	if err != nil {
		return nil, err
	}
	_, parse, err := intMatcher(f)
	if err != nil {
		return nil, err
	}
	n := parse(s)
	if math.IsNaN(n) {
		return undefined, nil
	}
	return n, nil
}
