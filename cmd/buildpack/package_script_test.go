package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gobuildpack/heroku-buildpack-go/internal/buildpackage"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/lifecycle"
	"github.com/gobuildpack/heroku-buildpack-go/internal/release"
)

// The fixture commands of the release's packages: the release of the
// current sources, made once per test cache; the real pack CLI, built
// from source once per test cache; reading and unpacking a .cnb as a
// platform does.

// releasedist: set RELEASE to the directory of the release command's
// files (the binaries, buildpack.tgz, the .cnb of each target and
// SHA256SUMS) for the buildpack's current sources, and RELEASE_BUILDPACK
// to the copy of the buildpack it was made in (with the pins it wrote).
// The release runs once per test cache and content of what the packages
// hold (release.PackageFiles), in $CACHE/release-dist/KEY, with the
// release command's cache in $CACHE/release; the scripts that need it
// share it. When it runs, its output is the command's stdout.
func cmdReleaseDist(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: releasedist")
	}
	key, err := packageKey(repoRoot)
	ts.Check(err)
	base := filepath.Join(ts.Getenv("CACHE"), "release-dist")
	final := filepath.Join(base, key)
	ts.Setenv("RELEASE", filepath.Join(final, "dist"))
	ts.Setenv("RELEASE_BUILDPACK", filepath.Join(final, "buildpack"))
	ts.Check(os.MkdirAll(base, 0o777))
	unlock, err := lockFile(filepath.Join(base, ".lock"))
	ts.Check(err)
	defer unlock()
	if _, err := os.Stat(filepath.Join(final, ".done")); err == nil {
		os.Chtimes(final, time.Now(), time.Now())
		return
	}
	tmp, err := os.MkdirTemp(base, ".tmp-")
	ts.Check(err)
	defer files.RemoveAll(tmp)
	ts.Check(copyBuildpack(filepath.Join(tmp, "buildpack")))
	if err := ts.Exec(ts.Getenv("DEV"), "release", "-buildpack", filepath.Join(tmp, "buildpack"),
		"-out", filepath.Join(tmp, "dist"), "-cache", filepath.Join(ts.Getenv("CACHE"), "release")); err != nil {
		ts.Fatalf("release: %v", err)
	}
	ts.Check(files.RemoveAll(final))
	ts.Check(os.Rename(tmp, final))
	ts.Check(os.WriteFile(filepath.Join(final, ".done"), nil, 0o644))
	// The releases of older sources: all but the two most recently used.
	entries, _ := os.ReadDir(base)
	var old []os.FileInfo
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.IsDir() && !strings.HasPrefix(e.Name(), ".") && e.Name() != key {
			old = append(old, info)
		}
	}
	sort.Slice(old, func(i, j int) bool { return old[i].ModTime().After(old[j].ModTime()) })
	for i := 1; i < len(old); i++ {
		files.RemoveAll(filepath.Join(base, old[i].Name()))
	}
}

// packageKey is the SHA-256 of what the packages of the buildpack in dir
// hold: the same key, the same release.
func packageKey(dir string) (string, error) {
	pf, err := release.PackageFiles(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range pf {
		sum := sha256.Sum256(f.Data)
		fmt.Fprintf(h, "%s %v %x\n", f.Path, f.Exec, sum)
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// packcli: build the pack CLI (lifecycle.PackVersion) from source once per
// test cache, in $CACHE/pack, and set PACK to it and PACK_HOME (its
// configuration) to a directory of the script's.
func cmdPackCLI(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: packcli")
	}
	var log strings.Builder
	bin, err := lifecycle.BuildPack(context.Background(), filepath.Join(ts.Getenv("CACHE"), "pack"), &log)
	if err != nil {
		ts.Fatalf("%v\n%s", err, log.String())
	}
	ts.Setenv("PACK", bin)
	ts.Setenv("PACK_HOME", ts.MkAbs(".pack"))
}

// cnbpackage FILE: print what the buildpackage FILE says of itself, as a
// platform reads it: its target ("target linux/amd64"), its buildpack
// ("package ID VERSION") and each buildpack it has a layer of
// ("buildpack ID VERSION api API layer DIFFID"). Sets LAYER_ID (the id's
// slashes and dots as underscores) to each buildpack's layer diff ID.
func cmdCNBPackage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: cnbpackage FILE")
	}
	img, err := buildpackage.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "target %s/%s\npackage %s %s\n", img.OS, img.Arch, img.ID, img.Version)
	for _, bp := range img.Buildpacks {
		fmt.Fprintf(ts.Stdout(), "buildpack %s %s api %s layer %s\n", bp.ID, bp.Version, bp.API, bp.DiffID)
		ts.Setenv("LAYER_"+strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(bp.ID), bp.DiffID)
	}
}

// cnbunpack FILE DIR: unpack the buildpack of the buildpackage FILE into
// DIR as a platform puts it into a builder (DIR/cnb/buildpacks/ID/VERSION),
// and set CNB_BUILDPACK to its directory.
func cmdCNBUnpack(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cnbunpack FILE DIR")
	}
	img, err := buildpackage.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	dir, err := img.Unpack(img.ID, img.Version, ts.MkAbs(args[1]))
	ts.Check(err)
	ts.Setenv("CNB_BUILDPACK", dir)
}
