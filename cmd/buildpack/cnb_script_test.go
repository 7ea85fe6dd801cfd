package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gobuildpack/heroku-buildpack-go/internal/dyno"
	"github.com/gobuildpack/heroku-buildpack-go/internal/lifecycle"
	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
)

// The fixture commands of the Cloud Native Buildpack scripts: the real
// lifecycle, built from source once per test cache, runs its phases on
// the fixture apps (see internal/lifecycle for how, without a registry or
// a container daemon).

type platformKey struct{}

// platformSlot holds the platform a script set up, if any.
type platformSlot struct{ p *lifecycle.Platform }

// cnbplatform [DIR]: build the lifecycle (once per test cache, in
// $CACHE/lifecycle) and set up the platform of this script. Its
// directories (cache volume, image layout, HOME) are kept in
// $CACHE/cnb/SCRIPT between runs, as the shared cache keeps toolchains
// and GOCACHE for the classic scripts, so only the first run pays for the
// toolchain download and the standard library compile. Running as root,
// the phases and the app run as nobody (65534), as the lifecycle refuses
// to build as root; when nobody cannot reach the test cache (in root's
// home), the platform's directories are in $TMPDIR/gobuildpack-test-cnb
// instead. Sets LAYERS (the buildpack's layers directory of a build) and
// CNB_APP (the app directory). The buildpack is $BUILDPACK, or DIR (one
// unpacked from a package with cnbunpack).
func cmdCNBPlatform(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: cnbplatform [DIR]")
	}
	bpDir := ts.Getenv("BUILDPACK")
	if len(args) == 1 {
		bpDir = ts.MkAbs(args[0])
	}
	bins, base, user := cnbShared(ts)
	mf, err := manifest.Read(bpDir)
	ts.Check(err)
	root := filepath.Join(base, strings.TrimPrefix(filepath.Base(ts.Getenv("WORK")), "script-"))
	ts.Check(os.MkdirAll(root, 0o755))
	unlock, err := lockFile(filepath.Join(root, ".lock"))
	ts.Check(err)
	ts.Defer(unlock)
	p := &lifecycle.Platform{
		Lifecycle: bins,
		Buildpack: lifecycle.Buildpack{Dir: bpDir, ID: mf.Buildpack.ID, Version: mf.Buildpack.Version},
		Root:      root,
		// One HOME for every script's builds: the buildpack's program is
		// built from source in each (no release pin matches a checkout's
		// sources), and with the go command's caches there only the
		// first build compiles it.
		Home:   filepath.Join(base, "home"),
		Stdout: ts.Stdout(),
		Stderr: ts.Stderr(),
	}
	p.User = user
	ts.Value(platformKey{}).(*platformSlot).p = p
	ts.Setenv("LAYERS_DIR", p.LayersDir())
	ts.Setenv("LAYERS", filepath.Join(p.LayersDir(), strings.ReplaceAll(mf.Buildpack.ID, "/", "_")))
	ts.Setenv("CNB_APP", p.AppDir())
}

// cnbShared builds the lifecycle once per test cache, in
// $CACHE/lifecycle, and returns it with the directory the scripts' platform
// directories go into and the user the lifecycle runs as (nil: this one).
func cnbShared(ts *testscript.TestScript) (bins lifecycle.Binaries, base string, user *syscall.Credential) {
	var log strings.Builder
	bins, err := lifecycle.Build(context.Background(), filepath.Join(ts.Getenv("CACHE"), "lifecycle"), &log)
	if err != nil {
		ts.Fatalf("%v\n%s", err, log.String())
	}
	base = filepath.Join(ts.Getenv("CACHE"), "cnb")
	if os.Geteuid() == 0 {
		user = lifecycle.Nobody
		if lifecycle.Reachable(base, user) != nil {
			base = filepath.Join(os.TempDir(), "gobuildpack-test-cnb")
		}
	}
	return bins, base, user
}

// cnblifecycle: build the lifecycle as cnbplatform does, and set LIFECYCLE
// to its directory and CNB_CACHE to a cache directory for this script
// that the lifecycle's user can reach (for deploy --cnb --cache).
func cmdCNBLifecycle(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: cnblifecycle")
	}
	bins, base, _ := cnbShared(ts)
	ts.Setenv("LIFECYCLE", bins.Dir)
	ts.Setenv("CNB_CACHE", filepath.Join(base, strings.TrimPrefix(filepath.Base(ts.Getenv("WORK")), "script-")))
}

func platform(ts *testscript.TestScript) *lifecycle.Platform {
	p := ts.Value(platformKey{}).(*platformSlot).p
	if p == nil {
		ts.Fatalf("no platform: run cnbplatform first")
	}
	return p
}

// cnbbuild APPDIR: build the app in APPDIR (relative to $WORK; copy a
// fixture there with app) with the config vars in $WORK/env (configvar),
// running the lifecycle's phases, and export the app image.
func cmdCNBBuild(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: cnbbuild APPDIR")
	}
	p := platform(ts)
	p.Stdout, p.Stderr = ts.Stdout(), ts.Stderr()
	vars := map[string]string{}
	entries, _ := os.ReadDir(ts.MkAbs("env"))
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(ts.MkAbs("env"), e.Name()))
		ts.Check(err)
		vars[e.Name()] = string(data)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	err := p.Build(ctx, ts.MkAbs(args[0]), vars)
	if (err == nil) == neg {
		ts.Fatalf("cnbbuild: %v", err)
	}
}

// cnbserve [TYPE]: start process TYPE (default: the image's default
// process) of the last exported image with the launcher, as a container
// would run it, and wait until it accepts connections on $PORT. Sets
// APP_URL.
func cmdCNBServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: cnbserve [TYPE]")
	}
	p := platform(ts)
	img, err := lifecycle.ReadImage(p.ImageDir())
	ts.Check(err)
	typ := ""
	if len(args) == 1 {
		typ = args[0]
	} else if len(img.Config.Entrypoint) == 1 {
		typ = filepath.Base(img.Config.Entrypoint[0])
	}
	if typ == "" {
		ts.Fatalf("the image has no default process (entrypoint %q)", img.Config.Entrypoint)
	}
	port, err := dyno.FreePort()
	ts.Check(err)
	cmd, err := p.Launch(img, typ, port, nil)
	ts.Check(err)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	proc, err := dyno.StartCmd(cmd, typ, "launcher "+typ, port)
	ts.Check(err)
	ts.Defer(proc.Kill)
	if err := proc.WaitListening(context.Background(), 30*time.Second); err != nil {
		ts.Fatalf("%v:\n%s", err, out.String())
	}
	ts.Setenv("APP_URL", proc.URL())
}

// cnbbuildpack DIR: run the buildpack in DIR after this one, in the same
// group, in the builds that follow.
func cmdCNBBuildpack(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: cnbbuildpack DIR")
	}
	dir := ts.MkAbs(args[0])
	var desc struct {
		Buildpack struct{ ID, Version string } `toml:"buildpack"`
	}
	_, err := toml.DecodeFile(filepath.Join(dir, "buildpack.toml"), &desc)
	ts.Check(err)
	p := platform(ts)
	p.Later = append(p.Later, lifecycle.Buildpack{Dir: dir, ID: desc.Buildpack.ID, Version: desc.Buildpack.Version})
}

// cnbimage PATH FILE: copy the file at PATH in the last exported image
// (an absolute path; $LAYERS names the layers directory) to FILE.
func cmdCNBImage(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cnbimage PATH FILE")
	}
	img, err := lifecycle.ReadImage(platform(ts).ImageDir())
	ts.Check(err)
	data, err := img.File(args[0])
	if neg {
		if err == nil {
			ts.Fatalf("%s is in the image", args[0])
		}
		return
	}
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
}

// cnbconfig: print the exported image's config, one item a line:
// entrypoint, working directory, user, environment, the launch layers
// (buildpack:layer) and the processes (type: command).
func cmdCNBConfig(ts *testscript.TestScript, neg bool, args []string) {
	img, err := lifecycle.ReadImage(platform(ts).ImageDir())
	ts.Check(err)
	c := img.Config
	fmt.Fprintf(ts.Stdout(), "entrypoint %s\nworkdir %s\nuser %s\n", strings.Join(c.Entrypoint, " "), c.WorkingDir, c.User)
	for _, e := range c.Env {
		fmt.Fprintf(ts.Stdout(), "env %s\n", e)
	}
	var lmd struct {
		Buildpacks []struct {
			Key    string                     `json:"key"`
			Layers map[string]json.RawMessage `json:"layers"`
		} `json:"buildpacks"`
	}
	ts.Check(json.Unmarshal([]byte(c.Labels["io.buildpacks.lifecycle.metadata"]), &lmd))
	for _, bp := range lmd.Buildpacks {
		for name := range bp.Layers {
			fmt.Fprintf(ts.Stdout(), "layer %s:%s\n", bp.Key, name)
		}
	}
	var bmd struct {
		Processes []struct {
			Type    string   `json:"type"`
			Command []string `json:"command"`
		} `json:"processes"`
	}
	ts.Check(json.Unmarshal([]byte(c.Labels["io.buildpacks.build.metadata"]), &bmd))
	for _, p := range bmd.Processes {
		fmt.Fprintf(ts.Stdout(), "process %s: %s\n", p.Type, strings.Join(p.Command, " "))
	}
}

// lockFile takes an exclusive lock on path, waiting for it: two runs of a
// script share its platform directories one after the other.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
