// Package compile is the bin/compile pipeline, step by step: read the
// app's settings, choose and install a Go toolchain, download modules,
// build, and lay out the slug.
package compile

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/build"
	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/envdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gomod"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// Options are the inputs of bin/compile.
type Options struct {
	BuildDir     string
	CacheDir     string
	EnvDir       string
	BuildpackDir string
	Log          *output.Log
	// KeepToolchain puts the toolchain into the slug with go on PATH at
	// runtime (Heroku CI's bin/test-compile, GO_INSTALL_TOOLS_IN_IMAGE).
	KeepToolchain bool
}

// Cache is the layout of this buildpack's part of CACHE_DIR.
type Cache struct {
	Root string // CACHE_DIR/go
}

// Toolchains is where extracted toolchains live.
func (c Cache) Toolchains() string { return filepath.Join(c.Root, "toolchains") }

// GOMODCACHE is the module cache.
func (c Cache) GOMODCACHE() string { return filepath.Join(c.Root, "modcache") }

// GOCACHE is the build cache.
func (c Cache) GOCACHE() string { return filepath.Join(c.Root, "gocache") }

// SumDB holds the checksum database's verified tree head and tiles.
func (c Cache) SumDB() string { return filepath.Join(c.Root, "sumdb") }

// GOPATH is an otherwise empty GOPATH for the go command.
func (c Cache) GOPATH() string { return filepath.Join(c.Root, "gopath") }

// Run compiles the app in o.BuildDir, then saves the build's facts for
// bin/report.
func Run(ctx context.Context, o Options) (err error) {
	log := o.Log
	rep := report.New()
	defer func() { saveReport(log, rep, o, err) }()
	rep.Begin("detect")
	mf, err := manifest.Read(o.BuildpackDir)
	if err != nil {
		return err
	}
	vars, skipped, err := envdir.Read(o.EnvDir)
	if err != nil {
		return err
	}
	for _, name := range skipped {
		log.Warn("ignoring %q in ENV_DIR: not a config var name", name)
	}
	cache := Cache{Root: filepath.Join(o.CacheDir, "go")}
	keep := o.KeepToolchain || vars.Get("GO_INSTALL_TOOLS_IN_IMAGE") == "true"

	// Read the app.
	mod, err := readGoMod(o.BuildDir)
	if err != nil {
		return err
	}
	rep.Module, rep.ModulesRequired = mod.Module, mod.Requires
	stepDone(log, rep, "Go app detected: module %s", mod.Module)

	// Choose the Go release.
	rep.Begin("go_version")
	proxy, err := goproxy.New(vars.Get("GOPROXY"))
	if err != nil {
		return remedy.Wrap(fmt.Errorf("GOPROXY config var: %w", err), "config-vars",
			"Set GOPROXY to one or more proxy URLs separated by commas, e.g. heroku config:set GOPROXY=https://proxy.golang.org, or unset it.")
	}
	req, err := chooseRequest(mod, vars, mf)
	if err != nil {
		return err
	}
	tcCache := toolchain.Cache{Dir: cache.Toolchains(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
	v, err := resolve(ctx, req, proxy, tcCache)
	if err != nil {
		return err
	}
	rep.GoVersion, rep.GoVersionOrigin, rep.GoVersionRequested = v, report.Origin(req.Source), requested(req.Version, req.Source)
	stepDone(log, rep, "Using %s (from %s)", v, req.Source)
	if goversion.OlderThanGoDirective(v, mod.Go) {
		return remedy.Wrap(fmt.Errorf("%s (from %s) is older than the go directive in %s:%d (go %s), so the go command would refuse to build", v, req.Source, mod.Name, mod.GoLine, mod.Go),
			"go-version", "Ask for go%s or newer, or remove the setting so the go directive decides.", mod.Go)
	}

	// Install it.
	db, err := checksum.New(vars.Get("GOSUMDB"), proxyURLs(proxy), cache.SumDB(), proxy)
	if err != nil {
		return remedy.Wrap(fmt.Errorf("GOSUMDB config var: %w", err), "config-vars", "Unset GOSUMDB, or set it to \"name+key url\" of a checksum database.")
	}
	rep.Begin("toolchain")
	tc, ok := tcCache.Lookup(v)
	rep.ToolchainCacheHit = ok
	if ok {
		stepDone(log, rep, "Reusing %s from the cache", v)
	} else {
		done := timed(log, rep, "toolchain", "Installing %s", v)
		inst := &toolchain.Installer{Cache: tcCache, Download: proxy, Verify: db, Log: log}
		tc, err = inst.Install(ctx, v)
		if err != nil {
			return installError(ctx, err, v, proxy, tcCache, req)
		}
		done()
	}

	// Build.
	g := &build.Go{
		Bin: tc.Go(),
		Dir: o.BuildDir,
		Env: build.Env(os.Environ(), build.Settings{
			GOROOT:     tc.Root,
			GOCACHE:    cache.GOCACHE(),
			GOMODCACHE: cache.GOMODCACHE(),
			GOPATH:     cache.GOPATH(),
			Vars:       goVars(vars),
		}),
		Stdout: log.Indented(),
		Stderr: log.IndentedErr(),
	}
	defer flush(g)
	rep.ModuleCacheWarm, rep.BuildCacheWarm = warm(cache.GOMODCACHE()), warm(cache.GOCACHE())
	if mod.Requires > 0 {
		done := timed(log, rep, "modules", "Downloading modules")
		if err := g.Run(ctx, "mod", "download"); err != nil {
			return remedy.Wrap(err, "modules", "Check that go.mod and go.sum are committed and that `go mod download` works locally; for private modules see the README.")
		}
		done()
	}
	done := timed(log, rep, "build", "Building %s", mod.Module)
	args := []string{"build", "-trimpath", build.VCSFlag(o.BuildDir), "-o", "app", "."}
	log.Detail("go %s", strings.Join(args, " "))
	if err := g.Run(ctx, args...); err != nil {
		return buildError(err)
	}
	flush(g)
	done()
	rep.Binaries = binaries

	// Lay out the slug.
	rep.Begin("release")
	if err := slug.WriteProfile(o.BuildDir); err != nil {
		return err
	}
	if keep {
		rep.ToolchainKept = true
		done := timed(log, rep, "keep_toolchain", "Keeping %s in the slug", tc.Version)
		if err := slug.KeepToolchain(o.BuildDir, tc.Root); err != nil {
			return err
		}
		log.Detail("go is on PATH at runtime: $HOME/%s/bin/go", slug.ToolchainDir)
		done()
	}
	procs := []slug.Process{{Type: "web", Command: "./app"}}
	if err := slug.WriteRelease(o.BuildDir, procs); err != nil {
		return err
	}
	rep.Begin("release")
	stepDone(log, rep, "Discovered process types: web: ./app")
	checkApp(log, rep, o.BuildDir, vars, keep)
	return nil
}

// readGoMod reads the app's go.mod, turning the common failures into errors
// that say what to do.
func readGoMod(dir string) (*gomod.File, error) {
	mod, err := gomod.Read(filepath.Join(dir, "go.mod"), "go.mod")
	if errors.Is(err, gomod.ErrNotFound) {
		return nil, remedy.Wrap(errors.New("no go.mod in the app's root directory"), "no-go-mod",
			"Create one with `go mod init example.com/yourapp`, then commit go.mod (and go.sum) and deploy again.")
	}
	if err != nil {
		return nil, remedy.Wrap(err, "go-mod-errors", "Fix go.mod at the line shown (`go mod tidy` checks it locally), commit, and deploy again.")
	}
	return mod, nil
}

// chooseRequest decides which Go release to ask for.
func chooseRequest(mod *gomod.File, vars envdir.Vars, mf *manifest.Manifest) (goversion.Request, error) {
	in := goversion.Inputs{
		File:          mod.Name,
		ConfigVar:     vars.Get("GOVERSION"),
		Toolchain:     mod.Toolchain,
		ToolchainLine: mod.ToolchainLine,
		GoDirective:   mod.Go,
		GoLine:        mod.GoLine,
		Default:       mf.Go.DefaultVersion,
	}
	if c, ok := mod.Last("goVersion"); ok {
		if len(c.Args) != 1 {
			return goversion.Request{}, remedy.Wrap(fmt.Errorf("%s:%d: +heroku goVersion wants one version, got %d words", mod.Name, c.Line, len(c.Args)),
				"go-version", "Write it as `// +heroku goVersion 1.22` (newest 1.22.x) or `// +heroku goVersion go1.22.5` (exactly that release).")
		}
		in.Comment, in.CommentLine = c.Args[0], c.Line
	}
	req, err := goversion.Choose(in)
	if err != nil {
		return req, remedy.Wrap(err, "go-version", "Use a Go version such as 1.22 (newest 1.22.x), go1.22.5 (exactly that release) or go1.23rc1.")
	}
	return req, nil
}

// resolve turns the request into a release. An exact request needs no
// version list; a line request asks the proxy which releases exist.
func resolve(ctx context.Context, req goversion.Request, proxy *goproxy.Client, tcCache toolchain.Cache) (string, error) {
	if req.Kind == goversion.Exact {
		return req.Version, nil
	}
	available, err := releases(ctx, proxy, tcCache)
	if err != nil {
		return "", proxyError(err, proxy)
	}
	v, err := goversion.Resolve(req, available)
	if err != nil {
		return "", remedy.Wrap(err, "go-version", "Ask for a released Go version (see https://go.dev/doc/devel/release), or point GOPROXY at a proxy that serves it.")
	}
	return v, nil
}

// releases lists the Go releases the proxy serves for this platform.
func releases(ctx context.Context, proxy *goproxy.Client, tcCache toolchain.Cache) ([]string, error) {
	list, err := proxy.List(ctx, toolchain.ModulePath)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, mv := range list {
		if v := toolchain.ReleaseOf(mv, tcCache.GOOS, tcCache.GOARCH); v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}

// installError explains a failed toolchain install.
func installError(ctx context.Context, err error, v string, proxy *goproxy.Client, tcCache toolchain.Cache, req goversion.Request) error {
	var sec *checksum.SecurityError
	if errors.As(err, &sec) {
		return err
	}
	var se *goproxy.StatusError
	if errors.As(err, &se) && (se.Code == 403 || se.Code == 404 || se.Code == 410) {
		msg := fmt.Sprintf("%s (from %s) is not available from GOPROXY=%s for %s/%s", v, req.Source, proxy, tcCache.GOOS, tcCache.GOARCH)
		if se.Body != "" {
			msg += " (the proxy says: " + se.Body + ")"
		}
		fix := "Ask for a released Go version."
		if list, lerr := releases(ctx, proxy, tcCache); lerr == nil {
			if newest := goversion.NewestStable(list, version.Lang(v)); newest != "" {
				fix = fmt.Sprintf("The newest %s release is %s; write only the minor version (%s) to always get the newest patch release.", version.Lang(v), newest, strings.TrimPrefix(version.Lang(v), "go"))
			} else if newest := goversion.NewestStable(list, ""); newest != "" {
				fix = fmt.Sprintf("Ask for a released Go version; the newest is %s.", newest)
			}
		}
		return remedy.Wrap(errors.New(msg), "go-version", "%s", fix)
	}
	return proxyError(err, proxy)
}

// proxyError explains a failure to reach the module proxy.
func proxyError(err error, proxy *goproxy.Client) error {
	return remedy.Wrap(fmt.Errorf("%w (GOPROXY=%s)", err, proxy), "goproxy",
		"The module proxy could not be reached. Retry the build; if it keeps failing, check the GOPROXY config var.")
}

// buildError explains a failed go build: the compiler's errors are already in the log.
func buildError(err error) error {
	return remedy.Wrap(err, "build-errors", "Fix the errors shown above; `go build ./...` reproduces them locally.")
}

// proxyURLs returns the base URLs of the proxies.
func proxyURLs(c *goproxy.Client) []string {
	out := make([]string, len(c.Proxies))
	for i, e := range c.Proxies {
		out[i] = e.URL.String()
	}
	return out
}

// goVars returns the config vars passed to the go command.
func goVars(vars envdir.Vars) map[string]string {
	out := map[string]string{}
	for _, name := range []string{"GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB"} {
		if v, ok := vars.Lookup(name); ok {
			out[name] = v
		}
	}
	return out
}

func flush(g *build.Go) {
	for _, w := range []any{g.Stdout, g.Stderr} {
		if f, ok := w.(interface{ Flush() }); ok {
			f.Flush()
		}
	}
}
