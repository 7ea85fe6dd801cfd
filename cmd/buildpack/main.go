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
// the app's directory by bin/build. BUILDPACK_DIR names the buildpack's
// own directory (buildpack.toml).
//
// It holds only what a build runs; the tooling (local deploy, benchmark,
// release) is cmd/dev.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cnb"
	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
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

// A phase of the program, as the bin/ shims run it.
type command struct {
	name, args, desc string
}

// commands are the program's phases, in the order help lists them.
var commands = []command{
	{"compile", "BUILD_DIR CACHE_DIR [ENV_DIR]", "build the app in BUILD_DIR (run by bin/compile)"},
	{"test-compile", "BUILD_DIR CACHE_DIR [ENV_DIR]", "build the app and its tests for Heroku CI (run by bin/test-compile)"},
	{"test", "BUILD_DIR [ENV_DIR]", "run the app's tests for Heroku CI (run by bin/test)"},
	{"report", "BUILD_DIR [CACHE_DIR [ENV_DIR]]", "print the facts of the last build of BUILD_DIR as YAML (run by bin/report)"},
	{"build", "LAYERS_DIR PLATFORM_DIR PLAN_PATH", "the Cloud Native Buildpack build phase, in the app's directory (run by bin/build)"},
	{"help", "", "print this help"},
}

// usage is the program's help: one line per phase.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: buildpack COMMAND ARGS...\n\nThe Go buildpack's program; the bin/ shims run its commands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-12s %s\n", c.name, c.desc)
	}
	b.WriteString("\nRun 'buildpack COMMAND -h' for a command's arguments.\n")
	return b.String()
}

// commandUsage is the usage of one command.
func commandUsage(c command) string {
	return fmt.Sprintf("usage: buildpack %s %s\n\n%s.\n", c.name, c.args, strings.ToUpper(c.desc[:1])+c.desc[1:])
}

// isHelp reports whether arg asks for help, as the flag package takes it.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// run dispatches a phase and maps its result to an exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	log := output.New(stdout, stderr)
	defer func() {
		if p := recover(); p != nil {
			log.Fail(fmt.Errorf("internal error in the Go buildpack: %v\n\nPlease report it with this build log at %s\n\n%s", p, remedy.IssuesURL, debug.Stack()))
			code = 3
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	if args[0] == "help" || isHelp(args[0]) {
		fmt.Fprint(stdout, usage())
		return 0
	}
	var cmd command
	for _, c := range commands {
		if c.name == args[0] {
			cmd = c
		}
	}
	if cmd.name == "" {
		fmt.Fprintf(stderr, "buildpack: unknown command %q; run 'buildpack help'\n", args[0])
		return 2
	}
	if len(args) > 1 && isHelp(args[1]) {
		fmt.Fprint(stdout, commandUsage(cmd))
		return 0
	}
	usage := func() int {
		fmt.Fprint(stderr, commandUsage(cmd))
		return 2
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
