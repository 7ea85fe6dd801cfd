package compile

// The build hooks: the optional scripts an app provides to extend the
// build, bin/go-pre-compile before building and bin/go-post-compile after.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

// Names of the hooks, relative to the app's root.
const (
	preCompileHook  = "bin/go-pre-compile"
	postCompileHook = "bin/go-post-compile"
)

// runHook runs one of the app's build hooks with the toolchain on PATH.
func (r *run) runHook(ctx context.Context, g *goCommand, name string) error {
	_, err := files.AppFS(r.BuildDir).Stat(name)
	if escape := (*files.EscapeError)(nil); errors.As(err, &escape) {
		return remedy.Wrap(err, "hooks", "A hook runs as the app's own code: commit it in the app.")
	}
	if err != nil {
		return nil
	}
	done := r.timed(hookStep(name), "Running %s", name)
	res, err := execHook(ctx, r.BuildDir, name, g.hookEnv, r.log.Indented(), r.log.IndentedErr())
	g.flush()
	if msg := res.Notice(); msg != "" {
		r.log.Warn("%s", msg)
	}
	if err != nil {
		return remedy.Wrap(err, "hooks", "The hook's output is above. It runs with bash in the app's root, with go on PATH and the config vars set.")
	}
	done()
	return nil
}

// hookStep names the step of the hook bin/go-NAME: NAME with _ for -.
func hookStep(name string) string {
	return strings.ReplaceAll(strings.TrimPrefix(name, "bin/go-"), "-", "_")
}

const (
	// waitDelay is how long a hook's output may stay open after the hook
	// exits, held by commands it left running, before the build stops
	// reading it.
	waitDelay = time.Second
	// stopGrace is how long the commands a hook left running have to end
	// after SIGTERM, before SIGKILL.
	stopGrace = 2 * time.Second
)

// hookResult is what running a hook did.
type hookResult struct {
	// Name is the hook, as passed to execHook.
	Name string
	// Ran says the app has the hook and it was started.
	Ran bool
	// Left names the processes (by command name, one entry per process)
	// that the hook left running in its process group when it exited;
	// execHook stopped them.
	Left []string
	// Stopped says execHook stopped processes the hook left running; Left is
	// empty when the system does not say which they were.
	Stopped bool
}

// Notice returns the build log's line about the processes the hook left
// running, or "" when it left none.
func (r hookResult) Notice() string {
	if !r.Stopped {
		return ""
	}
	const fix = " (a hook ends with its commands: `wait` for the ones it starts in the background)"
	if len(r.Left) == 0 {
		return r.Name + " left processes running; they were stopped" + fix
	}
	var names []string
	seen := map[string]bool{}
	for _, n := range r.Left {
		if !seen[n] {
			seen[n] = true
			names = append(names, output.Excerpt(n))
		}
	}
	sort.Strings(names)
	if len(names) > 5 {
		names = append(names[:5], "…")
	}
	if len(r.Left) == 1 {
		return fmt.Sprintf("%s left 1 process running (%s); it was stopped%s", r.Name, names[0], fix)
	}
	return fmt.Sprintf("%s left %d processes running (%s); they were stopped%s", r.Name, len(r.Left), strings.Join(names, ", "), fix)
}

// execHook runs the hook at root/name, if the app has one, in root with env.
// An executable hook runs as it is; any other file runs with bash. The
// build goes on when the hook exits: the processes it leaves running are
// stopped (SIGTERM, then SIGKILL) and named in the result.
func execHook(ctx context.Context, root, name string, env []string, stdout, stderr io.Writer) (hookResult, error) {
	res := hookResult{Name: name}
	path := filepath.Join(root, name)
	info, err := files.AppFS(root).Stat(filepath.ToSlash(name))
	if errors.Is(err, fs.ErrNotExist) {
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("run %s: %w", name, err)
	}
	if !info.Mode().IsRegular() {
		return res, fmt.Errorf("run %s: not a regular file", name)
	}
	res.Ran = true
	var cmd *exec.Cmd
	if info.Mode()&0o111 != 0 {
		cmd = exec.CommandContext(ctx, path)
	} else {
		cmd = exec.CommandContext(ctx, "bash", path)
	}
	cmd.Dir = root
	cmd.Env = env
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	// The hook runs in its own process group, which holds every command
	// it starts (unless one makes its own). A stopped build stops them
	// all: killing the shell alone would leave them holding its output,
	// and the build waiting for them.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// When the hook exits, commands it left in the background may hold
	// its output open; the build reads it a little longer, then goes on.
	cmd.WaitDelay = waitDelay
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("run %s: %w", name, err)
	}
	err = cmd.Wait()
	left, stopped := stopGroup(cmd.Process.Pid)
	if ctx.Err() == nil {
		res.Left, res.Stopped = left, stopped
	}
	if errors.Is(err, exec.ErrWaitDelay) {
		// The hook succeeded; what held its output was stopped above.
		err = nil
	}
	if err != nil {
		return res, fmt.Errorf("run %s: %w", name, err)
	}
	return res, nil
}

// stopGroup stops the processes left in process group pgid: SIGTERM, then
// SIGKILL after stopGrace. It returns their names, when the system lists
// them, and whether there were any.
func stopGroup(pgid int) (names []string, stopped bool) {
	names, listed := groupMembers(pgid)
	if listed && len(names) == 0 || !listed && syscall.Kill(-pgid, 0) != nil {
		return nil, false
	}
	syscall.Kill(-pgid, syscall.SIGTERM)
	// A stopped process acts on SIGTERM only once it continues.
	syscall.Kill(-pgid, syscall.SIGCONT)
	if !waitGroupGone(pgid, stopGrace) {
		syscall.Kill(-pgid, syscall.SIGKILL)
		waitGroupGone(pgid, stopGrace)
	}
	return names, true
}

// waitGroupGone waits up to d for process group pgid to have no live
// process. The processes are not the build's children, so nothing tells
// when they end: it looks every few milliseconds.
func waitGroupGone(pgid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		names, listed := groupMembers(pgid)
		if listed && len(names) == 0 || !listed && syscall.Kill(-pgid, 0) != nil {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// groupMembers lists the command names of the live processes in process
// group pgid from /proc. listed is false where there is no /proc (not
// Linux); zombies, which have ended, are left out.
func groupMembers(pgid int) (names []string, listed bool) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		return nil, false
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // it ended meanwhile
		}
		comm, state, pg, ok := parseStat(data)
		if ok && pg == pgid && state != 'Z' && state != 'X' {
			names = append(names, comm)
		}
	}
	return names, true
}

// parseStat reads the command name, state and process group of a process
// from its /proc/PID/stat: "PID (COMM) STATE PPID PGRP ...". COMM may hold
// spaces and parentheses; it ends at the last ')'.
func parseStat(data []byte) (comm string, state byte, pgid int, ok bool) {
	open := bytes.IndexByte(data, '(')
	end := bytes.LastIndexByte(data, ')')
	if open < 0 || end < open {
		return "", 0, 0, false
	}
	fields := strings.Fields(string(data[end+1:]))
	if len(fields) < 3 || len(fields[0]) != 1 {
		return "", 0, 0, false
	}
	pgid, err := strconv.Atoi(fields[2])
	if err != nil {
		return "", 0, 0, false
	}
	return string(data[open+1 : end]), fields[0][0], pgid, true
}
