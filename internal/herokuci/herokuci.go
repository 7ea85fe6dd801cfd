// Package herokuci implements Heroku CI's testpack API for Go apps.
//
// bin/test-compile builds the app as bin/compile does, with the Go
// toolchain kept in the slug. bin/test then runs `go test ./...` in the
// build directory with that toolchain: the go command's own output goes
// to stderr as it comes, TAP goes to stdout for Heroku CI, and the exit
// code is the result. Only the module proxy (GOPROXY) is ever asked for
// anything: GOTOOLCHAIN=local keeps the go command from fetching another
// toolchain.
package herokuci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
	"github.com/gobuildpack/heroku-buildpack-go/internal/tap"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// Dir holds what bin/test needs from bin/test-compile, relative to the
// build directory: this buildpack's program and the cache locations.
const Dir = slug.MetaDir + "/ci"

// caches is where bin/test-compile's build left its Go caches.
type caches struct {
	GOCACHE    string `json:"gocache"`
	GOMODCACHE string `json:"gomodcache"`
}

// TestCompile builds the app for Heroku CI: compile with the toolchain
// kept, then put this program and the cache locations where bin/test
// finds them (bin/test gets no CACHE_DIR).
func TestCompile(ctx context.Context, o compile.Options) error {
	o.Phase = settings.TestCompile
	if err := compile.Run(ctx, o); err != nil {
		return err
	}
	done := o.Log.Timed("Preparing bin/test: go test ./... with the kept toolchain")
	dir := filepath.Join(o.BuildDir, Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("prepare tests: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("prepare tests: %w", err)
	}
	if err := files.CopyFile(exe, filepath.Join(dir, "buildpack")); err != nil {
		return fmt.Errorf("prepare tests: %w", err)
	}
	cd := cache.New(o.CacheDir)
	data, err := json.Marshal(caches{GOCACHE: cd.GOCACHE(), GOMODCACHE: cd.GOMODCACHE()})
	if err != nil {
		return fmt.Errorf("prepare tests: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "caches.json"), data, 0o644); err != nil {
		return fmt.Errorf("prepare tests: %w", err)
	}
	done()
	return nil
}

// TestOptions are the inputs of bin/test.
type TestOptions struct {
	BuildDir string
	EnvDir   string
	Stdout   io.Writer // TAP, for Heroku CI
	Stderr   io.Writer // go test's own output and the log
}

// Test runs the app's tests. It fails when a test fails or go test does.
func Test(ctx context.Context, o TestOptions) error {
	log := output.New(o.Stderr, o.Stderr)
	goroot := filepath.Join(o.BuildDir, slug.ToolchainDir)
	if _, err := os.Stat(filepath.Join(goroot, "bin", "go")); err != nil {
		return remedy.Wrap(fmt.Errorf("run tests: no Go toolchain in %s", goroot), "heroku-ci",
			"bin/test runs after bin/test-compile BUILD_DIR CACHE_DIR ENV_DIR, which keeps the toolchain in the build directory.")
	}
	s, err := settings.Read(settings.Input{Phase: settings.Test, BuildDir: o.BuildDir, EnvDir: o.EnvDir})
	for _, name := range s.Skipped {
		log.Warn("ignoring %q in ENV_DIR: not a config var name", name)
	}
	for _, w := range s.Credentials.Warnings {
		log.Warn("%s", w)
	}
	if err != nil {
		return err
	}
	// The tests see the app's config vars (DATABASE_URL, ...), never the
	// ones that would change how the machine runs programs, and the Go
	// settings as the build used them (gocmd.Lines).
	release, err := toolchain.ReleaseAt(goroot)
	if err != nil {
		return err
	}
	c := testCaches(o.BuildDir)
	lines := &gocmd.Lines{
		Settings:   s,
		Release:    release,
		GOROOT:     goroot,
		GOCACHE:    c.GOCACHE,
		GOMODCACHE: c.GOMODCACHE,
		GOPATH:     filepath.Join(o.BuildDir, Dir, "gopath"),
	}
	home, err := gocmd.CredentialsHome(s)
	if err != nil {
		return err
	}
	if home != nil {
		defer home.Remove()
		lines.Home = home
	}
	if err := lines.CheckFlags(); err != nil {
		return err
	}
	if err := lines.Prepare(); err != nil {
		return err
	}
	for _, note := range lines.Notes() {
		log.Detail("%s", note)
	}
	test := lines.Test(s.App.Patterns(), false)
	args := test.Args
	done := log.Timed("Running go %s (TAP on stdout, go test's output on stderr)", gocmd.LoggedArgs(args))
	cmd := exec.CommandContext(ctx, filepath.Join(goroot, "bin", "go"), args...)
	cmd.Dir = s.App.Dir
	cmd.Env = test.Env
	plain := o.Stderr
	cmd.Stderr = plain
	events, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("run go test: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run go test: %w", err)
	}
	results, readErr := tap.Read(events, plain)
	waitErr := cmd.Wait()
	if readErr != nil {
		return readErr
	}
	if err := tap.Write(o.Stdout, results); err != nil {
		return fmt.Errorf("write TAP: %w", err)
	}
	passed, failed, skips := tap.Tally(results)
	log.Detail("%d passed, %d failed, %d skipped", passed, failed, skips)
	done()
	var exit *exec.ExitError
	switch {
	case waitErr != nil && !errors.As(waitErr, &exit):
		return fmt.Errorf("run go test: %w", waitErr)
	case failed > 0:
		return remedy.Wrap(fmt.Errorf("go test: %d of %d tests failed", failed, len(results)), "heroku-ci",
			"Fix the failures shown above; `go test ./...` runs the same tests locally.")
	case waitErr != nil:
		return remedy.Wrap(fmt.Errorf("go test: %w", waitErr), "heroku-ci",
			"See go test's output above; `go test ./...` reproduces it locally.")
	}
	return nil
}

// testCaches returns the Go caches bin/test-compile's build used when
// they are still there (Heroku CI runs both in the same dyno), else
// empty ones in the build directory.
func testCaches(buildDir string) caches {
	fallback := caches{
		GOCACHE:    filepath.Join(buildDir, Dir, "gocache"),
		GOMODCACHE: filepath.Join(buildDir, Dir, "modcache"),
	}
	data, err := os.ReadFile(filepath.Join(buildDir, Dir, "caches.json"))
	if err != nil {
		return fallback
	}
	var c caches
	if json.Unmarshal(data, &c) != nil {
		return fallback
	}
	if !isDir(c.GOCACHE) {
		c.GOCACHE = fallback.GOCACHE
	}
	if !isDir(c.GOMODCACHE) {
		c.GOMODCACHE = fallback.GOMODCACHE
	}
	return c
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}
