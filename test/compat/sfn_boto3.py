"""Drives Baton's Step Functions API with boto3. Needs BATON_URL; run by
internal/server's TestCompatibilityBoto3. Every step checks its result."""
import json
import os
import time

import boto3
from botocore.config import Config

client = boto3.client(
    "stepfunctions",
    endpoint_url=os.environ["BATON_URL"],
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    # StartSyncExecution carries a "sync-" host prefix a local endpoint lacks.
    config=Config(inject_host_prefix=False),
)
role = "arn:aws:iam::000000000000:role/boto3"


def wait(arn):
    for _ in range(200):
        d = client.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.05)
    raise AssertionError("execution still running: " + arn)


act = client.create_activity(name="boto3-work")["activityArn"]
definition = {
    "StartAt": "Work",
    "States": {
        "Work": {"Type": "Task", "Resource": act, "ResultPath": "$.work", "Next": "Check"},
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.work.ok", "BooleanEquals": True, "Next": "Done"}],
            "Default": "Failed",
        },
        "Done": {"Type": "Succeed"},
        "Failed": {"Type": "Fail", "Error": "NotOk"},
    },
}
sm = client.create_state_machine(name="boto3-machine", definition=json.dumps(definition), roleArn=role)["stateMachineArn"]
assert client.describe_state_machine(stateMachineArn=sm)["name"] == "boto3-machine"

ex = client.start_execution(stateMachineArn=sm, name="b1", input='{"n": 1}')["executionArn"]
task = client.get_activity_task(activityArn=act, workerName="boto3")
assert json.loads(task["input"]) == {"n": 1}, task
client.send_task_success(taskToken=task["taskToken"], output='{"ok": true}')
d = wait(ex)
assert d["status"] == "SUCCEEDED", d
assert json.loads(d["output"]) == {"n": 1, "work": {"ok": True}}, d["output"]
events = client.get_execution_history(executionArn=ex)["events"]
assert [e["type"] for e in events][-1] == "ExecutionSucceeded", events
assert any(e["type"] == "ChoiceStateEntered" for e in events)
assert client.list_executions(stateMachineArn=sm)["executions"][0]["name"] == "b1"

ex2 = client.start_execution(stateMachineArn=sm)["executionArn"]
task = client.get_activity_task(activityArn=act)
client.send_task_failure(taskToken=task["taskToken"], error="Broken", cause="test")
assert wait(ex2)["status"] == "FAILED"

ex3 = client.start_execution(stateMachineArn=sm)["executionArn"]
client.stop_execution(executionArn=ex3, error="Stop", cause="test")
assert client.describe_execution(executionArn=ex3)["status"] == "ABORTED"

try:
    client.describe_state_machine(stateMachineArn=sm + "-missing")
    raise AssertionError("describe of a missing state machine succeeded")
except client.exceptions.StateMachineDoesNotExist:
    pass
try:
    client.start_execution(stateMachineArn=sm, name="b1", input='{"n": 2}')
    raise AssertionError("a duplicate execution name was accepted")
except client.exceptions.ExecutionAlreadyExists:
    pass

express = client.create_state_machine(
    name="boto3-express", type="EXPRESS", roleArn=role,
    definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 42, "End": True}}}),
)["stateMachineArn"]
res = client.start_sync_execution(stateMachineArn=express)
assert res["status"] == "SUCCEEDED" and res["output"] == "42", res

if hasattr(client, "validate_state_machine_definition"):
    v = client.validate_state_machine_definition(definition='{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}')
    assert v["result"] == "FAIL" and v["diagnostics"], v
else:
    print("skip: this boto3 has no validate_state_machine_definition")
print("boto3: all steps passed")
