package toolchain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output/outputtest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
)

const (
	goVer   = "go1.22.5"
	modVer  = "v0.0.1-go1.22.5.linux-amd64"
	dirName = "go1.22.5.linux-amd64"
)

func TestModuleVersion(t *testing.T) {
	tests := []struct {
		goVersion, goos, goarch, want string
	}{
		{"go1.22.12", "linux", "amd64", "v0.0.1-go1.22.12.linux-amd64"},
		{"go1.23rc1", "linux", "arm64", "v0.0.1-go1.23rc1.linux-arm64"},
		{"go1.21.0", "darwin", "arm64", "v0.0.1-go1.21.0.darwin-arm64"},
	}
	for _, tt := range tests {
		got := ModuleVersion(tt.goVersion, tt.goos, tt.goarch)
		if got != tt.want {
			t.Errorf("ModuleVersion(%q, %q, %q) = %q, want %q", tt.goVersion, tt.goos, tt.goarch, got, tt.want)
		}
		if back := ReleaseOf(got, tt.goos, tt.goarch); back != tt.goVersion {
			t.Errorf("ReleaseOf(%q) = %q, want %q", got, back, tt.goVersion)
		}
	}
}

func TestReleaseOf(t *testing.T) {
	tests := []struct {
		modVersion, want string
	}{
		{"v0.0.1-go1.22.12.linux-amd64", "go1.22.12"},
		{"v0.0.1-go1.23rc2.linux-amd64", "go1.23rc2"},
		{"v0.0.1-go1.22.12.linux-arm64", ""},
		{"v0.0.1-go1.22.12.darwin-amd64", ""},
		{"v0.0.1-go1.22.12.linux-amd64p32", ""},
		{"v0.0.2-go1.22.12.linux-amd64", ""},
		{"go1.22.12", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ReleaseOf(tt.modVersion, "linux", "amd64"); got != tt.want {
			t.Errorf("ReleaseOf(%q, linux, amd64) = %q, want %q", tt.modVersion, got, tt.want)
		}
	}
}

// env is a proxy serving a fake go1.22.5 and an installer using it.
type env struct {
	s   *proxytest.Server
	log *bytes.Buffer
	i   *Installer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s := proxytest.New(t)
	s.AddToolchain(goVer, "linux", "amd64")
	e := &env{s: s, log: new(bytes.Buffer)}
	e.i = e.installer(t, t.TempDir())
	return e
}

// installer returns an installer into dir with its own proxy client and
// checksum database state, as a separate build would have.
func (e *env) installer(t *testing.T, dir string) *Installer {
	t.Helper()
	client, err := goproxy.New(e.s.URL())
	if err != nil {
		t.Fatal(err)
	}
	client.Attempts = 2
	client.Backoff = time.Millisecond
	db, err := checksum.New(e.s.GOSUMDB(), nil, t.TempDir(), client)
	if err != nil {
		t.Fatal(err)
	}
	return &Installer{
		Cache:    Cache{Dir: dir, GOOS: "linux", GOARCH: "amd64"},
		Download: client,
		Verify:   db,
		Log:      output.New(e.log, e.log),
	}
}

// onlyLocks fails the test if dir holds anything but lock files.
func onlyLocks(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".lock") || e.IsDir() {
			t.Errorf("cache holds %s, want nothing but lock files", e.Name())
		}
	}
}

func isExecutable(t *testing.T, path string) bool {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode()&0o111 != 0
}

func TestInstall(t *testing.T) {
	e := newEnv(t)
	tc, err := e.i.Install(context.Background(), goVer)
	if err != nil {
		t.Fatalf("Install: %v", err)
	}
	root := filepath.Join(e.i.Cache.Dir, dirName)
	if tc.Version != goVer || tc.Root != root || tc.Reused || tc.Go() != filepath.Join(root, "bin", "go") {
		t.Errorf("Install = %+v, want %s fetched into %s", tc, goVer, root)
	}
	if !isExecutable(t, tc.Go()) || !isExecutable(t, filepath.Join(root, "pkg/tool/linux_amd64/compile")) {
		t.Error("bin/go or pkg/tool/linux_amd64/compile is not executable")
	}
	if isExecutable(t, filepath.Join(root, "VERSION")) || isExecutable(t, filepath.Join(root, "src/fmt/print.go")) {
		t.Error("VERSION or a source file is executable")
	}
	// Trimmed: no sources of the tools, no test data; the standard
	// library's sources stay.
	for _, gone := range []string{"src/cmd", "src/fmt/testdata"} {
		if _, err := os.Stat(filepath.Join(root, gone)); !os.IsNotExist(err) {
			t.Errorf("%s is in the installed toolchain (%v)", gone, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "src/fmt/print.go")); err != nil {
		t.Errorf("src/fmt/print.go is missing: %v", err)
	}
	out, err := exec.Command(tc.Go(), "version").Output()
	if err != nil || string(out) != "go version go1.22.5 linux/amd64\n" {
		t.Errorf("go version = %q, %v", out, err)
	}
	out, err = exec.Command(tc.Go(), "env", "GOVERSION").Output()
	if err != nil || string(out) != "go1.22.5\n" {
		t.Errorf("go env GOVERSION = %q, %v", out, err)
	}

	marker, err := os.ReadFile(filepath.Join(root, markerName))
	if err != nil {
		t.Fatalf("marker: %v", err)
	}
	info, _ := os.Stat(tc.Go())
	wantMarker := fmt.Sprintf("version %s\nhash %s\ngo-size %d\n", modVer, e.s.Sum(ModulePath, modVer), info.Size())
	if string(marker) != wantMarker {
		t.Errorf("marker = %q, want %q", marker, wantMarker)
	}
	if got, ok := e.i.Cache.Lookup(goVer); !ok || got.Root != root || !got.Reused {
		t.Errorf("Lookup = %+v, %v; want the installed toolchain", got, ok)
	}
	if got := e.i.Cache.Installed(); !reflect.DeepEqual(got, []string{goVer}) {
		t.Errorf("Installed = %q, want [%s]", got, goVer)
	}
	for _, line := range []string{
		"       Fetching golang.org/toolchain@" + modVer + "\n",
		"       Verified " + e.s.Sum(ModulePath, modVer) + " against the checksum database " + proxytest.DBName + "\n",
		"       Unpacked in ",
	} {
		if !strings.Contains(e.log.String(), line) {
			t.Errorf("log lacks %q:\n%s", line, e.log)
		}
	}
	entries, _ := os.ReadDir(e.i.Cache.Dir)
	for _, entry := range entries {
		if strings.HasPrefix(entry.Name(), ".tmp-") {
			t.Errorf("temp dir %s left behind", entry.Name())
		}
	}
}

func TestInstallReuses(t *testing.T) {
	e := newEnv(t)
	if _, err := e.i.Install(context.Background(), goVer); err != nil {
		t.Fatalf("Install: %v", err)
	}
	n := len(e.s.Requests())
	tc, err := e.installer(t, e.i.Cache.Dir).Install(context.Background(), goVer)
	if err != nil {
		t.Fatalf("second Install: %v", err)
	}
	if !tc.Reused {
		t.Errorf("second Install = %+v, want Reused", tc)
	}
	if reqs := e.s.Requests(); len(reqs) != n {
		t.Errorf("second Install made requests %q, want none", reqs[n:])
	}
}

func TestInstallTampered(t *testing.T) {
	e := newEnv(t)
	files := proxytest.ToolchainFiles(goVer, "linux", "amd64")
	files["bin/go"] = "#!/bin/sh\necho pwned\n"
	e.s.Tamper(ModulePath, modVer, files)
	_, err := e.i.Install(context.Background(), goVer)
	var se *checksum.SecurityError
	if !errors.As(err, &se) {
		t.Fatalf("Install of a tampered toolchain = %v, want a *checksum.SecurityError", err)
	}
	if !strings.Contains(err.Error(), "SECURITY ERROR") || !strings.Contains(err.Error(), e.s.Sum(ModulePath, modVer)) {
		t.Errorf("error = %q", err)
	}
	onlyLocks(t, e.i.Cache.Dir)
	if _, ok := e.i.Cache.Lookup(goVer); ok {
		t.Error("Lookup found the tampered toolchain")
	}
}

func TestInstallFailures(t *testing.T) {
	tests := []struct {
		name    string
		version string
		fault   *proxytest.Fault
		want    string
	}{
		{"not found", "go1.99.0", nil, "404 Not Found"},
		{"unavailable", goVer, &proxytest.Fault{Status: http.StatusServiceUnavailable}, "gave up after 2 attempts"},
		{"truncated", goVer, &proxytest.Fault{Truncate: true}, "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.fault != nil {
				e.s.Inject(".zip", proxytest.Always, *tt.fault)
			}
			_, err := e.i.Install(context.Background(), tt.version)
			if err == nil || !strings.HasPrefix(err.Error(), "install "+tt.version+": download golang.org/toolchain@") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Install = %v, want a download error with %q", err, tt.want)
			}
			onlyLocks(t, e.i.Cache.Dir)
		})
	}
}

func TestInstallCleansLeftovers(t *testing.T) {
	e := newEnv(t)
	dir := e.i.Cache.Dir
	for _, p := range []string{
		".tmp-" + dirName + "-123/go/bin/go",
		dirName + "/bin/go",
		".tmp-go1.21.0.linux-amd64-456/go/bin/go",
	} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte("partial"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := e.i.Cache.Lookup(goVer); ok {
		t.Fatal("Lookup found a toolchain without a marker")
	}
	// Another build installs go1.21.0 now: it holds its lock.
	unlockOther, err := files.Lock(filepath.Join(dir, ".go1.21.0.linux-amd64.lock"), nil)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := e.i.Install(context.Background(), goVer)
	if err != nil {
		t.Fatalf("Install: %v", err)
	}
	if tc.Reused {
		t.Error("Install reused an incomplete toolchain")
	}
	if _, err := os.Stat(filepath.Join(dir, ".tmp-"+dirName+"-123")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover temp dir still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".tmp-go1.21.0.linux-amd64-456")); err != nil {
		t.Errorf("the temp dir of an install running now was removed: %v", err)
	}
	// Once no build holds its lock, it is the remains of a killed build
	// and goes with the next install.
	unlockOther()
	if err := e.i.Cache.Remove(goVer); err != nil {
		t.Fatal(err)
	}
	if _, err := e.i.Install(context.Background(), goVer); err != nil {
		t.Fatalf("Install: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".tmp-go1.21.0.linux-amd64-456")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a killed build's temp dir of another release is still there: %v", err)
	}
	if data, _ := os.ReadFile(tc.Go()); string(data) == "partial" {
		t.Error("bin/go is the leftover one")
	}
	if _, ok := e.i.Cache.Lookup(goVer); !ok {
		t.Error("Lookup after reinstall failed")
	}
}

func TestLookupIncomplete(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, root string)
	}{
		{"truncated bin/go", func(t *testing.T, root string) {
			if err := os.Truncate(filepath.Join(root, "bin/go"), 10); err != nil {
				t.Fatal(err)
			}
		}},
		{"bin/go not executable", func(t *testing.T, root string) {
			if err := os.Chmod(filepath.Join(root, "bin/go"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"bin/go missing", func(t *testing.T, root string) {
			if err := os.Remove(filepath.Join(root, "bin/go")); err != nil {
				t.Fatal(err)
			}
		}},
		{"marker missing", func(t *testing.T, root string) {
			if err := os.Remove(filepath.Join(root, markerName)); err != nil {
				t.Fatal(err)
			}
		}},
		{"marker of a shim install (sha256, no h1)", func(t *testing.T, root string) {
			shimMarker(t, root)
		}},
		{"marker without size", func(t *testing.T, root string) {
			os.Chmod(filepath.Join(root, markerName), 0o644)
			if err := os.WriteFile(filepath.Join(root, markerName), []byte("version x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tc, err := e.i.Install(context.Background(), goVer)
			if err != nil {
				t.Fatalf("Install: %v", err)
			}
			tt.damage(t, tc.Root)
			if got, ok := e.i.Cache.Lookup(goVer); ok {
				t.Errorf("Lookup = %+v, want not found", got)
			}
			if got := e.i.Cache.Installed(); len(got) != 0 {
				t.Errorf("Installed = %q, want none", got)
			}
			tc, err = e.i.Install(context.Background(), goVer)
			if err != nil || tc.Reused {
				t.Fatalf("Install after damage = %+v, %v; want a fresh install", tc, err)
			}
			if n := e.s.RequestCount(".zip"); n != 2 {
				t.Errorf("%d downloads, want 2", n)
			}
			if _, ok := e.i.Cache.Lookup(goVer); !ok {
				t.Error("Lookup after reinstall failed")
			}
		})
	}
}

func TestInstallConcurrent(t *testing.T) {
	e := newEnv(t)
	// The first download is held until the other installs wait for it.
	gate := proxytest.NewGate()
	e.s.Inject(".zip", 1, proxytest.Fault{Gate: gate})
	log := &outputtest.Log{}
	installers := []*Installer{e.i, e.installer(t, e.i.Cache.Dir), e.installer(t, e.i.Cache.Dir)}
	type result struct {
		tc  Toolchain
		err error
	}
	results := make(chan result, len(installers))
	for _, i := range installers {
		i.Log = output.New(log, log)
		go func() {
			tc, err := i.Install(context.Background(), goVer)
			results <- result{tc, err}
		}()
	}
	const waiting = "Waiting for another build to finish installing " + goVer
	select {
	case <-log.When(func(s string) bool { return strings.Count(s, waiting) == 2 }):
	case r := <-results:
		t.Fatalf("an install ended while the first download was held: %+v, %v\n%s", r.tc, r.err, log)
	}
	<-gate.Reached() // the install holding the lock downloads
	if n := gate.Held(); n != 1 {
		t.Fatalf("%d downloads held, want 1", n)
	}
	gate.Open()
	fetched := 0
	for range installers {
		r := <-results
		if r.err != nil {
			t.Errorf("Install: %v", r.err)
			continue
		}
		if r.tc.Root != filepath.Join(e.i.Cache.Dir, dirName) {
			t.Errorf("Install = %+v", r.tc)
		}
		if !r.tc.Reused {
			fetched++
		}
	}
	if fetched != 1 {
		t.Errorf("%d installs fetched, want 1", fetched)
	}
	if n := e.s.RequestCount(".zip"); n != 1 {
		t.Errorf("%d zip requests, want 1", n)
	}
	if n := strings.Count(log.String(), "Unpacked in"); n != 1 {
		t.Errorf("%d unpacks, want 1:\n%s", n, log)
	}
	if _, ok := e.i.Cache.Lookup(goVer); !ok {
		t.Error("Lookup after concurrent installs failed")
	}
}

func TestInstalledIgnoresOthers(t *testing.T) {
	e := newEnv(t)
	if _, err := e.i.Install(context.Background(), goVer); err != nil {
		t.Fatalf("Install: %v", err)
	}
	// The same toolchain seen from another platform's cache.
	other := Cache{Dir: e.i.Cache.Dir, GOOS: "linux", GOARCH: "arm64"}
	if got := other.Installed(); len(got) != 0 {
		t.Errorf("Installed for linux/arm64 = %q, want none", got)
	}
	if err := os.Mkdir(filepath.Join(e.i.Cache.Dir, "go1.21.0.linux-amd64"), 0o777); err != nil {
		t.Fatal(err)
	}
	if got := e.i.Cache.Installed(); !reflect.DeepEqual(got, []string{goVer}) {
		t.Errorf("Installed = %q, want only the complete %s", got, goVer)
	}
	if got := (Cache{Dir: filepath.Join(t.TempDir(), "none")}).Installed(); len(got) != 0 {
		t.Errorf("Installed of a missing cache = %q", got)
	}
}

func TestRemove(t *testing.T) {
	e := newEnv(t)
	if _, err := e.i.Install(context.Background(), goVer); err != nil {
		t.Fatalf("Install: %v", err)
	}
	if err := e.i.Cache.Remove(goVer); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, ok := e.i.Cache.Lookup(goVer); ok {
		t.Error("Lookup found a removed toolchain")
	}
	onlyLocks(t, e.i.Cache.Dir)
}

// recordLog is a Logger that keeps its lines.
type recordLog struct{ lines []string }

func (l *recordLog) Detail(format string, args ...any) {
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func TestProgress(t *testing.T) {
	log := &recordLog{}
	p := newProgress(log)
	const total = 10_000_000
	for _, done := range []int64{1_000_000, 2_000_000, 2_500_000, 3_900_000, 8_500_000, 9_000_000, total} {
		p(done, total)
	}
	want := []string{
		"Downloaded 20% (2.0 MB of 10.0 MB)",
		"Downloaded 85% (8.5 MB of 10.0 MB)",
	}
	if !reflect.DeepEqual(log.lines, want) {
		t.Errorf("progress lines = %q, want %q", log.lines, want)
	}
	log = &recordLog{}
	p = newProgress(log)
	p(500, -1)
	p(1000, 0)
	if len(log.lines) != 0 {
		t.Errorf("progress with unknown size logged %q", log.lines)
	}
}

// shimMarker rewrites a toolchain's marker as older versions of the
// buildpack's shim wrote it for their bootstrap toolchain: a SHA-256 of the
// zip, no hash the checksum database vouched for.
func shimMarker(t *testing.T, root string) {
	t.Helper()
	info, err := os.Stat(filepath.Join(root, "bin/go"))
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(root, markerName), 0o644)
	marker := fmt.Sprintf("version v0.0.1-%s.linux-amd64\nhash sha256:e1edb778de0aa08c8e827f5a873b35a46afe680fb241482c531725b2355e470d\ngo-size %d\n", goVer, info.Size())
	if err := os.WriteFile(filepath.Join(root, markerName), []byte(marker), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRemoveUnverified(t *testing.T) {
	c := pruneCache(t)
	shimmed := pruneVersions[1]
	root := filepath.Join(c.Dir, c.name(shimmed))
	info, err := os.Stat(filepath.Join(root, "bin/go"))
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(root, markerName), 0o644)
	marker := fmt.Sprintf("version v0.0.1-%s.linux-amd64\nhash sha256:00\ngo-size %d\n", shimmed, info.Size())
	if err := os.WriteFile(filepath.Join(root, markerName), []byte(marker), 0o644); err != nil {
		t.Fatal(err)
	}
	// An incomplete install (no marker) is left to Install.
	incomplete := filepath.Join(c.Dir, c.name("go1.20.14"))
	if err := os.MkdirAll(filepath.Join(incomplete, "bin"), 0o777); err != nil {
		t.Fatal(err)
	}
	if got := c.RemoveUnverified(); !reflect.DeepEqual(got, []string{shimmed}) {
		t.Errorf("RemoveUnverified = %q, want [%s]", got, shimmed)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("%s still there: %v", root, err)
	}
	if _, err := os.Stat(incomplete); err != nil {
		t.Errorf("the incomplete install was removed: %v", err)
	}
	want := []string{pruneVersions[0], pruneVersions[2]}
	if got := c.Installed(); !reflect.DeepEqual(got, want) {
		t.Errorf("Installed = %q, want %q", got, want)
	}
	if got := c.RemoveUnverified(); len(got) != 0 {
		t.Errorf("second RemoveUnverified = %q, want nothing", got)
	}
}

// TestInstallSymlinkedLock plants the release's lock file as a symlink to
// a file outside the cache, and another release's as a dangling one:
// installing and removing leave the outside file as it was and create
// nothing outside; the locks become regular files.
func TestInstallSymlinkedLock(t *testing.T) {
	e := newEnv(t)
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim")
	if err := os.WriteFile(victim, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	absent := filepath.Join(outside, "absent")
	if err := os.MkdirAll(e.i.Cache.Dir, 0o777); err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(e.i.Cache.Dir, "."+dirName+".lock")
	other := filepath.Join(e.i.Cache.Dir, ".go1.21.0.linux-amd64.lock")
	if err := os.Symlink(victim, lock); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(absent, other); err != nil {
		t.Fatal(err)
	}
	if _, err := e.i.Install(context.Background(), goVer); err != nil {
		t.Fatalf("Install: %v", err)
	}
	if err := e.i.Cache.Remove("go1.21.0"); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if data, err := os.ReadFile(victim); err != nil || string(data) != "keep\n" {
		t.Errorf("the file the lock linked to holds %q, %v; want it unchanged", data, err)
	}
	if _, err := os.Lstat(absent); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a lock created %s outside the cache: %v", absent, err)
	}
	for _, p := range []string{lock, other} {
		if info, err := os.Lstat(p); err != nil || !info.Mode().IsRegular() {
			t.Errorf("%s after the lock: %v; want a regular file", p, modeOf(info, err))
		}
	}
}

// TestLookupSymlinkedMarker replaces an installed toolchain's marker with
// a symlink to a copy of it outside the cache: the marker is not
// followed, so the toolchain is not complete.
func TestLookupSymlinkedMarker(t *testing.T) {
	e := newEnv(t)
	tc, err := e.i.Install(context.Background(), goVer)
	if err != nil {
		t.Fatalf("Install: %v", err)
	}
	marker := filepath.Join(tc.Root, markerName)
	data, err := os.ReadFile(marker)
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(t.TempDir(), "marker")
	if err := os.WriteFile(copied, data, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(marker); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(copied, marker); err != nil {
		t.Fatal(err)
	}
	if got, ok := e.i.Cache.Lookup(goVer); ok {
		t.Errorf("Lookup followed a symlinked marker: %+v", got)
	}
	if got := e.i.Cache.Installed(); len(got) != 0 {
		t.Errorf("Installed = %q, want none", got)
	}
}

// modeOf describes what Lstat found, for test messages.
func modeOf(info os.FileInfo, err error) string {
	if err != nil {
		return err.Error()
	}
	return info.Mode().String()
}

func TestLeftoverOf(t *testing.T) {
	tests := []struct {
		entry, want string
		ok          bool
	}{
		{".tmp-go1.22.5.linux-amd64-123456", "go1.22.5.linux-amd64", true},
		{".tmp-go1.23rc1.linux-arm64-9", "go1.23rc1.linux-arm64", true}, // another platform's install
		{"go1.22.5.linux-amd64", "go1.22.5.linux-amd64", true},
		{"go1.22.5.linux-arm64", "", false}, // another platform's toolchain is not ours to judge
		{".go1.22.5.linux-amd64.lock", "", false},
		{".tmp-", "", false},
		{".tmp-x-1", "", false},
		{".tmp-go1.22.5", "", false},
		{".probe-usable", "", false},
	}
	for _, tt := range tests {
		if got, ok := leftoverOf(tt.entry, ".linux-amd64"); got != tt.want || ok != tt.ok {
			t.Errorf("leftoverOf(%q) = %q, %v; want %q, %v", tt.entry, got, ok, tt.want, tt.ok)
		}
	}
}

// TestRemoveLeftovers: what killed builds left is removed, but for a
// release another build is installing now (it holds the lock), and but
// complete toolchains, other platforms' and what is not a toolchain's.
func TestRemoveLeftovers(t *testing.T) {
	e := newEnv(t)
	if _, err := e.i.Install(context.Background(), goVer); err != nil {
		t.Fatalf("Install: %v", err)
	}
	dir := e.i.Cache.Dir
	for _, p := range []string{
		".tmp-go1.22.5.linux-amd64-1/go/bin/go", // a killed build's, of an installed release
		".tmp-go1.21.0.linux-amd64-2/toolchain.zip",
		".tmp-go1.21.0.linux-amd64-3/go/bin/go",
		".tmp-go1.20.1.linux-amd64-4/toolchain.zip", // being installed
		"go1.20.1.linux-amd64/bin/go",               // being installed: renamed, not yet marked
		"go1.19.13.linux-amd64/bin/go",              // a killed build's: never marked
		"go1.19.13.linux-arm64/bin/go",              // another platform's
		".tmp-other/x",
	} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte("partial"), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	unlock, err := files.Lock(filepath.Join(dir, ".go1.20.1.linux-amd64.lock"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	want := []string{".tmp-go1.21.0.linux-amd64-2", ".tmp-go1.21.0.linux-amd64-3", ".tmp-go1.22.5.linux-amd64-1", "go1.19.13.linux-amd64"}
	if got := e.i.Cache.RemoveLeftovers(); !reflect.DeepEqual(got, want) {
		t.Errorf("RemoveLeftovers = %q, want %q", got, want)
	}
	for _, name := range []string{".tmp-go1.20.1.linux-amd64-4", "go1.20.1.linux-amd64", "go1.19.13.linux-arm64", ".tmp-other", dirName} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s was removed: %v", name, err)
		}
	}
	if _, ok := e.i.Cache.Lookup(goVer); !ok {
		t.Error("the installed toolchain is gone")
	}
	if got := e.i.Cache.RemoveLeftovers(); len(got) != 0 {
		t.Errorf("second RemoveLeftovers = %q, want nothing", got)
	}
}
