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
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// appOutput is what the app built by every test prints.
const appOutput = "fault app ok"

// Timeouts of the module proxy client in these tests.
const (
	stall   = 300 * time.Millisecond
	backoff = 10 * time.Millisecond
)

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
	elapsed  time.Duration
}

func (f *fixture) run(ctx context.Context) result {
	f.t.Helper()
	return runCompile(f.t, ctx, f.cacheDir, f.vars)
}

// dirs are the directories of one build.
type dirs struct {
	BuildDir, CacheDir, EnvDir, BuildpackDir string
}

// newDirs writes the app, the config vars and buildpack.toml into new
// directories for a build that uses cacheDir.
func newDirs(t *testing.T, cacheDir string, vars map[string]string) dirs {
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
	for k, v := range vars {
		files[filepath.Join(d.EnvDir, k)] = v
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
		Stall:        stall,
		Backoff:      backoff,
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCompile builds the test app in a new build directory with cacheDir
// and the config vars.
func runCompile(t *testing.T, ctx context.Context, cacheDir string, vars map[string]string) result {
	t.Helper()
	d := newDirs(t, cacheDir, vars)
	var stdout, stderr syncBuffer
	log := output.New(&stdout, &stderr)
	start := time.Now()
	err := compile.Run(ctx, d.options(log))
	elapsed := time.Since(start)
	if err != nil {
		log.Fail(err)
	}
	return result{err: err, log: stdout.String() + stderr.String(), buildDir: d.BuildDir, envDir: d.EnvDir, elapsed: elapsed}
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

func TestFaultProxyHangs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.Inject(".zip", proxytest.Always, proxytest.Fault{Hang: true})
	r := f.run(context.Background())
	r.failed(t, "no data received for "+stall.String(), "gave up after 4 attempts", "GOPROXY="+f.srv.URL())
	if n := f.srv.RequestCount(".zip"); n != 4 {
		t.Errorf("%d zip requests, want 4", n)
	}
	if r.elapsed > 4*stall+5*time.Second {
		t.Errorf("the build took %s to give up on a hung proxy", r.elapsed)
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

func TestFaultWrongContentLength(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		n     int   // faulty answers
		delta int64 // Content-Length minus the true length
	}{
		{"longer always", proxytest.Always, 1000},
		{"longer once", 1, 1000},
		{"shorter always", proxytest.Always, -100},
		{"shorter once", 1, -100},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			size := int64(len(f.srv.Zip(toolchain.ModulePath, f.mv)))
			f.srv.Inject(".zip", tt.n, proxytest.Fault{Length: size + tt.delta})
			r := f.run(context.Background())
			// Either outcome may be right; a broken toolchain never is.
			if r.err == nil {
				r.ok(t)
				cached(t, f.cacheDir, goVersion)
				return
			}
			if tt.n == 1 {
				t.Errorf("one wrong Content-Length failed the build: %v\n%s", r.err, r.log)
			}
			notCached(t, f.cacheDir, goVersion)
		})
	}
}

// TestFaultShortZip serves a zip cut short with a Content-Length that
// matches, which no client can tell from a whole one: the hash cannot be
// computed, and nothing is installed.
func TestFaultShortZip(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // its checksum database records the whole zip
	whole := f.srv.Zip(toolchain.ModulePath, f.mv)
	short := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, ".zip") {
			http.NotFound(w, r)
			return
		}
		w.Write(whole[:len(whole)-100])
	}))
	t.Cleanup(short.Close)
	f.vars["GOPROXY"] = short.URL
	r := f.run(context.Background())
	r.failed(t, "not a valid module zip", "damaged or hostile zip")
	notCached(t, f.cacheDir, goVersion)
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
		f.run(context.Background()).ok(t) // exact: no release list
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
			// The database vouches for the zip: only unpacking refuses it.
			r.failed(t, "Verified h1:", "unpack: not a valid module zip", tt.want, "damaged or hostile zip")
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
	// A line request must not take the foreign toolchain either, online or off.
	f.vars["GOVERSION"] = lang()
	r := f.run(context.Background())
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

// TestFaultCancel stops builds at several points, then builds again with
// the same cache: in-process by cancelling the context (what SIGTERM does
// in bin/compile), and by SIGKILL of a build in another process, which
// runs no cleanup at all. A slow download makes sure some stops land
// while the toolchain is being fetched into its temp dir.
func TestFaultCancel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		after    time.Duration
		slowZip  bool
		kill     bool
		leftover bool // a kill that must leave a temp dir for the next build
	}{
		{after: 5 * time.Millisecond},
		{after: 20 * time.Millisecond},
		{after: 50 * time.Millisecond},
		{after: 100 * time.Millisecond},
		{after: 150 * time.Millisecond},
		{after: 200 * time.Millisecond},
		{after: 400 * time.Millisecond},
		{after: 100 * time.Millisecond, slowZip: true},
		{after: 10 * time.Millisecond, kill: true},
		{after: 50 * time.Millisecond, kill: true},
		{after: 100 * time.Millisecond, kill: true},
		{after: 200 * time.Millisecond, kill: true},
		{after: 300 * time.Millisecond, kill: true},
		{after: 300 * time.Millisecond, kill: true, slowZip: true, leftover: true},
	} {
		name := fmt.Sprintf("cancel after %s", tt.after)
		if tt.kill {
			name = fmt.Sprintf("kill after %s", tt.after)
		}
		if tt.slowZip {
			name += " while downloading"
		}
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			if tt.slowZip {
				f.srv.Inject(".zip", 1, proxytest.Fault{Delay: 2 * time.Second})
			}
			if tt.kill {
				killed := runKilled(t, newDirs(t, f.cacheDir, f.vars), tt.after)
				if !killed {
					t.Logf("the build finished in under %s", tt.after)
				}
				if tt.leftover {
					tmps, _ := filepath.Glob(filepath.Join(toolchainCache(f.cacheDir).Dir, ".tmp-*"))
					if len(tmps) == 0 {
						t.Errorf("a build killed while downloading left no temp dir: the test tests nothing")
					}
				}
			} else {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(tt.after, cancel)
				r := f.run(ctx)
				cancel()
				if r.err != nil {
					r.says(t, "the build was stopped")
				} else {
					t.Logf("the build finished in under %s", tt.after)
				}
				checkCache(t, f.cacheDir) // a cancelled build cleans up after itself
			}
			r := f.run(context.Background())
			r.ok(t)
			cached(t, f.cacheDir, goVersion)
		})
	}
}

// runKilled runs a build in a child process and kills its process group
// with SIGKILL after d. It reports whether the build was still running.
func runKilled(t *testing.T, d dirs, after time.Duration) bool {
	t.Helper()
	spec, _ := json.Marshal(d)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"="+string(spec))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the build to kill failed on its own: %v\n%s", err, out.String())
		}
		return false
	case <-time.After(after):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return true
	}
}

// helperMain runs the build described by spec, for runKilled.
func helperMain(spec string) int {
	var d dirs
	if err := json.Unmarshal([]byte(spec), &d); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	log := output.New(os.Stdout, os.Stderr)
	if err := compile.Run(context.Background(), d.options(log)); err != nil {
		log.Fail(err)
		return 1
	}
	return 0
}

// Concurrency.

func TestFaultConcurrentBuilds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Slow the download, so the second build comes while the first installs.
	f.srv.Inject(".zip", 1, proxytest.Fault{Delay: 150 * time.Millisecond}) // within the stall timeout
	results := make([]result, 2)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = f.run(context.Background())
		}()
	}
	wg.Wait()
	unpacked := 0
	for _, r := range results {
		r.ok(t)
		unpacked += strings.Count(r.log, "Unpacked in")
	}
	if n := f.srv.RequestCount(".zip"); n != 1 {
		t.Errorf("%d zip downloads, want 1", n)
	}
	if unpacked != 1 {
		t.Errorf("%d extractions, want 1", unpacked)
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
	srv := proxytest.New(t)
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
		r.failed(t, "deploy:xxxxx@")
		check(t, r)
	})
}
