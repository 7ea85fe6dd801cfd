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

func TestMatch(t *testing.T) {
	tests := []struct {
		pat, name string
		want      bool
	}{
		// Exact.
		{"config", "config", true},
		{"config", "config2", false},
		{"config", "a/config", false},
		{"config/app.yml", "config/app.yml", true},
		{"config/app.yml", "config", false},
		{"config", "config/app.yml", false},
		// A star stays within a segment.
		{"*.yml", "app.yml", true},
		{"*.yml", "config/app.yml", false},
		{"*.yml", ".yml", true},
		{"config/*.yml", "config/app.yml", true},
		{"config/*.yml", "config/sub/app.yml", false},
		{"*", "anything", true},
		{"*", "a/b", false},
		{"a?c", "abc", true},
		{"[ab].txt", "b.txt", true},
		{"[ab].txt", "c.txt", false},
		// "**" at the start.
		{"**/*.html", "index.html", true},
		{"**/*.html", "a/index.html", true},
		{"**/*.html", "a/b/c/index.html", true},
		{"**/*.html", "a/index.htm", false},
		{"**/x", "x", true},
		{"**/x", "a/x/b", false},
		// "**" in the middle.
		{"static/**/*.css", "static/a.css", true},
		{"static/**/*.css", "static/x/y/a.css", true},
		{"static/**/*.css", "other/static/a.css", false},
		{"a/**/b/**/c", "a/b/c", true},
		{"a/**/b/**/c", "a/x/b/y/z/c", true},
		{"a/**/b/**/c", "a/x/c", false},
		// "**" at the end.
		{"static/**", "static", true},
		{"static/**", "static/a", true},
		{"static/**", "static/a/b/c", true},
		{"static/**", "staticx/a", false},
		{"**", "", true},
		{"**", "a", true},
		{"**", "a/b/c", true},
		{"**/**", "a/b", true},
	}
	for _, tt := range tests {
		if got := match(strings.Split(tt.pat, "/"), strings.Split(tt.name, "/")); got != tt.want {
			t.Errorf("match(%q, %q) = %v, want %v", tt.pat, tt.name, got, tt.want)
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

func TestPrune(t *testing.T) {
	files := map[string]string{
		"bin/web":                 "web binary",
		"bin/worker":              "worker binary",
		"app":                     "web binary",
		".profile.d/go.sh":        "export PATH",
		".heroku/go/release.yml":  "---",
		"Procfile":                "web: ./app",
		"app.json":                "{}",
		"main.go":                 "package main",
		"go.mod":                  "module example.com/app",
		"internal/db/db.go":       "package db",
		"internal/db/db_test.go":  "package db",
		"config/app.yml":          "a: 1",
		"config/app.toml":         "a = 1",
		"config/sub/deep.yml":     "b: 2",
		"templates/index.html":    "<html>",
		"templates/partials/a.go": "package partials",
		"templates/x/y/b.html":    "<b>",
		".git/HEAD":               "ref: refs/heads/main",
		"README.md":               "# app",
	}
	all := []string{
		".git/", ".git/HEAD",
		".heroku/", ".heroku/go/", ".heroku/go/release.yml",
		".profile.d/", ".profile.d/go.sh",
		"Procfile", "README.md", "app", "app.json",
		"bin/", "bin/web", "bin/worker",
		"config/", "config/app.toml", "config/app.yml", "config/sub/", "config/sub/deep.yml",
		"go.mod",
		"internal/", "internal/db/", "internal/db/db.go", "internal/db/db_test.go",
		"main.go",
		"templates/", "templates/index.html", "templates/partials/", "templates/partials/a.go",
		"templates/x/", "templates/x/y/", "templates/x/y/b.html",
	}
	slugOnly := []string{
		".heroku/", ".heroku/go/", ".heroku/go/release.yml",
		".profile.d/", ".profile.d/go.sh",
		"Procfile", "app", "app.json",
		"bin/", "bin/web", "bin/worker",
	}
	tests := []struct {
		name  string
		keep  []string
		want  []string
		files int
	}{
		{
			name:  "nothing kept but the slug",
			want:  slugOnly,
			files: 12,
		},
		{
			name: "patterns",
			keep: []string{"config/*.yml", "**/*.html"},
			want: append(append([]string(nil), slugOnly...),
				"config/", "config/app.yml",
				"templates/", "templates/index.html", "templates/x/", "templates/x/y/", "templates/x/y/b.html"),
			files: 9,
		},
		{
			name: "a kept directory keeps everything under it",
			keep: []string{"templates", "config/sub"},
			want: append(append([]string(nil), slugOnly...),
				"config/", "config/sub/", "config/sub/deep.yml",
				"templates/", "templates/index.html", "templates/partials/", "templates/partials/a.go",
				"templates/x/", "templates/x/y/", "templates/x/y/b.html"),
			files: 8,
		},
		{
			name:  "everything",
			keep:  []string{"**"},
			want:  all,
			files: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var bytes int64
			for name, content := range files {
				writeFile(t, filepath.Join(dir, name), content, 0o644)
			}
			if got := tree(t, dir); !reflect.DeepEqual(got, all) {
				t.Fatalf("tree before Prune = %q", got)
			}
			wantLeft := map[string]bool{}
			for _, p := range tt.want {
				wantLeft[p] = true
			}
			for name, content := range files {
				if !wantLeft[name] {
					bytes += int64(len(content))
				}
			}
			n, size, err := Prune(dir, tt.keep)
			if err != nil {
				t.Fatalf("Prune: %v", err)
			}
			if n != tt.files || size != bytes {
				t.Errorf("Prune = %d files, %d bytes; want %d, %d", n, size, tt.files, bytes)
			}
			sort.Strings(tt.want)
			if got := tree(t, dir); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("left after Prune:\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestPruneEmptyDirs(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a/b/c/file"), "x", 0o644)
	writeFile(t, filepath.Join(dir, "a/keep.txt"), "x", 0o644)
	for _, d := range []string{"empty/deeper", "bin/empty"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	n, _, err := Prune(dir, []string{"a/*.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("Prune removed %d files, want 1", n)
	}
	// a/b/c and a/b are left empty and removed; a still holds keep.txt;
	// the empty dirs under bin/ are part of the slug.
	want := []string{"a/", "a/keep.txt", "bin/", "bin/empty/"}
	if got := tree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("left after Prune = %q, want %q", got, want)
	}
	// The build directory itself is never removed, even when emptied.
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "x/y"), "z", 0o644)
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
	writeFile(t, filepath.Join(outside, "secret"), "do not touch", 0o644)
	writeFile(t, filepath.Join(outside, "dir/file"), "do not touch", 0o644)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "config/app.yml"), "a: 1", 0o644)
	links := map[string]string{
		"link-file":         filepath.Join(outside, "secret"),
		"link-dir":          filepath.Join(outside, "dir"),
		"sub/link-relative": "../../" + filepath.Base(outside) + "/secret",
		"dangling":          filepath.Join(outside, "missing"),
		"config/kept.yml":   filepath.Join(outside, "secret"), // matches a pattern: kept
		"bin/tool":          filepath.Join(outside, "secret"), // in bin/: kept
	}
	for name, target := range links {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	n, _, err := Prune(dir, []string{"config/*.yml"})
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	if n != 4 {
		t.Errorf("Prune removed %d files, want the 4 links", n)
	}
	want := []string{
		"bin/", "bin/tool -> " + links["bin/tool"],
		"config/", "config/app.yml", "config/kept.yml -> " + links["config/kept.yml"],
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("left after Prune = %q, want %q", got, want)
	}
	if got := tree(t, outside); !reflect.DeepEqual(got, []string{"dir/", "dir/file", "secret"}) {
		t.Errorf("outside after Prune = %q", got)
	}
	for _, f := range []string{"secret", "dir/file"} {
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
