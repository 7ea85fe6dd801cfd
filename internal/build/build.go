// Package build runs the go command on an app: module downloads and
// builds, with the environment assembled in one place (Env).
package build

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Go runs a toolchain's go command in an app directory.
type Go struct {
	Bin    string   // path of the go command
	Dir    string   // app directory (holds go.mod)
	Env    []string // complete environment, from Env
	Stdout io.Writer
	Stderr io.Writer
}

// Settings are the values the build environment is made from.
type Settings struct {
	GOROOT     string // toolchain root; its bin goes first on PATH
	GOCACHE    string
	GOMODCACHE string
	GOPATH     string
	// Vars are variables set for the go command on top of the defaults,
	// e.g. GOPROXY or GOFLAGS from config vars.
	Vars map[string]string
}

// Env returns the environment for the go command: base (usually
// os.Environ()) without any Go or cgo settings of the machine, then the
// build's own. GOTOOLCHAIN=local keeps the go command from switching to
// another toolchain; GOENV=off keeps a developer's `go env -w` settings
// out of the build; CGO_ENABLED=0 gives a static binary unless Vars says
// otherwise.
func Env(base []string, s Settings) []string {
	set := map[string]string{}
	for _, kv := range base {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || isGoVar(k) {
			continue
		}
		set[k] = v
	}
	path := filepath.Join(s.GOROOT, "bin")
	if p := set["PATH"]; p != "" {
		path += string(os.PathListSeparator) + p
	}
	set["PATH"] = path
	set["GOTOOLCHAIN"] = "local"
	set["GOENV"] = "off"
	set["CGO_ENABLED"] = "0"
	set["GOCACHE"] = s.GOCACHE
	set["GOMODCACHE"] = s.GOMODCACHE
	set["GOPATH"] = s.GOPATH
	for k, v := range s.Vars {
		set[k] = v
	}
	env := make([]string, 0, len(set))
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

// isGoVar reports whether an inherited variable is a Go or cgo setting
// that must not leak from the build machine into the build.
func isGoVar(k string) bool {
	return strings.HasPrefix(k, "GO") || strings.HasPrefix(k, "CGO_")
}

// Run runs `go args...` with output going to g.Stdout and g.Stderr.
func (g *Go) Run(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, g.Bin, args...)
	cmd.Dir = g.Dir
	cmd.Env = g.Env
	cmd.Stdout = g.Stdout
	cmd.Stderr = g.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// Output runs `go args...` and returns its stdout; stderr goes to g.Stderr.
func (g *Go) Output(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, g.Bin, args...)
	cmd.Dir = g.Dir
	cmd.Env = g.Env
	cmd.Stderr = g.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return out, nil
}

// VCSFlag returns the -buildvcs flag for dir: stamping only works when the
// app has a .git directory and git is installed; otherwise it is turned
// off so the build does not fail on missing version control.
func VCSFlag(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		if _, err := exec.LookPath("git"); err == nil {
			return "-buildvcs=auto"
		}
	}
	return "-buildvcs=false"
}
