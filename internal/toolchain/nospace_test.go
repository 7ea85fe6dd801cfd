package toolchain

import (
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files/filestest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
)

// TestInstallNoSpace installs toolchains into a cache on a file system of
// 8 MB: one whose zip does not fit (a file of random bytes), one whose zip
// fits but whose files do not (zeros, which compress to nothing). Each
// fails at once, saying the disk is full, where, and how much the install
// needs; the zip is fetched once; the cache is left as an install that
// never began would leave it, so a toolchain that fits installs next.
func TestInstallNoSpace(t *testing.T) {
	t.Parallel()
	fs := filestest.SmallFS(t, 8<<20)
	if fs == "" {
		return
	}
	random := make([]byte, 10<<20)
	rand.Read(random)
	e := newEnv(t)
	dir := filepath.Join(fs, "toolchains")
	e.i = e.installer(t, dir)
	for _, tt := range []struct {
		release string
		big     string
		zipped  bool // the zip fits: unpacking fails
	}{
		{"go1.22.6", string(random), false},
		{"go1.22.7", strings.Repeat("\x00", 10<<20), true},
	} {
		files := proxytest.ToolchainFiles(tt.release, "linux", "amd64")
		files["pkg/tool/linux_amd64/big"] = tt.big
		mv := ModuleVersion(tt.release, "linux", "amd64")
		e.s.AddModule(ModulePath, mv, files)
		zipSize := int64(len(e.s.Zip(ModulePath, mv)))

		_, err := e.i.Install(context.Background(), tt.release)
		var full *NoSpaceError
		if !errors.As(err, &full) || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("Install %s onto a full disk = %v, want a *NoSpaceError for ENOSPC", tt.release, err)
		}
		if full.Dir != dir || full.Zip != zipSize || (full.Unpacked >= 10<<20) != tt.zipped || full.Free < 0 {
			t.Errorf("NoSpaceError = %+v, want Dir %s, Zip %d, Unpacked known: %v, Free known", full, dir, zipSize, tt.zipped)
		}
		msg := err.Error()
		t.Logf("%s", msg)
		for _, want := range []string{"install " + tt.release + ": ", "no space left on device", "the file system of " + dir + " is full", "free"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q does not say %q", msg, want)
			}
		}
		if n := e.s.RequestCount(mv + ".zip"); n != 1 {
			t.Errorf("%d zip requests for %s, want 1: a full disk is not retried", n, tt.release)
		}
		onlyLocks(t, dir)
	}
	if _, err := e.i.Install(context.Background(), goVer); err != nil {
		t.Errorf("Install of a toolchain that fits, after the failures: %v", err)
	}
}
