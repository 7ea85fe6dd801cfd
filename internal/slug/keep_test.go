package slug

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestParseKeep(t *testing.T) {
	tests := []struct {
		value string
		want  []string
	}{
		{"", nil},
		{"   ", nil},
		{"config", []string{"config"}},
		{"config/*.yml templates", []string{"config/*.yml", "templates"}},
		{"a,b, c ,,d", []string{"a", "b", "c", "d"}},
		{" a\tb\nc ", []string{"a", "b", "c"}},
		{"**/*.html static/**", []string{"**/*.html", "static/**"}},
		{"..a a..b a/..b", []string{"..a", "a..b", "a/..b"}},
		{"[abc].txt a?c", []string{"[abc].txt", "a?c"}},
	}
	for _, tt := range tests {
		got, err := ParseKeep(tt.value)
		if err != nil {
			t.Errorf("ParseKeep(%q): %v", tt.value, err)
			continue
		}
		if (len(got) != 0 || len(tt.want) != 0) && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseKeep(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}

func TestParseKeepCleans(t *testing.T) {
	got, err := ParseKeep("./config config/ a/../b templates/**")
	want := []string{"config", "config", "b", "templates/**"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseKeep = %q, %v; want %q", got, err, want)
	}
}

func TestParseKeepErrors(t *testing.T) {
	tests := []struct {
		value, errContains string
	}{
		{"/etc/passwd", "relative"},
		{"config /abs", `"/abs" must be relative`},
		{"..", "stay inside"},
		{"../secrets", "stay inside"},
		{".", "stay inside"},
		{"a/b/../../../c", "stay inside"},
		{"[", "not a valid pattern"},
		{"config/[a-", "not a valid pattern"},
		{"ok,x/[", `"x/[" is not a valid pattern`},
		{`a\`, "not a valid pattern"},
	}
	for _, tt := range tests {
		got, err := ParseKeep(tt.value)
		if err == nil {
			t.Errorf("ParseKeep(%q) = %q, want an error", tt.value, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.errContains) {
			t.Errorf("ParseKeep(%q) error %q does not contain %q", tt.value, err, tt.errContains)
		}
		if got != nil {
			t.Errorf("ParseKeep(%q) returned patterns %q with its error", tt.value, got)
		}
	}
}

func TestKept(t *testing.T) {
	keep := []string{"config/*.yml", "**/*.html"}
	tests := []struct {
		rel  string
		want bool
	}{
		{"bin", true},
		{"bin/web", true},
		{"app", true},
		{".profile.d/go.sh", true},
		{".heroku/go/release.yml", true},
		{"Procfile", true},
		{"app.json", true},
		{"config/app.yml", true},
		{"templates/index.html", true},
		{"index.html", true},
		{"config", false},
		{"config/app.toml", false},
		{"main.go", false},
		{"apps", false},
		{"binary", false},
		{"src/bin/x", false},
		{"Procfile.dev", false},
	}
	for _, tt := range tests {
		if got := kept(tt.rel, keep); got != tt.want {
			t.Errorf("kept(%q) = %v, want %v", tt.rel, got, tt.want)
		}
	}
}

// tree returns the paths under dir, directories with a trailing slash and
// symlinks as "name -> target".
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out = append(out, rel+" -> "+target)
		case d.IsDir():
			out = append(out, rel+"/")
		default:
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestGoSource(t *testing.T) {
	for rel, want := range map[string]bool{
		"main.go": true, "internal/db/db_test.go": true, "asm_amd64.s": true, "x/y.c": true, "y.h": true,
		"lib.cc": true, "rsrc.syso": true, "go.mod": true, "api/go.sum": true, "go.work": true, "go.work.sum": true,
		"README.md": false, "go.mod.bak": false, "templates/page.html": false, "static/app.js": false,
		"gomod": false, "Makefile": false, "main.go.tmpl": false, "Dockerfile": false,
	} {
		if got := GoSource(rel); got != want {
			t.Errorf("GoSource(%q) = %v, want %v", rel, got, want)
		}
	}
}

// TestPrune: only the Go app's sources go; what earlier buildpacks left
// (a Node or Python app, Ruby gems, .profile) and the app's other files stay.
func TestPrune(t *testing.T) {
	files := map[string]string{
		"bin/web":                                 "web binary",
		"bin/worker":                              "worker binary",
		"bin/go-pre-compile":                      "#!/bin/sh",
		"app":                                     "web binary",
		".profile":                                "export X=1",
		".profile.d/go.sh":                        "export PATH",
		".profile.d/nodejs.sh":                    "export NODE_HOME",
		".heroku/go/release.yml":                  "---",
		".heroku/node/bin/node":                   "node binary",
		".heroku/python/x.c":                      "int x;",
		".hidden.go":                              "package main",
		"Procfile":                                "web: ./app",
		"app.json":                                "{}",
		"main.go":                                 "package main",
		"go.mod":                                  "module example.com/app",
		"go.sum":                                  "x v1 h1:",
		"asm_amd64.s":                             "TEXT",
		"internal/db/db.go":                       "package db",
		"internal/db/db_test.go":                  "package db",
		"internal/db/schema.sql":                  "create table",
		"config/app.yml":                          "a: 1",
		"templates/index.html":                    "<html>",
		"templates/partials/a.go":                 "package partials",
		"node_modules/x/index.js":                 "module.exports",
		"node_modules/x/src/x.c":                  "int x;",
		"web/node_modules/y/y.go":                 "package y",
		"package.json":                            "{}",
		"README.md":                               "# app",
		"vendor/modules.txt":                      "# github.com/a/b v1.0.0\n## explicit; go 1.21\ngithub.com/a/b\n# github.com/a/b/sub v1.0.0\ngithub.com/a/b/sub\n# example.com/c v0.1.0 => ./c\nexample.com/c\n",
		"vendor/github.com/a/b/b.go":              "package b",
		"vendor/github.com/a/b/LICENSE":           "MIT",
		"vendor/github.com/a/b/sub/s.go":          "package sub",
		"vendor/example.com/c/c.go":               "package c",
		"vendor/bundle/ruby/3.3.0/gems/g/ext/g.c": "int g;",
		"services/api/go.mod":                     "module example.com/api",
		"services/api/main.go":                    "package main",
		"services/api/vendor/modules.txt":         "# example.com/d v1.0.0\n",
		"services/api/vendor/example.com/d/d.go":  "package d",
		"php/vendor/autoload.php":                 "<?php",
		"php/vendor/lib/ext.c":                    "int e;",
	}
	removed := []string{
		"main.go", "go.mod", "go.sum", "asm_amd64.s", "internal/db/db.go", "internal/db/db_test.go",
		"templates/partials/a.go",
		"vendor/modules.txt", "vendor/github.com/a/b/b.go", "vendor/github.com/a/b/LICENSE", "vendor/github.com/a/b/sub/s.go", "vendor/example.com/c/c.go",
		"services/api/go.mod", "services/api/main.go", "services/api/vendor/modules.txt", "services/api/vendor/example.com/d/d.go",
	}
	emptiedDirs := []string{
		"templates/partials/", "vendor/github.com/", "vendor/github.com/a/", "vendor/github.com/a/b/", "vendor/github.com/a/b/sub/",
		"vendor/example.com/", "vendor/example.com/c/", "services/", "services/api/", "services/api/vendor/",
		"services/api/vendor/example.com/", "services/api/vendor/example.com/d/",
	}
	tests := []struct {
		name string
		keep []string
		stay []string // of removed, what the patterns keep
	}{
		{name: "only Go sources"},
		{name: "patterns keep Go sources", keep: []string{"**/*_test.go", "vendor/github.com/**", "services"}, stay: []string{
			"internal/db/db_test.go", "vendor/github.com/a/b/b.go", "vendor/github.com/a/b/LICENSE", "vendor/github.com/a/b/sub/s.go",
			"services/api/go.mod", "services/api/main.go", "services/api/vendor/modules.txt", "services/api/vendor/example.com/d/d.go",
		}},
		{name: "everything", keep: []string{"**"}, stay: removed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range files {
				writeFile(t, filepath.Join(dir, name), content, 0o644)
			}
			if err := os.MkdirAll(filepath.Join(dir, "tmp/empty"), 0o755); err != nil { // another buildpack's empty dir
				t.Fatal(err)
			}
			before := tree(t, dir)
			stay := map[string]bool{}
			for _, p := range tt.stay {
				stay[p] = true
			}
			gone := map[string]bool{}
			var bytes int64
			for _, p := range removed {
				if !stay[p] {
					gone[p] = true
					bytes += int64(len(files[p]))
				}
			}
			var want []string
			for _, p := range before {
				if !gone[p] {
					want = append(want, p)
				}
			}
			if len(tt.stay) == 0 {
				drop := map[string]bool{}
				for _, d := range emptiedDirs {
					drop[d] = true
				}
				var w []string
				for _, p := range want {
					if !drop[p] {
						w = append(w, p)
					}
				}
				want = w
			}
			n, size, err := Prune(dir, tt.keep)
			if err != nil {
				t.Fatalf("Prune: %v", err)
			}
			if n != len(gone) || size != bytes {
				t.Errorf("Prune = %d files, %d bytes; want %d, %d", n, size, len(gone), bytes)
			}
			got := tree(t, dir)
			if tt.name == "patterns keep Go sources" {
				// Directories emptied by the removal are removed; the rest stay.
				for _, d := range []string{"templates/partials/", "vendor/example.com/", "vendor/example.com/c/"} {
					for i, p := range want {
						if p == d {
							want = append(want[:i], want[i+1:]...)
							break
						}
					}
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("left after Prune:\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestPruneEmptyDirs(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a/b/c/file.go"), "x", 0o644)
	writeFile(t, filepath.Join(dir, "a/keep.txt"), "x", 0o644)
	for _, d := range []string{"empty/deeper", "bin/empty"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	n, _, err := Prune(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("Prune removed %d files, want 1", n)
	}
	// a/b/c and a/b are left empty and removed; a still holds keep.txt;
	// directories that were empty before (another buildpack's) stay.
	want := []string{"a/", "a/keep.txt", "bin/", "bin/empty/", "empty/", "empty/deeper/"}
	if got := tree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("left after Prune = %q, want %q", got, want)
	}
	// The build directory itself is never removed, even when emptied.
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "x/y.go"), "z", 0o644)
	if _, _, err := Prune(empty, nil); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, empty); len(got) != 0 {
		t.Errorf("left after pruning everything: %q", got)
	}
	if _, err := os.Stat(empty); err != nil {
		t.Errorf("Prune removed the build directory: %v", err)
	}
}

func TestPruneSymlinks(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.go"), "do not touch", 0o644)
	writeFile(t, filepath.Join(outside, "dir/file.go"), "do not touch", 0o644)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "config/app.go"), "package config", 0o644)
	links := map[string]string{
		"link-file.go":         filepath.Join(outside, "secret.go"),
		"link-dir.go":          filepath.Join(outside, "dir"),
		"link-dir":             filepath.Join(outside, "dir"),
		"sub/link-relative.go": "../../" + filepath.Base(outside) + "/secret.go",
		"dangling.go":          filepath.Join(outside, "missing"),
		"config/kept.go":       filepath.Join(outside, "secret.go"), // matches a pattern: kept
		"bin/tool.go":          filepath.Join(outside, "secret.go"), // in bin/: kept
	}
	for name, target := range links {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	// A vendor directory whose module tree is a symlink out of the app.
	writeFile(t, filepath.Join(dir, "go.mod"), "module x", 0o644)
	writeFile(t, filepath.Join(dir, "vendor/modules.txt"), "# example.com/m v1.0.0\n", 0o644)
	if err := os.Symlink(filepath.Join(outside, "dir"), filepath.Join(dir, "vendor/example.com")); err != nil {
		t.Fatal(err)
	}
	n, _, err := Prune(dir, []string{"config/*.go"})
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	if n != 6 {
		t.Errorf("Prune removed %d files, want the 4 .go links, go.mod and modules.txt", n)
	}
	want := []string{
		"bin/", "bin/tool.go -> " + links["bin/tool.go"],
		"config/", "config/app.go", "config/kept.go -> " + links["config/kept.go"],
		"link-dir -> " + links["link-dir"],
		"vendor/", "vendor/example.com -> " + filepath.Join(outside, "dir"),
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("left after Prune = %q, want %q", got, want)
	}
	if got := tree(t, outside); !reflect.DeepEqual(got, []string{"dir/", "dir/file.go", "secret.go"}) {
		t.Errorf("outside after Prune = %q", got)
	}
	for _, f := range []string{"secret.go", "dir/file.go"} {
		if data, err := os.ReadFile(filepath.Join(outside, f)); err != nil || string(data) != "do not touch" {
			t.Errorf("outside %s = %q, %v", f, data, err)
		}
	}
}

func TestPruneMissingDir(t *testing.T) {
	if _, _, err := Prune(filepath.Join(t.TempDir(), "missing"), nil); err == nil || !strings.Contains(err.Error(), "prune slug") {
		t.Errorf("Prune of a missing dir = %v, want a prune slug error", err)
	}
}

func TestSize(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bin/web"), strings.Repeat("w", 1000), 0o755)
	writeFile(t, filepath.Join(dir, "bin/worker"), strings.Repeat("k", 300), 0o755)
	writeFile(t, filepath.Join(dir, "bin/sub/helper"), strings.Repeat("h", 7), 0o755)
	writeFile(t, filepath.Join(dir, "static/a.css"), strings.Repeat("c", 50), 0o644)
	writeFile(t, filepath.Join(dir, "Procfile"), "web: ./app\n", 0o644) // 11 bytes
	writeFile(t, filepath.Join(dir, "apps/x"), "xx", 0o644)             // not ./app
	writeFile(t, filepath.Join(dir, "static/hard-a"), strings.Repeat("l", 20), 0o644)
	if err := os.MkdirAll(filepath.Join(dir, "empty/dir"), 0o755); err != nil {
		t.Fatal(err)
	}

	want := SizeInfo{Total: 1000 + 300 + 7 + 50 + 11 + 2 + 20, Binaries: 1000 + 300 + 7, Files: 7}
	if got := Size(dir); got != want {
		t.Errorf("Size = %+v, want %+v", got, want)
	}

	// ./app hard-linked to bin/web is counted once, as part of the binaries.
	if err := os.Link(filepath.Join(dir, "bin/web"), filepath.Join(dir, "app")); err != nil {
		t.Fatal(err)
	}
	// Two more names for one static file count once too.
	for _, name := range []string{"static/hard-b", "static/hard-c"} {
		if err := os.Link(filepath.Join(dir, "static/hard-a"), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if got := Size(dir); got != want {
		t.Errorf("Size with hard links = %+v, want %+v", got, want)
	}

	// A copy, not a link, counts twice.
	writeFile(t, filepath.Join(dir, "copy-of-web"), strings.Repeat("w", 1000), 0o755)
	want.Total += 1000
	want.Files++
	if got := Size(dir); got != want {
		t.Errorf("Size with a copy = %+v, want %+v", got, want)
	}

	// ./app alone (no bin/) is the binaries part.
	only := t.TempDir()
	writeFile(t, filepath.Join(only, "app"), strings.Repeat("a", 400), 0o755)
	writeFile(t, filepath.Join(only, "main.go"), "package main\n", 0o644)
	if got, want := Size(only), (SizeInfo{Total: 413, Binaries: 400, Files: 2}); got != want {
		t.Errorf("Size of ./app alone = %+v, want %+v", got, want)
	}

	if got := Size(filepath.Join(t.TempDir(), "missing")); got != (SizeInfo{}) {
		t.Errorf("Size of a missing dir = %+v", got)
	}
}
