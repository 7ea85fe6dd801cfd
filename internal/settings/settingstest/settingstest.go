// Package settingstest gives tests the settings of an app they describe:
// its files and config vars written into directories, read as a build
// reads them.
package settingstest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
)

// GoMod is the go.mod of an app whose files do not name one.
const GoMod = "module example.com/app\n\ngo 1.22\n"

// Read writes the app's files (slash-separated names; a go.mod unless
// they hold a go.mod or go.work) into a new build directory and the
// config vars into a new ENV_DIR, and reads them with settings.Read in
// the given phase, with the repository's buildpack.toml. It fails the
// test when they are not valid.
func Read(t testing.TB, phase settings.Phase, app, vars map[string]string) *settings.Settings {
	t.Helper()
	s, err := TryRead(t, phase, app, vars)
	if err != nil {
		t.Fatalf("read settings: %v", err)
	}
	return s
}

// TryRead is Read, returning the error of settings.Read.
func TryRead(t testing.TB, phase settings.Phase, app, vars map[string]string) (*settings.Settings, error) {
	t.Helper()
	root := t.TempDir()
	buildDir, envDir := filepath.Join(root, "build"), filepath.Join(root, "env")
	if app["go.mod"] == "" && app["go.work"] == "" {
		write(t, filepath.Join(buildDir, "go.mod"), GoMod)
	}
	for name, data := range app {
		write(t, filepath.Join(buildDir, filepath.FromSlash(name)), data)
	}
	if err := os.MkdirAll(envDir, 0o777); err != nil {
		t.Fatal(err)
	}
	for name, v := range vars {
		write(t, filepath.Join(envDir, name), v)
	}
	return settings.Read(settings.Input{Phase: phase, BuildDir: buildDir, EnvDir: envDir, BuildpackDir: repoRoot(t)})
}

// repoRoot returns the repository's root, which holds buildpack.toml:
// the first directory from the working directory up that does.
func repoRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "buildpack.toml")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no buildpack.toml above the working directory")
		}
		dir = parent
	}
}

func write(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
