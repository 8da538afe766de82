package asl

import (
	"fmt"
	"strings"
)

// Diagnostic codes, as ValidateStateMachineDefinition reports them.
const (
	CodeInvalidJSON             = "INVALID_JSON_DESCRIPTION"
	CodeMissingDescription      = "MISSING_DESCRIPTION"
	CodeSchemaValidationFailed  = "SCHEMA_VALIDATION_FAILED"
	CodeInvalidResource         = "INVALID_RESOURCE"
	CodeMissingEndState         = "MISSING_END_STATE"
	CodeDuplicateStateName      = "DUPLICATE_STATE_NAME"
	CodeInvalidStateName        = "INVALID_STATE_NAME"
	CodeMissingTransitionTarget = "MISSING_TRANSITION_TARGET"
	CodeUnreachableState        = "UNREACHABLE_STATE"
)

// Severities.
const (
	SeverityError   = "ERROR"
	SeverityWarning = "WARNING"
)

// Diagnostic is one problem found in a definition.
type Diagnostic struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	// Location is a JSON-pointer-like path to the field, e.g.
	// "/States/Foo/Parameters".
	Location string `json:"location,omitempty"`
}

func (d Diagnostic) String() string {
	if d.Location == "" {
		return d.Code + ": " + d.Message
	}
	return d.Code + ": " + d.Message + " at " + d.Location
}

// InvalidDefinitionError is returned by Parse for a definition with errors.
// Its message has the form of AWS's InvalidDefinition exception.
type InvalidDefinitionError struct {
	Diagnostics []Diagnostic
}

func (e *InvalidDefinitionError) Error() string {
	parts := make([]string, 0, len(e.Diagnostics))
	for _, d := range e.Diagnostics {
		if d.Severity == SeverityError {
			parts = append(parts, d.String())
		}
	}
	return "Invalid State Machine Definition: '" + strings.Join(parts, ", ") + "'"
}

type diagnostics struct {
	list []Diagnostic
}

func (d *diagnostics) add(code, loc, format string, args ...any) {
	d.list = append(d.list, Diagnostic{Severity: SeverityError, Code: code, Message: fmt.Sprintf(format, args...), Location: loc})
}

func (d *diagnostics) warn(code, loc, format string, args ...any) {
	d.list = append(d.list, Diagnostic{Severity: SeverityWarning, Code: code, Message: fmt.Sprintf(format, args...), Location: loc})
}

func (d *diagnostics) schema(loc, format string, args ...any) {
	d.add(CodeSchemaValidationFailed, loc, format, args...)
}

func (d *diagnostics) errors() int {
	n := 0
	for _, x := range d.list {
		if x.Severity == SeverityError {
			n++
		}
	}
	return n
}
