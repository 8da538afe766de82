package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// compatDir is test/compat in this repository.
func compatDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "test", "compat")
}

// runCompat starts a server and runs a compatibility script against it.
func runCompat(t *testing.T, name string, args ...string) {
	t.Helper()
	srv, _ := startServer(t, ":memory:", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "BATON_URL="+srv.URL())
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
}

// TestCompatibilityAWSCLI drives the server with the AWS CLI (test/compat/
// sfn_cli.sh). .ci/run installs Debian's awscli when the machine has none.
func TestCompatibilityAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed (apt-get install awscli); skipping the CLI compatibility script")
	}
	runCompat(t, "bash", filepath.Join(compatDir(), "sfn_cli.sh"))
}

// TestCompatibilityBoto3 drives the server with boto3 (test/compat/
// sfn_boto3.py). .ci/run installs Debian's python3-boto3 when missing.
func TestCompatibilityBoto3(t *testing.T) {
	// Debian's python3-boto3 belongs to /usr/bin/python3, which may not be
	// the python3 on PATH.
	for _, candidate := range []string{"python3", "/usr/bin/python3"} {
		python, err := exec.LookPath(candidate)
		if err == nil && exec.Command(python, "-c", "import boto3").Run() == nil {
			runCompat(t, python, filepath.Join(compatDir(), "sfn_boto3.py"))
			return
		}
	}
	t.Skip("python3 with boto3 is not installed (apt-get install python3-boto3); skipping the boto3 compatibility script")
}
