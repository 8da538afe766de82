package asl

import (
	"fmt"
	"strings"

	"github.com/batonrun/baton/internal/value"
)

func (p *parser) choice(st *State, f *fieldSet, lang string) {
	if d, ok := f.string("Default"); ok {
		st.Default = d
	}
	arr, ok := f.array("Choices")
	if !ok {
		if !f.has("Choices") {
			p.d.schema(f.loc, "The field 'Choices' is required")
		}
		return
	}
	if len(arr) == 0 {
		p.d.schema(f.at("Choices"), "The field 'Choices' must contain at least one rule")
	}
	for i, e := range arr {
		loc := fmt.Sprintf("%s/Choices[%d]", f.loc, i)
		if r := p.choiceRule(e, loc, lang, true); r != nil {
			st.Choices = append(st.Choices, r)
		}
	}
}

func (p *parser) choiceRule(raw any, loc, lang string, top bool) *ChoiceRule {
	o, ok := raw.(*value.Object)
	if !ok {
		p.d.schema(loc, "A choice rule must be an OBJECT")
		return nil
	}
	f := p.fields(o, loc)
	r := &ChoiceRule{}
	if s, ok := f.string("Comment"); ok {
		r.Comment = s
	}
	if top {
		r.Next, _ = f.requiredString("Next")
		if o.Has("Assign") {
			r.Assign = p.assign(f, lang, loc+"/Assign")
		}
		if lang == JSONata {
			if v, ok := f.get("Output"); ok {
				r.Output = p.jsonataTemplate(v, f.at("Output"))
			}
		}
	}
	if lang == JSONata {
		v, ok := f.get("Condition")
		if !ok {
			p.d.schema(loc, "The field 'Condition' is required in a JSONata choice rule")
		} else if s, isStr := v.(string); isStr && isJSONataString(s) {
			r.Condition = compileJSONata(s, f.at("Condition"), p.d)
		} else {
			p.d.schema(f.at("Condition"), "The value for the field 'Condition' must be a JSONata expression")
		}
		f.rejectUnknown(" in a JSONata choice rule")
		return r
	}

	kinds := 0
	if arr, ok := f.array("And"); ok {
		kinds++
		r.And = p.subRules(arr, loc+"/And", lang)
	}
	if arr, ok := f.array("Or"); ok {
		kinds++
		r.Or = p.subRules(arr, loc+"/Or", lang)
	}
	if v, ok := f.get("Not"); ok {
		kinds++
		r.Not = p.choiceRule(v, loc+"/Not", lang, false)
	}
	for _, m := range o.Members() {
		op, isPath := strings.CutSuffix(m.Key, "Path")
		if _, known := choiceOperators[op]; !known || (isPath && isTypeTest(op)) {
			continue
		}
		f.used[m.Key] = true
		kinds++
		r.Operator = op
		at := f.at(m.Key)
		if isPath {
			s, ok := m.Value.(string)
			if !ok {
				p.d.schema(at, "The value for the field '%s' must be a STRING that contains a JSONPath", m.Key)
				continue
			}
			r.OperandPath = p.parsePath(s, at, m.Key, false, true)
			continue
		}
		r.Operand = m.Value
		want := choiceOperators[op]
		switch {
		case want == "timestamp":
			s, ok := m.Value.(string)
			if !ok {
				p.d.schema(at, "The value for the field '%s' must be a STRING", m.Key)
				continue
			}
			t, err := ParseTimestamp(s)
			if err != nil {
				p.d.schema(at, "The value for the field '%s' must be a valid ISO-8601 extended offset date-time format string", m.Key)
			}
			r.timestamp = t
		case value.TypeName(m.Value) != want:
			p.d.schema(at, "The value for the field '%s' must be a %s", m.Key, strings.ToUpper(want))
		case op == "StringMatches":
			r.glob, _ = compileGlob(m.Value.(string))
		}
	}
	if r.Operator != "" {
		if !o.Has("Variable") {
			p.d.schema(loc, "The field 'Variable' is required in a comparison")
		} else {
			r.Variable, _ = f.path("Variable", false, false, true)
		}
	}
	switch {
	case kinds == 0:
		p.d.schema(loc, "A choice rule must have a comparison operator, 'And', 'Or' or 'Not'")
	case kinds > 1:
		p.d.schema(loc, "A choice rule must have exactly one comparison operator, 'And', 'Or' or 'Not'")
	}
	if r.Operator == "" && o.Has("Variable") {
		f.used["Variable"] = true
		if kinds > 0 {
			p.d.schema(f.at("Variable"), "The field 'Variable' is only allowed in a comparison")
		}
	}
	f.rejectUnknown(" in a choice rule")
	return r
}

func (p *parser) subRules(arr []any, loc, lang string) []*ChoiceRule {
	if len(arr) == 0 {
		p.d.schema(loc, "The list of rules must not be empty")
	}
	out := make([]*ChoiceRule, 0, len(arr))
	for i, e := range arr {
		if r := p.choiceRule(e, fmt.Sprintf("%s[%d]", loc, i), lang, false); r != nil {
			out = append(out, r)
		}
	}
	return out
}
