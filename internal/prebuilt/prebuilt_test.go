package prebuilt

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
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

func TestSourceKey(t *testing.T) {
	base := map[string]string{
		"go.mod":                "module example.com/bp\n\ngo 1.26.0\n",
		"go.sum":                "golang.org/x/mod v0.43.0 h1:x\n",
		"cmd/buildpack/main.go": "package main\n",
		"internal/a/a.go":       "package a\n",
	}
	key := func(t *testing.T, change map[string]string) string {
		t.Helper()
		dir := t.TempDir()
		writeTree(t, dir, base)
		writeTree(t, dir, change)
		k, err := SourceKey(dir)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	k0 := key(t, nil)
	if len(k0) != 32 || strings.Trim(k0, "0123456789abcdef") != "" {
		t.Fatalf("SourceKey = %q, want 32 hex digits", k0)
	}
	tests := []struct {
		name   string
		change map[string]string
		same   bool
	}{
		{"nothing", nil, true},
		{"a test file", map[string]string{"internal/a/a_test.go": "package a\n"}, true},
		{"a file that is not Go", map[string]string{"internal/a/README.md": "x"}, true},
		{"Go outside cmd and internal", map[string]string{"tools/gen.go": "package tools\n"}, true},
		{"a source file", map[string]string{"internal/a/a.go": "package a // changed\n"}, false},
		{"a new source file", map[string]string{"internal/b/b.go": "package b\n"}, false},
		{"a Go file in testdata", map[string]string{"internal/a/testdata/x.go": "package x\n"}, false},
		{"go.mod", map[string]string{"go.mod": "module example.com/bp\n\ngo 1.27.0\n"}, false},
		{"go.sum", map[string]string{"go.sum": ""}, false},
		{"the program", map[string]string{"cmd/buildpack/main.go": "package main\n\n"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := key(t, tt.change); (got == k0) != tt.same {
				t.Errorf("key after a change of %s = %s, base key %s; want same = %v", tt.name, got, k0, tt.same)
			}
		})
	}
	// A moved file changes the key: paths are part of it.
	dir := t.TempDir()
	moved := map[string]string{}
	for k, v := range base {
		moved[k] = v
	}
	delete(moved, "internal/a/a.go")
	moved["internal/b/a.go"] = base["internal/a/a.go"]
	writeTree(t, dir, moved)
	if k, _ := SourceKey(dir); k == k0 {
		t.Error("moving a source file kept the key")
	}
	if _, err := SourceKey(t.TempDir()); err == nil {
		t.Error("SourceKey of an empty directory: no error, want one (no go.mod)")
	}
}

func TestKeyOf(t *testing.T) {
	// What the shell gives: printf a >a; sha256sum a | sha256sum | cut -c1-32
	sum := "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
	if got, want := keyOf([]string{"a"}, []string{sum}), "a0a7ff20b65105dc8a0ffca79bda45e7"; got != want {
		t.Errorf("keyOf = %s, want %s", got, want)
	}
}

const sampleToml = `# Settings of the Go buildpack itself.

[buildpack]
name = "Go"

[go]
default_version = "1.27"

# The prebuilt program.
[program]
source = "old"
toolchain = "go1.26.11"
url = "https://example.com/{source}/{platform}"

[program.sha256]
linux-amd64 = "aaa"
linux-arm64 = "bbb"

# Comments of the next table stay with it.
[cnb]
api = "0.10"
`

func TestReplacePins(t *testing.T) {
	p := Pins{Source: "new", Toolchain: "go1.26.11", URL: "https://example.com/{source}/{platform}",
		SHA256: map[string]string{"linux-amd64": "111", "linux-arm64": "222"}}
	block := p.Format()
	tests := []struct {
		name string
		in   string
		want string // "" when an error is wanted
	}{
		{"replace in the middle", sampleToml, strings.Replace(sampleToml,
			"[program]\nsource = \"old\"\ntoolchain = \"go1.26.11\"\nurl = \"https://example.com/{source}/{platform}\"\n\n[program.sha256]\nlinux-amd64 = \"aaa\"\nlinux-arm64 = \"bbb\"\n", block, 1)},
		{"replace at the end", "[go]\ndefault_version = \"1.27\"\n\n[program]\nsource = \"old\"\n[program.sha256]\nlinux-amd64 = \"x\"\n\n\n",
			"[go]\ndefault_version = \"1.27\"\n\n" + block},
		{"append", "[go]\ndefault_version = \"1.27\"\n", "[go]\ndefault_version = \"1.27\"\n\n" + block},
		{"sha256 table first", "[program.sha256]\nlinux-amd64 = \"x\"\n\n[program]\nsource = \"old\"\n", ""},
		{"a second sha256 table later", "[program]\nsource = \"old\"\n\n[go]\nx = 1\n\n[program.sha256]\nlinux-amd64 = \"x\"\n", ""},
		{"inline program key elsewhere", "[go]\nprogram = 1\n[program]\nsource = \"old\"\n", "[go]\nprogram = 1\n" + block},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReplacePins([]byte(tt.in), p)
			if tt.want == "" {
				if err == nil {
					t.Errorf("ReplacePins = %q, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReplacePins: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("ReplacePins =\n%s\nwant\n%s", got, tt.want)
			}
			again, err := ReplacePins(got, p)
			if err != nil || string(again) != string(got) {
				t.Errorf("ReplacePins twice = %q, %v; want the same content", again, err)
			}
		})
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

func TestStalePrograms(t *testing.T) {
	now := time.Now()
	type entry struct {
		name string
		age  time.Duration
	}
	tests := []struct {
		name    string
		entries []entry
		running string // entry name holding the running program, "" for none
		want    []string
	}{
		{"few", []entry{{"release-a.linux-amd64", time.Hour}, {"source-b.linux-amd64", 2 * time.Hour}}, "release-a.linux-amd64", nil},
		{"running is old", []entry{
			{"release-a.linux-amd64", 10 * time.Hour}, {"b", time.Hour}, {"c", 2 * time.Hour}, {"d", 3 * time.Hour},
		}, "release-a.linux-amd64", []string{"d"}},
		{"running elsewhere", []entry{{"a", time.Hour}, {"b", 2 * time.Hour}, {"c", 3 * time.Hour}, {"d", 4 * time.Hour}}, "", []string{"d"}},
		{"temp dirs", []entry{{".tmp-old", 2 * time.Hour}, {".tmp-new", time.Minute}, {"a", time.Hour}}, "a", []string{".tmp-old"}},
		{"old format", []entry{{"7de9f84cff541ffd", time.Hour}, {"9acb9c3096275453", 2 * time.Hour}, {"x", 3 * time.Hour}, {"y", time.Minute}}, "y", []string{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, e := range tt.entries {
				path := filepath.Join(dir, e.name)
				if err := os.Mkdir(path, 0o777); err != nil {
					t.Fatal(err)
				}
				when := now.Add(-e.age)
				os.Chtimes(path, when, when)
			}
			os.WriteFile(filepath.Join(dir, ".lock"), nil, 0o644)
			running := "/usr/local/bin/buildpack"
			if tt.running != "" {
				running = filepath.Join(dir, tt.running, "buildpack")
			}
			if got := stalePrograms(dir, running, now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("stalePrograms = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTrimCache(t *testing.T) {
	cacheDir := t.TempDir()
	root := filepath.Join(cacheDir, "go")
	for _, dir := range []string{"program/release-k1.linux-amd64", "program/release-k2.linux-amd64", "program/source-k3.linux-amd64",
		"program/source-k4.linux-amd64", "bootstrap/tmp-123/go/bin", "toolchains"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o777); err != nil {
			t.Fatal(err)
		}
	}
	for i, name := range []string{"release-k1.linux-amd64", "release-k2.linux-amd64", "source-k3.linux-amd64", "source-k4.linux-amd64"} {
		when := time.Now().Add(-time.Duration(i+1) * time.Hour)
		os.Chtimes(filepath.Join(root, "program", name), when, when)
	}
	running := filepath.Join(root, "program", "source-k4.linux-amd64", "buildpack")
	got := TrimCache(cacheDir, running)
	want := []string{"program/source-k3.linux-amd64", "bootstrap"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TrimCache removed %q, want %q", got, want)
	}
	for _, name := range []string{"release-k1.linux-amd64", "release-k2.linux-amd64", "source-k4.linux-amd64"} {
		if _, err := os.Stat(filepath.Join(root, "program", name)); err != nil {
			t.Errorf("%s was removed: %v", name, err)
		}
	}
}
