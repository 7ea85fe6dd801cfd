package appdir

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeTree writes name → content into a new directory.
func writeTree(t *testing.T, m map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range m {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const mainGo = "package main\n\nfunc main() {}\n"

func TestFindLegacy(t *testing.T) {
	tests := []struct {
		name       string
		files      map[string]string
		appDir     string
		tool       string
		found      []string
		importPath string
		msg        string
		fix        []string
	}{
		{
			name:  "dep",
			files: map[string]string{"Gopkg.toml": "[prune]\n", "Gopkg.lock": "[solve-meta]\n", "main.go": mainGo},
			tool:  "dep", found: []string{"Gopkg.lock", "Gopkg.toml"},
			msg: "no go.mod in the app's root directory: the app uses dep (Gopkg.lock, Gopkg.toml), a dependency manager from before Go modules",
			fix: []string{
				"run `GOTOOLCHAIN=go1.21.13 go mod init example.com/yourapp` with the app's import path (Go 1.21 was the last to copy the requirements from Gopkg.lock into go.mod)",
				", remove Gopkg.lock and Gopkg.toml, then run `go mod tidy` and commit go.mod and go.sum.",
			},
		},
		{
			name:  "dep with only Gopkg.toml",
			files: map[string]string{"Gopkg.toml": "", "cmd/web/main.go": mainGo},
			tool:  "dep", found: []string{"Gopkg.toml"},
			msg: "the app uses dep (Gopkg.toml)",
			fix: []string{"run `go mod init example.com/yourapp` with the app's import path, remove Gopkg.toml, then run `go mod tidy`"},
		},
		{
			name: "glide",
			files: map[string]string{
				"glide.yaml": "# the app\npackage: \"github.com/example/glideapp\" # root\nimport:\n- package: github.com/google/uuid\n  version: v1.3.0\n",
				"glide.lock": "imports: []\n",
			},
			tool: "glide", found: []string{"glide.yaml", "glide.lock"}, importPath: "github.com/example/glideapp",
			msg: "the app uses glide (glide.yaml, glide.lock)",
			fix: []string{"run `GOTOOLCHAIN=go1.21.13 go mod init github.com/example/glideapp` (Go 1.21 was the last to copy the requirements from glide.lock", "remove glide.yaml and glide.lock, then run `go mod tidy`"},
		},
		{
			name:  "godep",
			files: map[string]string{"Godeps/Godeps.json": `{"ImportPath": "github.com/example/godepapp", "GoVersion": "go1.12", "Deps": []}`, "vendor/github.com/google/uuid/uuid.go": "package uuid\n", "main.go": mainGo},
			tool:  "godep", found: []string{"Godeps/Godeps.json"}, importPath: "github.com/example/godepapp",
			msg: "the app uses godep (Godeps/Godeps.json)",
			fix: []string{"run `GOTOOLCHAIN=go1.21.13 go mod init github.com/example/godepapp`", "remove Godeps/ and vendor/ (run `go mod vendor` afterwards to keep vendoring), then run `go mod tidy`"},
		},
		{
			name:  "govendor",
			files: map[string]string{"vendor/vendor.json": `{"rootPath": "github.com/example/govendorapp", "package": []}`, "main.go": mainGo},
			tool:  "govendor", found: []string{"vendor/vendor.json"}, importPath: "github.com/example/govendorapp",
			msg: "the app uses govendor (vendor/vendor.json)",
			fix: []string{"run `GOTOOLCHAIN=go1.21.13 go mod init github.com/example/govendorapp`", "remove vendor/ (run `go mod vendor` afterwards to keep vendoring), then"},
		},
		{
			name:  "godep with a broken Godeps.json",
			files: map[string]string{"Godeps/Godeps.json": `{"ImportPath": `},
			tool:  "godep", found: []string{"Godeps/Godeps.json"},
			fix: []string{"run `GOTOOLCHAIN=go1.21.13 go mod init example.com/yourapp` with the app's import path"},
		},
		{
			name:  "govendor with an import path that is no module path",
			files: map[string]string{"vendor/vendor.json": `{"rootPath": "../../etc"}`},
			tool:  "govendor", found: []string{"vendor/vendor.json"},
		},
		{
			name:  "GOPATH layout",
			files: map[string]string{"main.go": mainGo, "README.md": "hi\n"},
			found: []string{"main.go"},
			msg:   "no go.mod in the app's root directory: the app is laid out for GOPATH (main.go), from before Go modules",
			fix:   []string{"Move the app to Go modules: in its root, run `go mod init example.com/yourapp` with the app's import path, then run `go mod tidy` and commit go.mod and go.sum."},
		},
		{
			name:   "legacy app in GO_APP_DIR",
			files:  map[string]string{"services/api/Gopkg.lock": "", "services/api/main.go": mainGo},
			appDir: "services/api",
			tool:   "dep", found: []string{"services/api/Gopkg.lock"},
			fix: []string{"copy the requirements from services/api/Gopkg.lock"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Find(writeTree(t, tt.files), tt.appDir, "")
			var le *LegacyError
			if !errors.As(err, &le) {
				t.Fatalf("Find = %+v, %v; want *LegacyError", a, err)
			}
			if !errors.Is(err, ErrNoGoMod) {
				t.Errorf("a *LegacyError does not match ErrNoGoMod")
			}
			if le.Tool != tt.tool || !reflect.DeepEqual(le.Files, tt.found) || le.ImportPath != tt.importPath {
				t.Errorf("LegacyError = %+v, want tool %q, files %q, import path %q", le, tt.tool, tt.found, tt.importPath)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.msg)
			}
			for _, f := range tt.fix {
				if !strings.Contains(le.Fix(), f) {
					t.Errorf("Fix() = %q\nwant it to contain %q", le.Fix(), f)
				}
			}
		})
	}
}

func TestFindNotLegacy(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"nothing Go", map[string]string{"index.html": "<p>hi</p>\n"}},
		{".go files only below the root", map[string]string{"src/app/main.go": mainGo}},
		{"a directory named like a .go file", map[string]string{"x.go/README": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Find(writeTree(t, tt.files), "", "")
			var le *LegacyError
			if err != ErrNoGoMod || errors.As(err, &le) {
				t.Errorf("Find = %+v, %v; want exactly ErrNoGoMod", a, err)
			}
		})
	}
	// A go.mod wins over the files of an old tool left behind.
	root := writeTree(t, map[string]string{"go.mod": "module example.com/app\n\ngo 1.12\n", "Gopkg.lock": "", "glide.yaml": "package: x\n"})
	if a, err := Find(root, "", ""); err != nil || a.Mod == nil {
		t.Errorf("Find with go.mod and Gopkg.lock = %+v, %v; want the module", a, err)
	}
}
