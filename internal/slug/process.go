package slug

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// AppBinary is the path of the web binary, relative to the build directory.
const AppBinary = "app"

// BinDir is where the binaries go, relative to the build directory.
const BinDir = "bin"

var processType = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// ProcessTypes returns the default process types: web runs ./app, and
// each other binary gets a process type named after it. Types the
// Procfile defines, and commands it already runs, are left out: Heroku
// merges the two and the Procfile wins. Binary names that cannot be
// process types are skipped.
func ProcessTypes(others []string, procfile map[string]string) []Process {
	// On the dyno bin/ is on PATH: "worker", "bin/worker" and
	// "./bin/worker" all run the same binary.
	program := func(cmd string) string {
		return strings.TrimPrefix(strings.TrimPrefix(cmd, "./"), BinDir+"/")
	}
	used := map[string]bool{}
	for _, cmd := range procfile {
		if f := strings.Fields(cmd); len(f) > 0 {
			used[program(f[0])] = true
		}
	}
	var out []Process
	add := func(typ, cmd string) {
		if _, ok := procfile[typ]; ok || used[program(cmd)] || !processType.MatchString(typ) {
			return
		}
		out = append(out, Process{Type: typ, Command: cmd})
	}
	add("web", "./"+AppBinary)
	for _, name := range others {
		add(name, BinDir+"/"+name)
	}
	return out
}

// PrepareBinDir makes sure bin/ in the build directory is a directory the
// build can write the named binaries into. A symlink where a binary goes
// is removed, so the build never writes through it to somewhere else.
func PrepareBinDir(buildDir string, names []string) error {
	dir := filepath.Join(buildDir, BinDir)
	info, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.Mkdir(dir, 0o755)
	case err != nil:
		return err
	case info.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("the app's bin is a symlink; the buildpack writes binaries into bin/, so it must be a directory")
	case !info.IsDir():
		return fmt.Errorf("the app has a file named bin; the buildpack writes binaries into bin/, so it must be a directory")
	}
	for _, name := range names {
		p := filepath.Join(dir, name)
		if info, err := os.Lstat(p); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			if err := os.Remove(p); err != nil {
				return err
			}
		} else if err == nil && info.IsDir() {
			return fmt.Errorf("the app has a directory bin/%s where the buildpack puts the binary %s", name, name)
		}
	}
	return nil
}

// writtenDirs are the directories the build writes into, relative to the
// build directory.
var writtenDirs = []string{".profile.d", ".heroku", MetaDir}

// CheckWritable refuses an app whose directories the build writes into
// are symlinks, which could send the build's writes outside the build
// directory, or are not directories.
func CheckWritable(buildDir string) error {
	for _, rel := range writtenDirs {
		info, err := os.Lstat(filepath.Join(buildDir, rel))
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return err
		case info.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("the app's %s is a symlink; the buildpack writes into %s, so it must be a directory (or absent)", rel, rel)
		case !info.IsDir():
			return fmt.Errorf("the app has a file named %s; the buildpack writes into %s, so it must be a directory (or absent)", rel, rel)
		}
	}
	return nil
}

// LinkApp makes ./app the web binary bin/name: a hard link, or a copy
// when links are not possible.
func LinkApp(buildDir, name string) error {
	dst := filepath.Join(buildDir, AppBinary)
	if info, err := os.Lstat(dst); err == nil && info.IsDir() {
		return fmt.Errorf("the app has a directory named %s; the buildpack puts the web binary at ./%s, so rename the directory", AppBinary, AppBinary)
	}
	if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("link ./%s: %w", AppBinary, err)
	}
	src := filepath.Join(buildDir, BinDir, name)
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	if err := files.CopyFile(src, dst); err != nil {
		return fmt.Errorf("link ./%s: %w", AppBinary, err)
	}
	return nil
}

// WriteExport writes the export file that buildpacks running after this
// one source: the toolchain's go on PATH.
func WriteExport(path, goroot string) error {
	script := fmt.Sprintf("export PATH=%s:\"$PATH\"\nexport GOROOT=%s\nexport GOTOOLCHAIN=local\n",
		shellQuote(filepath.Join(goroot, "bin")), shellQuote(goroot))
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	return nil
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
