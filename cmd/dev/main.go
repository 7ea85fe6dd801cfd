// Command dev is the Go buildpack's tooling, run in the buildpack's
// directory; no build runs it (the bin/ shims run cmd/buildpack).
//
// It deploys an app locally, as Heroku would (see internal/deploy):
//
//	go run ./cmd/dev deploy [--cnb [--lifecycle DIR]] [-e KEY=VALUE]... [--env-file FILE] [--cache DIR] [--slug FILE] [--keep] [--no-run] [--port N] APPDIR
//
// benchmarks a build against the go command doing the same work by hand
// (see internal/bench):
//
//	go run ./cmd/dev bench [-warm N] [-cold N] [-install N] [-buildpack DIR] [-release-cache DIR] [APP_DIR]
//
// and builds the release (see internal/release): the binaries of the
// program, pinned in bin/pins.sh (or, with -check, checked against the
// pins), and the buildpack packaged with them for each channel, the
// classic buildpack.tgz and a Cloud Native Buildpack package per target
// (go-linux-amd64.cnb, go-linux-arm64.cnb):
//
//	go run ./cmd/dev release [-check] [-out DIR] [-cache DIR] [-buildpack DIR]
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/bench"
	"github.com/gobuildpack/heroku-buildpack-go/internal/deploy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/release"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// A command of the dev tool.
type command struct {
	name, args, desc string
}

// commands are the dev tool's commands, in the order help lists them.
var commands = []command{
	{"deploy", "[flags] APPDIR", "build an app and run its web process locally, as Heroku would"},
	{"bench", "[flags] [APP_DIR]", "time a build against the go command doing the same work by hand"},
	{"release", "[flags]", "build the program's release binaries and pin them in " + release.PinsFile},
	{"help", "", "print this help"},
}

// usage is the dev tool's help: one line per command.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: go run ./cmd/dev COMMAND [flags] [args]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.desc)
	}
	b.WriteString("\nRun 'go run ./cmd/dev COMMAND -h' for a command's flags.\n")
	return b.String()
}

// isHelp reports whether arg asks for help, as the flag package takes it.
func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}

// run dispatches a command and maps its result to an exit code: 0 for
// success and for help asked for, 2 for a command line it cannot use, 1
// for a command that failed.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	log := output.New(stdout, stderr)
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	if isHelp(args[0]) {
		fmt.Fprint(stdout, usage())
		return 0
	}
	var err error
	switch args[0] {
	case "deploy":
		var help bytes.Buffer
		o, perr := deploy.ParseArgs(args[1:], &help)
		if errors.Is(perr, flag.ErrHelp) {
			io.Copy(stdout, &help)
			return 0
		}
		io.Copy(stderr, &help)
		if perr != nil {
			return 2
		}
		o.BuildpackDir, o.Stdout, o.Stderr = os.Getenv("BUILDPACK_DIR"), stdout, stderr
		err = deploy.Run(ctx, o)
	case "bench":
		err = runBench(ctx, args[1:], stdout, stderr)
	case "release":
		err = runRelease(ctx, args[1:], log, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "dev: unknown command %q; run 'go run ./cmd/dev help'\n", args[0])
		return 2
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case err != nil:
		log.Fail(err)
		return 1
	}
	return 0
}

// errUsage is a command line a command cannot use; it has said why.
var errUsage = errors.New("bad usage")

// parseFlags parses a command's flags: its usage goes to stdout when
// asked for with -h (flag.ErrHelp), and to stderr with the reason for a
// command line it cannot use (errUsage).
func parseFlags(fs *flag.FlagSet, synopsis string, args []string, stdout, stderr io.Writer) error {
	var out bytes.Buffer
	fs.SetOutput(&out)
	fs.Usage = func() {
		fmt.Fprintln(&out, synopsis)
		fs.PrintDefaults()
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		io.Copy(stdout, &out)
		return err
	case err != nil:
		io.Copy(stderr, &out)
		return errUsage
	}
	return nil
}

// The synopses of the bench and release commands (deploy.Usage is the
// deploy command's).
const (
	benchUsage   = "usage: go run ./cmd/dev bench [-warm N] [-cold N] [-install N] [-buildpack DIR] [-release-cache DIR] [APP_DIR]"
	releaseUsage = "usage: go run ./cmd/dev release [-check] [-out DIR] [-cache DIR] [-buildpack DIR]"
)

// runBench parses the bench flags and runs the benchmark.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	o := bench.Options{Out: stdout, GOPROXY: os.Getenv("GOPROXY")}
	fs.IntVar(&o.WarmRuns, "warm", 9, "warm runs of each kind")
	fs.IntVar(&o.ColdRuns, "cold", 3, "cold runs of each kind (0 skips them)")
	fs.IntVar(&o.InstallRuns, "install", 5, "runs of the toolchain install and of unzip of the same zip (0 skips them)")
	fs.StringVar(&o.BuildpackDir, "buildpack", ".", "the buildpack's directory")
	fs.StringVar(&o.ReleaseCache, "release-cache", "", "the release command's cache (default: in the user cache directory)")
	if err := parseFlags(fs, benchUsage, args, stdout, stderr); err != nil {
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
func runRelease(ctx context.Context, args []string, log *output.Log, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	o := release.Options{Log: log, GOPROXY: os.Getenv("GOPROXY"), GOSUMDB: os.Getenv("GOSUMDB")}
	fs.BoolVar(&o.Check, "check", false, "check the pins in "+release.PinsFile+" instead of writing them")
	fs.StringVar(&o.OutDir, "out", "", "where to write the binaries, the packages and SHA256SUMS (default "+release.DistDir+", with the binaries also in "+release.ShippedDir+"; none with -check)")
	fs.StringVar(&o.CacheDir, "cache", "", "where to keep the toolchain and the build caches (default: in the user cache directory)")
	fs.StringVar(&o.BuildpackDir, "buildpack", ".", "the buildpack's directory")
	if err := parseFlags(fs, releaseUsage, args, stdout, stderr); err != nil {
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
	_, err := release.Release(ctx, o)
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

// absPaths makes the non-empty paths absolute.
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
