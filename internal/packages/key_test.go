package packages

import (
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// sourceApp is a small module: a main package and a library.
var sourceApp = map[string]string{
	"go.mod": "module example.com/app\n\ngo 1.22\n\nrequire github.com/BurntSushi/toml v1.3.2\n",
	"go.sum": "github.com/BurntSushi/toml v1.3.2 h1:o7IhLm0Msx3BaB+n3Ag7L8EVlByGnpq14C4YWiu/gL8=\n" +
		"github.com/BurntSushi/toml v1.3.2/go.mod h1:CxXYINrC8qIiEnFrOxCa7Jy5BFHlXnUU2pbicEuybxQ=\n",
	"main.go": `// Command app serves the app.
package main

import (
	"fmt"

	"example.com/app/internal/db"
)

// greeting is printed.
const greeting = "hello"

func main() {
	fmt.Println(greeting, db.Open())
}
`,
	"internal/db/db.go": `//go:build linux

package db

import "os"

func Open() string { return os.Getenv("DATABASE_URL") }
`,
	"internal/db/doc.go": "// Package db opens the database.\npackage db\n\nconst Version = 1\n",
	"internal/db/db_test.go": `package db

import "testing"

func TestOpen(t *testing.T) {}
`,
	"internal/db/testdata/fixture.go": "package fixture\n",
	".git/HEAD":                       "ref: refs/heads/main\n",
	"_scratch/x.go":                   "package scratch\n",
	"README.md":                       "# app\n",
}

func writeSrcTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func srcKey(t *testing.T, dir string, extra ...string) string {
	t.Helper()
	key, err := Key(files.AppFS(dir), ".", extra...)
	if err != nil {
		t.Fatalf("Key: %v", err)
	}
	return key
}

func TestPackagesKeySameTree(t *testing.T) {
	k1 := srcKey(t, writeSrcTree(t, sourceApp), "go1.22.5")
	k2 := srcKey(t, writeSrcTree(t, sourceApp), "go1.22.5")
	if k1 != k2 {
		t.Errorf("identical trees in different directories have keys %s and %s", k1, k2)
	}
	if len(k1) != 32 {
		t.Errorf("key %q is not 32 hex digits", k1)
	}
	// The file modes and times do not count.
	dir := writeSrcTree(t, sourceApp)
	if err := os.Chmod(filepath.Join(dir, "main.go"), 0o600); err != nil {
		t.Fatal(err)
	}
	if k := srcKey(t, dir, "go1.22.5"); k != k1 {
		t.Error("a mode change changed the key")
	}
}

// srcReplace returns a change that replaces old with repl in the named file.
func srcReplace(name, old, repl string) func(t *testing.T, files map[string]string) {
	return func(t *testing.T, files map[string]string) {
		t.Helper()
		if !strings.Contains(files[name], old) {
			t.Fatalf("%s does not contain %q", name, old)
		}
		files[name] = strings.Replace(files[name], old, repl, 1)
	}
}

func srcSet(name, content string) func(t *testing.T, files map[string]string) {
	return func(t *testing.T, files map[string]string) { files[name] = content }
}

func srcRename(from, to string) func(t *testing.T, files map[string]string) {
	return func(t *testing.T, files map[string]string) {
		files[to] = files[from]
		delete(files, from)
	}
}

func TestPackagesKeyChanges(t *testing.T) {
	// The vendor/modules.txt change starts from a tree that has one.
	withVendor := srcCopy(sourceApp)
	withVendor["vendor/modules.txt"] = "# github.com/BurntSushi/toml v1.3.2\n## explicit\n"
	tests := []struct {
		name   string
		change func(t *testing.T, files map[string]string)
		base   map[string]string // sourceApp when nil
	}{
		{"added import", srcReplace("main.go", `"fmt"`, "\"fmt\"\n\t\"os\""), nil},
		{"removed import", srcReplace("internal/db/db.go", `import "os"`, ``), nil},
		{"changed import", srcReplace("internal/db/db.go", `import "os"`, `import "syscall"`), nil},
		{"import \"C\"", srcReplace("internal/db/db.go", `import "os"`, "// #include <stdio.h>\nimport \"C\"\nimport \"os\""), nil},
		{"changed build constraint", srcReplace("internal/db/db.go", "//go:build linux", "//go:build linux && cgo"), nil},
		{"removed build constraint", srcReplace("internal/db/db.go", "//go:build linux\n", ""), nil},
		{"added build constraint", srcReplace("main.go", "// Command app", "//go:build ignore\n\n// Command app"), nil},
		{"changed package clause", srcReplace("internal/db/db.go", "package db", "package database"), nil},
		{"main no longer main", srcReplace("main.go", "package main", "package app"), nil},
		{"renamed .go file", srcRename("internal/db/db.go", "internal/db/db_linux.go"), nil},
		{"moved .go file", srcRename("internal/db/db.go", "internal/store/db.go"), nil},
		{"added .go file", srcSet("cmd/tool/main.go", "package main\n\nfunc main() {}\n"), nil},
		{"added empty .go file", srcSet("internal/db/empty.go", ""), nil},
		{"removed .go file", func(t *testing.T, files map[string]string) { delete(files, "main.go") }, nil},
		{"go.mod", srcReplace("go.mod", "go 1.22", "go 1.23"), nil},
		{"go.mod require", srcReplace("go.mod", "v1.3.2", "v1.4.0"), nil},
		{"go.sum", srcSet("go.sum", ""), nil},
		{"go.work", srcSet("go.work", "go 1.22\n\nuse .\n"), nil},
		{"go.work.sum", srcSet("go.work.sum", "x\n"), nil},
		{"vendor/modules.txt", srcSet("vendor/modules.txt", "# github.com/BurntSushi/toml v1.3.2\n"), nil},
		{"vendor/modules.txt changed", srcReplace("vendor/modules.txt", "## explicit", "## explicit; go 1.16"), withVendor},
		{"vendored package imports", srcSet("vendor/github.com/BurntSushi/toml/decode.go", "package toml\n\nimport \"io\"\n"), nil},
		{"file that does not parse", srcSet("internal/db/broken.go", "package db\n\nfunc {"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == nil {
				base = sourceApp
			}
			before := srcKey(t, writeSrcTree(t, base), "go1.22.5")
			files := srcCopy(base)
			tt.change(t, files)
			if after := srcKey(t, writeSrcTree(t, files), "go1.22.5"); after == before {
				t.Errorf("the key did not change")
			}
		})
	}
}

func TestPackagesKeyUnchanged(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, files map[string]string)
	}{
		{"function body", srcReplace("main.go", "fmt.Println(greeting, db.Open())", "fmt.Println(greeting, db.Open(), 42)")},
		{"constant after the imports", srcReplace("main.go", `"hello"`, `"hello, world"`)},
		{"comment after the imports", srcReplace("main.go", "// greeting is printed.", "// greeting is what the app prints.")},
		{"new function", srcReplace("internal/db/db.go", "func Open()", "func Close() {}\n\nfunc Open()")},
		{"trailing comment on the import line", srcReplace("internal/db/db.go", `import "os"`, `import "os" // for Getenv`)},
		{"body of a file with no imports", srcReplace("internal/db/doc.go", "Version = 1", "Version = 2")},
		{"_test.go file", srcReplace("internal/db/db_test.go", `import "testing"`, "import (\n\t\"os\"\n\t\"testing\"\n)\n\nvar _ = os.Args")},
		{"new _test.go file", srcSet("main_test.go", "package main\n\nimport \"testing\"\n")},
		{"file under testdata", srcSet("internal/db/testdata/new.go", "package x\n\nimport \"os\"\n")},
		{"file under .git", srcSet(".git/hooks/pre-commit.go", "package main\n")},
		{"file under a dot dir", srcSet(".cache/x.go", "package x\n")},
		{"file under an underscore dir", srcReplace("_scratch/x.go", "package scratch", "package other\n\nimport \"os\"")},
		{"non-Go file", srcSet("README.md", "# the app\n")},
		{"new non-Go file", srcSet("static/app.css", "body {}\n")},
		{"go.mod.bak", srcSet("go.mod.bak", "module other\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srcKey(t, writeSrcTree(t, sourceApp), "go1.22.5")
			files := srcCopy(sourceApp)
			tt.change(t, files)
			if after := srcKey(t, writeSrcTree(t, files), "go1.22.5"); after != before {
				t.Errorf("the key changed")
			}
		})
	}
}

func TestPackagesKeyExtra(t *testing.T) {
	dir := writeSrcTree(t, sourceApp)
	extras := [][]string{
		nil,
		{""},
		{"go1.22.5"},
		{"go1.23.0"},
		{"go1.22.5", "./..."},
		{"go1.22.5", "./cmd/..."},
		{"go1.22.5./...", ""},
		{"go1.22.5", "./...", "", "-tags=x"},
		{"go1.22.5", "./...", "", "", "", "heroku"},
		{"go1.22.5", "./...", "", "", "", "heroku,netgo"},
	}
	seen := map[string][]string{}
	for _, extra := range extras {
		k := srcKey(t, dir, extra...)
		if prev, ok := seen[k]; ok {
			t.Errorf("extras %q and %q give the same key", prev, extra)
		}
		seen[k] = extra
		if again := srcKey(t, dir, extra...); again != k {
			t.Errorf("extras %q: key not stable", extra)
		}
	}
}

func TestPackagesKeyMissingDir(t *testing.T) {
	if _, err := Key(files.AppFS(t.TempDir()), "missing"); err == nil {
		t.Error("Key of a missing dir succeeded")
	}
}

func TestHeader(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"no imports", "package a\n\nfunc F() {}\n", "package a"},
		{"one import", "package a\n\nimport \"os\"\n\nvar _ = os.Args\n", "package a\n\nimport \"os\""},
		{"grouped", "// Doc.\npackage a\n\nimport (\n\t\"os\"\n)\n\nfunc F() {}\n", "// Doc.\npackage a\n\nimport (\n\t\"os\"\n)"},
		{"two decls", "package a\nimport \"a\"\nimport \"b\"\nvar x = 1\n", "package a\nimport \"a\"\nimport \"b\""},
		{"constraint", "//go:build linux\n\npackage a\nfunc F() {}\n", "//go:build linux\n\npackage a"},
		{"does not parse", "packag a\n", "packag a\n"},
		{"body does not parse", "package a\nimport \"os\"\nfunc {", "package a\nimport \"os\""},
	}
	for _, tt := range tests {
		if got := string(header(token.NewFileSet(), "x.go", []byte(tt.src))); got != tt.want {
			t.Errorf("%s: header = %q, want %q", tt.name, got, tt.want)
		}
	}
	// A module file is returned whole.
	if got := string(header(token.NewFileSet(), "go.mod", []byte("module m\n"))); got != "module m\n" {
		t.Errorf("header(go.mod) = %q", got)
	}
}

func srcCopy(files map[string]string) map[string]string {
	out := make(map[string]string, len(files))
	for k, v := range files {
		out[k] = v
	}
	return out
}

// TestPackagesKeySymlinks: a Go file that is a symlink inside the app is
// read; one to outside the app is not, and there is no key.
func TestPackagesKeySymlinks(t *testing.T) {
	dir := writeSrcTree(t, sourceApp)
	if err := os.Symlink("doc.go", filepath.Join(dir, "internal", "db", "alias.go")); err != nil {
		t.Fatal(err)
	}
	before := srcKey(t, dir)
	outside := filepath.Join(t.TempDir(), "x.go")
	if err := os.WriteFile(outside, []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "x.go")); err != nil {
		t.Fatal(err)
	}
	if key, err := Key(files.AppFS(dir), "."); err == nil {
		t.Errorf("Key with a Go file linked from outside the app = %s, want an error", key)
	}
	if before == "" {
		t.Error("no key with a symlink inside the app")
	}
}
