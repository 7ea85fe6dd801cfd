// Package lifecycle builds the Cloud Native Buildpacks lifecycle from its
// source and runs its phases on an app, as a platform such as pack does,
// without a container registry or daemon (Platform).
package lifecycle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// Module and Version name the lifecycle that is built.
const (
	Module  = "github.com/buildpacks/lifecycle"
	Version = "v0.20.5"
)

// Phases are the phases a build runs, in order; each is the lifecycle
// binary invoked under the phase's name.
var Phases = []string{"analyzer", "detector", "restorer", "builder", "exporter"}

// Binaries is a directory holding a built lifecycle: the lifecycle binary,
// a symlink to it named after each phase, and the launcher.
type Binaries struct {
	Dir string
}

// Phase is the path that runs the named phase.
func (b Binaries) Phase(name string) string { return filepath.Join(b.Dir, name) }

// Launcher is the path of the launcher.
func (b Binaries) Launcher() string { return filepath.Join(b.Dir, "launcher") }

// marker is written last into a complete build.
const marker = ".built"

// Find returns the lifecycle in dir when it holds a complete one: the
// lifecycle and launcher binaries (the phase symlinks are added when
// missing).
func Find(dir string) (Binaries, error) {
	b := Binaries{Dir: dir}
	for _, name := range []string{"lifecycle", "launcher"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
			return Binaries{}, fmt.Errorf("no lifecycle in %s: want the executables lifecycle and launcher there", dir)
		}
	}
	if err := linkPhases(dir); err != nil {
		return Binaries{}, err
	}
	return b, nil
}

// linkPhases makes each phase a symlink to the lifecycle binary.
func linkPhases(dir string) error {
	for _, p := range Phases {
		path := filepath.Join(dir, p)
		if target, err := os.Readlink(path); err == nil && target == "lifecycle" {
			continue
		}
		os.Remove(path)
		if err := os.Symlink("lifecycle", path); err != nil {
			return fmt.Errorf("link lifecycle phase %s: %w", p, err)
		}
	}
	return nil
}

// Build returns the lifecycle built in dir/VERSION-GOOS-GOARCH, building
// it first when it is not there: the go command on PATH downloads the
// lifecycle module through GOPROXY (verified against go.sum and the
// checksum database, as any module) and builds its cmd/lifecycle and
// cmd/launcher. The build goes into a temporary directory that is renamed
// into place with a marker written last; concurrent callers wait for one
// build. Progress goes to log.
func Build(ctx context.Context, dir string, log io.Writer) (Binaries, error) {
	final := filepath.Join(dir, Version+"-"+runtime.GOOS+"-"+runtime.GOARCH)
	if b, ok := complete(final); ok {
		return b, nil
	}
	t := tool{
		name: "the lifecycle", module: Module, version: Version, pkgs: []string{"./cmd/lifecycle", "./cmd/launcher"},
		ldflags: func(commit string) string {
			return "-s -w -X " + Module + "/cmd.Version=" + strings.TrimPrefix(Version, "v") +
				" -X " + Module + "/cmd.SCMRepository=" + Module + " -X " + Module + "/cmd.SCMCommit=" + commit
		},
		finish: linkPhases,
		done:   func(dir string) bool { _, ok := complete(dir); return ok },
	}
	if err := t.build(ctx, dir, final, log); err != nil {
		return Binaries{}, err
	}
	return Binaries{Dir: final}, nil
}

// tool is a Go program built from its module's source.
type tool struct {
	name            string // for messages: "the lifecycle"
	module, version string
	pkgs            []string // the main packages, relative to the module
	// ldflags returns the linker flags for the commit the version was
	// tagged from.
	ldflags func(commit string) string
	// gcflags, when set, are the compiler's flags for every package.
	gcflags string
	// finish completes a build in its temporary directory; done reports
	// whether a directory holds a complete build.
	finish func(tmp string) error
	done   func(dir string) bool
}

// build builds t into final, in dir, unless another caller did while this
// one waited for the lock: the go command on PATH downloads the module
// through GOPROXY (verified against go.sum and the checksum database, as
// any module) and builds its main packages with the versions of its own
// go.mod (-mod=readonly), into a temporary directory that is renamed into
// place with a marker written last.
func (t tool) build(ctx context.Context, dir, final string, log io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("build %s: %w", t.name, err)
	}
	unlock, err := files.Lock(filepath.Join(dir, ".lock"), nil)
	if err != nil {
		return fmt.Errorf("build %s: %w", t.name, err)
	}
	defer unlock()
	if t.done(final) {
		return nil
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("build %s: it is built from source with the go command, which is not on PATH: %w", t.name, err)
	}
	fmt.Fprintf(log, "Building %s %s %s from source (once; it is kept in %s)\n", t.name, t.module, t.version, dir)
	src, commit, err := download(ctx, goCmd, dir, t.module, t.version)
	if err != nil {
		return fmt.Errorf("build %s: %w", t.name, err)
	}
	tmp, err := os.MkdirTemp(dir, ".tmp-")
	if err != nil {
		return fmt.Errorf("build %s: %w", t.name, err)
	}
	defer files.RemoveAll(tmp)
	args := []string{"build", "-trimpath", "-ldflags", t.ldflags(commit)}
	if t.gcflags != "" {
		args = append(args, "-gcflags", "all="+t.gcflags)
	}
	args = append(append(args, "-o", tmp+string(filepath.Separator)), t.pkgs...)
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off", "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s: go build in %s: %w", t.name, src, err)
	}
	if err := t.finish(tmp); err != nil {
		return err
	}
	if err := files.RemoveAll(final); err != nil {
		return fmt.Errorf("build %s: %w", t.name, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("build %s: %w", t.name, err)
	}
	if err := files.WriteFileAtomic(filepath.Join(final, marker), []byte(t.module+" "+t.version+" "+commit+"\n"), 0o644); err != nil {
		return fmt.Errorf("build %s: %w", t.name, err)
	}
	if err := os.Chmod(final, 0o755); err != nil {
		return fmt.Errorf("build %s: %w", t.name, err)
	}
	return nil
}

// complete reports whether dir holds a finished build.
func complete(dir string) (Binaries, bool) {
	if info, err := os.Lstat(filepath.Join(dir, marker)); err != nil || !info.Mode().IsRegular() {
		return Binaries{}, false
	}
	b, err := Find(dir)
	return b, err == nil
}

// download fetches module@version into the module cache and returns its
// directory and the commit it was tagged from. It asks for that version
// only, never for the module's list of versions.
func download(ctx context.Context, goCmd, workDir, module, version string) (dir, commit string, err error) {
	cmd := exec.CommandContext(ctx, goCmd, "mod", "download", "-json", module+"@"+version)
	cmd.Dir = workDir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var info struct {
		Dir    string
		Error  string
		Origin struct{ Hash string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &info); err != nil || runErr != nil || info.Error != "" || info.Dir == "" {
		msg := strings.TrimSpace(info.Error + " " + stderr.String())
		if msg == "" && runErr != nil {
			msg = runErr.Error()
		}
		return "", "", fmt.Errorf("go mod download %s@%s: %s", module, version, msg)
	}
	return info.Dir, info.Origin.Hash, nil
}
