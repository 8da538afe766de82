package asl

import (
	"errors"
	"strings"
	"testing"

	"github.com/batonrun/baton/internal/value"
)

func TestParseRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, def string
		code, loc string // one expected diagnostic
	}{
		{"empty", ``, CodeMissingDescription, ""},
		{"bad json", `{"StartAt":`, CodeInvalidJSON, ""},
		{"duplicate key", `{"StartAt":"A","StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, CodeSchemaValidationFailed, ""},
		{"missing next target", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`, CodeMissingTransitionTarget, "/States/A/Next"},
		{"missing start", `{"StartAt":"X","States":{"A":{"Type":"Succeed"}}}`, CodeMissingTransitionTarget, "/StartAt"},
		{"next and end", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A","End":true}}}`, CodeSchemaValidationFailed, "/States/A"},
		{"neither next nor end", `{"StartAt":"A","States":{"A":{"Type":"Pass"},"B":{"Type":"Succeed"}}}`, CodeSchemaValidationFailed, "/States/A"},
		{"unknown field", `{"StartAt":"A","States":{"A":{"Type":"Pass","Foo":1,"End":true}}}`, CodeSchemaValidationFailed, "/States/A/Foo"},
		{"unknown type", `{"StartAt":"A","States":{"A":{"Type":"Nope","End":true}}}`, CodeSchemaValidationFailed, "/States/A/Type"},
		{"unreachable", `{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}`, CodeSchemaValidationFailed, "/States/B"},
		{"no terminal", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}`, CodeMissingEndState, ""},
		{"bad path", `{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"x","End":true}}}`, CodeSchemaValidationFailed, "/States/A/InputPath"},
		{"result path not reference", `{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$..x","End":true}}}`, CodeSchemaValidationFailed, "/States/A/ResultPath"},
		{"result path variable", `{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$x","End":true}}}`, CodeSchemaValidationFailed, "/States/A/ResultPath"},
		{"bad intrinsic", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"States.Nope(1)"},"End":true}}}`, CodeSchemaValidationFailed, "/States/A/Parameters/x.$"},
		{"task without resource", `{"StartAt":"A","States":{"A":{"Type":"Task","End":true}}}`, CodeSchemaValidationFailed, "/States/A"},
		{"bad resource", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"lambda","End":true}}}`, CodeInvalidResource, "/States/A/Resource"},
		{"heartbeat not below timeout", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"HeartbeatSeconds":5,"End":true}}}`, CodeSchemaValidationFailed, "/States/A/HeartbeatSeconds"},
		{"retry all not last", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}],"End":true}}}`, CodeSchemaValidationFailed, "/States/A/Retry[0]"},
		{"retry backoff below one", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}],"End":true}}}`, CodeSchemaValidationFailed, "/States/A/Retry[0]/BackoffRate"},
		{"choice without rules", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[],"Default":"B"},"B":{"Type":"Succeed"}}}`, CodeSchemaValidationFailed, "/States/A/Choices"},
		{"choice operand type", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":"1","Next":"B"}]},"B":{"Type":"Succeed"}}}`, CodeSchemaValidationFailed, "/States/A/Choices[0]/NumericEquals"},
		{"choice bad timestamp", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","TimestampEquals":"2020-01-01","Next":"B"}]},"B":{"Type":"Succeed"}}}`, CodeSchemaValidationFailed, "/States/A/Choices[0]/TimestampEquals"},
		{"wait two fields", `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true}}}`, CodeSchemaValidationFailed, "/States/A"},
		{"wait bad timestamp", `{"StartAt":"A","States":{"A":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00","End":true}}}`, CodeSchemaValidationFailed, "/States/A/Timestamp"},
		{"fail error and path", `{"StartAt":"A","States":{"A":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}}}`, CodeSchemaValidationFailed, "/States/A"},
		{"map label too long", `{"StartAt":"A","States":{"A":{"Type":"Map","Label":"` + strings.Repeat("x", 41) + `","ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}},"End":true}}}`, CodeSchemaValidationFailed, "/States/A/Label"},
		{"duplicate state across scopes", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"F","States":{"F":{"Type":"Succeed"}}},"Next":"F"},"F":{"Type":"Succeed"}}}`, CodeDuplicateStateName, "/States/F"},
		{"template key conflict", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a":1,"a.$":"$.x"},"End":true}}}`, CodeSchemaValidationFailed, "/States/A/Parameters/a.$"},
		{"lambda qualifier", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f:$*#","End":true}}}`, CodeInvalidResource, "/States/A/Resource"},
		{"reader max items twice", `{"StartAt":"A","States":{"A":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"MaxItems":1,"MaxItemsPath":"$.m"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"B","States":{"B":{"Type":"Succeed"}}},"End":true}}}`, CodeSchemaValidationFailed, "/States/A/ItemReader/ReaderConfig"},
		{"map label char", `{"StartAt":"A","States":{"A":{"Type":"Map","Label":"a b","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"B","States":{"B":{"Type":"Succeed"}}},"End":true}}}`, CodeSchemaValidationFailed, "/States/A/Label"},
		{"nested branch target", `{"StartAt":"A","States":{"A":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"Z"}}}],"End":true}}}`, CodeMissingTransitionTarget, "/States/A/Branches[0]/States/B/Next"},
		{"jsonpath field in jsonata", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$","End":true}}}`, CodeSchemaValidationFailed, "/States/A/InputPath"},
		{"jsonata unclosed", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input","End":true}}}`, CodeSchemaValidationFailed, "/States/A/Output"},
		{"reserved variable", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"states":1},"End":true}}}`, CodeSchemaValidationFailed, "/States/A/Assign/states"},
		{"long state name", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"` + strings.Repeat("n", 81) + `"},"` + strings.Repeat("n", 81) + `":{"Type":"Succeed"}}}`, CodeInvalidStateName, "/States/" + strings.Repeat("n", 81)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(c.def))
			var inv *InvalidDefinitionError
			if !errors.As(err, &inv) {
				t.Fatalf("Parse accepted it (err %v)", err)
			}
			for _, d := range inv.Diagnostics {
				if d.Code == c.code && (c.loc == "" || d.Location == c.loc) {
					if d.Message == "" {
						t.Fatalf("diagnostic without message: %+v", d)
					}
					return
				}
			}
			t.Fatalf("no %s at %q among %v", c.code, c.loc, inv.Diagnostics)
		})
	}
}

func TestParseReportsAllProblemsAtOnce(t *testing.T) {
	t.Parallel()
	diags := Validate([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","Bogus":1},"C":{"Type":"Wait","End":true}}}`))
	if len(diags) < 3 {
		t.Fatalf("want at least 3 diagnostics (missing target, unknown field, wait without duration, unreachable), got %v", diags)
	}
}

func TestParseAcceptsFullDefinition(t *testing.T) {
	t.Parallel()
	src := `{
	 "Comment":"all state types","Version":"1.0","TimeoutSeconds":300,"StartAt":"P",
	 "States":{
	  "P":{"Type":"Pass","InputPath":"$.in","Parameters":{"a.$":"$.x","b":[{"c.$":"States.Array($.y, 1)"}]},"ResultPath":"$.p","OutputPath":"$","Assign":{"v.$":"$.a"},"Next":"T"},
	  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSecondsPath":"$.t","HeartbeatSeconds":10,
	       "ResultSelector":{"r.$":"$.Payload"},"Retry":[{"ErrorEquals":["States.Timeout"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":1.5,"MaxDelaySeconds":30,"JitterStrategy":"FULL"}],
	       "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"F"}],"Credentials":{"RoleArn":"arn:aws:iam::1:role/x"},"Next":"C"},
	  "C":{"Type":"Choice","Choices":[
	       {"And":[{"Variable":"$.a","IsPresent":true},{"Not":{"Variable":"$.a","StringMatches":"x*"}}],"Next":"W"},
	       {"Variable":"$v","NumericGreaterThanEqualsPath":"$.lim","Next":"Par"}],"Default":"M"},
	  "W":{"Type":"Wait","TimestampPath":"$.when","Next":"Par"},
	  "Par":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}],"Next":"M"},
	  "M":{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"i.$":"$$.Map.Item.Index"},"MaxConcurrencyPath":"$.mc",
	       "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"Y","States":{"Y":{"Type":"Pass","End":true}}},
	       "ItemBatcher":{"MaxItemsPerBatch":10},"ToleratedFailurePercentage":5,"Label":"items","Next":"S"},
	  "S":{"Type":"Succeed"},
	  "F":{"Type":"Fail","ErrorPath":"$.err.Error","CausePath":"States.Format('failed: {}', $.err.Cause)"}
	 }}`
	def, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if def.TimeoutSeconds != 300 || len(def.Order) != 8 || def.States["M"].ItemProcessor.ProcessorConfig.Mode != ModeDistributed {
		t.Fatalf("parsed wrongly: %+v", def)
	}
	if r := def.States["T"].Retry[0]; r.MaxDelaySeconds != 30 || r.JitterStrategy != "FULL" || r.BackoffRate != 1.5 {
		t.Fatalf("retrier %+v", r)
	}
}

func TestChoiceRules(t *testing.T) {
	t.Parallel()
	input := value.MustDecode(`{"s":"abc","n":3,"b":true,"t":"2024-01-02T03:04:05Z","z":null,"lim":3,"star":"a*b"}`)
	cases := []struct {
		rule string
		want bool
	}{
		{`{"Variable":"$.s","StringEquals":"abc"}`, true},
		{`{"Variable":"$.s","StringLessThan":"abd"}`, true},
		{`{"Variable":"$.s","StringGreaterThanEquals":"abc"}`, true},
		{`{"Variable":"$.s","StringMatches":"a*"}`, true},
		{`{"Variable":"$.s","StringMatches":"*c"}`, true},
		{`{"Variable":"$.s","StringMatches":"a*d"}`, false},
		{`{"Variable":"$.star","StringMatches":"a\\*b"}`, true},
		{`{"Variable":"$.s","StringMatches":"a\\*c"}`, false},
		{`{"Variable":"$.n","NumericEquals":3}`, true},
		{`{"Variable":"$.n","NumericEqualsPath":"$.lim"}`, true},
		{`{"Variable":"$.n","NumericLessThan":3}`, false},
		{`{"Variable":"$.s","NumericEquals":3}`, false},
		{`{"Variable":"$.b","BooleanEquals":true}`, true},
		{`{"Variable":"$.t","TimestampGreaterThan":"2024-01-02T03:04:04Z"}`, true},
		{`{"Variable":"$.t","TimestampEquals":"2024-01-02T04:04:05+01:00"}`, true},
		{`{"Variable":"$.z","IsNull":true}`, true},
		{`{"Variable":"$.nope","IsPresent":false}`, true},
		{`{"Variable":"$.n","IsNumeric":true}`, true},
		{`{"Variable":"$.s","IsString":true}`, true},
		{`{"Variable":"$.b","IsBoolean":false}`, false},
		{`{"Variable":"$.t","IsTimestamp":true}`, true},
		{`{"Variable":"$.s","IsTimestamp":true}`, false},
		{`{"And":[{"Variable":"$.n","NumericGreaterThan":1},{"Variable":"$.b","BooleanEquals":true}]}`, true},
		{`{"Or":[{"Variable":"$.n","NumericGreaterThan":5},{"Not":{"Variable":"$.b","BooleanEquals":false}}]}`, true},
	}
	for _, c := range cases {
		src := `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[` +
			strings.Replace(c.rule, "}", `,"Next":"Y"}`, 1) + `],"Default":"Y"},"Y":{"Type":"Succeed"}}}`
		if strings.HasPrefix(c.rule, `{"And"`) || strings.HasPrefix(c.rule, `{"Or"`) {
			src = `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[` +
				c.rule[:len(c.rule)-1] + `,"Next":"Y"}],"Default":"Y"},"Y":{"Type":"Succeed"}}}`
		}
		def, err := Parse([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		got, err := def.States["C"].Choices[0].Eval(&Env{Input: input})
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		if got != c.want {
			t.Errorf("%s = %v, want %v", c.rule, got, c.want)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	t.Parallel()
	for s, ok := range map[string]bool{
		"2016-03-14T01:59:00Z":           true,
		"2016-03-05T21:29:29.243167252Z": true,
		"2016-03-14T01:59:00+07:00":      true,
		"2016-03-14T01:59:00.000000Z":    true,
		"2016-03-14T01:59:00":            false,
		"2016-03-14t01:59:00Z":           false,
		"2016-03-14T01:59:00z":           false,
		"2016-03-14 01:59:00Z":           false,
		"2016-13-14T01:59:00Z":           false,
		"2016-03-14T01:59:00.Z":          false,
	} {
		if _, err := ParseTimestamp(s); (err == nil) != ok {
			t.Errorf("ParseTimestamp(%q) err=%v, want ok=%v", s, err, ok)
		}
	}
}

// FuzzParse checks that Parse never panics and that what it accepts it
// also validates without errors.
func FuzzParse(f *testing.F) {
	seeds := []string{
		`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":1,"Next":"B"}],"Default":"B"},"B":{"Type":"Succeed"}}}`,
		`{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.i","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`,
		`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["X"],"Next":"T"}],"End":true}}}`,
		`{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input %}","End":true}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":1,"End":true}}}],"End":true}}}`,
		`{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('{}', $.c)"}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		def, err := Parse(data)
		diags := Validate(data)
		if (err == nil) != (countErrors(diags) == 0) {
			t.Fatalf("Parse err=%v but Validate found %d errors", err, countErrors(diags))
		}
		if err == nil && def.States[def.StartAt] == nil {
			t.Fatalf("accepted a definition whose StartAt %q is not a state", def.StartAt)
		}
	})
}
