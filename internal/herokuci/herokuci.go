// Package herokuci implements Heroku CI's testpack API for Go apps.
//
// bin/test-compile builds the app as bin/compile does, with the Go
// toolchain kept in the slug, and golangci-lint when the app has a config
// file for it. bin/test then runs `go test ./...` in the build directory
// with that toolchain (with the race detector where it can), the
// benchmarks, and the linter: the go command's own output goes to stderr
// as it comes, TAP goes to stdout for Heroku CI, and the exit code is the
// result. Only the module proxy (GOPROXY) is ever asked for
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
	"strings"

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
// finds them (bin/test gets no CACHE_DIR), and golangci-lint when the app
// has a config file for it.
func TestCompile(ctx context.Context, o compile.Options) error {
	o.Phase = settings.TestCompile
	return compile.RunWith(ctx, o, func(l *compile.Layout) error {
		if err := l.LayOutSlug(); err != nil {
			return err
		}
		done := l.Timed("test_compile", "Preparing bin/test: go test ./... with the kept toolchain")
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
		cd := l.Cache()
		data, err := json.Marshal(caches{GOCACHE: cd.GOCACHE(), GOMODCACHE: cd.GOMODCACHE()})
		if err != nil {
			return fmt.Errorf("prepare tests: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, "caches.json"), data, 0o644); err != nil {
			return fmt.Errorf("prepare tests: %w", err)
		}
		done()
		return compile.Failed("golangci_lint", prepareLint(ctx, l, dir))
	})
}

// TestOptions are the inputs of bin/test.
type TestOptions struct {
	BuildDir string
	EnvDir   string
	Stdout   io.Writer // TAP, for Heroku CI
	Stderr   io.Writer // go test's own output and the log
}

// Test runs the app's tests (with the race detector where it can run),
// then its benchmarks, then golangci-lint when bin/test-compile prepared
// it, and writes every result as a TAP test point. It fails when a test
// point fails or go test does.
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
	_, ccErr := exec.LookPath(s.CI.CC)
	race, why := lines.RaceDetector(ccErr == nil)
	if why != "" {
		log.Warn("tests run without the race detector: %s. Set GO_TEST_RACE=false to run them so without this warning.", why)
	}
	if timeout, setBy := lines.TestTimeout(); setBy != "" {
		log.Detail("go test's -timeout is the one %s sets", setBy)
	} else {
		log.Detail("go test gets -timeout=%s, as neither GOFLAGS nor GO_BUILD_FLAGS sets one (go test's default is 10m)", timeout)
	}
	patterns := s.App.Patterns()
	r := &tester{ctx: ctx, log: log, goroot: goroot, dir: s.App.Dir, stderr: o.Stderr}
	tests, testErr := r.goTest("Running go %s (TAP on stdout, go test's output on stderr)", lines.Test(patterns, race))
	var bench []tap.Result
	switch _, failed, _ := tap.Tally(tests); {
	case s.CI.SkipBenchmarks:
		log.Detail("Benchmarks skipped: GO_TEST_SKIP_BENCHMARK is set")
	case failed > 0 || testErr != nil:
		log.Detail("Benchmarks not run: the tests failed")
	default:
		var err error
		bench, err = r.goTest("Running benchmarks: go %s", lines.Bench(patterns))
		testErr = err
	}
	lint, err := runLint(ctx, log, o.BuildDir, lines, o.Stderr)
	if err != nil {
		return err
	}
	results := append(append([]tap.Result(nil), tests...), bench...)
	if lint != nil {
		results = append(results, lint.Result)
	}
	if err := tap.Write(o.Stdout, results); err != nil {
		return fmt.Errorf("write TAP: %w", err)
	}
	passed, failed, skips := tap.Tally(results)
	log.Detail("%d passed, %d failed, %d skipped", passed, failed, skips)
	var problems, fixes []string
	if _, n, _ := tap.Tally(tests); n > 0 {
		problems = append(problems, fmt.Sprintf("go test: %d of %d tests failed", n, len(tests)))
		fixes = append(fixes, "`go test ./...` runs the same tests locally")
	}
	if _, n, _ := tap.Tally(bench); n > 0 {
		problems = append(problems, fmt.Sprintf("benchmarks: %d of %d failed", n, len(bench)))
		fixes = append(fixes, "`go test -run='^$' -bench=. ./...` the benchmarks")
	}
	if lint != nil && lint.Status == tap.Fail {
		problems = append(problems, "golangci-lint: "+lint.Summary)
		fixes = append(fixes, "`golangci-lint run` the linter")
	}
	var exit *exec.ExitError
	switch {
	case testErr != nil && !errors.As(testErr, &exit):
		return fmt.Errorf("run go test: %w", testErr)
	case len(problems) > 0:
		return remedy.Wrap(errors.New(strings.Join(problems, "; ")), "heroku-ci", "Fix the failures shown above; %s.", strings.Join(fixes, ", "))
	case testErr != nil:
		return remedy.Wrap(fmt.Errorf("go test: %w", testErr), "heroku-ci",
			"See go test's output above; `go test ./...` reproduces it locally.")
	}
	return nil
}

// tester runs go test for bin/test.
type tester struct {
	ctx         context.Context
	log         *output.Log
	goroot, dir string
	stderr      io.Writer
}

// goTest runs the go test line, its output going to stderr as it comes,
// and returns its test points and the error of the go command (an
// *exec.ExitError when go test failed).
func (t *tester) goTest(step string, line gocmd.Line) ([]tap.Result, error) {
	done := t.log.Timed(step, gocmd.LoggedArgs(line.Args))
	defer done()
	cmd := exec.CommandContext(t.ctx, filepath.Join(t.goroot, "bin", "go"), line.Args...)
	cmd.Dir = t.dir
	cmd.Env = line.Env
	cmd.Stderr = t.stderr
	events, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("run go test: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run go test: %w", err)
	}
	results, readErr := tap.Read(events, t.stderr)
	waitErr := cmd.Wait()
	if readErr != nil {
		return results, readErr
	}
	return results, waitErr
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
