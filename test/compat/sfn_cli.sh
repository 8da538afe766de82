#!/usr/bin/env bash
# Drives Baton's Step Functions API with the AWS CLI. Needs BATON_URL; run by
# internal/server's TestCompatibilityAWSCLI. Every step checks its result.
set -euo pipefail
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
sfn() { aws --endpoint-url "$BATON_URL" --output json stepfunctions "$@"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
role=arn:aws:iam::000000000000:role/cli

act=$(sfn create-activity --name cli-approve | field "['activityArn']")
def='{"StartAt":"Approve","States":{"Approve":{"Type":"Task","Resource":"'$act'","Next":"Greet"},"Greet":{"Type":"Pass","Parameters":{"msg.$":"States.Format('"'"'hi {}'"'"', $.who)"},"End":true}}}'
sm=$(sfn create-state-machine --name cli-machine --definition "$def" --role-arn $role | field "['stateMachineArn']")
sfn describe-state-machine --state-machine-arn "$sm" | field "['name']" | grep -qx cli-machine || fail describe-state-machine
sfn list-state-machines | grep -q cli-machine || fail list-state-machines

exec=$(sfn start-execution --state-machine-arn "$sm" --name run-1 --input '{"x":1}' | field "['executionArn']")
task=$(sfn get-activity-task --activity-arn "$act" --worker-name cli)
token=$(echo "$task" | field "['taskToken']")
sfn send-task-heartbeat --task-token "$token" >/dev/null
sfn send-task-success --task-token "$token" --task-output '{"who":"cli"}' >/dev/null
for _ in $(seq 100); do
	status=$(sfn describe-execution --execution-arn "$exec" | field "['status']")
	[ "$status" != RUNNING ] && break
	sleep 0.05
done
[ "$status" = SUCCEEDED ] || fail "execution status $status"
sfn describe-execution --execution-arn "$exec" | field "['output']" | grep -q '"hi cli"' || fail output
sfn get-execution-history --execution-arn "$exec" | grep -q '"ExecutionSucceeded"' || fail history
sfn list-executions --state-machine-arn "$sm" --status-filter SUCCEEDED | grep -q run-1 || fail list-executions

# A second execution fails through send-task-failure; a third is stopped.
exec2=$(sfn start-execution --state-machine-arn "$sm" --input '{}' | field "['executionArn']")
token2=$(sfn get-activity-task --activity-arn "$act" | field "['taskToken']")
sfn send-task-failure --task-token "$token2" --error Rejected --cause "no" >/dev/null
for _ in $(seq 100); do
	status=$(sfn describe-execution --execution-arn "$exec2" | field "['status']")
	[ "$status" != RUNNING ] && break
	sleep 0.05
done
[ "$status" = FAILED ] || fail "failed execution status $status"
exec3=$(sfn start-execution --state-machine-arn "$sm" | field "['executionArn']")
sfn stop-execution --execution-arn "$exec3" --error Stop --cause test >/dev/null
[ "$(sfn describe-execution --execution-arn "$exec3" | field "['status']")" = ABORTED ] || fail stop-execution

# Errors come back with AWS's codes.
out=$(sfn describe-execution --execution-arn "${exec}-nope" 2>&1) && fail "describe of a missing execution succeeded"
echo "$out" | grep -q ExecutionDoesNotExist || fail "missing execution: $out"
out=$(sfn create-state-machine --name bad --definition '{"StartAt":"X","States":{}}' --role-arn $role 2>&1) && fail "bad definition accepted"
echo "$out" | grep -q InvalidDefinition || fail "bad definition: $out"

# ValidateStateMachineDefinition exists in newer CLIs only.
if aws stepfunctions help 2>/dev/null | grep -q validate-state-machine-definition; then
	sfn validate-state-machine-definition --definition '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}' | field "['result']" | grep -qx FAIL || fail validate
else
	echo "skip: this AWS CLI has no validate-state-machine-definition"
fi
echo "aws cli: all steps passed"
