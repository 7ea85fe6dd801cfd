// Package hook runs the optional scripts an app provides to extend the
// build: bin/go-pre-compile before building and bin/go-post-compile after.
package hook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// Names of the hooks, relative to the app's root.
const (
	PreCompile  = "bin/go-pre-compile"
	PostCompile = "bin/go-post-compile"
)

// Run runs the hook at root/name, if the app has one, in root with env.
// An executable hook runs as it is; any other file runs with bash.
func Run(ctx context.Context, root, name string, env []string, stdout, stderr io.Writer) (ran bool, err error) {
	path := filepath.Join(root, name)
	info, err := files.AppFS(root).Stat(filepath.ToSlash(name))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("run %s: %w", name, err)
	}
	if !info.Mode().IsRegular() {
		return false, fmt.Errorf("run %s: not a regular file", name)
	}
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
	// A stopped build stops every process of the hook: killing the shell
	// alone would leave the commands it runs holding its output, and the
	// build waiting for them.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Run(); err != nil {
		return true, fmt.Errorf("run %s: %w", name, err)
	}
	return true, nil
}
