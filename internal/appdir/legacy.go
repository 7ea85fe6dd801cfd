package appdir

import (
	"bufio"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// legacyTools are the dependency managers from before Go modules, as
// Heroku's classic Go buildpack supported them, in the order they are
// recognized, with the files that show each one.
var legacyTools = []struct {
	name  string
	files []string // slash-separated, relative to the app
	// importPath reads the app's import path from the tool's first
	// file, "" when the tool does not record one.
	importPath func(data []byte) string
	// lock is the file whose versions `go mod init` copied into go.mod.
	lock string
}{
	{"dep", []string{"Gopkg.lock", "Gopkg.toml"}, nil, "Gopkg.lock"},
	{"glide", []string{"glide.yaml", "glide.lock"}, glidePackage, "glide.lock"},
	{"godep", []string{"Godeps/Godeps.json"}, jsonField("ImportPath"), "Godeps/Godeps.json"},
	{"govendor", []string{"vendor/vendor.json"}, jsonField("rootPath"), "vendor/vendor.json"},
}

// LegacyError reports an app without go.mod that manages its
// dependencies with a tool from before Go modules (dep, glide, godep,
// govendor) or is laid out for GOPATH (.go files at its root). It
// matches ErrNoGoMod.
type LegacyError struct {
	Tool  string   // "dep", "glide", "godep", "govendor"; "" for a GOPATH layout
	Files []string // the files that show it, relative to the build directory
	// ImportPath is the app's import path as the tool records it
	// (glide.yaml package, Godeps.json ImportPath, vendor.json
	// rootPath); "" when unknown.
	ImportPath string
	// Lock is the file, among Files, whose versions `go mod init` of
	// Go 1.21 and older copies into go.mod; "" when there is none.
	Lock string
}

// Error says what was found.
func (e *LegacyError) Error() string {
	if e.Tool == "" {
		return fmt.Sprintf("no go.mod in the app's root directory: the app is laid out for GOPATH (%s), from before Go modules", strings.Join(e.Files, ", "))
	}
	return fmt.Sprintf("no go.mod in the app's root directory: the app uses %s (%s), a dependency manager from before Go modules", e.Tool, strings.Join(e.Files, ", "))
}

// Is makes it match ErrNoGoMod.
func (e *LegacyError) Is(target error) bool { return target == ErrNoGoMod }

// Fix says how to move the app to Go modules.
func (e *LegacyError) Fix() string {
	path := output.Excerpt(e.ImportPath)
	if path == "" {
		path = "example.com/yourapp"
	}
	var b strings.Builder
	if e.Lock != "" {
		// Measured: go1.17 to go1.21 copy the versions from the tool's
		// lock file (go1.12 to go1.16 also look each one up at its origin
		// server); go1.22 dropped the conversion. GOTOOLCHAIN runs go1.21
		// from any newer go command.
		fmt.Fprintf(&b, "Move the app to Go modules: in its root, run `GOTOOLCHAIN=go1.21.13 go mod init %s`", path)
		if e.ImportPath == "" {
			b.WriteString(" with the app's import path")
		}
		fmt.Fprintf(&b, " (Go 1.21 was the last to copy the requirements from %s into go.mod)", e.Lock)
	} else {
		fmt.Fprintf(&b, "Move the app to Go modules: in its root, run `go mod init %s`", path)
		if e.ImportPath == "" {
			b.WriteString(" with the app's import path")
		}
	}
	if e.Tool != "" {
		fmt.Fprintf(&b, ", remove %s", strings.Join(e.toolFiles(), " and "))
		if e.Tool == "govendor" || e.Tool == "godep" {
			b.WriteString(" (run `go mod vendor` afterwards to keep vendoring)")
		}
	}
	b.WriteString(", then run `go mod tidy` and commit go.mod and go.sum")
	b.WriteString(".")
	return b.String()
}

// toolFiles names the files of the tool to remove: govendor keeps its
// file in vendor/, which the go command would take for its own.
func (e *LegacyError) toolFiles() []string {
	switch e.Tool {
	case "godep":
		dir := strings.TrimSuffix(e.Files[0], "Godeps/Godeps.json")
		return []string{dir + "Godeps/", dir + "vendor/"}
	case "govendor":
		return []string{strings.TrimSuffix(e.Files[0], "vendor.json")}
	}
	return e.Files
}

// Legacy returns a *LegacyError when the directory rel of the build
// directory root has no go.mod but the files of a dependency manager from
// before Go modules, or .go files at its top (a GOPATH layout); nil
// otherwise. It reads them through files.AppFS, never out of the app.
func Legacy(root, rel string) *LegacyError {
	fsys := files.AppFS(root)
	rel = filepath.ToSlash(rel)
	if exists(fsys, path.Join(rel, "go.mod")) {
		return nil
	}
	for _, t := range legacyTools {
		var found []string
		for _, f := range t.files {
			if exists(fsys, path.Join(rel, f)) {
				found = append(found, path.Join(rel, f))
			}
		}
		if len(found) == 0 {
			continue
		}
		e := &LegacyError{Tool: t.name, Files: found}
		if exists(fsys, path.Join(rel, t.lock)) {
			e.Lock = path.Join(rel, t.lock)
		}
		if t.importPath != nil {
			if data, err := fsys.ReadFile(path.Join(rel, t.files[0])); err == nil {
				e.ImportPath = validImportPath(t.importPath(data))
			}
		}
		return e
	}
	entries, _ := fsys.ReadDir(rel)
	for _, en := range entries {
		if strings.HasSuffix(en.Name(), ".go") && en.Type().IsRegular() {
			return &LegacyError{Files: []string{path.Join(rel, en.Name())}}
		}
	}
	return nil
}

// validImportPath returns p when it can be a module path, else "".
func validImportPath(p string) string {
	if module.CheckPath(p) != nil {
		return ""
	}
	return p
}

// glidePackage reads the top-level "package:" of a glide.yaml.
func glidePackage(data []byte) string {
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "package:"); ok {
			v, _, _ = strings.Cut(v, " #")
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}

// jsonField returns a reader of one top-level string field of a JSON file.
func jsonField(name string) func([]byte) string {
	return func(data []byte) string {
		var m map[string]any
		if json.Unmarshal(data, &m) != nil {
			return ""
		}
		s, _ := m[name].(string)
		return s
	}
}
