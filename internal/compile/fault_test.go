package compile_test

// The fault suite: every fault a build can meet on the network, in what it
// downloads and in its cache, tried against the whole bin/compile pipeline
// (compile.Run, in-process) with a loopback module proxy and checksum
// database. Each test checks the outcome, the log, and what the cache holds
// afterwards: a fault may fail a build, never leave a broken toolchain or
// a temp dir behind, and never poison the next build.
//
// The toolchains served are tiny: their bin/go runs the go command that
// runs these tests. Every build's GOCACHE is a symlink to one shared build
// cache, so only the first build compiles the runtime.

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files/filestest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output/outputtest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// appOutput is what the app built by every test prints.
const appOutput = "fault app ok"

// backoff is the module proxy client's first wait before a retry: short,
// so that retries are fast. No test depends on how long it is.
const backoff = 10 * time.Millisecond

var (
	// goVersion names the fake toolchain like the go command it runs.
	goVersion = runtime.Version()
	// realGo is the go command the fake toolchains run.
	realGo string
	// sharedGOCACHE is the build cache every build in this file uses.
	sharedGOCACHE string
)

// helperEnv, when set, makes the test binary run one build (described by
// the variable's JSON value) instead of the tests: a build that a test can
// kill with SIGKILL.
const helperEnv = "GOBUILDPACK_FAULT_HELPER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(helperEnv); spec != "" {
		os.Exit(helperMain(spec))
	}
	cleanup, err := setup()
	if err != nil {
		fmt.Fprintf(os.Stderr, "fault tests: %v\n", err)
		os.Exit(1)
	}
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// setup finds the go command and the build cache the builds share: the
// developer's, so that repeated runs are fast, or else a temporary one.
func setup() (cleanup func(), err error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("the fault tests need the go command on PATH: %w", err)
	}
	out, err := exec.Command(goCmd, "env", "GOROOT", "GOCACHE").Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return nil, fmt.Errorf("go env GOROOT GOCACHE printed %q", out)
	}
	realGo = filepath.Join(lines[0], "bin", "go")
	sharedGOCACHE = lines[1]
	cleanup = func() {}
	if sharedGOCACHE == "off" || !filepath.IsAbs(sharedGOCACHE) {
		tmp, err := os.MkdirTemp("", "fault-gocache-")
		if err != nil {
			return nil, err
		}
		sharedGOCACHE, cleanup = tmp, func() { os.RemoveAll(tmp) }
	}
	return cleanup, os.MkdirAll(sharedGOCACHE, 0o777)
}

// fixture is a module proxy serving one toolchain, a cache directory, and
// the config vars that point a build at them.
type fixture struct {
	t        *testing.T
	srv      *proxytest.Server
	mv       string // module version of the toolchain served
	cacheDir string
	vars     map[string]string
	app      map[string]string // files of the app beside (or instead of) the default ones
	stall    time.Duration     // the proxy client's stall timeout; 0 for its default
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := proxytest.New(t)
	f := &fixture{t: t, srv: srv, cacheDir: newCacheDir(t)}
	f.mv = srv.AddToolchainRunning(goVersion, runtime.GOOS, runtime.GOARCH, realGo)
	f.vars = map[string]string{"GOPROXY": srv.URL(), "GOSUMDB": srv.GOSUMDB(), "GOVERSION": goVersion}
	return f
}

// newCacheDir returns a CACHE_DIR whose GOCACHE is the shared one.
func newCacheDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cache")
	if err := os.MkdirAll(filepath.Join(dir, "go"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(sharedGOCACHE, filepath.Join(dir, "go", "gocache")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// result is the outcome of one build.
type result struct {
	err      error
	log      string // stdout then stderr, ending with the error as bin/compile prints it
	buildDir string
	envDir   string
}

func (f *fixture) run(ctx context.Context) result {
	f.t.Helper()
	return <-f.start(ctx, nil).done
}

// start starts a build in the background, with the app's files and
// extra ones, e.g. a hook for this build only.
func (f *fixture) start(ctx context.Context, extra map[string]string) *running {
	f.t.Helper()
	app := maps.Clone(f.app)
	if app == nil {
		app = map[string]string{}
	}
	maps.Copy(app, extra)
	d := newDirs(f.t, f.cacheDir, f.vars, app)
	d.Stall = f.stall
	return startCompile(ctx, d)
}

// dirs are the directories and settings of one build.
type dirs struct {
	BuildDir, CacheDir, EnvDir, BuildpackDir string
	Stall                                    time.Duration
	// TMPDIR, when set, is the temporary directory of a build run in
	// another process (runKilled, runHelper).
	TMPDIR string
}

// newDirs writes the app (with the files of app added to or replacing the
// default ones), the config vars and buildpack.toml into new directories
// for a build that uses cacheDir.
func newDirs(t *testing.T, cacheDir string, vars, app map[string]string) dirs {
	t.Helper()
	root := t.TempDir()
	d := dirs{
		BuildDir:     filepath.Join(root, "build"),
		CacheDir:     cacheDir,
		EnvDir:       filepath.Join(root, "env"),
		BuildpackDir: filepath.Join(root, "buildpack"),
	}
	files := map[string]string{
		filepath.Join(d.BuildDir, "go.mod"):  "module example.com/fault\n\ngo 1.22\n",
		filepath.Join(d.BuildDir, "main.go"): "package main\n\nfunc main() { println(\"" + appOutput + "\") }\n",
	}
	for name, content := range app {
		files[filepath.Join(d.BuildDir, filepath.FromSlash(name))] = content
	}
	for k, v := range vars {
		files[filepath.Join(d.EnvDir, k)] = v
	}
	// The loopback proxies stand for GOPROXY: a toolchain they do not
	// serve must not come from the real proxy instead, unless a test says
	// where it may come from.
	if _, ok := vars["GO_TOOLCHAIN_PROXY"]; !ok {
		files[filepath.Join(d.EnvDir, "GO_TOOLCHAIN_PROXY")] = "off"
	}
	manifest, err := os.ReadFile(filepath.Join("..", "..", "buildpack.toml"))
	if err != nil {
		t.Fatal(err)
	}
	files[filepath.Join(d.BuildpackDir, "buildpack.toml")] = string(manifest)
	for path, content := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(d.EnvDir, 0o777); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d dirs) options(log *output.Log) compile.Options {
	return compile.Options{
		BuildDir:     d.BuildDir,
		CacheDir:     d.CacheDir,
		EnvDir:       d.EnvDir,
		BuildpackDir: d.BuildpackDir,
		Log:          log,
		Stall:        d.Stall,
		Backoff:      backoff,
	}
}

// running is a build running in the background.
type running struct {
	log  *outputtest.Log // stdout and stderr as they come
	done chan result
}

// startCompile starts compile.Run on the directories d.
func startCompile(ctx context.Context, d dirs) *running {
	r := &running{log: &outputtest.Log{}, done: make(chan result, 1)}
	var stdout, stderr outputtest.Log
	log := output.New(io.MultiWriter(&stdout, r.log), io.MultiWriter(&stderr, r.log))
	go func() {
		err := compile.Run(ctx, d.options(log))
		if err != nil {
			log.Fail(err)
		}
		r.done <- result{err: err, log: stdout.String() + stderr.String(), buildDir: d.BuildDir, envDir: d.EnvDir}
	}()
	return r
}

// runCompile builds the test app in a new build directory with cacheDir
// and the config vars.
func runCompile(t *testing.T, ctx context.Context, cacheDir string, vars map[string]string) result {
	t.Helper()
	return <-startCompile(ctx, newDirs(t, cacheDir, vars, nil)).done
}

// ok fails the test unless the build succeeded and its app runs.
func (r result) ok(t *testing.T) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("build failed: %v\n%s", r.err, r.log)
	}
	for _, bin := range []string{"app", "bin/fault"} {
		out, err := exec.Command(filepath.Join(r.buildDir, bin)).CombinedOutput()
		if err != nil || !strings.Contains(string(out), appOutput) {
			t.Fatalf("%s after a successful build: %v, output %q\n%s", bin, err, out, r.log)
		}
	}
}

// failed fails the test unless the build failed with a log that says each of wants.
func (r result) failed(t *testing.T, wants ...string) {
	t.Helper()
	if r.err == nil {
		t.Fatalf("build succeeded, want an error\n%s", r.log)
	}
	for _, w := range wants {
		if !strings.Contains(r.log, w) {
			t.Errorf("the log does not say %q:\n%s", w, r.log)
		}
	}
}

// says fails the test unless the log says each of wants.
func (r result) says(t *testing.T, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(r.log, w) {
			t.Errorf("the log does not say %q:\n%s", w, r.log)
		}
	}
}

// toolchainName is the cache directory name of release v for this platform.
func toolchainName(v string) string { return v + "." + runtime.GOOS + "-" + runtime.GOARCH }

func toolchainCache(cacheDir string) toolchain.Cache {
	return toolchain.Cache{Dir: filepath.Join(cacheDir, "go", "toolchains"), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
}

// checkCache fails the test if the cache holds what no build may leave
// behind: a temp file or directory anywhere, or an entry in toolchains/
// other than a lock file, a complete toolchain, or one of foreign (left
// there by the test). It returns the complete toolchains.
func checkCache(t *testing.T, cacheDir string, foreign ...string) []string {
	t.Helper()
	root := filepath.Join(cacheDir, "go")
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if name := d.Name(); strings.HasPrefix(name, ".tmp-") || strings.HasPrefix(name, ".probe") {
			t.Errorf("the cache holds a temp file: %s", path)
		}
		return nil
	})
	tc := toolchainCache(cacheDir)
	entries, _ := os.ReadDir(tc.Dir)
	var complete []string
entries:
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".lock") && e.Type().IsRegular() {
			continue
		}
		for _, f := range foreign {
			if name == f {
				continue entries
			}
		}
		v, ok := strings.CutSuffix(name, "."+runtime.GOOS+"-"+runtime.GOARCH)
		if _, complete := tc.Lookup(v); !ok || !complete {
			t.Errorf("the cache holds %s, not a complete toolchain", filepath.Join(tc.Dir, name))
			continue
		}
		complete = append(complete, v)
	}
	return complete
}

// notCached fails the test if the cache holds anything of release v, or
// anything a build may not leave behind.
func notCached(t *testing.T, cacheDir, v string, foreign ...string) {
	t.Helper()
	for _, have := range checkCache(t, cacheDir, foreign...) {
		if have == v {
			t.Errorf("%s is in the cache after a failed install", v)
		}
	}
	if _, err := os.Lstat(filepath.Join(toolchainCache(cacheDir).Dir, toolchainName(v))); err == nil {
		t.Errorf("the cache holds a directory for %s after a failed install", v)
	}
}

// cached fails the test unless the cache holds exactly the complete
// toolchains want, and nothing a build may not leave behind.
func cached(t *testing.T, cacheDir string, want ...string) {
	t.Helper()
	have := checkCache(t, cacheDir)
	if strings.Join(have, " ") != strings.Join(want, " ") {
		t.Errorf("the cache holds toolchains %q, want %q", have, want)
	}
}

// lang is the language version of goVersion, e.g. "1.26".
func lang() string {
	v := strings.TrimPrefix(goVersion, "go")
	if i := strings.Index(v, "."); i >= 0 {
		if j := strings.Index(v[i+1:], "."); j >= 0 {
			return v[:i+1+j]
		}
	}
	return v
}

// Network faults.

func TestFaultProxy5xxThenRecovers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.Inject(".zip", 2, proxytest.Fault{Status: 503})
	r := f.run(context.Background())
	r.ok(t)
	if n := f.srv.RequestCount(".zip"); n != 3 {
		t.Errorf("%d zip requests, want 3 (two 503s, then the zip)", n)
	}
	cached(t, f.cacheDir, goVersion)
}

// TestFaultProxyHangs serves the toolchain zip's first half, then nothing
// more: the stall timeout fires because no byte ever comes, however busy
// the machine. It is long enough that every request reaches the proxy
// before it fires; the zip requests are the only ones the build makes.
func TestFaultProxyHangs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.stall = time.Second
	f.srv.Inject(".zip", proxytest.Always, proxytest.Fault{Hang: true})
	r := f.run(context.Background())
	r.failed(t, "no data received for 1s", "gave up after 4 attempts", "GOPROXY="+f.srv.URL())
	if n := f.srv.RequestCount(".zip"); n != 4 {
		t.Errorf("%d zip requests, want 4", n)
	}
	if reqs := f.srv.Requests(); len(reqs) != 4 {
		t.Errorf("requests %q, want only the 4 zip requests", reqs)
	}
	notCached(t, f.cacheDir, goVersion)
}

func TestFaultTruncatedZip(t *testing.T) {
	t.Parallel()
	t.Run("always", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Inject(".zip", proxytest.Always, proxytest.Fault{Truncate: true})
		r := f.run(context.Background())
		r.failed(t, "gave up after 4 attempts", "The module proxy could not be reached")
		if n := f.srv.RequestCount(".zip"); n != 4 {
			t.Errorf("%d zip requests, want 4", n)
		}
		notCached(t, f.cacheDir, goVersion)
	})
	t.Run("once", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Inject(".zip", 1, proxytest.Fault{Truncate: true})
		f.run(context.Background()).ok(t)
		if n := f.srv.RequestCount(".zip"); n != 2 {
			t.Errorf("%d zip requests, want 2", n)
		}
		cached(t, f.cacheDir, goVersion)
	})
}

// TestFaultWrongContentLength serves the toolchain zip with a false
// Content-Length. A longer one means the body ends early, which the client
// sees: the download is retried, and succeeds when the proxy answers
// right. A shorter one means a zip cut short where no client can tell: the
// download succeeds, the zip cannot be hashed, and nothing is installed;
// retrying would not help a proxy that answers so, and the error says to
// retry the build if it was a one-off.
func TestFaultWrongContentLength(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		n        int   // faulty answers
		delta    int64 // Content-Length minus the true length
		requests int   // zip requests the build makes
		fail     []string
	}{
		{"longer always", proxytest.Always, 1000, 4, []string{"unexpected EOF", "gave up after 4 attempts", "The module proxy could not be reached"}},
		{"longer once", 1, 1000, 2, nil},
		{"shorter always", proxytest.Always, -100, 1, []string{"not a valid module zip", "damaged or hostile zip"}},
		{"shorter once", 1, -100, 1, []string{"not a valid module zip", "damaged or hostile zip"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			size := int64(len(f.srv.Zip(toolchain.ModulePath, f.mv)))
			f.srv.Inject(".zip", tt.n, proxytest.Fault{Length: size + tt.delta})
			r := f.run(context.Background())
			if n := f.srv.RequestCount(".zip"); n != tt.requests {
				t.Errorf("%d zip requests, want %d", n, tt.requests)
			}
			if tt.fail == nil {
				r.ok(t)
				cached(t, f.cacheDir, goVersion)
				return
			}
			r.failed(t, tt.fail...)
			notCached(t, f.cacheDir, goVersion)
		})
	}
}

func TestFaultVersionNotAvailable(t *testing.T) {
	t.Parallel()
	for _, code := range []int{404, 410} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			f := newFixture(t)
			f.srv.Inject(".zip", proxytest.Always, proxytest.Fault{Status: code})
			r := f.run(context.Background())
			r.failed(t, goVersion+" (from the GOVERSION config var: "+goVersion+") is not available from GOPROXY="+f.srv.URL(),
				"the proxy says: proxytest: injected "+fmt.Sprint(code))
			if n := f.srv.RequestCount(".zip"); n != 1 {
				t.Errorf("%d zip requests, want 1: %d is not worth a retry", n, code)
			}
			notCached(t, f.cacheDir, goVersion)
		})
	}
	t.Run("unknown version", func(t *testing.T) {
		f := newFixture(t)
		unknown := "go" + lang() + ".99"
		f.vars["GOVERSION"] = unknown
		r := f.run(context.Background())
		r.failed(t, unknown+" (from the GOVERSION config var: "+unknown+") is not available", "The newest go"+lang()+" release is "+goVersion)
		notCached(t, f.cacheDir, unknown)
	})
}

func TestFaultSumDBDown(t *testing.T) {
	t.Parallel()
	// No tree head is cached: the toolchain cannot be verified, so it is
	// not installed.
	check := func(t *testing.T, f *fixture, r result) {
		t.Helper()
		r.failed(t, "checksum database "+proxytest.DBName+" could not be reached", "never installed unverified")
		var sec *checksum.SecurityError
		if errors.As(r.err, &sec) {
			t.Errorf("an unreachable database is a SecurityError: %v", r.err)
		}
		notCached(t, f.cacheDir, goVersion)
		if _, err := os.Stat(filepath.Join(f.cacheDir, "go", "sumdb", "config")); err == nil {
			t.Errorf("a tree head was cached from a database that could not be reached")
		}
	}
	t.Run("endpoint 503", func(t *testing.T) {
		f := newFixture(t)
		for _, suffix := range []string{"@" + f.mv, "/latest", "/supported"} {
			f.srv.Inject(suffix, proxytest.Always, proxytest.Fault{Status: 503})
		}
		check(t, f, f.run(context.Background()))
	})
	t.Run("through the proxy", func(t *testing.T) {
		f := newFixture(t)
		f.vars["GOSUMDB"] = f.srv.Key() // found through GOPROXY's /sumdb/
		f.srv.Inject("/supported", proxytest.Always, proxytest.Fault{Status: 503})
		check(t, f, f.run(context.Background()))
	})
	t.Run("nothing listening", func(t *testing.T) {
		f := newFixture(t)
		dead := httptest.NewServer(nil)
		dead.Close()
		f.vars["GOSUMDB"] = f.srv.Key() + " " + dead.URL
		check(t, f, f.run(context.Background()))
	})
}

func TestFaultProxyDownToolchainCached(t *testing.T) {
	t.Parallel()
	t.Run("exact version", func(t *testing.T) {
		f := newFixture(t)
		f.run(context.Background()).ok(t)
		f.srv.Inject("", proxytest.Always, proxytest.Fault{Status: 503})
		before := len(f.srv.Requests())
		r := f.run(context.Background())
		r.ok(t)
		r.says(t, "Reusing "+goVersion+" from the cache")
		if got := f.srv.Requests()[before:]; len(got) > 0 {
			t.Errorf("an offline build with everything cached made requests: %q", got)
		}
	})
	t.Run("line, no release list cached", func(t *testing.T) {
		f := newFixture(t)
		f.run(context.Background()).ok(t)
		// The install listed the releases (for the end-of-life check):
		// forget the list.
		if err := os.Remove(filepath.Join(f.cacheDir, "go", "state", "versions")); err != nil {
			t.Fatal(err)
		}
		f.srv.Inject("", proxytest.Always, proxytest.Fault{Status: 503})
		f.vars["GOVERSION"] = lang()
		r := f.run(context.Background())
		r.ok(t)
		r.says(t, "WARNING: could not list Go releases", "using "+goVersion+" from the cache, which satisfies")
	})
	t.Run("line, release list expired", func(t *testing.T) {
		f := newFixture(t)
		f.vars["GOVERSION"] = lang()
		f.run(context.Background()).ok(t)
		age(t, filepath.Join(f.cacheDir, "go", "state", "versions"), time.Hour)
		f.srv.Inject("", proxytest.Always, proxytest.Fault{Status: 503})
		r := f.run(context.Background())
		r.ok(t)
		r.says(t, "WARNING: could not refresh the list of Go releases", "Reusing "+goVersion+" from the cache")
	})
}

// age makes the cache record at path look written d ago.
func age(t *testing.T, path string, d time.Duration) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	rec["written"] = time.Now().Add(-d).UTC()
	if data, err = json.Marshal(rec); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Tampering.

func TestFaultTamperedZip(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	files := proxytest.ToolchainFiles(goVersion, runtime.GOOS, runtime.GOARCH)
	files["bin/go"] = "#!/bin/sh\necho pwned\n"
	f.srv.Tamper(toolchain.ModulePath, f.mv, files)
	r := f.run(context.Background())
	r.failed(t, "SECURITY ERROR", "checksum mismatch", "Nothing was installed or cached")
	var sec *checksum.SecurityError
	if !errors.As(r.err, &sec) {
		t.Errorf("error is not a *checksum.SecurityError: %#v", r.err)
	}
	notCached(t, f.cacheDir, goVersion)

	// The fault does not poison the next build.
	f.srv.AddToolchainRunning(goVersion, runtime.GOOS, runtime.GOARCH, realGo)
	f.run(context.Background()).ok(t)
	cached(t, f.cacheDir, goVersion)
}

func TestFaultHostileZip(t *testing.T) {
	t.Parallel()
	type entry struct {
		name, content string
		mode          fs.FileMode
	}
	for _, tt := range []struct {
		name  string
		extra []entry
		want  string
	}{
		// From the unpack dir, CACHE_DIR/go/toolchains/.tmp-*/go, this is
		// beside CACHE_DIR, in the test's directory.
		{"path traversal", []entry{{name: "../../../../../evil", content: "evil"}}, `invalid path element ".."`},
		{"absolute path", []entry{{name: "/evil", content: "evil"}}, "does not have prefix"},
		{"symlink", []entry{{name: "lib/evil", content: "../../../../../../../../evil", mode: fs.ModeSymlink | 0o777}}, "not a regular file"},
		{"symlinked bin/go", nil, "not a regular file"},
		{"duplicate names", []entry{{name: "bin/go", content: "#!/bin/sh\necho second\n"}}, "multiple entries for file"},
		{"case collision", []entry{{name: "BIN/GO", content: "#!/bin/sh\necho second\n"}}, "case-insensitive file name collision"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)

			prefix := toolchain.ModulePath + "@" + f.mv + "/"
			entries := []entry{
				{name: "VERSION", content: goVersion + "\n"},
				{name: "bin/go", content: "#!/bin/sh\nexec '" + realGo + "' \"$@\"\n"},
			}
			if tt.name == "symlinked bin/go" {
				entries[1] = entry{name: "bin/go", content: realGo, mode: fs.ModeSymlink | 0o777}
			}
			entries = append(entries, tt.extra...)
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for _, e := range entries {
				h := &zip.FileHeader{Name: prefix + e.name, Method: zip.Deflate}
				if strings.HasPrefix(e.name, "/") {
					h.Name = e.name
				}
				h.SetMode(0o644)
				if e.mode != 0 {
					h.SetMode(e.mode)
				}
				w, err := zw.CreateHeader(h)
				if err != nil {
					t.Fatal(err)
				}
				w.Write([]byte(e.content))
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			f.srv.AddRawZip(toolchain.ModulePath, f.mv, buf.Bytes())

			r := f.run(context.Background())
			// The database vouches for the zip, but it is refused before
			// anything is unpacked or hashed.
			r.failed(t, "unpack: not a valid module zip", tt.want, "damaged or hostile zip")
			notCached(t, f.cacheDir, goVersion)
			filepath.WalkDir(filepath.Dir(f.cacheDir), func(path string, d fs.DirEntry, err error) error {
				if err == nil && d.Name() == "evil" {
					t.Errorf("the hostile zip wrote %s", path)
				}
				return nil
			})
			if _, err := os.Lstat("/evil"); err == nil {
				t.Errorf("the hostile zip wrote /evil")
			}
		})
	}
}

func TestFaultForkedChecksumLog(t *testing.T) {
	t.Parallel()
	a := newFixture(t)
	a.run(context.Background()).ok(t) // caches server A's tree head
	if _, err := os.Stat(filepath.Join(a.cacheDir, "go", "sumdb", "config", proxytest.DBName, "latest")); err != nil {
		t.Fatalf("no tree head cached after a verified install: %v", err)
	}

	// Server B signs with A's key, but its log is another one.
	b := proxytest.NewSameKey(t, a.srv)
	other := "go" + lang() + ".99"
	b.AddToolchainRunning(other, runtime.GOOS, runtime.GOARCH, realGo)
	vars := map[string]string{"GOPROXY": b.URL(), "GOSUMDB": b.GOSUMDB(), "GOVERSION": other}
	r := runCompile(t, context.Background(), a.cacheDir, vars)
	r.failed(t, "SECURITY ERROR", "misbehavior detected", "inconsistent with the one")
	var sec *checksum.SecurityError
	if !errors.As(r.err, &sec) || !sec.Fork {
		t.Errorf("error is not a *checksum.SecurityError with Fork: %#v", r.err)
	}
	notCached(t, a.cacheDir, other)
	cached(t, a.cacheDir, goVersion)
}

// TestFaultFileProxySumDBOff: with a single file:// GOPROXY and
// GOSUMDB=off, the go command installs a toolchain without asking a
// checksum database, and so does the build, saying so. With a proxy list,
// GOSUMDB=off still asks sum.golang.org.
func TestFaultFileProxySumDBOff(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dir := filepath.Join(t.TempDir(), "proxy")
	at := filepath.Join(dir, toolchain.ModulePath, "@v")
	if err := os.MkdirAll(at, 0o777); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"list", f.mv + ".info", f.mv + ".mod", f.mv + ".zip"} {
		resp, err := http.Get(f.srv.URL() + "/" + toolchain.ModulePath + "/@v/" + name)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s, %v", name, resp.Status, err)
		}
		if err := os.WriteFile(filepath.Join(at, name), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	vars := map[string]string{"GOPROXY": "file://" + dir, "GOSUMDB": "off", "GOVERSION": goVersion}
	r := runCompile(t, context.Background(), f.cacheDir, vars)
	r.ok(t)
	r.says(t, "Not verified against a checksum database (hash h1:", "GOPROXY is a single file:// URL and GOSUMDB=off, as the go command allows")
	if strings.Contains(r.log, "Verified h1:") {
		t.Errorf("the log says the toolchain was verified:\n%s", r.log)
	}
	cached(t, f.cacheDir, goVersion)

	// A list of proxies: sum.golang.org is asked, which only the real
	// proxy serves, so this toolchain is refused.
	vars["GOPROXY"] = f.srv.URL() + ",file://" + dir
	f.srv.Inject("/sumdb/sum.golang.org/supported", proxytest.Always, proxytest.Fault{Status: http.StatusServiceUnavailable})
	other := newCacheDir(t)
	r = runCompile(t, context.Background(), other, vars)
	r.failed(t, "checksum database sum.golang.org")
	notCached(t, other, goVersion)
}

// TestFaultDamagedTreeHead: a cached tree head that no longer verifies is
// reset with a warning, since it anchors fork detection.
func TestFaultDamagedTreeHead(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.run(context.Background()).ok(t)
	head := filepath.Join(f.cacheDir, "go", "sumdb", "config", proxytest.DBName, "latest")
	if err := os.WriteFile(head, []byte("damaged\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(f.cacheDir, "go", "toolchains")); err != nil {
		t.Fatal(err)
	}
	r := f.run(context.Background())
	r.ok(t)
	r.says(t, "WARNING: the cached tree head of the checksum database "+proxytest.DBName+" did not verify and was reset")
}

// Cache damage.

func TestFaultCacheToolchainWithoutMarker(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.run(context.Background()).ok(t)
	marker := filepath.Join(toolchainCache(f.cacheDir).Dir, toolchainName(goVersion), ".installed")
	if err := os.Remove(marker); err != nil {
		t.Fatal(err)
	}
	r := f.run(context.Background())
	r.ok(t)
	r.says(t, "Installing "+goVersion)
	if n := f.srv.RequestCount(".zip"); n != 2 {
		t.Errorf("%d zip requests, want 2: the toolchain without a marker is fetched again", n)
	}
	cached(t, f.cacheDir, goVersion)
}

func TestFaultCacheTruncatedGo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.run(context.Background()).ok(t)
	goBin := filepath.Join(toolchainCache(f.cacheDir).Dir, toolchainName(goVersion), "bin", "go")
	if err := os.Chmod(goBin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(goBin, 5); err != nil {
		t.Fatal(err)
	}
	r := f.run(context.Background())
	r.ok(t)
	r.says(t, "Installing "+goVersion)
	if n := f.srv.RequestCount(".zip"); n != 2 {
		t.Errorf("%d zip requests, want 2: the damaged toolchain is fetched again", n)
	}
	cached(t, f.cacheDir, goVersion)
}

func TestFaultCacheLeftoverTempDir(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// What a build killed while unpacking leaves: a temp dir with part of
	// the toolchain, some of it read-only as unpacked files are.
	tmp := filepath.Join(toolchainCache(f.cacheDir).Dir, ".tmp-"+toolchainName(goVersion)+"-123456")
	for name, content := range map[string]string{"toolchain.zip": "PK partial", "go/bin/go": "#!/bin/sh\nexit 3\n", "go/src/fmt/print.go": "package fmt\n"} {
		path := filepath.Join(tmp, name)
		os.MkdirAll(filepath.Dir(path), 0o777)
		if err := os.WriteFile(path, []byte(content), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(filepath.Join(tmp, "go", "src", "fmt"), 0o555)
	// ... and the toolchain directory it was about to mark complete.
	final := filepath.Join(toolchainCache(f.cacheDir).Dir, toolchainName(goVersion))
	os.MkdirAll(filepath.Join(final, "bin"), 0o777)
	os.WriteFile(filepath.Join(final, "bin", "go"), []byte("#!/bin/sh\nexit 3\n"), 0o755)

	r := f.run(context.Background())
	r.ok(t)
	cached(t, f.cacheDir, goVersion)
}

func TestFaultCacheOtherArchitecture(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	foreign := goVersion + "." + runtime.GOOS + "-s390x"
	if runtime.GOARCH == "s390x" {
		foreign = goVersion + "." + runtime.GOOS + "-amd64"
	}
	dir := filepath.Join(toolchainCache(f.cacheDir).Dir, foreign)
	for name, content := range map[string]string{"bin/go": "\x7fELF junk", ".installed": "version junk\ngo-size 9\n", "VERSION": goVersion} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o777)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A line request must not take the foreign toolchain either, off line
	// (the build fails: no toolchain of its own satisfies the request)...
	f.vars["GOVERSION"] = lang()
	dead := httptest.NewServer(nil)
	dead.Close()
	offline := maps.Clone(f.vars)
	offline["GOPROXY"] = dead.URL
	r := runCompile(t, context.Background(), f.cacheDir, offline)
	r.failed(t, "list versions of golang.org/toolchain", "The module proxy could not be reached")
	if strings.Contains(r.log, "from the cache") {
		t.Errorf("an offline build used a cached toolchain:\n%s", r.log)
	}
	// ... or on line.
	r = f.run(context.Background())
	r.ok(t)
	r.says(t, "Installing "+goVersion)
	if have := checkCache(t, f.cacheDir, foreign); len(have) != 1 || have[0] != goVersion {
		t.Errorf("the cache holds %q, want %s", have, goVersion)
	}
	if _, err := os.Stat(filepath.Join(dir, "bin", "go")); err != nil {
		t.Errorf("the other architecture's toolchain was touched: %v", err)
	}
}

func TestFaultCacheCorruptState(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.vars["GOVERSION"] = lang() // uses the release list record too
	f.run(context.Background()).ok(t)
	state := filepath.Join(f.cacheDir, "go", "state")
	entries, err := os.ReadDir(state)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no state records after a build: %v", err)
	}
	for _, name := range []string{"versions", "packages", "download", "trim"} {
		if err := os.WriteFile(filepath.Join(state, name), []byte("{\"key\": \x00 not json"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := f.run(context.Background())
	r.ok(t)
	// And records of the right shape with values of the wrong one.
	for _, name := range []string{"versions", "packages", "download", "trim"} {
		os.WriteFile(filepath.Join(state, name), []byte(`{"key":"x","written":"2020-01-01T00:00:00Z","value":{"a":[1]}}`), 0o644)
	}
	f.run(context.Background()).ok(t)
	cached(t, f.cacheDir, goVersion)
}

func TestFaultCacheTruncatedBinary(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.run(context.Background()).ok(t)
	cachedBin := filepath.Join(f.cacheDir, "go", "binaries", "fault")
	info, err := os.Stat(cachedBin)
	if err != nil {
		t.Fatalf("the build kept no binary: %v", err)
	}
	for _, size := range []int64{0, 100, 64 << 10, info.Size() / 2, info.Size() - 1} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			if err := os.Truncate(cachedBin, size); err != nil {
				t.Fatal(err)
			}
			r := f.run(context.Background())
			r.ok(t)
			if got, err := os.Stat(filepath.Join(r.buildDir, "bin", "fault")); err != nil || got.Size() != info.Size() {
				t.Errorf("bin/fault after restoring a truncated binary: %v, %d bytes, want %d", err, got.Size(), info.Size())
			}
		})
	}
}

// TestFaultCacheSymlinks plants the cache's lock files, its probe and its
// records as symlinks to files outside it, some there and some not: a
// build (two, so records are read back) writes nothing through them,
// creates nothing outside, and ends with regular files in their place.
func TestFaultCacheSymlinks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.vars["GOVERSION"] = lang() // uses the release list record too
	outside := t.TempDir()
	root := filepath.Join(f.cacheDir, "go")
	links := map[string]string{
		filepath.Join(toolchainCache(f.cacheDir).Dir, "."+toolchainName(goVersion)+".lock"): "toolchain-lock",
		filepath.Join(root, "sumdb", "config", proxytest.DBName, "latest.lock"):             "sumdb-lock",
		filepath.Join(root, "sumdb", "config", proxytest.DBName, "latest"):                  "",
		filepath.Join(root, ".probe-usable"):                                                "",
		filepath.Join(root, "state", "versions"):                                            "versions",
		filepath.Join(root, "state", "trim"):                                                "",
	}
	want := map[string]string{}
	for link, target := range links {
		if err := os.MkdirAll(filepath.Dir(link), 0o777); err != nil {
			t.Fatal(err)
		}
		name := strings.ReplaceAll(strings.TrimPrefix(link, root+"/"), "/", "_")
		if target != "" {
			name = target
			want[name] = "outside the cache: keep " + name + "\n"
			if err := os.WriteFile(filepath.Join(outside, name), []byte(want[name]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Symlink(filepath.Join(outside, name), link); err != nil {
			t.Fatal(err)
		}
	}
	f.run(context.Background()).ok(t)
	f.run(context.Background()).ok(t)
	entries, _ := os.ReadDir(outside)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(outside, e.Name()))
		if w, ok := want[e.Name()]; !ok {
			t.Errorf("the build created %s outside the cache, through a symlink", e.Name())
		} else if string(data) != w {
			t.Errorf("the build wrote %q through a symlink into %s", data, e.Name())
		}
	}
	for link := range links {
		if info, err := os.Lstat(link); err == nil && !info.Mode().IsRegular() {
			t.Errorf("%s is still a %v after the build", link, info.Mode())
		}
	}
	cached(t, f.cacheDir, goVersion)
}

func TestFaultCacheToolchainsIsAFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if err := os.WriteFile(filepath.Join(f.cacheDir, "go", "toolchains"), []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := f.run(context.Background())
	r.ok(t)
	r.says(t, "WARNING: the build cache cannot be used", "this build uses an empty temporary cache")
}

// TestFaultCacheDiskFull builds with a cache on a file system of 8 MB and a
// toolchain that does not fit: its zip holds 10 MB of random bytes. The
// install fails at once, saying the disk is full; with room elsewhere the
// build installs the toolchain into a temporary directory, says so, and
// succeeds, as the next one does; with none it fails, saying what to do.
// Either way the cache holds nothing half-written, and no temporary
// toolchain is left.
func TestFaultCacheDiskFull(t *testing.T) {
	for _, tt := range []struct {
		name   string
		roomy  bool // TMPDIR is on another file system, with room
		builds int
	}{
		{"room elsewhere", true, 2},
		{"no room anywhere", false, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := filestest.SmallFS(t, 8<<20)
			if fs == "" {
				return
			}
			tmp := t.TempDir()
			if !tt.roomy {
				tmp = filepath.Join(fs, "tmp")
			}
			if err := os.MkdirAll(tmp, 0o777); err != nil {
				t.Fatal(err)
			}
			t.Setenv("TMPDIR", tmp)
			f := newFixture(t)
			files := proxytest.ToolchainFiles(goVersion, runtime.GOOS, runtime.GOARCH)
			files["bin/go"] = "#!/bin/sh\nexec '" + realGo + "' \"$@\"\n"
			big := make([]byte, 10<<20)
			rand.Read(big)
			files["pkg/tool/"+runtime.GOOS+"_"+runtime.GOARCH+"/big"] = string(big)
			f.srv.AddModule(toolchain.ModulePath, f.mv, files)
			f.cacheDir = filepath.Join(fs, "cache")
			if err := os.MkdirAll(filepath.Join(f.cacheDir, "go"), 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(sharedGOCACHE, filepath.Join(f.cacheDir, "go", "gocache")); err != nil {
				t.Fatal(err)
			}
			full := "the file system of " + toolchainCache(f.cacheDir).Dir + " is full"
			for i := range tt.builds {
				r := f.run(context.Background())
				if tt.roomy {
					r.ok(t)
					r.says(t, "WARNING: ", "no space left on device", full, "This build installs "+goVersion+" into a temporary directory instead",
						"heroku builds:cache:purge", "buildpacks after this one will not find go on PATH")
				} else {
					r.failed(t, "no space left on device", full, "free space on that disk, or purge the build cache with `heroku builds:cache:purge`")
				}
				if n, want := f.srv.RequestCount(".zip"), 2*(i+1); n != want {
					t.Errorf("%d zip requests after %d builds, want %d: one into the cache, one into a temporary directory", n, i+1, want)
				}
				notCached(t, f.cacheDir, goVersion)
				if left, _ := filepath.Glob(filepath.Join(tmp, "gobuildpack-toolchain-*")); len(left) > 0 {
					t.Errorf("the build left its temporary toolchain: %q", left)
				}
			}
		})
	}
}

// toolchainMV is the module version of the toolchain the fixtures serve.
var toolchainMV = toolchain.ModuleVersion(goVersion, runtime.GOOS, runtime.GOARCH)

// blockingGo makes the fixture serve a toolchain whose go command, while
// the file it returns exists, prints "fault: go CMD blocks" on stderr and
// blocks, for `go CMD ...`: a build that stands still at a step until the
// test stops it.
func (f *fixture) blockingGo(cmd string) (flag string) {
	f.t.Helper()
	flag = filepath.Join(f.t.TempDir(), "block-go-"+cmd)
	files := proxytest.ToolchainFiles(goVersion, runtime.GOOS, runtime.GOARCH)
	files["bin/go"] = "#!/bin/sh\n" +
		"if [ \"$1\" = " + cmd + " ] && [ -e '" + flag + "' ]; then echo 'fault: go " + cmd + " blocks' >&2; exec sleep 600; fi\n" +
		"exec '" + realGo + "' \"$@\"\n"
	f.srv.AddModule(toolchain.ModulePath, f.mv, files)
	if err := os.WriteFile(flag, nil, 0o666); err != nil {
		f.t.Fatal(err)
	}
	return flag
}

// withDependency makes the app require a module the fixture's proxy serves.
func (f *fixture) withDependency() {
	f.srv.AddModule("example.com/dep", "v1.0.0", map[string]string{"dep.go": "package dep\n"})
	f.app = map[string]string{
		"go.mod": "module example.com/fault\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
		"go.sum": f.srv.GoSum("example.com/dep", "v1.0.0"),
	}
}

// A hook that runs a command that does not end until it is stopped, as a
// hook's `npm install` or `make` could, and says so once it runs.
const blockingHook = "sleep 600 &\necho 'fault: hook started'\nwait\necho 'fault: hook ended'\n"

// TestFaultCancel stops builds at each step that can take long, then builds
// again with the same cache: in-process by cancelling the context (what
// SIGTERM does in bin/compile), and by SIGKILL of a build in another
// process, which runs no cleanup at all. Each build is stopped while it
// stands still at its step: a proxy request held at a gate, or a hook or
// go command that said it started and never ends. So the stop hits that
// step, and the test shows the build never got past it.
func TestFaultCancel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		step string
		kill bool
		// setup arranges for the build to stand still at the step; it
		// returns files for the stopped build's app only, and the flag file
		// of a blocking go command, removed before the next build.
		setup func(f *fixture) (once map[string]string, flag string)
		hold  string // path suffix of the proxy request held at the step, or
		line  string // what the build prints at the step before it blocks
		next  string // what the log says once the step is done
		// installed: the toolchain is in the cache when the build stops.
		// Else a kill leaves the install's temp dir, for the next build to
		// remove, when leftover.
		installed, leftover bool
	}{
		{step: "listing Go releases", hold: "/golang.org/toolchain/@v/list", next: "-----> Using go",
			setup: func(f *fixture) (map[string]string, string) { f.vars["GOVERSION"] = lang(); return nil, "" }},
		{step: "downloading the toolchain", hold: "/golang.org/toolchain/@v/" + toolchainMV + ".zip", next: "Fetched "},
		{step: "verifying the toolchain", hold: "/lookup/golang.org/toolchain@" + toolchainMV, next: "Verified h1:"},
		{step: "downloading modules", hold: "/example.com/dep/@v/v1.0.0.zip", next: "Fetched 1 module", installed: true,
			setup: func(f *fixture) (map[string]string, string) { f.withDependency(); return nil, "" }},
		{step: "running bin/go-pre-compile", line: "fault: hook started", next: "-----> Building", installed: true,
			setup: func(f *fixture) (map[string]string, string) {
				return map[string]string{"bin/go-pre-compile": blockingHook}, ""
			}},
		{step: "listing packages", line: "fault: go list blocks", next: "-----> Building", installed: true,
			setup: func(f *fixture) (map[string]string, string) { return nil, f.blockingGo("list") }},
		{step: "building", line: "fault: go build blocks", next: "./app is bin/fault", installed: true,
			setup: func(f *fixture) (map[string]string, string) { return nil, f.blockingGo("build") }},
		{step: "running bin/go-post-compile", line: "fault: hook started", next: "Default process types", installed: true,
			setup: func(f *fixture) (map[string]string, string) {
				return map[string]string{"bin/go-post-compile": blockingHook}, ""
			}},

		{step: "listing Go releases", kill: true, hold: "/golang.org/toolchain/@v/list", next: "-----> Using go",
			setup: func(f *fixture) (map[string]string, string) { f.vars["GOVERSION"] = lang(); return nil, "" }},
		{step: "downloading the toolchain", kill: true, hold: "/golang.org/toolchain/@v/" + toolchainMV + ".zip", next: "Fetched ", leftover: true},
		{step: "verifying the toolchain", kill: true, hold: "/lookup/golang.org/toolchain@" + toolchainMV, next: "Verified h1:", leftover: true},
		{step: "downloading modules", kill: true, hold: "/example.com/dep/@v/v1.0.0.zip", next: "Fetched 1 module", installed: true,
			setup: func(f *fixture) (map[string]string, string) { f.withDependency(); return nil, "" }},
		{step: "listing packages", kill: true, line: "fault: go list blocks", next: "-----> Building", installed: true,
			setup: func(f *fixture) (map[string]string, string) { return nil, f.blockingGo("list") }},
		{step: "building", kill: true, line: "fault: go build blocks", next: "./app is bin/fault", installed: true,
			setup: func(f *fixture) (map[string]string, string) { return nil, f.blockingGo("build") }},
	} {
		name := "cancel while " + tt.step
		if tt.kill {
			name = "kill while " + tt.step
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			var once map[string]string
			var flag string
			if tt.setup != nil {
				once, flag = tt.setup(f)
			}
			var gate *proxytest.Gate
			if tt.hold != "" {
				gate = proxytest.NewGate() // never opened
				f.srv.Inject(tt.hold, 1, proxytest.Fault{Gate: gate})
			}
			// reached is closed when the build stands still at the step.
			reached := func(log *outputtest.Log) <-chan struct{} {
				if gate != nil {
					return gate.Reached()
				}
				return log.Says(tt.line)
			}

			var log string
			if tt.kill {
				app := maps.Clone(f.app)
				if app == nil {
					app = map[string]string{}
				}
				maps.Copy(app, once)
				log = runKilled(t, newDirs(t, f.cacheDir, f.vars, app), reached)
				tmps, _ := filepath.Glob(filepath.Join(toolchainCache(f.cacheDir).Dir, ".tmp-*"))
				if tt.leftover && len(tmps) == 0 {
					t.Errorf("a build killed while %s left no temp dir", tt.step)
				}
				if !tt.leftover && len(tmps) > 0 {
					t.Errorf("a build killed while %s left %q", tt.step, tmps)
				}
			} else {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				b := f.start(ctx, once)
				select {
				case <-reached(b.log):
				case r := <-b.done:
					t.Fatalf("the build ended before %s: %v\n%s", tt.step, r.err, r.log)
				}
				cancel()
				r := <-b.done
				r.failed(t, "ERROR: the build was stopped (context canceled)")
				log = r.log
				checkCache(t, f.cacheDir) // a cancelled build cleans up after itself
			}
			if strings.Contains(log, tt.next) {
				t.Errorf("the build stopped while %s says %q:\n%s", tt.step, tt.next, log)
			}
			if tt.installed {
				cached(t, f.cacheDir, goVersion)
			} else if !tt.kill {
				notCached(t, f.cacheDir, goVersion)
			}

			if flag != "" {
				if err := os.Remove(flag); err != nil {
					t.Fatal(err)
				}
			}
			r := f.run(context.Background())
			r.ok(t)
			if tt.installed {
				r.says(t, "Reusing "+goVersion+" from the cache")
			} else {
				r.says(t, "Installing "+goVersion)
			}
			cached(t, f.cacheDir, goVersion)
		})
	}
}

// runKilled runs a build in another process and kills its process group
// with SIGKILL once reached (given the build's output) is closed. It
// fails the test if the build ends before. It returns the build's output.
func runKilled(t *testing.T, d dirs, reached func(*outputtest.Log) <-chan struct{}) string {
	t.Helper()
	spec, _ := json.Marshal(d)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"="+string(spec))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &outputtest.Log{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Fatalf("the build to kill ended first: %v\n%s", err, out)
	case <-reached(out):
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	err := <-done
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the build ended with %v, want killed by SIGKILL\n%s", err, out)
	}
	return out.String()
}

// runHelper runs a build in another process, as runKilled does, to its
// end, and returns its output and error.
func runHelper(t *testing.T, d dirs) (string, error) {
	t.Helper()
	spec, _ := json.Marshal(d)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"="+string(spec))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// helperMain runs the build described by spec, for runKilled and runHelper.
func helperMain(spec string) int {
	var d dirs
	if err := json.Unmarshal([]byte(spec), &d); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if d.TMPDIR != "" {
		os.Setenv("TMPDIR", d.TMPDIR)
	}
	log := output.New(os.Stdout, os.Stderr)
	if err := compile.Run(context.Background(), d.options(log)); err != nil {
		log.Fail(err)
		return 1
	}
	return 0
}

// TestFaultKilledBuildsLeaveNothing kills (SIGKILL) a build with GO_NETRC
// while it downloads modules, when its private HOME holds the .netrc, and
// another while it downloads another release's toolchain, when its temp
// dir is in the cache; both run no cleanup. The next build, with the same
// TMPDIR and cache but a cached toolchain, so it installs none, leaves no
// file holding the password under TMPDIR and no temp dir in the cache.
func TestFaultKilledBuildsLeaveNothing(t *testing.T) {
	t.Parallel()
	const password = "netrc-killed-s3cret-6e2d"
	tmp := t.TempDir() // the builds' TMPDIR, theirs only
	f := newFixture(t)
	f.withDependency()
	f.vars["GO_NETRC"] = "machine git.example.com login deploy password " + password
	build := func(vars map[string]string) dirs {
		d := newDirs(t, f.cacheDir, vars, f.app)
		d.TMPDIR = tmp
		return d
	}
	holding := func(t *testing.T) []string {
		t.Helper()
		var found []string
		filepath.WalkDir(tmp, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if data, _ := os.ReadFile(path); bytes.Contains(data, []byte(password)) {
					found = append(found, path)
				}
			}
			return nil
		})
		return found
	}

	gate := proxytest.NewGate() // never opened
	f.srv.Inject("/example.com/dep/@v/v1.0.0.zip", 1, proxytest.Fault{Gate: gate})
	runKilled(t, build(f.vars), func(*outputtest.Log) <-chan struct{} { return gate.Reached() })
	if len(holding(t)) == 0 {
		t.Fatal("the build killed while it downloaded modules left no .netrc: the test kills it too early")
	}

	other := "go1.26.0" // another release than the cached one
	if other == goVersion {
		other = "go1.25.0"
	}
	otherMV := f.srv.AddToolchainRunning(other, runtime.GOOS, runtime.GOARCH, realGo)
	gate = proxytest.NewGate()
	f.srv.Inject("/golang.org/toolchain/@v/"+otherMV+".zip", 1, proxytest.Fault{Gate: gate})
	vars := maps.Clone(f.vars)
	vars["GOVERSION"] = other
	runKilled(t, build(vars), func(*outputtest.Log) <-chan struct{} { return gate.Reached() })
	if tmps, _ := filepath.Glob(filepath.Join(toolchainCache(f.cacheDir).Dir, ".tmp-*")); len(tmps) == 0 {
		t.Fatal("the build killed while it downloaded a toolchain left no temp dir: the test kills it too early")
	}

	log, err := runHelper(t, build(f.vars))
	if err != nil {
		t.Fatalf("the build after the killed ones: %v\n%s", err, log)
	}
	if !strings.Contains(log, "Reusing "+goVersion+" from the cache") {
		t.Errorf("the last build did not reuse the cached toolchain:\n%s", log)
	}
	if !strings.Contains(log, "Removed what killed builds left in the cache: .tmp-"+toolchainName(other)+"-") {
		t.Errorf("the last build does not say it removed the killed install's temp dir:\n%s", log)
	}
	if strings.Contains(log, password) {
		t.Errorf("the log holds the password:\n%s", log)
	}
	for _, path := range holding(t) {
		t.Errorf("%s holds the password after the next build", path)
	}
	cached(t, f.cacheDir, goVersion) // no temp dir, nothing but complete toolchains
}

// Concurrency.

// TestFaultConcurrentBuilds runs two builds with one cache at once. The
// toolchain download is held until the other build says it waits for the
// install, so they overlap: one installs, the other reuses what it
// installed.
func TestFaultConcurrentBuilds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	gate := proxytest.NewGate()
	f.srv.Inject(".zip", 1, proxytest.Fault{Gate: gate})
	builds := []*running{f.start(context.Background(), nil), f.start(context.Background(), nil)}
	waiting := "Waiting for another build to finish installing " + goVersion
	select {
	case <-builds[0].log.Says(waiting):
	case <-builds[1].log.Says(waiting):
	case r := <-builds[0].done:
		t.Fatalf("a build ended while the download was held: %v\n%s", r.err, r.log)
	case r := <-builds[1].done:
		t.Fatalf("a build ended while the download was held: %v\n%s", r.err, r.log)
	}
	<-gate.Reached()
	gate.Open()
	unpacked, waited := 0, 0
	for _, b := range builds {
		r := <-b.done
		r.ok(t)
		unpacked += strings.Count(r.log, "Unpacked in")
		waited += strings.Count(r.log, waiting)
	}
	if n := f.srv.RequestCount(".zip"); n != 1 {
		t.Errorf("%d zip downloads, want 1", n)
	}
	if unpacked != 1 || waited != 1 {
		t.Errorf("%d extractions and %d builds waiting, want 1 of each", unpacked, waited)
	}
	cached(t, f.cacheDir, goVersion)
}

// Secrets.

// TestFaultSecretsNeverLeak builds with a proxy password in GOPROXY, a
// GO_NETRC and GO_GIT_CRED__ vars, then looks for any secret in the log, the error, the build
// report and every file the build could write: the build directory, the
// cache (but the shared GOCACHE) and the temp directory, where the private
// HOME with the .netrc lives during the build.
func TestFaultSecretsNeverLeak(t *testing.T) {
	const (
		proxyPassword = "proxy-s3cret-7f3a9"
		netrcPassword = "netrc-s3cret-b41c2"
		gitCredToken  = "gitcred-s3cret-0d9e7"
		httpToken     = "gitcred-http-s3cret-5a11c"
	)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the subtests' directories are in it too
	// Credentials go over HTTPS only. The certificate is trusted through
	// SSL_CERT_FILE, which this process reads at its first TLS handshake:
	// no test before this one (none runs in parallel with it) makes one.
	srv := proxytest.NewTLS(t)
	cert, err := srv.CertFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSL_CERT_FILE", cert)
	srv.AddToolchainRunning(goVersion, runtime.GOOS, runtime.GOARCH, realGo)
	srv.RequireBasicAuth("deploy", proxyPassword)
	authURL := strings.Replace(srv.URL(), "://", "://deploy:"+proxyPassword+"@", 1)
	vars := map[string]string{
		"GOPROXY":                              authURL,
		"GOSUMDB":                              srv.Key(), // through the proxy, with its credentials
		"GOVERSION":                            goVersion,
		"GO_NETRC":                             "machine git.example.com login deploy password " + netrcPassword,
		"GOPRIVATE":                            "git.example.com",
		"GO_GIT_CRED__HTTPS__GITHUB__COM":      gitCredToken,
		"GO_GIT_CRED__HTTP__GIT__EXAMPLE__COM": "deploy:" + httpToken,
	}
	secrets := []string{proxyPassword, netrcPassword, gitCredToken, httpToken}

	check := func(t *testing.T, r result) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(r.log, s) {
				t.Errorf("the log holds a secret:\n%s", r.log)
			}
			if r.err != nil && strings.Contains(fmt.Sprintf("%v %+v %#v", r.err, r.err, r.err), s) {
				t.Errorf("the error holds a secret: %v", r.err)
			}
		}
		if _, err := os.Stat(filepath.Join(r.buildDir, report.File)); err != nil {
			t.Errorf("no build report: %v", err)
		}
		files := 0
		filepath.WalkDir(tmp, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return nil
			case path == r.envDir:
				return filepath.SkipDir // the config vars themselves
			case strings.HasPrefix(d.Name(), "gobuildpack-home-"):
				t.Errorf("the private HOME is left after the build: %s", path)
			}
			if !d.Type().IsRegular() {
				return nil
			}
			files++
			data, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("read %s: %v", path, err)
				return nil
			}
			for _, s := range secrets {
				if bytes.Contains(data, []byte(s)) {
					t.Errorf("%s holds a secret", path)
				}
			}
			return nil
		})
		if files < 4 {
			t.Errorf("only %d files checked", files)
		}
	}

	t.Run("success", func(t *testing.T) {
		r := runCompile(t, context.Background(), newCacheDir(t), vars)
		r.ok(t)
		r.says(t, "Credentials for private hosts: from GO_NETRC, GO_GIT_CRED__HTTPS__GITHUB__COM (HTTPS only)")
		r.says(t, "the GO_GIT_CRED__HTTP__GIT__EXAMPLE__COM config var is ignored: credentials are sent over HTTPS only")
		check(t, r)
	})
	t.Run("failure", func(t *testing.T) {
		srv.Inject(".zip", proxytest.Always, proxytest.Fault{Status: 503})
		r := runCompile(t, context.Background(), newCacheDir(t), vars)
		r.failed(t, "://xxxxx@")
		check(t, r)
	})
}

// TestFaultToolchainFallback: a GOPROXY that serves the app's modules but
// not Go toolchains (answering 404) gets them from GO_TOOLCHAIN_PROXY,
// verified there, and the log says so. With GO_TOOLCHAIN_PROXY=off the
// build says the proxy does not serve toolchains; a proxy that cannot be
// reached is not a reason to fall back, and the error says it was not
// reached.
func TestFaultToolchainFallback(t *testing.T) {
	t.Parallel()
	private := proxytest.New(t) // serves no toolchain
	f := newFixture(t)          // f.srv: the toolchains' proxy
	f.vars["GOPROXY"] = private.URL()
	f.vars["GO_TOOLCHAIN_PROXY"] = f.srv.URL()
	f.vars["GOVERSION"] = lang()

	r := f.run(context.Background())
	r.ok(t)
	r.says(t, "GOPROXY="+private.URL()+" does not serve golang.org/toolchain: fetching Go toolchains from "+f.srv.URL()+" instead (GO_TOOLCHAIN_PROXY=off turns this off)",
		"Verified h1:")
	cached(t, f.cacheDir, goVersion)
	if n := private.RequestCount("/golang.org/toolchain/@v/list"); n != 1 {
		t.Errorf("GOPROXY was asked for the release list %d times, want 1", n)
	}

	t.Run("off", func(t *testing.T) {
		vars := maps.Clone(f.vars)
		vars["GO_TOOLCHAIN_PROXY"] = "off"
		other := newCacheDir(t)
		r := runCompile(t, context.Background(), other, vars)
		r.failed(t, "The module proxy was reached but does not serve Go toolchains (golang.org/toolchain). Unset GO_TOOLCHAIN_PROXY")
		notCached(t, other, goVersion)
	})
	t.Run("exact release, off", func(t *testing.T) {
		vars := maps.Clone(f.vars)
		vars["GO_TOOLCHAIN_PROXY"] = "off"
		vars["GOVERSION"] = goVersion
		other := newCacheDir(t)
		r := runCompile(t, context.Background(), other, vars)
		r.failed(t, goVersion+" (from the GOVERSION config var: "+goVersion+") is not available from GOPROXY="+private.URL()+" for "+runtime.GOOS+"/"+runtime.GOARCH)
		notCached(t, other, goVersion)
	})
	t.Run("unreachable", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		vars := maps.Clone(f.vars)
		vars["GOPROXY"] = dead.URL
		other := newCacheDir(t)
		before := len(f.srv.Requests())
		r := runCompile(t, context.Background(), other, vars)
		r.failed(t, "connection refused", "The module proxy could not be reached.")
		if got := f.srv.Requests()[before:]; len(got) > 0 {
			t.Errorf("an unreachable GOPROXY made the build fall back: %q", got)
		}
	})
}
