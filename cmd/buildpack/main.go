// Command buildpack is the Go buildpack's program. The bin/ shims build it
// and run it with the phase as its first argument:
//
//	buildpack compile BUILD_DIR CACHE_DIR [ENV_DIR]
//
// BUILDPACK_DIR names the buildpack's own directory (buildpack.toml).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/bench"
	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a phase and maps its result to an exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	log := output.New(stdout, stderr)
	usage := func() int {
		fmt.Fprintln(stderr, "usage: buildpack compile BUILD_DIR CACHE_DIR [ENV_DIR]")
		fmt.Fprintln(stderr, "       buildpack bench [-warm N] [-cold N] [-buildpack DIR] [APP_DIR]")
		return 2
	}
	if len(args) == 0 {
		return usage()
	}
	var err error
	switch args[0] {
	case "compile":
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
		if err = absPaths(&o.BuildDir, &o.CacheDir, &o.EnvDir); err == nil {
			err = compile.Run(ctx, o)
		}
	case "bench":
		err = runBench(ctx, args[1:], stdout, stderr)
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
	if err := fs.Parse(args); err != nil {
		return err
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
