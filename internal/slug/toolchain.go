package slug

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// ToolchainDir is where a kept toolchain lives in the slug, relative to the
// build directory (the dyno's $HOME).
const ToolchainDir = ".heroku/go/toolchain"

// KeepToolchain puts a copy of the toolchain at goroot into the slug and
// writes .profile.d/go-toolchain.sh, which puts its go command on PATH on
// the dyno. Files are hard-linked when the cache and the build directory
// share a file system, else copied.
func KeepToolchain(buildDir, goroot string) error {
	dst := filepath.Join(buildDir, ToolchainDir)
	if err := os.RemoveAll(dst); err != nil {
		return fmt.Errorf("keep toolchain: %w", err)
	}
	skipMarker := func(rel string, d fs.DirEntry) bool { return d.Name() == ".installed" }
	err := files.CopyTree(goroot, dst, skipMarker, true)
	if err != nil {
		os.RemoveAll(dst)
		return fmt.Errorf("keep toolchain: %w", err)
	}
	script := "# Written by the Go buildpack: the Go toolchain is kept in the slug.\n" +
		"export PATH=\"$HOME/" + ToolchainDir + "/bin:$PATH\"\n" +
		"export GOTOOLCHAIN=local\n"
	if err := os.MkdirAll(filepath.Join(buildDir, ".profile.d"), 0o755); err != nil {
		return fmt.Errorf("keep toolchain: %w", err)
	}
	if err := os.WriteFile(filepath.Join(buildDir, ".profile.d", "go-toolchain.sh"), []byte(script), 0o644); err != nil {
		return fmt.Errorf("keep toolchain: %w", err)
	}
	return nil
}
