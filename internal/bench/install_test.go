package bench

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
)

// TestInstallRuns installs a toolchain zip on disk with the buildpack's
// installer and unzips it, as many times as asked, and leaves nothing
// behind. The durations are not checked: only that each run happened.
func TestInstallRuns(t *testing.T) {
	if _, err := exec.LookPath("unzip"); err != nil {
		t.Skip("no unzip on PATH")
	}
	const v = "go1.22.5"
	s := proxytest.New(t)
	modVersion := s.AddToolchain(v, runtime.GOOS, runtime.GOARCH)
	zipFile := filepath.Join(t.TempDir(), "toolchain.zip")
	if err := os.WriteFile(zipFile, s.Zip("golang.org/toolchain", modVersion), 0o444); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	install, unzip, err := installRuns(context.Background(), zipFile, v, work, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(install) != 3 || len(unzip) != 3 {
		t.Errorf("installRuns = %d installs, %d unzips; want 3 of each", len(install), len(unzip))
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Errorf("installRuns left %d entries in its work dir", len(entries))
	}
	if _, err := os.Stat(zipFile); err != nil {
		t.Errorf("the zip is gone after the runs: %v", err)
	}
}

// TestInstallRunsRefusesAnotherZip: the install verifies the zip's hash,
// so a zip of another release is refused, not timed.
func TestInstallRunsRefusesAnotherZip(t *testing.T) {
	s := proxytest.New(t)
	modVersion := s.AddToolchain("go1.22.5", runtime.GOOS, runtime.GOARCH)
	zipFile := filepath.Join(t.TempDir(), "toolchain.zip")
	if err := os.WriteFile(zipFile, s.Zip("golang.org/toolchain", modVersion), 0o444); err != nil {
		t.Fatal(err)
	}
	if _, _, err := installRuns(context.Background(), zipFile, "go1.22.6", t.TempDir(), 1); err == nil {
		t.Error("installRuns of a zip of go1.22.5 as go1.22.6 succeeded")
	}
}

func TestReportInstall(t *testing.T) {
	r := &Result{GoVersion: "go1.26.8", Install: 1500 * time.Millisecond, Unzip: 2 * time.Second}
	var b bytes.Buffer
	report(&b, r)
	for _, want := range []string{"(i)  toolchain install: verify + unpack", "1.500s   i/u  = 0.75 (target <= 1)", "(u)  unzip -q", "2.000s"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	report(&b, &Result{GoVersion: "go1.26.8"})
	if strings.Contains(b.String(), "(i)") {
		t.Errorf("report without install runs shows them:\n%s", b.String())
	}
}
