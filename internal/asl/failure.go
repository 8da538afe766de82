package asl

// The predefined error names of the States language.
const (
	ErrALL                             = "States.ALL"
	ErrTaskFailed                      = "States.TaskFailed"
	ErrRuntime                         = "States.Runtime"
	ErrTimeout                         = "States.Timeout"
	ErrHeartbeatTimeout                = "States.HeartbeatTimeout"
	ErrDataLimitExceeded               = "States.DataLimitExceeded"
	ErrPermissions                     = "States.Permissions"
	ErrResultPathMatchFailure          = "States.ResultPathMatchFailure"
	ErrParameterPathFailure            = "States.ParameterPathFailure"
	ErrBranchFailed                    = "States.BranchFailed"
	ErrNoChoiceMatched                 = "States.NoChoiceMatched"
	ErrIntrinsicFailure                = "States.IntrinsicFailure"
	ErrExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
	ErrItemReaderFailed                = "States.ItemReaderFailed"
	ErrResultWriterFailed              = "States.ResultWriterFailed"
	ErrQueryEvaluationError            = "States.QueryEvaluationError"
)

// Failure is an error raised in a state: a name (States.Runtime, a task's
// own error type, ...) and a cause. It is what Retry and Catch match and
// what the error output {"Error", "Cause"} carries.
type Failure struct {
	Name  string
	Cause string
	// Location names the field whose evaluation failed (for
	// States.QueryEvaluationError), as EvaluationFailed events report it.
	Location string
}

func (f *Failure) Error() string {
	if f.Cause == "" {
		return f.Name
	}
	return f.Name + ": " + f.Cause
}

// Matches reports whether the failure is selected by an ErrorEquals list.
// States.ALL matches every error but States.Runtime and
// States.DataLimitExceeded, which are terminal; States.TaskFailed matches
// every error but those and States.Timeout, as AWS documents.
func (f *Failure) Matches(errorEquals []string) bool {
	for _, name := range errorEquals {
		switch {
		case name == f.Name:
			return true
		case name == ErrALL:
			if !f.terminal() {
				return true
			}
		case name == ErrTaskFailed:
			if !f.terminal() && f.Name != ErrTimeout && f.Name != ErrHeartbeatTimeout {
				return true
			}
		}
	}
	return false
}

// terminal reports whether the failure cannot be retried or caught by a
// wildcard: AWS documents States.Runtime and States.DataLimitExceeded as
// such.
func (f *Failure) terminal() bool {
	return f.Name == ErrRuntime || f.Name == ErrDataLimitExceeded
}
