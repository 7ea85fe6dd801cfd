package release

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSourceKeys(t *testing.T) {
	base := map[string]string{
		"go.mod":                "module example.com/bp\n\ngo 1.26.0\n",
		"go.sum":                "golang.org/x/mod v0.43.0 h1:x\n",
		"cmd/buildpack/main.go": "package main\n",
		"cmd/dev/main.go":       "package main\n",
		"internal/a/a.go":       "package a\n",
		"internal/bench/b.go":   "package bench\n",
	}
	runtime := []string{"cmd/buildpack", "internal/a"}
	keys := func(t *testing.T, change map[string]string) (source, build string) {
		t.Helper()
		dir := t.TempDir()
		writeTree(t, dir, base)
		writeTree(t, dir, change)
		source, err := SourceKey(dir, runtime)
		if err != nil {
			t.Fatal(err)
		}
		if build, err = BuildKey(dir); err != nil {
			t.Fatal(err)
		}
		return source, build
	}
	source0, build0 := keys(t, nil)
	for _, k := range []string{source0, build0} {
		if len(k) != 32 || strings.Trim(k, "0123456789abcdef") != "" {
			t.Fatalf("key = %q, want 32 hex digits", k)
		}
	}
	if source0 == build0 {
		t.Errorf("source key = build key = %s; the build key covers the tooling too", source0)
	}
	tests := []struct {
		name         string
		change       map[string]string
		source, same bool // whether the source key, the build key stay the same
	}{
		{"nothing", nil, true, true},
		{"a test file", map[string]string{"internal/a/a_test.go": "package a\n"}, true, true},
		{"a file that is not Go", map[string]string{"internal/a/README.md": "x"}, true, true},
		{"Go outside cmd and internal", map[string]string{"tools/gen.go": "package tools\n"}, true, true},
		{"the benchmark", map[string]string{"internal/bench/b.go": "package bench\n\n// A comment.\n"}, true, false},
		{"the tooling's main", map[string]string{"cmd/dev/main.go": "package main\n\n// A comment.\n"}, true, false},
		{"a package the program does not link", map[string]string{"internal/new/n.go": "package n\n"}, true, false},
		{"a Go file in testdata", map[string]string{"internal/a/testdata/x.go": "package x\n"}, true, false},
		{"a runtime source file", map[string]string{"internal/a/a.go": "package a // changed\n"}, false, false},
		{"a new runtime source file", map[string]string{"internal/a/b.go": "package a\n"}, false, false},
		{"go.mod", map[string]string{"go.mod": "module example.com/bp\n\ngo 1.27.0\n"}, false, false},
		{"go.sum", map[string]string{"go.sum": ""}, false, false},
		{"the program's main", map[string]string{"cmd/buildpack/main.go": "package main\n\n"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			source, build := keys(t, tt.change)
			if (source == source0) != tt.source {
				t.Errorf("source key after a change of %s = %s, base %s; want the same: %v", tt.name, source, source0, tt.source)
			}
			if (build == build0) != tt.same {
				t.Errorf("build key after a change of %s = %s, base %s; want the same: %v", tt.name, build, build0, tt.same)
			}
		})
	}
	// A moved file changes both keys: paths are part of them.
	dir := t.TempDir()
	moved := map[string]string{}
	for k, v := range base {
		moved[k] = v
	}
	delete(moved, "internal/a/a.go")
	moved["cmd/buildpack/a.go"] = base["internal/a/a.go"]
	writeTree(t, dir, moved)
	if k, _ := SourceKey(dir, runtime); k == source0 {
		t.Error("moving a source file kept the source key")
	}
	if k, _ := BuildKey(dir); k == build0 {
		t.Error("moving a source file kept the build key")
	}
	if _, err := BuildKey(t.TempDir()); err == nil {
		t.Error("BuildKey of an empty directory: no error, want one (no go.mod)")
	}
}

func TestKeyOf(t *testing.T) {
	// What the shell gives: printf a >a; sha256sum a | sha256sum | cut -c1-32
	sum := "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
	if got, want := keyOf([]string{"a"}, []string{sum}), "a0a7ff20b65105dc8a0ffca79bda45e7"; got != want {
		t.Errorf("keyOf = %s, want %s", got, want)
	}
}

var samplePins = &Pins{
	Source:           "0123456789abcdef0123456789abcdef",
	Toolchain:        "go1.26.11",
	URL:              "https://example.com/{source}/{platform}",
	SHA256:           map[string]string{"linux-amd64": strings.Repeat("a", 64), "linux-arm64": strings.Repeat("b", 64)},
	Packages:         []string{"cmd/buildpack", "internal/a", "internal/b-c"},
	BootstrapVersion: "go1.26.10",
	BootstrapSHA256:  map[string]string{"linux-amd64": strings.Repeat("c", 64), "linux-arm64": strings.Repeat("d", 64)},
}

func TestPinsRoundTrip(t *testing.T) {
	data := samplePins.Format()
	if !strings.HasPrefix(string(data), "# Written by `go run ./cmd/dev release`") {
		t.Errorf("the pins file starts %q, want the header naming the release command", strings.SplitN(string(data), "\n", 2)[0])
	}
	got, err := ParsePins("pins.sh", data)
	if err != nil {
		t.Fatalf("ParsePins(Format()): %v\n%s", err, data)
	}
	if !reflect.DeepEqual(got, samplePins) {
		t.Errorf("ParsePins(Format()) = %+v, want %+v", got, samplePins)
	}
	// What the shell makes of the file is what ParsePins read.
	script := string(data) + "\nprintf '%s\\n' \"$program_source\" \"$program_url\" \"$program_packages\" \"$bootstrap_version\" \"$program_sha256_linux_arm64\" \"$bootstrap_sha256_linux_amd64\"\n"
	out, err := exec.Command("bash", "-euc", script).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{samplePins.Source, samplePins.URL, strings.Join(samplePins.Packages, " "), samplePins.BootstrapVersion,
		samplePins.SHA256["linux-arm64"], samplePins.BootstrapSHA256["linux-amd64"]}, "\n") + "\n"
	if string(out) != want {
		t.Errorf("bash sourcing the pins prints\n%s\nwant\n%s", out, want)
	}
}

func TestParsePins(t *testing.T) {
	tests := []struct {
		name, data string
		want       string // in the error; "" for success
	}{
		{"empty", "", ""},
		{"comments and blank lines", "# a comment\n\n   # indented\nprogram_toolchain='go1.26.11'\n", ""},
		{"a bare value", "program_toolchain=go1.26.11\n", ""},
		{"an empty value", "program_source=''\n", ""},
		{"unpinned", "program_source='unpinned'\n", ""},
		{"unknown name", "program_sorce='x'\n", "pins.sh:1: unknown pin program_sorce"},
		{"unknown platform", "program_sha256_linux_riscv64='" + strings.Repeat("a", 64) + "'\n", "unknown pin program_sha256_linux_riscv64"},
		{"set twice", "program_toolchain='go1.26.11'\nprogram_toolchain='go1.26.12'\n", "pins.sh:2: program_toolchain is set twice"},
		{"double quotes", "program_toolchain=\"go1.26.11\"\n", "quote the value in single quotes"},
		{"a command substitution", "program_toolchain=$(touch x)\n", "quote the value in single quotes"},
		{"text after the quote", "program_toolchain='go1.26.11'; touch x\n", "must end the line"},
		{"an unclosed quote", "program_toolchain='go1.26.11\n", "must end the line"},
		{"a command", "touch x\n", "pins.sh:1: not a name='value' line"},
		{"export", "export program_toolchain='go1.26.11'\n", "not a name='value' line"},
		{"spaces around =", "program_toolchain = 'go1.26.11'\n", "not a name='value' line"},
		{"a short source key", "program_source='abc'\n", "program_source=\"abc\" is not a valid value"},
		{"a toolchain that is no Go release", "bootstrap_version='1.26'\n", "bootstrap_version=\"1.26\" is not a valid value"},
		{"a short SHA-256", "bootstrap_sha256_linux_amd64='abc'\n", "is not a valid value"},
		{"a URL without a scheme", "program_url='example.com/x'\n", "is not a valid value"},
		{"a package outside the buildpack", "program_packages='cmd/buildpack ../x'\n", "is not a valid value"},
		{"an absolute package", "program_packages='/etc'\n", "is not a valid value"},
		{"a package with a glob", "program_packages='internal/*'\n", "is not a valid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePins("pins.sh", []byte(tt.data))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("ParsePins: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("ParsePins = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestRepoPins reads the buildpack's own bin/pins.sh.
func TestRepoPins(t *testing.T) {
	p, err := ReadPins(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if !hexKey.MatchString(p.Source) {
		t.Errorf("program_source = %q, want a source key of 32 hex digits", p.Source)
	}
	for _, v := range []string{p.Toolchain, p.BootstrapVersion} {
		if !regexp.MustCompile(`^go1\.[0-9]+\.[0-9]+$`).MatchString(v) {
			t.Errorf("toolchain = %q, want a release like go1.26.11", v)
		}
	}
	if !strings.HasPrefix(p.URL, "https://") || !strings.Contains(p.URL, "{source}") || !strings.Contains(p.URL, "{platform}") {
		t.Errorf("program_url = %q, want an https URL template with {source} and {platform}", p.URL)
	}
	for _, platform := range Platforms {
		if !sha256Hex.MatchString(p.SHA256[platform]) || !sha256Hex.MatchString(p.BootstrapSHA256[platform]) {
			t.Errorf("%s: program sha256 %q, bootstrap sha256 %q", platform, p.SHA256[platform], p.BootstrapSHA256[platform])
		}
	}
	if !slices.Contains(p.Packages, "cmd/buildpack") || !slices.IsSorted(p.Packages) {
		t.Errorf("program_packages = %q, want cmd/buildpack among them, sorted", p.Packages)
	}
}

// TestRuntimePackages lists the runtime program's packages with the go
// command: the tooling is not linked into it.
func TestRuntimePackages(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	if goCmd, err = filepath.EvalSymlinks(goCmd); err != nil {
		t.Fatal(err)
	}
	o := Options{BuildpackDir: filepath.Join("..", ".."), CacheDir: t.TempDir(), GOPROXY: "off", Log: output.New(io.Discard, io.Discard)}
	if o.BuildpackDir, err = filepath.Abs(o.BuildpackDir); err != nil {
		t.Fatal(err)
	}
	// The machine's caches: the module cache holds the buildpack's modules.
	o.CacheDir = t.TempDir()
	modcache, _ := exec.Command(goCmd, "env", "GOMODCACHE").Output()
	if err := os.Symlink(strings.TrimSpace(string(modcache)), filepath.Join(o.CacheDir, "modcache")); err != nil {
		t.Fatal(err)
	}
	pkgs, err := o.runtimePackages(context.Background(), goCmd)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cmd/buildpack", "internal/compile", "internal/cnb", "internal/herokuci", "internal/prebuilt"} {
		if !slices.Contains(pkgs, want) {
			t.Errorf("runtime packages %q: no %s", pkgs, want)
		}
	}
	for _, tooling := range []string{"cmd/dev", "internal/deploy", "internal/dyno", "internal/lifecycle", "internal/bench", "internal/proxytest", "internal/release"} {
		if slices.Contains(pkgs, tooling) {
			t.Errorf("the runtime program links %s, which only the tooling uses", tooling)
		}
	}
	if !slices.IsSorted(pkgs) {
		t.Errorf("runtime packages %q are not sorted", pkgs)
	}
}

func TestParsePackages(t *testing.T) {
	dir := "/bp"
	tests := []struct {
		name, out string
		want      []string
		err       string
	}{
		{"packages", "/bp/internal/a\t  \n/bp/cmd/buildpack\t  \n", []string{"internal/a", "cmd/buildpack"}, ""},
		{"embedded files", "/bp/internal/a\tschema.json  \n", nil, "internal/a builds with schema.json, which the source key does not cover"},
		{"assembly", "/bp/internal/a\t asm_amd64.s \n", nil, "builds with asm_amd64.s"},
		{"outside cmd and internal", "/bp/pkg/x\t  \n", nil, "package in pkg/x is not under cmd/ or internal/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePackages(dir, tt.out)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("parsePackages = %q, %v; want an error with %q", got, err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parsePackages = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestPackageChange(t *testing.T) {
	tests := []struct {
		listed, want []string
		out          string
	}{
		{[]string{"a"}, []string{"a", "b"}, "b more"},
		{[]string{"a", "b", "c"}, []string{"a"}, "b, c fewer"},
		{[]string{"a", "b"}, []string{"a", "c"}, "c more and b fewer"},
	}
	for _, tt := range tests {
		if got := packageChange(tt.listed, tt.want); got != tt.out {
			t.Errorf("packageChange(%q, %q) = %q, want %q", tt.listed, tt.want, got, tt.out)
		}
	}
}

// TestBootstrapSum fetches a toolchain zip from a real loopback proxy,
// verified against its checksum database: the pin is the zip's SHA-256,
// kept for the next release; a zip the database does not vouch for is
// refused.
func TestBootstrapSum(t *testing.T) {
	srv := proxytest.New(t)
	modVersion := srv.AddToolchain("go1.26.11", "linux", "arm64")
	o := Options{CacheDir: t.TempDir(), GOPROXY: srv.URL(), GOSUMDB: srv.GOSUMDB(), Log: output.New(io.Discard, io.Discard)}
	inst, err := o.installer()
	if err != nil {
		t.Fatal(err)
	}
	got, err := o.bootstrapSum(context.Background(), inst, "go1.26.11", "linux-arm64")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(srv.Zip("golang.org/toolchain", modVersion))
	if want := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("bootstrapSum = %s, want the zip's SHA-256 %s", got, want)
	}
	record, err := os.ReadFile(filepath.Join(o.CacheDir, "bootstrap", modVersion+".sha256"))
	if err != nil || string(record) != got {
		t.Errorf("record = %q, %v; want %s", record, err, got)
	}

	srv.AddToolchain("go1.26.11", "linux", "amd64")
	srv.Tamper("golang.org/toolchain", "v0.0.1-go1.26.11.linux-amd64", proxytest.ToolchainFiles("go1.26.12", "linux", "amd64"))
	_, err = o.bootstrapSum(context.Background(), inst, "go1.26.11", "linux-amd64")
	var sec *checksum.SecurityError
	if !errors.As(err, &sec) {
		t.Errorf("bootstrapSum of a tampered zip = %v, want a *checksum.SecurityError", err)
	}
	if _, err := os.Stat(filepath.Join(o.CacheDir, "bootstrap", "v0.0.1-go1.26.11.linux-amd64.sha256")); err == nil {
		t.Error("the SHA-256 of a tampered zip was recorded")
	}
}

func TestExpand(t *testing.T) {
	got := Expand("https://github.com/o/r/releases/download/program-{source}/buildpack-{platform}", "abc", "linux-arm64")
	if want := "https://github.com/o/r/releases/download/program-abc/buildpack-linux-arm64"; got != want {
		t.Errorf("Expand = %q, want %q", got, want)
	}
}

func TestBuildVars(t *testing.T) {
	got := BuildVars("linux-arm64", "https://proxy.example.com", "")
	want := map[string]string{"GOOS": "linux", "GOARCH": "arm64", "GOWORK": "off", "GOFLAGS": "-mod=readonly -modcacherw",
		"CGO_ENABLED": "0", "GOAMD64": "v1", "GOARM64": "v8.0", "GOPROXY": "https://proxy.example.com"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BuildVars = %v, want %v", got, want)
	}
	if got := BuildVars("linux-amd64", "", "sum.golang.org"); got["GOSUMDB"] != "sum.golang.org" || got["GOPROXY"] != "" || got["GOARCH"] != "amd64" {
		t.Errorf("BuildVars(linux-amd64, no proxy, a GOSUMDB) = %v", got)
	}
}

// signalWriter closes seen when what is written contains want.
type signalWriter struct {
	want string
	seen chan struct{}
	buf  strings.Builder
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	if w.seen != nil && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
		w.seen = nil
	}
	return len(p), nil
}

// TestReleaseWaitsForCache: a release whose cache another release holds
// waits for it, and says so, rather than compiling the same packages
// beside it.
func TestReleaseWaitsForCache(t *testing.T) {
	bp := t.TempDir()
	pins, err := os.ReadFile(filepath.Join("..", "..", PinsFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(bp, filepath.Dir(PinsFile)), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bp, PinsFile), pins, 0o644); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	unlock, err := files.Lock(filepath.Join(cache, ".lock"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := proxytest.New(t) // serves no toolchain: once it runs, the release fails
	w := &signalWriter{want: "Waiting for another release that uses " + cache, seen: make(chan struct{})}
	seen := w.seen
	done := make(chan error, 1)
	go func() {
		_, err := Release(context.Background(), Options{BuildpackDir: bp, CacheDir: cache,
			GOPROXY: srv.URL(), GOSUMDB: srv.GOSUMDB(), Log: output.New(w, w)})
		done <- err
	}()
	select {
	case <-seen:
	case err := <-done:
		unlock()
		t.Fatalf("the release ran while another held its cache (err %v); log:\n%s", err, w.buf.String())
	}
	unlock()
	if err := <-done; err == nil {
		t.Fatal("the release succeeded with a proxy that serves no toolchain")
	}
}
