// Package appdir finds the Go code to build inside the build directory:
// a module at the root, a go.work workspace, or a module in a subdirectory
// of a monorepo (GO_APP_DIR, or the only go.mod there is).
package appdir

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gomod"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// SearchDepth is how many directories deep Find looks for a go.mod when
// the root has none.
const SearchDepth = 3

// App is the Go code to build.
type App struct {
	Root string // the build directory
	Dir  string // directory the go command runs in: holds go.mod, or go.work
	Rel  string // Dir relative to Root, "." for the root

	Mod *gomod.File // go.mod in Dir; nil for a workspace root without one

	// Work is the go.work in effect, nil when none (or GOWORK=off);
	// WorkPath is its absolute path, the GOWORK the go command gets.
	Work     *gomod.File
	WorkPath string

	// Found says how Dir was chosen, for the build log; "" for the root.
	Found string
}

// Version returns the file whose go and toolchain lines govern the build:
// go.work in workspace mode, else go.mod.
func (a *App) Version() *gomod.File {
	if a.Work != nil {
		return a.Work
	}
	return a.Mod
}

// Settings returns the file whose "+heroku" comments configure the build:
// go.mod when there is one, else go.work.
func (a *App) Settings() *gomod.File {
	if a.Mod != nil {
		return a.Mod
	}
	return a.Work
}

// Name describes the app for the log: the module path, or the workspace.
func (a *App) Name() string {
	if a.Mod != nil {
		return "module " + a.Mod.Module
	}
	return fmt.Sprintf("workspace %s (%s)", a.Work.Name, strings.Join(a.Work.Uses, ", "))
}

// Patterns returns the package patterns that name all of the app's code:
// ./... in a module; in a workspace root, which is not a module, ./DIR/...
// for each module it uses.
func (a *App) Patterns() []string {
	if a.Mod != nil {
		return []string{"./..."}
	}
	var out []string
	for _, dir := range a.Work.Uses {
		out = append(out, "./"+strings.TrimPrefix(filepath.ToSlash(filepath.Clean(dir)), "./")+"/...")
	}
	return out
}

// ErrNoGoMod reports that the build directory holds no Go module at all.
// An app that uses a dependency manager from before Go modules, or the
// GOPATH layout, gets a *LegacyError, which matches it.
var ErrNoGoMod = errors.New("no go.mod in the app's root directory")

// noGoMod returns the error for a build directory without a module: a
// *LegacyError when it shows what it used instead, else ErrNoGoMod.
func noGoMod(root string) error {
	if e := Legacy(root, "."); e != nil {
		return e
	}
	return ErrNoGoMod
}

// Find locates the app in root. appDir is the GO_APP_DIR config var and
// gowork the GOWORK config var ("" when unset). It reads the app's files
// through files.AppFS: a go.mod or go.work that is a symlink to outside the
// app is an error (a *files.EscapeError), never read.
func Find(root, appDir, gowork string) (*App, error) {
	a := &App{Root: root, Rel: "."}
	fsys := files.AppFS(root)
	if appDir == "" {
		for _, name := range []string{"go.mod", "go.work"} {
			if name == "go.work" && gowork == "off" {
				continue
			}
			if _, err := regular(fsys, name); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case appDir != "":
		rel, err := inside(root, appDir)
		if err != nil {
			return nil, &SettingError{Var: "GO_APP_DIR", Value: appDir, Err: err}
		}
		a.Rel, a.Found = rel, "GO_APP_DIR"
	case exists(fsys, "go.mod"):
	case gowork != "off" && exists(fsys, "go.work"):
	case gowork != "" && gowork != "off":
		// A workspace named by GOWORK: build from its directory.
		rel, err := inside(root, gowork)
		if err != nil {
			return nil, &SettingError{Var: "GOWORK", Value: gowork, Err: err}
		}
		a.Rel, a.Found = filepath.Dir(rel), "GOWORK"
	default:
		mods := search(root, fsys)
		switch len(mods) {
		case 0:
			return nil, noGoMod(root)
		case 1:
			a.Rel, a.Found = mods[0], "the only go.mod in the app"
		default:
			return nil, &SeveralError{Dirs: mods}
		}
	}
	a.Dir = filepath.Join(root, a.Rel)
	rel := filepath.ToSlash(a.Rel)
	if st, err := fsys.Stat(rel); err != nil || !st.IsDir() {
		if a.Found == "GOWORK" {
			return nil, &SettingError{Var: "GOWORK", Value: gowork, Err: errors.New("no such file in the app")}
		}
		return nil, &SettingError{Var: "GO_APP_DIR", Value: appDir, Err: errors.New("no such directory in the app")}
	}

	modName := path.Join(rel, "go.mod")
	if ok, err := regular(fsys, modName); err != nil {
		return nil, err
	} else if ok {
		mod, err := gomod.Read(fsys, modName)
		if err != nil {
			return nil, err
		}
		a.Mod = mod
	}
	work, err := findWork(root, fsys, rel, gowork)
	if err != nil {
		return nil, err
	}
	if work != "" {
		w, err := gomod.ReadWork(fsys, work)
		if err != nil {
			return nil, err
		}
		a.Work, a.WorkPath = w, filepath.Join(root, filepath.FromSlash(work))
	}
	if a.Mod == nil && a.Work == nil {
		if appDir != "" {
			if e := Legacy(root, a.Rel); e != nil {
				return nil, e
			}
			return nil, &SettingError{Var: "GO_APP_DIR", Value: appDir, Err: fmt.Errorf("no go.mod in %s", a.Rel)}
		}
		return nil, noGoMod(root)
	}
	return a, nil
}

// SettingError reports a GO_APP_DIR or GOWORK config var that names no
// usable place in the app.
type SettingError struct {
	Var, Value string
	Err        error
}

// Error describes the failure, quoting the config var with output.Excerpt.
func (e *SettingError) Error() string {
	return e.Var + "=" + output.Excerpt(e.Value) + ": " + output.Excerpt(e.Err.Error())
}

// Unwrap returns the underlying error.
func (e *SettingError) Unwrap() error { return e.Err }

// Fix says how to correct the config var at fault.
func (e *SettingError) Fix() string {
	if e.Var == "GOWORK" {
		return "Set GOWORK to the path of a go.work in the app, relative to the repository root (e.g. heroku config:set GOWORK=ci/go.work), or to off; or unset it."
	}
	return "Set GO_APP_DIR to the directory of the app's go.mod, relative to the repository root."
}

// SeveralError reports several candidate modules and no way to choose.
type SeveralError struct {
	Dirs []string
}

// Error describes the failure.
func (e *SeveralError) Error() string {
	return fmt.Sprintf("no go.mod at the app's root, and several below it: %s", output.List(e.Dirs))
}

// findWork returns the go.work in effect for the directory dir of the app
// fsys at root, as a slash-separated name relative to root: the GOWORK
// config var (relative to root) when set, else the nearest go.work from
// dir up to root. The search stops at root: a go.work outside the app
// never applies.
func findWork(root string, fsys files.AppFS, dir, gowork string) (string, error) {
	switch gowork {
	case "off":
		return "", nil
	case "":
	default:
		rel, err := inside(root, gowork)
		if err != nil {
			return "", &SettingError{Var: "GOWORK", Value: gowork, Err: err}
		}
		name := filepath.ToSlash(rel)
		ok, err := regular(fsys, name)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", &SettingError{Var: "GOWORK", Value: gowork, Err: errors.New("no such file in the app")}
		}
		return name, nil
	}
	for d := dir; ; d = path.Dir(d) {
		name := path.Join(d, "go.work")
		ok, err := regular(fsys, name)
		if err != nil {
			return "", err
		}
		if ok {
			return name, nil
		}
		if d == "." {
			return "", nil
		}
	}
}

// inside cleans a path relative to root and refuses one that leaves it,
// directly or through a symlink.
func inside(root, p string) (string, error) {
	if filepath.IsAbs(p) {
		return "", errors.New("must be a path relative to the app's root, like services/api")
	}
	rel := filepath.Clean(p)
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", errors.New("leaves the app's directory")
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, rel))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return rel, nil
		}
		return "", err
	}
	if real != realRoot && !strings.HasPrefix(real, realRoot+string(filepath.Separator)) {
		return "", errors.New("leaves the app's directory through a symlink")
	}
	return rel, nil
}

// search returns the directories below root (at most SearchDepth deep)
// that hold a go.mod, relative to root and sorted. A go.mod that is a
// symlink to outside the app counts: reading it then says what it is.
func search(root string, fsys files.AppFS) []string {
	var out []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		if rel == "." {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "vendor" || name == "testdata" || name == "node_modules" {
			return filepath.SkipDir
		}
		if strings.Count(rel, string(filepath.Separator))+1 > SearchDepth {
			return filepath.SkipDir
		}
		if ok, err := regular(fsys, filepath.ToSlash(filepath.Join(rel, "go.mod"))); ok || err != nil {
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// exists reports whether name (slash-separated, relative to the app) is
// a regular file in the app.
func exists(fsys files.AppFS, name string) bool {
	ok, _ := regular(fsys, name)
	return ok
}

// regular is exists, but a name that leads out of the app through a
// symlink is an error: the build must say so rather than go on as if
// there were no such file.
func regular(fsys files.AppFS, name string) (bool, error) {
	st, err := fsys.Stat(name)
	if escape := (*files.EscapeError)(nil); errors.As(err, &escape) {
		return false, err
	}
	return err == nil && st.Mode().IsRegular(), nil
}
