package golangci

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gomod"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

func writeFiles(t *testing.T, tree map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range tree {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestFindConfig: every name golangci-lint reads, in the app's directory
// or above it, and the format it is in.
func TestFindConfig(t *testing.T) {
	tests := []struct {
		name string
		tree map[string]string
		dir  string
		want *Config
	}{
		{"none", map[string]string{"go.mod": ""}, ".", nil},
		{"yml v1", map[string]string{".golangci.yml": "linters:\n  enable: [unused]\n"}, ".", &Config{Name: ".golangci.yml"}},
		{"yaml v2", map[string]string{".golangci.yaml": "# lint\nversion: \"2\"\nlinters:\n  default: standard\n"}, ".", &Config{Name: ".golangci.yaml", V2: true}},
		{"yml v2 unquoted with comment", map[string]string{".golangci.yml": "version: 2 # v2\n"}, ".", &Config{Name: ".golangci.yml", V2: true}},
		{"nested version is not the file's", map[string]string{".golangci.yml": "run:\n  version: \"2\"\n"}, ".", &Config{Name: ".golangci.yml"}},
		{"toml v2", map[string]string{".golangci.toml": "version = '2'\n[linters]\ndefault = 'none'\n"}, ".", &Config{Name: ".golangci.toml", V2: true}},
		{"toml version in a table", map[string]string{".golangci.toml": "[run]\nversion = '2'\n"}, ".", &Config{Name: ".golangci.toml"}},
		{"json v2", map[string]string{".golangci.json": `{"version": "2", "linters": {}}`}, ".", &Config{Name: ".golangci.json", V2: true}},
		{"json v1", map[string]string{".golangci.json": `{"linters": {"enable": ["unused"]}}`}, ".", &Config{Name: ".golangci.json"}},
		{"yml before toml", map[string]string{".golangci.toml": "version = '2'\n", ".golangci.yml": "linters: {}\n"}, ".", &Config{Name: ".golangci.yml"}},
		{"in the app's directory", map[string]string{"api/.golangci.yml": "version: '2'\n", ".golangci.yml": ""}, "api", &Config{Name: "api/.golangci.yml", V2: true}},
		{"in a parent", map[string]string{".golangci.yml": "version: '2'\n", "services/api/go.mod": ""}, "services/api", &Config{Name: ".golangci.yml", V2: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeFiles(t, tt.tree)
			got, err := FindConfig(files.AppFS(root), tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Errorf("FindConfig = %+v, want %+v", got, tt.want)
			}
		})
	}
	root := writeFiles(t, map[string]string{".golangci.json": "{"})
	if _, err := FindConfig(files.AppFS(root), "."); err == nil || !strings.Contains(err.Error(), ".golangci.json: not JSON") {
		t.Errorf("broken JSON: %v", err)
	}
	outside := writeFiles(t, map[string]string{"secret.yml": "version: '2'\n"})
	if err := os.Symlink(filepath.Join(outside, "secret.yml"), filepath.Join(root, ".golangci.yml")); err != nil {
		t.Fatal(err)
	}
	if _, err := FindConfig(files.AppFS(root), "."); err == nil || !strings.Contains(err.Error(), ".golangci.yml") {
		t.Errorf("a config that links outside the app: %v", err)
	}
}

// TestChoose: the tool directive beats GOLANGCI_LINT_VERSION, which beats
// the default.
func TestChoose(t *testing.T) {
	tool := &gomod.File{Name: "go.mod", Tools: []string{"golang.org/x/tools/cmd/stringer", Repo + "/v2/cmd/golangci-lint"},
		Required: map[string]string{Repo + "/v2": "v2.14.0"}}
	v1tool := &gomod.File{Name: "go.mod", Tools: []string{Repo + "/cmd/golangci-lint"}, Required: map[string]string{Repo: "v1.64.8"}}
	other := &gomod.File{Name: "go.mod", Tools: []string{"example.com/golangci-lint/cmd/golangci-lint"}}
	for _, tt := range []struct {
		name      string
		mod       *gomod.File
		configVar string
		want      Linter
	}{
		{"default", &gomod.File{Name: "go.mod"}, "", Linter{Version: DefaultVersion, Module: Repo + "/v2", Source: "the buildpack's default; GOLANGCI_LINT_VERSION chooses another"}},
		{"workspace", nil, "", Linter{Version: DefaultVersion, Module: Repo + "/v2", Source: "the buildpack's default; GOLANGCI_LINT_VERSION chooses another"}},
		{"config var v1", other, "v1.64.8", Linter{Version: "v1.64.8", Module: Repo, Source: "the GOLANGCI_LINT_VERSION config var"}},
		{"config var v2", nil, "v2.1.0", Linter{Version: "v2.1.0", Module: Repo + "/v2", Source: "the GOLANGCI_LINT_VERSION config var"}},
		{"tool", tool, "v1.64.8", Linter{Version: "v2.14.0", Module: Repo + "/v2", Source: "the tool directive in go.mod", Tool: Repo + "/v2/cmd/golangci-lint"}},
		{"v1 tool", v1tool, "", Linter{Version: "v1.64.8", Module: Repo, Source: "the tool directive in go.mod", Tool: Repo + "/cmd/golangci-lint"}},
	} {
		if got := Choose(tt.mod, tt.configVar); got != tt.want {
			t.Errorf("%s: Choose = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if p := Choose(tool, "").Package(); p != Repo+"/v2/cmd/golangci-lint" {
		t.Errorf("Package = %s", p)
	}
}

// TestCheckConfig: a linter that cannot read the config's format says
// what to do.
func TestCheckConfig(t *testing.T) {
	v1 := &Config{Name: ".golangci.yml"}
	v2 := &Config{Name: ".golangci.yml", V2: true}
	def := Choose(nil, "")
	old := Choose(nil, "v1.64.8")
	tool := Linter{Version: "v2.14.0", Module: Repo + "/v2", Source: "the tool directive in go.mod", Tool: Repo + "/v2/cmd/golangci-lint"}
	for _, tt := range []struct {
		name   string
		linter Linter
		config *Config
		want   []string // in the message; none for no error
	}{
		{"v2 reads v2", def, v2, nil},
		{"v1 reads v1", old, v1, nil},
		{"v2 with a v1 config", def, v1, []string{`.golangci.yml is a golangci-lint v1 config (it has no version: "2"), which golangci-lint v2.15.0 (from the buildpack's default`, "`golangci-lint migrate`", "GOLANGCI_LINT_VERSION=v1.64.8"}},
		{"v1 with a v2 config", old, v2, []string{`golangci-lint v2 config (version: "2"), which golangci-lint v1.64.8 (from the GOLANGCI_LINT_VERSION config var)`, "Set GOLANGCI_LINT_VERSION to a v2 release, or unset it"}},
		{"tool v2 with a v1 config", tool, v1, []string{"`golangci-lint migrate`", "from the tool directive in go.mod"}},
	} {
		err := tt.linter.CheckConfig(tt.config)
		if tt.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		r, ok := remedy.Of(err)
		if err == nil || !ok || r.Section != "heroku-ci" {
			t.Fatalf("%s: %v, want a remedy in heroku-ci", tt.name, err)
		}
		msg := err.Error() + "\n" + r.Fix
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", tt.name, msg, w)
			}
		}
		if tt.linter.Tool != "" && strings.Contains(msg, "GOLANGCI_LINT_VERSION") {
			t.Errorf("%s: the config var does not apply to a tool directive: %q", tt.name, msg)
		}
	}
}

// TestCached: one build per key, however many wait for it; a build that
// failed or was cut short is never used; Keep builds are kept.
func TestCached(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	builds := 0
	build := func(tmp string) error {
		mu.Lock()
		builds++
		mu.Unlock()
		return os.WriteFile(filepath.Join(tmp, Binary), []byte("#!/bin/sh\n"), 0o755)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			bin, _, err := Cached(dir, "v2.15.0-go1.26.1-linux-amd64", build)
			if err == nil && bin != filepath.Join(dir, "v2.15.0-go1.26.1-linux-amd64", Binary) {
				t.Errorf("bin = %s", bin)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if builds != 1 {
		t.Errorf("%d builds, want 1", builds)
	}
	if _, reused, err := Cached(dir, "v2.15.0-go1.26.1-linux-amd64", build); err != nil || !reused || builds != 1 {
		t.Errorf("second call: reused %v, err %v, %d builds", reused, err, builds)
	}

	// A build that fails leaves nothing behind.
	if _, _, err := Cached(dir, "broken", func(tmp string) error { return os.ErrPermission }); err == nil {
		t.Error("a failed build succeeded")
	}
	if _, _, err := Cached(dir, "empty", func(tmp string) error { return nil }); err == nil || !strings.Contains(err.Error(), "wrote no golangci-lint") {
		t.Errorf("a build without the binary: %v", err)
	}
	// A directory without the marker is rebuilt.
	os.MkdirAll(filepath.Join(dir, "cut"), 0o755)
	os.WriteFile(filepath.Join(dir, "cut", Binary), []byte("half"), 0o755)
	if _, reused, err := Cached(dir, "cut", build); err != nil || reused || builds != 2 {
		t.Errorf("a build cut short: reused %v, err %v", reused, err)
	}
	if _, _, err := Cached(dir, "third", build); err != nil {
		t.Fatal(err)
	}
	var kept []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() {
			kept = append(kept, e.Name())
		}
	}
	if strings.Join(kept, " ") != "cut third" {
		t.Errorf("kept %q, want the %d most recent: cut third", kept, Keep)
	}
}
