package deploy

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	dir := t.TempDir()
	envFile := filepath.Join(dir, ".env")
	if err := os.WriteFile(envFile, []byte("A=from-file\nB=from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want Options
		bad  string // part of the usage error; "" when the args are good
	}{
		{
			name: "defaults",
			args: []string{"app"},
			want: Options{AppDir: "app", Port: 5000, Vars: map[string]string{}},
		},
		{
			name: "everything, flags after APPDIR too",
			args: []string{"-e", "X=1", "app", "--cache", "/c", "--slug=/s.tgz", "--no-run", "--port", "0", "-e", "URL=a=b"},
			want: Options{AppDir: "app", CacheDir: "/c", SlugPath: "/s.tgz", NoRun: true, Port: 0, Vars: map[string]string{"X": "1", "URL": "a=b"}},
		},
		{
			name: "-e beats the env file",
			args: []string{"--env-file", envFile, "-e", "B=from-flag", "app"},
			want: Options{AppDir: "app", Port: 5000, Vars: map[string]string{"A": "from-file", "B": "from-flag"}},
		},
		{
			name: "cnb",
			args: []string{"--cnb", "--lifecycle", "/l", "app"},
			want: Options{AppDir: "app", Port: 5000, Vars: map[string]string{}, CNB: true, LifecycleDir: "/l"},
		},
		{name: "cnb has no slug", args: []string{"--cnb", "--slug", "s.tgz", "app"}, bad: "--slug is for the classic build; --cnb exports an image"},
		{name: "lifecycle without cnb", args: []string{"--lifecycle", "/l", "app"}, bad: "--lifecycle goes with --cnb"},
		{name: "no APPDIR", args: []string{"--no-run"}, bad: "want one APPDIR, got 0"},
		{name: "two APPDIRs", args: []string{"a", "b"}, bad: "want one APPDIR, got 2"},
		{name: "bad name, value not shown", args: []string{"-e", "1X=secret", "app"}, bad: "-e 1X=...: want KEY=VALUE"},
		{name: "no =", args: []string{"-e", "X", "app"}, bad: "-e X=...: want KEY=VALUE"},
		{name: "bad port", args: []string{"--port", "70000", "app"}, bad: "--port 70000 is not a TCP port"},
		{name: "unknown flag", args: []string{"--force", "app"}, bad: "flag provided but not defined: -force"},
		{name: "missing env file", args: []string{"--env-file", filepath.Join(dir, "nope"), "app"}, bad: "read env file:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			got, err := ParseArgs(tt.args, &stderr)
			if tt.bad != "" {
				if !errors.Is(err, ErrUsage) || !strings.Contains(stderr.String(), tt.bad) {
					t.Errorf("ParseArgs(%q) = %v, stderr %q; want a usage error with %q", tt.args, err, stderr.String(), tt.bad)
				}
				if strings.Contains(stderr.String(), "secret") {
					t.Errorf("the usage error shows a config var value: %q", stderr.String())
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseArgs(%q): %v\n%s", tt.args, err, stderr.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseArgs(%q) =\n%+v\nwant\n%+v", tt.args, got, tt.want)
			}
		})
	}
}

func TestParseEnvFile(t *testing.T) {
	data := "# database\nDATABASE_URL=postgres://u:p@h/db\n\nexport LOG_LEVEL = debug\r\nQUOTED=\"a \\\"b\\\"\\nc\"\nSINGLE='$NOT_EXPANDED'\nEMPTY=\n"
	got, err := ParseEnvFile(".env", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"DATABASE_URL": "postgres://u:p@h/db",
		"LOG_LEVEL":    "debug",
		"QUOTED":       "a \"b\"\nc",
		"SINGLE":       "$NOT_EXPANDED",
		"EMPTY":        "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseEnvFile =\n%q\nwant\n%q", got, want)
	}
	for _, bad := range []string{"JUST_A_NAME\n", "A=1\n9X=2\n", "Q=\"unterminated\\\"\n"} {
		if _, err := ParseEnvFile(".env", []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), ".env:") {
			t.Errorf("ParseEnvFile(%q) = %v; want an error naming the line", bad, err)
		}
	}
}

func TestCopyAppAndSlug(t *testing.T) {
	app := t.TempDir()
	files := map[string]string{
		"go.mod":          "module example.com/x\n",
		"bin/run":         "#!/bin/sh\n",
		".git/HEAD":       "ref: refs/heads/main\n",
		"static/a/b.css":  "body{}",
		".profile.d/x.sh": "export X=1\n",
	}
	for name, body := range files {
		path := filepath.Join(app, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		mode := os.FileMode(0o644)
		if name == "bin/run" {
			mode = 0o755
		}
		if err := os.WriteFile(path, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("static/a", filepath.Join(app, "assets")); err != nil {
		t.Fatal(err)
	}
	build := filepath.Join(t.TempDir(), "build")
	if n, warnings, err := copyApp(app, build); err != nil || n != 0 || warnings != nil {
		t.Fatalf("copyApp = %d, %q, %v", n, warnings, err)
	}
	if _, err := os.Stat(filepath.Join(build, ".git")); !os.IsNotExist(err) {
		t.Errorf(".git was copied into the build dir")
	}
	if info, err := os.Stat(filepath.Join(build, "bin/run")); err != nil || info.Mode().Perm() != 0o755 {
		t.Errorf("bin/run lost its mode: %v %v", info, err)
	}

	slug := filepath.Join(t.TempDir(), "out", "slug.tgz")
	size, err := writeSlug(build, slug)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(slug); err != nil || info.Size() != size || info.Mode().Perm() != 0o644 {
		t.Errorf("slug %v, %v; want %d bytes, mode 0644", info, err, size)
	}
	f, err := os.Open(slug)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	got := map[string]string{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch hdr.Typeflag {
		case tar.TypeSymlink:
			got[hdr.Name] = "-> " + hdr.Linkname
		case tar.TypeDir:
			got[hdr.Name] = "dir"
		default:
			body, _ := io.ReadAll(tr)
			got[hdr.Name] = string(body) + " " + os.FileMode(hdr.Mode).Perm().String()
		}
	}
	want := map[string]string{
		"./app/":                "dir",
		"./app/go.mod":          "module example.com/x\n -rw-r--r--",
		"./app/bin/":            "dir",
		"./app/bin/run":         "#!/bin/sh\n -rwxr-xr-x",
		"./app/static/":         "dir",
		"./app/static/a/":       "dir",
		"./app/static/a/b.css":  "body{} -rw-r--r--",
		"./app/.profile.d/":     "dir",
		"./app/.profile.d/x.sh": "export X=1\n -rw-r--r--",
		"./app/assets":          "-> static/a",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("slug holds\n%q\nwant\n%q", got, want)
	}
}

// TestCopyAppSlugignore: the files .slugignore names are left out before
// the build, as Heroku removes them before any buildpack runs.
func TestCopyAppSlugignore(t *testing.T) {
	app := t.TempDir()
	for name, body := range map[string]string{
		".slugignore":         "# not in the slug\n*.psd\n/docs\ntestdata/\n!keep.psd\n",
		"go.mod":              "module example.com/x\n",
		"main.go":             "package main\n",
		"art/logo.psd":        "psd",
		"keep.psd":            "psd",
		"docs/guide.md":       "guide",
		"internal/docs/x.go":  "package docs\n",
		"internal/testdata/a": "a",
		"static/testdata":     "a file, not a directory",
		"static/app.css":      "body{}",
	} {
		path := filepath.Join(app, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := filepath.Join(t.TempDir(), "build")
	n, warnings, err := copyApp(app, build)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("copyApp left out %d paths, want 4 (art/logo.psd, keep.psd, docs, internal/testdata)", n)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], ".slugignore:5: !keep.psd: Heroku does not support negated patterns") {
		t.Errorf("warnings = %q", warnings)
	}
	for _, name := range []string{"art/logo.psd", "keep.psd", "docs", "internal/testdata"} {
		if _, err := os.Lstat(filepath.Join(build, name)); !os.IsNotExist(err) {
			t.Errorf("%s was copied: %v", name, err)
		}
	}
	for _, name := range []string{".slugignore", "go.mod", "main.go", "art", "internal/docs/x.go", "static/testdata", "static/app.css"} {
		if _, err := os.Lstat(filepath.Join(build, name)); err != nil {
			t.Errorf("%s was not copied: %v", name, err)
		}
	}
}

func TestWriteEnvDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "env")
	if err := writeEnvDir(dir, map[string]string{"DATABASE_URL": "postgres://x", "EMPTY": ""}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "DATABASE_URL"))
	if err != nil || string(data) != "postgres://x" {
		t.Errorf("DATABASE_URL file = %q, %v", data, err)
	}
	if info, err := os.Stat(filepath.Join(dir, "EMPTY")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("EMPTY file: %v, %v; want mode 0600", info, err)
	}
	if got := names(map[string]string{"B": "secret", "A": "x"}); got != "A, B" {
		t.Errorf("names = %q, want %q", got, "A, B")
	}
}
