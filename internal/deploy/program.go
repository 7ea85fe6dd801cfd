package deploy

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// A deploy with --cnb runs the buildpack's bin/build as the lifecycle's
// user, whose program layer is empty on an app's first build: the shim
// would compile the program there, with no go command caches of its own
// when that user is nobody. The deploy gets the program first, as the
// user who runs it (found or built by the shims' own rule, in the store
// beside the toolchains, ~/.cache/gobuildpack/program, with that user's
// go command caches), and copies a program built from source into the
// program layer, its recorded SHA-256 beside it, which the shim checks
// before it runs it. A prebuilt program needs no copy: the shim in the
// layer fetches or finds the same one.

// programStore is the cache directory whose go/program the deploys'
// programs are kept in, beside the toolchains store.
func programStore(toolchainStore string) string {
	return filepath.Join(filepath.Dir(toolchainStore), "program")
}

// ensureProgram runs the shims' ensure_program for the buildpack bp with
// the cache directory cacheDir and returns the program's path; the
// shim's messages go to stdout and stderr, as bin/compile's do.
func ensureProgram(stdout, stderr io.Writer, bp, cacheDir string) (string, error) {
	out, err := os.CreateTemp("", "gobuildpack-program-")
	if err != nil {
		return "", err
	}
	out.Close()
	defer os.Remove(out.Name())
	cmd := exec.Command("bash", "-c", `bp_dir=$1 && source "$1/bin/program.sh" && ensure_program "$2" "" && printf '%s' "$PROGRAM" >"$3"`,
		"bash", bp, cacheDir, out.Name())
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("get the buildpack's program: %w", err)
	}
	path, err := os.ReadFile(out.Name())
	if err != nil || len(path) == 0 {
		return "", fmt.Errorf("get the buildpack's program: the shim named none")
	}
	return string(path), nil
}

// seedProgram copies the source-built program prog (DIR/buildpack, with
// DIR/buildpack.sha256) into the program layer layerDir, as the shim
// keeps it there (go/program/DIR), unless the layer has it; the copy is
// given to user. It reports whether it copied.
func seedProgram(prog, layerDir string, user *syscall.Credential) (bool, error) {
	dir := filepath.Dir(prog)
	if filepath.Base(prog) != "buildpack" || !strings.HasPrefix(filepath.Base(dir), "source-") {
		return false, nil
	}
	dst := filepath.Join(layerDir, "go", "program", filepath.Base(dir))
	if _, err := os.Lstat(dst); err == nil {
		return false, nil
	}
	tmp := dst + ".seed-tmp"
	files.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return false, err
	}
	for _, name := range []string{"buildpack", "buildpack.sha256"} {
		if err := files.CopyFile(filepath.Join(dir, name), filepath.Join(tmp, name)); err != nil {
			files.RemoveAll(tmp)
			return false, err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		files.RemoveAll(tmp)
		return false, err
	}
	if user != nil {
		// The buildpack's layers directory too, when this made it.
		if err := os.Lchown(filepath.Dir(layerDir), int(user.Uid), int(user.Gid)); err != nil {
			files.RemoveAll(dst)
			return false, err
		}
		if err := chownOwn(layerDir, int(user.Uid), int(user.Gid)); err != nil {
			files.RemoveAll(dst)
			return false, err
		}
	}
	return true, nil
}
