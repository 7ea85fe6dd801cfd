package files

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestAppFS reads an app whose symlinks stay inside it, lead out of it, or
// are absolute: the first are followed, the others refused with an error
// that names the file and the link and never holds what they point to.
func TestAppFS(t *testing.T) {
	const secret = "outside-secret-3f9a"
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "shadow"), []byte(secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	app := t.TempDir()
	for name, content := range map[string]string{"go.mod": "module m\n", "sub/Procfile": "web: bin/m\n"} {
		os.MkdirAll(filepath.Join(app, filepath.Dir(name)), 0o777)
		if err := os.WriteFile(filepath.Join(app, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	up, err := filepath.Rel(app, filepath.Join(outside, "shadow"))
	if err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"Procfile":      "sub/Procfile",
		"linked":        "sub",
		"app.json":      filepath.Join(outside, "shadow"),
		"up.json":       up,
		"abs":           filepath.Join(app, "go.mod"),
		"out":           outside,
		"sub/.slugign":  "../" + up,
		"dangling.json": "nothere",
	} {
		if err := os.Symlink(target, filepath.Join(app, link)); err != nil {
			t.Fatal(err)
		}
	}
	fsys := AppFS(app)
	for name, want := range map[string]string{
		"go.mod":          "module m\n",
		"Procfile":        "web: bin/m\n",
		"linked/Procfile": "web: bin/m\n",
	} {
		if data, err := fsys.ReadFile(name); err != nil || string(data) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, data, err, want)
		}
	}
	tests := []struct {
		name, msg string
	}{
		{"app.json", "app.json is a symlink to an absolute path; commit the file itself, or a symlink to a relative path inside the app"},
		{"up.json", "up.json is a symlink to outside the app; commit the file itself"},
		{"abs", "abs is a symlink to an absolute path; commit the file itself, or a symlink to a relative path inside the app"},
		{"out/shadow", "out/shadow: out is a symlink to an absolute path; commit the directory itself, or a symlink to a relative path inside the app"},
		{"sub/.slugign", "sub/.slugign is a symlink to outside the app; commit the file itself"},
	}
	for _, tt := range tests {
		for op, call := range map[string]func() error{
			"ReadFile": func() error { _, err := fsys.ReadFile(tt.name); return err },
			"Stat":     func() error { _, err := fsys.Stat(tt.name); return err },
			"Open":     func() error { _, err := fsys.Open(tt.name); return err },
		} {
			err := call()
			var esc *EscapeError
			if !errors.As(err, &esc) || err.Error() != tt.msg {
				t.Errorf("%s(%s) = %v; want %q", op, tt.name, err, tt.msg)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("%s(%s) quotes the target: %v", op, tt.name, err)
			}
		}
	}
	if _, err := fsys.ReadFile("dangling.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(dangling.json) = %v; want fs.ErrNotExist", err)
	}
	if _, err := fsys.ReadFile("../x"); err == nil {
		t.Error("ReadFile(../x) succeeded")
	}
	if entries, err := fsys.ReadDir("sub"); err != nil || len(entries) != 2 {
		t.Errorf("ReadDir(sub) = %v, %v", entries, err)
	}
	if _, err := AppFS(filepath.Join(app, "missing")).ReadFile("go.mod"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile in a missing app = %v; want fs.ErrNotExist", err)
	}
}

// TestAppFSIsFS checks AppFS against testing/fstest on a tree without
// symlinks.
func TestAppFSIsFS(t *testing.T) {
	app := t.TempDir()
	for name, content := range map[string]string{"go.mod": "module m\n", "cmd/web/main.go": "package main\n"} {
		os.MkdirAll(filepath.Join(app, filepath.Dir(name)), 0o777)
		if err := os.WriteFile(filepath.Join(app, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := fstest.TestFS(AppFS(app), "go.mod", "cmd/web/main.go"); err != nil {
		t.Error(err)
	}
}
