// Package deploy is the local deploy command: it runs this buildpack on
// an app directory exactly as Heroku does on `git push` (bin/detect,
// bin/compile BUILD_DIR CACHE_DIR ENV_DIR with config vars as files,
// bin/release), packs the slug, and starts the web process as a dyno
// (internal/dyno) until Ctrl-C.
package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appjson"
	bpcache "github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/dyno"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/procfile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
	"github.com/gobuildpack/heroku-buildpack-go/internal/shellwords"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// DefaultPort is the web process's PORT unless --port says otherwise.
const DefaultPort = 5000

// MaxSlug is Heroku's limit on the compressed slug size.
const MaxSlug = 500 << 20

// Options are the inputs of the deploy command.
type Options struct {
	AppDir       string
	Vars         map[string]string // config vars
	CacheDir     string            // "" for the app's own cache in the user cache dir
	SlugPath     string            // "" for slug.tgz next to the build directory
	NoRun        bool              // build only
	Keep         bool              // keep the build directory when the deploy ends
	Port         int               // the web process's PORT; 0 picks a free port
	BuildpackDir string            // "" to find it from the working directory
	// CNB builds with the Cloud Native Buildpacks lifecycle instead of
	// the classic bin/ scripts (see cnb.go).
	CNB bool
	// LifecycleDir holds the lifecycle binaries to use with CNB; "" builds
	// them from source into the user cache dir, once.
	LifecycleDir string
	// StoreDir holds the toolchains local deploys share (see share.go);
	// "" for the one in the user cache dir, "off" for none.
	StoreDir string
	Stdout   io.Writer
	Stderr   io.Writer
}

// Run deploys the app: it builds it and, unless o.NoRun, runs its web
// process until ctx ends (Ctrl-C), then stops it and returns nil.
func Run(ctx context.Context, o Options) error {
	log := output.New(o.Stdout, o.Stderr)
	app, err := filepath.Abs(o.AppDir)
	if err != nil {
		return err
	}
	if info, err := os.Stat(app); err != nil || !info.IsDir() {
		return remedy.Wrap(fmt.Errorf("deploy %s: not a directory", o.AppDir), "deploy", "Name the app's root directory, the one with go.mod.")
	}
	bp, err := buildpackDir(o.BuildpackDir)
	if err != nil {
		return err
	}
	if o.CNB {
		return runCNB(ctx, log, o, app, bp)
	}
	cache := o.CacheDir
	if cache == "" {
		if cache, err = defaultCache(app); err != nil {
			return err
		}
	}
	if cache, err = filepath.Abs(cache); err != nil {
		return err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return fmt.Errorf("create cache dir: %w", err)
	}
	work, err := os.MkdirTemp("", "gobuildpack-deploy-")
	if err != nil {
		return fmt.Errorf("create build dir: %w", err)
	}
	buildDir, envDir := filepath.Join(work, "build"), filepath.Join(work, "env")
	slugPath := o.SlugPath
	if slugPath == "" {
		slugPath = filepath.Join(work, "slug.tgz")
	} else if slugPath, err = filepath.Abs(slugPath); err != nil {
		return err
	}
	defer func() {
		os.RemoveAll(envDir)
		if o.Keep {
			if _, err := os.Stat(buildDir); err == nil {
				log.Step("Kept the build directory %s", buildDir)
				log.Detail("its build report: %s", reportCommand(bp, buildDir))
			}
			return
		}
		os.RemoveAll(buildDir)
		if filepath.Dir(slugPath) != work {
			os.RemoveAll(work)
		}
	}()

	// The build, as on Heroku.
	done := log.Timed("Copying %s into %s", app, buildDir)
	ignored, warnings, err := copyApp(app, buildDir)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		log.Warn("%s", w)
	}
	if ignored > 0 {
		log.Detail("left out %d paths that .slugignore names, as Heroku removes them before the build", ignored)
	}
	if err := writeEnvDir(envDir, o.Vars); err != nil {
		return err
	}
	log.Detail("cache: %s", cache)
	log.Detail("config vars: %s", names(o.Vars))
	store, sharing := o.store()
	appToolchains := toolchains(bpcache.New(cache).Toolchains())
	if sharing {
		if linked := seed(log, store, appToolchains, appReleases(bp, buildDir, o.Vars, store)); len(linked) > 0 {
			log.Detail("linked %s into the cache from the toolchains local deploys share, %s", strings.Join(linked, ", "), store.Dir)
		}
	}
	done()

	done = log.Timed("Running bin/detect")
	var detected strings.Builder
	if err := run(ctx, bp, &detected, o.Stderr, "detect", buildDir); err != nil {
		return remedy.Wrap(fmt.Errorf("bin/detect: the Go buildpack does not build %s (%w)", app, err), "no-go-mod",
			"A Go app has go.mod in its root directory: create it with `go mod init example.com/yourapp`.")
	}
	log.Detail("%s app detected", strings.TrimSpace(detected.String()))
	done()

	err = run(ctx, bp, o.Stdout, o.Stderr, "compile", buildDir, cache, envDir)
	if sharing {
		share(log, appToolchains, store)
	}
	if err != nil {
		return fmt.Errorf("build the app: bin/compile: %w (the build log above says why)", err)
	}
	os.RemoveAll(envDir)

	done = log.Timed("Running bin/release")
	var release strings.Builder
	if err := run(ctx, bp, &release, o.Stderr, "release", buildDir); err != nil {
		return fmt.Errorf("bin/release: %w", err)
	}
	if err := processTypes(log, buildDir, []byte(release.String())); err != nil {
		return err
	}
	command, source, err := dyno.Command(buildDir, "web", []byte(release.String()))
	if err != nil {
		return remedy.Wrap(err, "procfile", "Declare the web process in the Procfile, e.g. `web: ./app`.")
	}
	log.Detail("web: %s (from %s)", command, source)
	done()

	done = log.Timed("Compressing the slug")
	size, err := writeSlug(buildDir, slugPath)
	if err != nil {
		return err
	}
	log.Detail("%s: %s", output.Size(size), slugPath)
	if size > MaxSlug {
		log.Warn("the slug is %s, more than Heroku's limit of %s: Heroku would refuse it", output.Size(size), output.Size(MaxSlug))
	}
	done()
	if o.NoRun {
		return nil
	}
	return serve(ctx, log, o, buildDir, command, source)
}

// serve runs the web process until ctx ends or the process exits.
func serve(ctx context.Context, log *output.Log, o Options, buildDir, command, source string) error {
	port, err := webPort(log, o)
	if err != nil {
		return err
	}
	done := log.Timed("Starting web: %s (PORT=%d, as a dyno)", command, port)
	p, err := dyno.Start(dyno.Config{Dir: buildDir, Type: "web", Command: command, Port: port, Vars: o.Vars, Stdout: o.Stdout, Stderr: o.Stderr})
	if err != nil {
		return err
	}
	return watch(ctx, log, p, done, command, source, hintsFor(o.AppDir, buildDir, o.Vars))
}

// webPort is the web process's PORT: --port, or a free port for 0.
func webPort(log *output.Log, o Options) (int, error) {
	if _, ok := o.Vars["PORT"]; ok {
		log.Warn("ignoring the PORT config var: a dyno's PORT is set by the platform (use --port here)")
	}
	if o.Port != 0 {
		return o.Port, nil
	}
	return dyno.FreePort()
}

// watch waits for the started web process to listen (then ends the step
// done), and runs it until ctx ends (Ctrl-C), when it stops it as Heroku
// stops a dyno, or until it exits, which is an error.
func watch(ctx context.Context, log *output.Log, p *dyno.Process, done func(), command, source string, h crashHints) error {
	defer p.Kill()
	if err := p.WaitListening(ctx, dyno.BootTimeout); err != nil {
		if ctx.Err() != nil {
			p.Stop(dyno.StopGrace)
			return nil
		}
		return crashed(err, source, h)
	}
	log.Detail("listening on %s (Ctrl-C stops it)", p.URL())
	done()

	select {
	case <-p.Done():
		return crashed(&dyno.ExitError{Command: command, Err: p.Err()}, source, h)
	case <-ctx.Done():
	}
	done = log.Timed("Stopping the web process: SIGTERM, then SIGKILL after %s", output.Duration(dyno.StopGrace))
	// A second Ctrl-C kills it at once. Until Stop returns: the shell
	// running the command may be gone long before the app is.
	again := make(chan os.Signal, 1)
	signal.Notify(again, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(again)
	stopped := make(chan struct{})
	go func() {
		select {
		case <-again:
			log.Detail("Stopped again: SIGKILL to the web process")
			p.Kill()
		case <-stopped:
		}
	}()
	p.Stop(dyno.StopGrace)
	close(stopped)
	done()
	return nil
}

// processTypes prints the process types as Heroku does after a build.
func processTypes(log *output.Log, buildDir string, release []byte) error {
	pf, err := procfile.Read(files.AppFS(buildDir))
	if err != nil {
		return err
	}
	defaults, err := dyno.DefaultProcessTypes(release)
	if err != nil {
		return err
	}
	declared := "(none)"
	if pf != nil && len(pf.Types()) > 0 {
		declared = strings.Join(pf.Types(), ", ")
	}
	types := make([]string, 0, len(defaults))
	for t := range defaults {
		types = append(types, t)
	}
	sort.Strings(types)
	if len(types) == 0 {
		types = []string{"(none)"}
	}
	log.Detail("Procfile declares types     -> %s", declared)
	log.Detail("Default types for buildpack -> %s", strings.Join(types, ", "))
	return nil
}

// crashHints are what the deploy knows of why a web process may crash:
// the required config vars app.json declares that are not set, and how
// many Procfile warnings the build printed.
type crashHints struct {
	missing          []string
	procfileWarnings int
}

// hintsFor reads the crash hints of the app in appDir, built in buildDir
// (whose build report counts the Procfile warnings), run with vars.
func hintsFor(appDir, buildDir string, vars map[string]string) crashHints {
	var h crashHints
	if f, err := appjson.Read(files.AppFS(appDir)); err == nil && f != nil {
		h.missing = f.Missing(func(name string) bool { _, ok := vars[name]; return ok })
	}
	if b, err := report.Load(buildDir); err == nil {
		h.procfileWarnings = b.ProcfileWarnings
	}
	return h
}

// crashed explains a web process that exited or never listened.
func crashed(err error, source string, h crashHints) error {
	var exit *dyno.ExitError
	return remedy.Wrap(err, "deploy", "%s", crashFix(errors.As(err, &exit), source, h))
}

// crashFix is the fix of a web process that exited (else never listened)
// with the command from source: required config vars app.json declares
// that are not set are named, with how to set them for a local deploy
// (-e, --env-file; `heroku config:set` is the build's hint for Heroku),
// and the Procfile warnings are pointed to only when the build printed
// some.
func crashFix(exited bool, source string, h crashHints) string {
	var b strings.Builder
	if exited {
		fmt.Fprintf(&b, "It would crash on Heroku the same way (error H10). Its output is above; the command comes from %s.", source)
	} else {
		b.WriteString("Make the web process listen on the port in $PORT, e.g. http.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil).")
	}
	if len(h.missing) > 0 {
		sets := make([]string, len(h.missing))
		for i, name := range h.missing {
			sets[i] = "-e " + name + "=value"
		}
		fmt.Fprintf(&b, " app.json declares required config vars that are not set: %s; set them for this deploy with %s, or as NAME=value lines in a file given with --env-file FILE.",
			strings.Join(h.missing, ", "), strings.Join(sets, " "))
	}
	if exited && h.procfileWarnings > 0 {
		b.WriteString(" The build log's Procfile warnings above name the usual causes.")
	}
	return b.String()
}

// reportCommand is the command that prints the build report of the
// build directory buildDir, with the buildpack bp's bin/report.
func reportCommand(bp, buildDir string) string {
	return shellwords.ShellJoin([]string{filepath.Join(bp, "bin", "report"), buildDir})
}

// run runs bin/NAME of the buildpack.
func run(ctx context.Context, bp string, stdout, stderr io.Writer, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(bp, "bin", name), args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Env = os.Environ()
	return cmd.Run()
}

// buildpackDir finds this buildpack: dir when given, else the working
// directory or one of its parents holding buildpack.toml and bin/compile.
func buildpackDir(dir string) (string, error) {
	if dir != "" {
		return filepath.Abs(dir)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if isFile(filepath.Join(d, "buildpack.toml")) && isFile(filepath.Join(d, "bin", "compile")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", remedy.Wrap(fmt.Errorf("find the buildpack: no buildpack.toml and bin/compile in %s or its parents", wd), "deploy",
		"Run the command in the buildpack's directory (go run ./cmd/dev deploy APPDIR), or set BUILDPACK_DIR.")
}

// store returns the toolchains local deploys share, and whether there
// are any.
func (o Options) store() (toolchain.Cache, bool) {
	dir := o.StoreDir
	if dir == "" {
		dir = storeDir()
	}
	if dir == "" || dir == "off" {
		return toolchain.Cache{}, false
	}
	return toolchains(dir), true
}

// defaultCache is the app's own cache directory, kept between deploys.
func defaultCache(app string) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", remedy.Wrap(fmt.Errorf("find a cache dir: %w", err), "deploy", "Name one with --cache DIR.")
	}
	sum := sha256.Sum256([]byte(app))
	return filepath.Join(base, "gobuildpack", "apps", filepath.Base(app)+"-"+hex.EncodeToString(sum[:6])), nil
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir()
}
