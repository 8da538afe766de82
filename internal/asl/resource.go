package asl

import (
	"regexp"
	"strings"

	"github.com/batonrun/baton/internal/value"
)

// lambdaQualifier is what may follow a Lambda function ARN's name: a version
// ($LATEST or digits) or an alias.
var lambdaQualifier = regexp.MustCompile(`^(\$LATEST|[A-Za-z0-9_-]+)$`)

// cfnPlaceholder matches a CloudFormation or SAM substitution, "${Name}".
var cfnPlaceholder = regexp.MustCompile(`\$\{[A-Za-z0-9_.:]+\}`)

// resource checks a Task's Resource. An ARN must have its six parts, and a
// Lambda function ARN a valid qualifier. A CloudFormation substitution
// ("${LambdaArn}") or intrinsic ({"Fn::GetAtt": ...}) is accepted with a
// warning: such definitions come from templates whose deployment replaces
// them, and a Task whose Resource was never replaced fails when it runs.
func (p *parser) resource(st *State, v any, loc string) {
	switch r := v.(type) {
	case string:
		st.Resource = r
		if cfnPlaceholder.MatchString(r) {
			p.d.warn(CodeInvalidResource, loc, "The resource '%s' contains a template substitution; it must be replaced by an ARN before the state machine runs", r)
			return
		}
		if msg := checkResourceARN(r); msg != "" {
			p.d.add(CodeInvalidResource, loc, "%s", msg)
		}
	case *value.Object:
		for _, m := range r.Members() {
			if m.Key == "Ref" || strings.HasPrefix(m.Key, "Fn::") {
				p.d.warn(CodeInvalidResource, loc, "The resource is a CloudFormation intrinsic (%s); it must be replaced by an ARN before the state machine runs", m.Key)
				st.Resource = value.EncodeString(r)
				return
			}
		}
		p.d.schema(loc, "The value for the field 'Resource' must be a STRING")
	default:
		p.d.schema(loc, "The value for the field 'Resource' must be a STRING")
	}
}

// checkResourceARN returns a message for a Resource that is not a valid
// ARN, or "".
func checkResourceARN(r string) string {
	parts := strings.SplitN(r, ":", 7)
	if len(parts) < 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return "The resource '" + r + "' is not a valid ARN"
	}
	if parts[2] == "lambda" && len(parts) == 7 && parts[5] == "function" {
		name, qualifier, hasQualifier := strings.Cut(parts[6], ":")
		if name == "" {
			return "The resource '" + r + "' does not name a Lambda function"
		}
		if hasQualifier && !lambdaQualifier.MatchString(qualifier) {
			return "The resource '" + r + "' has an invalid Lambda version or alias '" + qualifier + "'"
		}
	}
	return ""
}
