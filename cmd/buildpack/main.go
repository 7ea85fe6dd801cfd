// Command buildpack is the Go buildpack's program. The bin/ shims build it
// and run it with the phase as its first argument:
//
//	buildpack compile BUILD_DIR CACHE_DIR [ENV_DIR]
//	buildpack test-compile BUILD_DIR CACHE_DIR [ENV_DIR]
//	buildpack test BUILD_DIR [ENV_DIR]
//	buildpack report BUILD_DIR [CACHE_DIR [ENV_DIR]]
//	buildpack build LAYERS_DIR PLATFORM_DIR PLAN_PATH
//
// build is the Cloud Native Buildpack build phase (internal/cnb), run in
// the app's directory by bin/build. BUILDPACK_DIR names the buildpack's own directory (buildpack.toml).
//
// Run in the buildpack's directory, it also deploys an app locally, as
// Heroku would (see internal/deploy):
//
//	go run ./cmd/buildpack deploy [--cnb [--lifecycle DIR]] [-e KEY=VALUE]... [--env-file FILE] [--cache DIR] [--slug FILE] [--no-run] [--port N] APPDIR
//
// It builds the release binaries of the program and pins them in
// buildpack.toml, or checks the pins (see internal/prebuilt):
//
//	go run ./cmd/buildpack release [-check] [-out DIR] [-cache DIR] [-buildpack DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/bench"
	"github.com/gobuildpack/heroku-buildpack-go/internal/cnb"
	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/deploy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/herokuci"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/prebuilt"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usageText = `usage: buildpack compile BUILD_DIR CACHE_DIR [ENV_DIR]
       buildpack test-compile BUILD_DIR CACHE_DIR [ENV_DIR]
       buildpack test BUILD_DIR [ENV_DIR]
       buildpack report BUILD_DIR [CACHE_DIR [ENV_DIR]]
       buildpack build LAYERS_DIR PLATFORM_DIR PLAN_PATH
       buildpack deploy [--cnb [--lifecycle DIR]] [-e KEY=VALUE]... [--env-file FILE] [--cache DIR] [--slug FILE] [--no-run] [--port N] APPDIR
       buildpack bench [-warm N] [-cold N] [-buildpack DIR] [-release-cache DIR] [APP_DIR]
       buildpack release [-check] [-out DIR] [-cache DIR] [-buildpack DIR]
`

// run dispatches a phase and maps its result to an exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	log := output.New(stdout, stderr)
	defer func() {
		if p := recover(); p != nil {
			log.Fail(fmt.Errorf("internal error in the Go buildpack: %v\n\nPlease report it with this build log at %s\n\n%s", p, remedy.IssuesURL, debug.Stack()))
			code = 3
		}
	}()
	usage := func() int {
		fmt.Fprint(stderr, usageText)
		return 2
	}
	if len(args) == 0 {
		return usage()
	}
	var err error
	switch args[0] {
	case "compile", "test-compile":
		if len(args) < 3 || len(args) > 4 {
			return usage()
		}
		o := compile.Options{
			BuildDir:     args[1],
			CacheDir:     args[2],
			BuildpackDir: os.Getenv("BUILDPACK_DIR"),
			Log:          log,
		}
		if len(args) == 4 {
			o.EnvDir = args[3]
		}
		if err = absPaths(&o.BuildDir, &o.CacheDir, &o.EnvDir); err != nil {
			break
		}
		if args[0] == "test-compile" {
			err = herokuci.TestCompile(ctx, o)
		} else {
			err = compile.Run(ctx, o)
		}
		if self, serr := os.Executable(); serr == nil {
			prebuilt.TrimCache(o.CacheDir, self)
		}
	case "build":
		if len(args) != 4 {
			return usage()
		}
		o := cnb.Options{LayersDir: args[1], PlatformDir: args[2], BuildpackDir: os.Getenv("BUILDPACK_DIR"), Log: log}
		if o.AppDir, err = os.Getwd(); err == nil {
			if err = absPaths(&o.LayersDir, &o.PlatformDir); err == nil {
				err = cnb.Build(ctx, o)
			}
		}
		// bin/build keeps the program in the cache layer LAYERS_DIR/program.
		if self, serr := os.Executable(); serr == nil {
			prebuilt.TrimCache(filepath.Join(o.LayersDir, "program"), self)
		}
	case "bench":
		err = runBench(ctx, args[1:], stdout, stderr)
	case "release":
		err = runRelease(ctx, args[1:], log, stderr)
	case "test":
		if len(args) < 2 || len(args) > 3 {
			return usage()
		}
		o := herokuci.TestOptions{BuildDir: args[1], Stdout: stdout, Stderr: stderr}
		if len(args) == 3 {
			o.EnvDir = args[2]
		}
		if err = absPaths(&o.BuildDir, &o.EnvDir); err == nil {
			err = herokuci.Test(ctx, o)
		}
	case "report":
		if len(args) < 2 || len(args) > 4 {
			return usage()
		}
		err = report.Print(stdout, args[1])
	case "deploy":
		o, perr := deploy.ParseArgs(args[1:], stderr)
		if perr != nil {
			return 2
		}
		o.BuildpackDir, o.Stdout, o.Stderr = os.Getenv("BUILDPACK_DIR"), stdout, stderr
		err = deploy.Run(ctx, o)
	default:
		return usage()
	}
	if err != nil {
		log.Fail(err)
		return 1
	}
	return 0
}

// absPaths makes the non-empty paths absolute: the go command runs in the
// app directory, so relative paths given on the command line would move.
func absPaths(paths ...*string) error {
	for _, p := range paths {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	return nil
}

// runBench parses the bench flags and runs the benchmark.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := bench.Options{Out: stdout, GOPROXY: os.Getenv("GOPROXY")}
	fs.IntVar(&o.WarmRuns, "warm", 9, "warm runs of each kind")
	fs.IntVar(&o.ColdRuns, "cold", 3, "cold runs of each kind (0 skips them)")
	fs.StringVar(&o.BuildpackDir, "buildpack", ".", "the buildpack's directory")
	fs.StringVar(&o.ReleaseCache, "release-cache", "", "the release command's cache (default: in the user cache directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.ReleaseCache == "" {
		dir, err := releaseCache()
		if err != nil {
			return err
		}
		o.ReleaseCache = dir
	}
	o.App = "testdata/apps/plain"
	if fs.NArg() > 0 {
		o.App = fs.Arg(0)
	}
	if err := absPaths(&o.App, &o.BuildpackDir); err != nil {
		return err
	}
	_, err := bench.Run(ctx, o)
	return err
}

// runRelease parses the release flags and builds or checks the release.
func runRelease(ctx context.Context, args []string, log *output.Log, stderr io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := prebuilt.Options{Log: log, GOPROXY: os.Getenv("GOPROXY"), GOSUMDB: os.Getenv("GOSUMDB")}
	fs.BoolVar(&o.Check, "check", false, "check the pins in buildpack.toml instead of writing them")
	fs.StringVar(&o.OutDir, "out", "", "where to write the binaries (default bin/.program; none with -check)")
	fs.StringVar(&o.CacheDir, "cache", "", "where to keep the toolchain and the build caches (default: in the user cache directory)")
	fs.StringVar(&o.BuildpackDir, "buildpack", ".", "the buildpack's directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("release: unexpected argument %q", fs.Arg(0))
	}
	if o.CacheDir == "" {
		dir, err := releaseCache()
		if err != nil {
			return err
		}
		o.CacheDir = dir
	}
	if err := absPaths(&o.BuildpackDir, &o.OutDir, &o.CacheDir); err != nil {
		return err
	}
	_, err := prebuilt.Release(ctx, o)
	return err
}

// releaseCache is the release command's default cache directory.
func releaseCache() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory (%v): give one with -cache DIR", err)
	}
	return filepath.Join(base, "gobuildpack", "release"), nil
}
