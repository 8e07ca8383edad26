// Package clienttest holds helpers shared by the tests that drive real MUD
// clients (tintin++, tf5, libtelnet's telnet-client) against troupe. It
// imports nothing of troupe, so any package's tests may use it.
package clienttest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// NeedBinary returns the path of the first of paths found on the system, or
// skips the test when none is installed. Under CI=true it fails instead:
// .ci/deps installs every client the tests use, so a missing one is a bug.
func NeedBinary(t testing.TB, paths ...string) string {
	t.Helper()
	for _, p := range paths {
		if lp, err := exec.LookPath(p); err == nil {
			return lp
		}
	}
	msg := "this test needs " + strings.Join(paths, " or ") + " (installed by .ci/deps)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
