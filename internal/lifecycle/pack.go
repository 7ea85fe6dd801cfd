package lifecycle

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// PackModule and PackVersion name the pack CLI that BuildPack builds.
const (
	PackModule  = "github.com/buildpacks/pack"
	PackVersion = "v0.38.2"
)

// BuildPack returns the path of the pack CLI built in
// dir/VERSION-GOOS-GOARCH, building it first when it is not there, as
// Build builds the lifecycle (from the module proxy, once, with a marker
// written last). Its `buildpack package --format file` needs no container
// daemon.
func BuildPack(ctx context.Context, dir string, log io.Writer) (string, error) {
	final := filepath.Join(dir, PackVersion+"-"+runtime.GOOS+"-"+runtime.GOARCH)
	bin := filepath.Join(final, "pack")
	done := func(dir string) bool {
		if info, err := os.Lstat(filepath.Join(dir, marker)); err != nil || !info.Mode().IsRegular() {
			return false
		}
		info, err := os.Stat(filepath.Join(dir, "pack"))
		return err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0
	}
	if done(final) {
		return bin, nil
	}
	t := tool{
		name: "pack", module: PackModule, version: PackVersion, pkgs: []string{"."},
		// Without optimisation or inlining: pack packages a few buildpacks,
		// where its compile time (a third more with them) is what counts.
		gcflags: "-N -l",
		ldflags: func(string) string {
			return "-s -w -X " + PackModule + "/pkg/client.Version=" + PackVersion[1:]
		},
		finish: func(tmp string) error {
			if _, err := os.Stat(filepath.Join(tmp, "pack")); err != nil {
				return fmt.Errorf("build pack: %w", err)
			}
			return nil
		},
		done: done,
	}
	if err := t.build(ctx, dir, final, log); err != nil {
		return "", err
	}
	return bin, nil
}
