// Package gocmd makes and runs the go commands of a build: Lines makes the
// command line and environment of each (go mod download, go list, go
// build, go test) for the toolchain's release, from the build's settings;
// Env assembles the environment of every process the build runs; Go runs
// the go command.
package gocmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

// Settings are the values the environment of the build's processes is
// made from.
type Settings struct {
	GOROOT     string // toolchain root; its bin goes first on PATH
	GOCACHE    string
	GOMODCACHE string
	GOPATH     string
	// GOBIN, when set, is where `go install` puts commands; it is on
	// PATH after the toolchain.
	GOBIN string
	// App holds the app's own config vars as KEY=VALUE, for the processes
	// that run the app's code (build hooks, tests); a plain go build gets
	// none. Go settings from Vars win over them.
	App []string
	// Vars are variables set for the go command on top of the defaults,
	// e.g. GOPROXY or GOFLAGS from config vars.
	Vars map[string]string
}

// Env returns the environment of a process the build runs: the go
// command, a build hook or the app's tests. It is base (usually
// os.Environ()) without any Go or cgo settings of the machine, then the
// app's config vars (s.App), then the build's own Go settings.
// GOTOOLCHAIN=local keeps the go command from switching to another
// toolchain; GOENV=off keeps a developer's `go env -w` settings out of the
// build; CGO_ENABLED=0 gives a static binary unless Vars says otherwise.
func Env(base []string, s Settings) []string {
	set := map[string]string{}
	for _, kv := range base {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || isGoVar(k) {
			continue
		}
		set[k] = v
	}
	for _, kv := range s.App {
		if k, v, ok := strings.Cut(kv, "="); ok {
			set[k] = v
		}
	}
	path := filepath.Join(s.GOROOT, "bin")
	if s.GOBIN != "" {
		path += string(os.PathListSeparator) + s.GOBIN
		set["GOBIN"] = s.GOBIN
	}
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
// that must not leak from the build machine into the build. Go's own
// settings have no underscore (GOFLAGS, GO111MODULE); GOOGLE_... is not one.
func isGoVar(k string) bool {
	return strings.HasPrefix(k, "GO") && !strings.Contains(k, "_") || strings.HasPrefix(k, "CGO_")
}

// Run runs `go args...` with output going to g.Stdout and g.Stderr.
func (g *Go) Run(ctx context.Context, args ...string) error {
	cmd := g.command(ctx, args)
	cmd.Stdout = g.Stdout
	return g.run(cmd, args)
}

// Output runs `go args...` and returns its stdout; stderr goes to g.Stderr.
func (g *Go) Output(ctx context.Context, args ...string) ([]byte, error) {
	cmd := g.command(ctx, args)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := g.run(cmd, args); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func (g *Go) command(ctx context.Context, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, g.Bin, args...)
	cmd.Dir = g.Dir
	cmd.Env = g.Env
	return cmd
}

// run runs cmd, copying stderr to g.Stderr and keeping its end for the error.
func (g *Go) run(cmd *exec.Cmd, args []string) error {
	tail := &tailBuffer{max: 16 << 10}
	if g.Stderr != nil {
		cmd.Stderr = io.MultiWriter(g.Stderr, tail)
	} else {
		cmd.Stderr = tail
	}
	if err := cmd.Run(); err != nil {
		return &RunError{Args: args, Err: err, Stderr: string(tail.buf)}
	}
	return nil
}

// RunError is a go command that failed, with the end of its stderr.
type RunError struct {
	Args   []string
	Err    error
	Stderr string
}

// Error describes the failure, with the command line as the build log
// shows it (LoggedArgs) and long or multi-line arguments elided.
func (e *RunError) Error() string {
	args := make([]string, 0, len(e.Args))
	for _, a := range e.Args {
		if strings.Contains(a, "\n") || len(a) > 200 {
			a = "…"
		}
		args = append(args, a)
	}
	return fmt.Sprintf("go %s: %v", LoggedArgs(args), e.Err)
}

// Rejected reports whether the go command refused the command line itself
// (exit status 2 with a usage message) rather than failing at its work,
// and returns the flag it did not know, if that was the reason
// ("-trimpath" for "flag provided but not defined: -trimpath").
func (e *RunError) Rejected() (flag string, ok bool) {
	var exit *exec.ExitError
	if !errors.As(e.Err, &exit) || exit.ExitCode() != 2 {
		return "", false
	}
	if m := unknownFlag.FindStringSubmatch(e.Stderr); m != nil {
		return m[1], true
	}
	return "", usage.MatchString(e.Stderr)
}

var (
	unknownFlag = regexp.MustCompile(`(?m)^flag provided but not defined: (-\S+)`)
	usage       = regexp.MustCompile(`(?m)^(usage: go \S+|go \S+: unknown command)`)
)

// Unwrap returns the process error.
func (e *RunError) Unwrap() error { return e.Err }

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	buf []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = t.buf[over:]
	}
	return len(p), nil
}

// With returns a copy of g whose environment has key set to value.
func (g *Go) With(key, value string) *Go {
	c := *g
	c.Env = setEnv(g.Env, key, value)
	return &c
}

// setEnv returns env with key set to value.
func setEnv(env []string, key, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+value)
}
