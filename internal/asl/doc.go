// Package asl owns the Amazon States Language: it parses and validates
// state machine definitions (Parse, Validate) into an immutable Definition,
// and evaluates the language's expressions as AWS does: JSONPath reference
// and full paths on the input, the context object ($$) and variables; payload
// templates; intrinsic functions; Choice rules; the input/output pipeline
// (InputPath, Parameters, ResultSelector, ResultPath, OutputPath); Assign;
// and JSONata "{% %}" fields.
//
// It must not run executions (package engine does), do I/O or read a
// clock.
//
//	def, err := asl.Parse(src)
//	var inv *asl.InvalidDefinitionError
//	if errors.As(err, &inv) {
//		for _, d := range inv.Diagnostics {
//			fmt.Println(d) // SCHEMA_VALIDATION_FAILED: ... at /States/Foo/Next
//		}
//	}
package asl
