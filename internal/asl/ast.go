package asl

// Query languages a state machine or a state can be written in.
const (
	JSONPath = "JSONPath"
	JSONata  = "JSONata"
)

// State types.
const (
	TypePass     = "Pass"
	TypeTask     = "Task"
	TypeChoice   = "Choice"
	TypeWait     = "Wait"
	TypeSucceed  = "Succeed"
	TypeFail     = "Fail"
	TypeParallel = "Parallel"
	TypeMap      = "Map"
)

// Map processor modes and child execution types.
const (
	ModeInline      = "INLINE"
	ModeDistributed = "DISTRIBUTED"
	ExecStandard    = "STANDARD"
	ExecExpress     = "EXPRESS"
)

// Definition is a parsed and validated state machine definition. It is
// immutable after Parse and safe for concurrent use.
type Definition struct {
	Branch
	// Version is the Amazon States Language version the definition names
	// ("1.0" when absent).
	Version string
	// TimeoutSeconds bounds the whole execution; 0 means no limit.
	TimeoutSeconds int
	// Source is the definition's text as given to Parse.
	Source string
}

// Branch is a set of states with a start: the top level, a Parallel branch or
// a Map's item processor.
type Branch struct {
	Comment string
	StartAt string
	// States holds every state by name; Order lists the names as written.
	States map[string]*State
	Order  []string
	// QueryLanguage is the language this branch's states default to.
	QueryLanguage string
	// ProcessorConfig is set on a Map's item processor.
	ProcessorConfig ProcessorConfig
}

// ProcessorConfig is a Map item processor's configuration.
type ProcessorConfig struct {
	Mode          string // INLINE (default) or DISTRIBUTED
	ExecutionType string // STANDARD or EXPRESS, for DISTRIBUTED
}

// State is one state of any type. Only the fields of its Type are set.
type State struct {
	Name    string
	Type    string
	Comment string
	// QueryLanguage is the state's effective language, inherited when the
	// state does not name one.
	QueryLanguage string

	Next string
	End  bool

	// Data flow, JSONPath. A nil path field means the field was absent (the
	// default "$" applies); Discard* means the field was JSON null.
	InputPath      *Path
	DiscardInput   bool // InputPath: null
	OutputPath     *Path
	DiscardOutput  bool // OutputPath: null
	ResultPath     *Path
	DiscardResult  bool      // ResultPath: null
	Parameters     *Template // also the legacy Map's Parameters
	ResultSelector *Template
	Result         any  // Pass: the static result
	HasResult      bool // Pass: Result was given (it may be null)
	ItemsPath      *Path
	ItemSelector   *Template
	Assign         *Template // both languages
	Arguments      *Template // JSONata
	Output         *Template // JSONata
	HasOutput      bool
	Items          *Template // JSONata Map

	// Task.
	Resource         string
	TimeoutSeconds   *Number // int, path or JSONata
	HeartbeatSeconds *Number
	Credentials      *Template

	Retry []*Retrier
	Catch []*Catcher

	// Choice.
	Choices []*ChoiceRule
	Default string

	// Wait: one of the four.
	Seconds   *Number
	Timestamp *TimestampField

	// Fail.
	Error *StringField
	Cause *StringField

	// Parallel.
	Branches []*Branch

	// Map.
	ItemProcessor              *Branch // also the legacy Iterator
	LegacyIterator             bool
	ItemReader                 *ItemReader
	ItemBatcher                *ItemBatcher
	ResultWriter               *ResultWriter
	MaxConcurrency             *Number
	ToleratedFailureCount      *Number
	ToleratedFailurePercentage *Number
	Label                      string
}

// IsTerminal reports whether the state ends its branch (End, Succeed, Fail).
func (s *State) IsTerminal() bool {
	return s.End || s.Type == TypeSucceed || s.Type == TypeFail
}

// Number is an integer (or, for percentages, decimal) field that can be a
// literal, a JSONPath reference (the *Path form) or a JSONata expression.
type Number struct {
	Value   float64
	Path    *Path    // e.g. TimeoutSecondsPath
	JSONata *Jsonata // e.g. "TimeoutSeconds": "{% $x %}"
	Field   string   // the field name as written, for messages
}

// TimestampField is the Wait state's Timestamp, TimestampPath or a JSONata
// Timestamp.
type TimestampField struct {
	Literal string
	Path    *Path
	JSONata *Jsonata
	Field   string
}

// StringField is Fail's Error or Cause: a literal, a path (ErrorPath,
// CausePath, which may also be an intrinsic function) or JSONata.
type StringField struct {
	Literal string
	Path    *Path
	Call    *Intrinsic
	JSONata *Jsonata
	Field   string
}

// Retrier is one element of Retry.
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds int     // default 1
	MaxAttempts     int     // default 3
	BackoffRate     float64 // default 2.0
	MaxDelaySeconds int     // 0: no cap
	JitterStrategy  string  // FULL or NONE (default)
}

// Catcher is one element of Catch.
type Catcher struct {
	ErrorEquals   []string
	Next          string
	ResultPath    *Path
	DiscardResult bool
	Assign        *Template
	Output        *Template // JSONata
}

// ItemReader configures a distributed Map's item source.
type ItemReader struct {
	Resource     string
	ReaderConfig any
	Parameters   *Template
}

// ItemBatcher groups a distributed Map's items into batches.
type ItemBatcher struct {
	MaxItemsPerBatch      *Number
	MaxInputBytesPerBatch *Number
	BatchInput            *Template
}

// ResultWriter configures where a distributed Map writes its results.
type ResultWriter struct {
	Resource     string
	Parameters   *Template
	WriterConfig any
}
