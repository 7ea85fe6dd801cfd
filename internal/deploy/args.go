package deploy

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Usage is the deploy command's synopsis.
const Usage = "usage: go run ./cmd/dev deploy [--cnb [--lifecycle DIR]] [-e KEY=VALUE]... [--env-file FILE] [--cache DIR] [--slug FILE] [--no-run] [--port N] APPDIR"

// ErrUsage is returned by ParseArgs for a command line it cannot use;
// the usage has been printed.
var ErrUsage = errors.New("deploy: bad usage")

var varName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseArgs reads the deploy command's flags and APPDIR, in any order.
// Config vars come from the env file first, then from -e flags in order.
// For -h it prints the usage and returns flag.ErrHelp.
func ParseArgs(args []string, stderr io.Writer) (Options, error) {
	o := Options{Port: DefaultPort, Vars: map[string]string{}}
	fs := flag.NewFlagSet("deploy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, Usage)
		fs.PrintDefaults()
	}
	var sets []string
	fs.Func("e", "set config var `KEY=VALUE` (repeatable)", func(s string) error {
		sets = append(sets, s)
		return nil
	})
	envFile := fs.String("env-file", "", "read config vars from `FILE`, KEY=VALUE lines")
	fs.StringVar(&o.CacheDir, "cache", "", "cache `DIR` (default: one per app in the user cache dir)")
	fs.StringVar(&o.SlugPath, "slug", "", "write the slug to `FILE` (default: slug.tgz next to the build dir)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the build directory, for bin/report BUILD_DIR (default: removed when the deploy ends)")
	fs.BoolVar(&o.NoRun, "no-run", false, "build only; do not start the web process")
	fs.BoolVar(&o.CNB, "cnb", false, "build as a Cloud Native Buildpack with the lifecycle, as Heroku's Fir does, and run the image's web process")
	fs.StringVar(&o.LifecycleDir, "lifecycle", "", "with --cnb, the lifecycle binaries (lifecycle, launcher) in `DIR` (default: built from source once)")
	fs.IntVar(&o.Port, "port", DefaultPort, "the web process's `PORT`; 0 picks a free port")
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return o, err
			}
			return o, ErrUsage
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	bad := func(format string, a ...any) (Options, error) {
		fmt.Fprintf(stderr, "deploy: "+format+"\n", a...)
		fs.Usage()
		return o, ErrUsage
	}
	if len(positional) != 1 {
		return bad("want one APPDIR, got %d", len(positional))
	}
	o.AppDir = positional[0]
	if o.CNB && o.SlugPath != "" {
		return bad("--slug is for the classic build; --cnb exports an image")
	}
	if o.CNB && o.Keep {
		return bad("--keep is for the classic build; --cnb keeps its build in the platform directories")
	}
	if o.LifecycleDir != "" && !o.CNB {
		return bad("--lifecycle goes with --cnb")
	}
	if o.Port < 0 || o.Port > 65535 {
		return bad("--port %d is not a TCP port", o.Port)
	}
	if *envFile != "" {
		data, err := os.ReadFile(*envFile)
		if err != nil {
			return bad("read env file: %v", err)
		}
		vars, err := ParseEnvFile(*envFile, data)
		if err != nil {
			return bad("%v", err)
		}
		for k, v := range vars {
			o.Vars[k] = v
		}
	}
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || !varName.MatchString(k) {
			return bad("-e %s: want KEY=VALUE with KEY a config var name", firstWord(s))
		}
		o.Vars[k] = v
	}
	return o, nil
}

// ParseEnvFile reads config vars from a .env file: KEY=VALUE lines, with
// blank lines, # comments and an `export ` prefix allowed. A value in
// single quotes is taken as written; one in double quotes may use the
// escapes \n, \t, \" and \\.
func ParseEnvFile(name string, data []byte) (map[string]string, error) {
	vars := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || !varName.MatchString(k) {
			return nil, fmt.Errorf("%s:%d: want KEY=VALUE", name, i+1)
		}
		v = strings.TrimSpace(v)
		switch {
		case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
			v = v[1 : len(v)-1]
		case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
			u, err := strconv.Unquote(v)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s: bad double-quoted value", name, i+1, k)
			}
			v = u
		}
		vars[k] = v
	}
	return vars, nil
}

// firstWord shows the name part of a bad -e argument, not a value.
func firstWord(s string) string {
	k, _, _ := strings.Cut(s, "=")
	return k + "=..."
}
