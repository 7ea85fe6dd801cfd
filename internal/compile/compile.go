// Package compile is the bin/compile pipeline, step by step: read the
// app's settings, choose and install a Go toolchain, download modules,
// build every binary, and lay out the slug.
package compile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/build"
	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/envdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/hook"
	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/procfile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
	"github.com/gobuildpack/heroku-buildpack-go/internal/sbom"
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
	// Stall and Backoff, when not zero, replace the module proxy client's
	// defaults: how long a response may send nothing, and the first wait
	// before a retry.
	Stall, Backoff time.Duration
}

// compilation is the state one build carries from step to step.
type compilation struct {
	Options
	log   *output.Log
	cache cache.Dir
	rep   *report.Build

	manifest *manifest.Manifest
	vars     envdir.Vars
	config   *build.Config
	creds    []netrc.Line
	app      *appdir.App
	proxy    *goproxy.Client
	tc       toolchain.Toolchain
	goCmd    *build.Go
	req      goversion.Request // the Go release asked for, once chosen
	mains    []build.Main
	web      build.Main
}

// Run compiles the app in o.BuildDir, then saves the build's facts for
// bin/report.
func Run(ctx context.Context, o Options) (err error) {
	c := &compilation{Options: o, log: o.Log, cache: cache.New(o.CacheDir), rep: report.New()}
	defer func() { c.saveReport(err) }()
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = fmt.Errorf("the build was stopped (%v); what it had not finished was discarded, and the next build starts from the cache", context.Cause(ctx))
		}
	}()
	c.rep.Begin("detect")
	if err := c.cache.Usable(); err != nil {
		tmp, terr := os.MkdirTemp("", "gobuildpack-cache-")
		if terr != nil {
			return fmt.Errorf("cache unusable (%v) and no temporary one: %w", err, terr)
		}
		defer cache.RemoveAll(tmp)
		c.log.Warn("the build cache cannot be used (%v); this build uses an empty temporary cache, so it is slower. "+
			"Clear it with `heroku builds:cache:purge` if it persists.", err)
		c.cache = cache.New(tmp)
	}
	if err := c.readSettings(); err != nil {
		return err
	}
	if err := slug.CheckWritable(c.BuildDir); err != nil {
		return remedy.Wrap(err, "what-gets-built", "Remove it from the repository; the build creates it.")
	}
	if err := c.findApp(); err != nil {
		return err
	}
	v, err := c.chooseGo(ctx)
	if err != nil {
		return err
	}
	if err := c.installGo(ctx, v); err != nil {
		return err
	}
	home, err := c.prepareGoCommand()
	if err != nil {
		return err
	}
	if home != nil {
		defer home.Remove()
	}
	if err := c.downloadModules(ctx); err != nil {
		return err
	}
	if err := c.runHook(ctx, hook.PreCompile); err != nil {
		return err
	}
	if err := c.findMains(ctx); err != nil {
		return err
	}
	if err := c.build(ctx); err != nil {
		return err
	}
	if err := c.runHook(ctx, hook.PostCompile); err != nil {
		return err
	}
	if err := c.layOutSlug(); err != nil {
		return err
	}
	c.checkApp()
	c.trimCache()
	return nil
}

// readSettings reads buildpack.toml and the config vars.
func (c *compilation) readSettings() error {
	mf, err := manifest.Read(c.BuildpackDir)
	if err != nil {
		return err
	}
	c.manifest = mf
	vars, skipped, err := envdir.Read(c.EnvDir)
	if err != nil {
		return err
	}
	for _, name := range skipped {
		c.log.Warn("ignoring %q in ENV_DIR: not a config var name", name)
	}
	c.vars = vars
	c.config, err = build.ParseConfig(vars, os.Getenv("SOURCE_VERSION"))
	if err != nil {
		return remedy.Wrap(err, "config-vars", "Fix or unset the config var: heroku config:unset NAME.")
	}
	if data := vars.Get("GO_NETRC"); data != "" {
		c.creds, err = netrc.Parse(data)
		if err != nil {
			return remedy.Wrap(fmt.Errorf("GO_NETRC config var: %w", err), "private-modules",
				"GO_NETRC holds the content of a .netrc file: machine HOST login USER password TOKEN.")
		}
	}
	c.proxy, err = goproxy.New(vars.Get("GOPROXY"))
	if err != nil {
		return remedy.Wrap(fmt.Errorf("GOPROXY config var: %w", err), "config-vars",
			"Set GOPROXY to one or more proxy URLs separated by commas, e.g. heroku config:set GOPROXY=https://proxy.golang.org, or unset it.")
	}
	if c.Stall > 0 {
		c.proxy.Stall = c.Stall
	}
	if c.Backoff > 0 {
		c.proxy.Backoff = c.Backoff
	}
	if c.creds != nil {
		c.proxy.Credentials = func(host string) (string, string, bool) { return netrc.Lookup(c.creds, host) }
		c.log.Detail("Credentials for private hosts: from GO_NETRC (HTTPS only)")
	}
	if vars.Get("GO_INSTALL_TOOLS_IN_IMAGE") == "true" {
		c.KeepToolchain = true
	}
	return nil
}

// findApp locates the module or workspace to build.
func (c *compilation) findApp() error {
	app, err := appdir.Find(c.BuildDir, c.vars.Get("GO_APP_DIR"), c.vars.Get("GOWORK"))
	var several *appdir.SeveralError
	var setting *appdir.SettingError
	switch {
	case errors.Is(err, appdir.ErrNoGoMod):
		return remedy.Wrap(err, "no-go-mod",
			"Create one with `go mod init example.com/yourapp`, then commit go.mod (and go.sum) and deploy again.")
	case errors.As(err, &several):
		return remedy.Wrap(err, "app-dir", "Set GO_APP_DIR to the one to build, e.g. heroku config:set GO_APP_DIR=%s", several.Dirs[0])
	case errors.As(err, &setting):
		return remedy.Wrap(err, "app-dir", "Set GO_APP_DIR to the directory of the app's go.mod, relative to the repository root.")
	case err != nil:
		return remedy.Wrap(err, "go-mod-errors", "Fix the file at the line shown (`go mod tidy` checks go.mod locally), commit, and deploy again.")
	}
	c.app = app
	where := ""
	if app.Found != "" {
		where = fmt.Sprintf(" in %s (from %s)", app.Rel, app.Found)
	}
	if app.Mod != nil {
		c.rep.Module, c.rep.ModulesRequired = app.Mod.Module, app.Mod.Requires
	}
	c.stepDone("Go app detected: %s%s", app.Name(), where)
	if len(c.config.Applied) > 0 {
		c.log.Detail("Config vars for the build: %s", strings.Join(c.config.Applied, ", "))
	}
	names := make([]string, 0, len(c.config.Ignored))
	for name := range c.config.Ignored {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c.log.Warn("the %s config var is ignored: %s", name, c.config.Ignored[name])
	}
	return nil
}

// installGo installs release v, or reuses it from the cache.
func (c *compilation) installGo(ctx context.Context, v string) error {
	tcCache := c.toolchainCache()
	c.rep.Begin("toolchain")
	tc, ok := tcCache.Lookup(v)
	c.rep.ToolchainCacheHit = ok
	if ok {
		c.stepDone("Reusing %s from the cache", v)
		tcCache.Touch(v)
		c.tc = tc
		return nil
	}
	db, err := checksum.New(c.vars.Get("GOSUMDB"), proxyURLs(c.proxy), c.cache.SumDB(), c.proxy)
	if err != nil {
		return remedy.Wrap(fmt.Errorf("GOSUMDB config var: %w", err), "config-vars", "Unset GOSUMDB, or set it to \"name+key url\" of a checksum database.")
	}
	done := c.timed("toolchain", "Installing %s", v)
	inst := &toolchain.Installer{Cache: tcCache, Download: c.proxy, Verify: db, Log: c.log}
	c.tc, err = inst.Install(ctx, v)
	if err != nil {
		return c.installError(ctx, err, v)
	}
	tcCache.Touch(v)
	if removed := tcCache.Prune(cache.Toolchains, v); len(removed) > 0 {
		c.log.Detail("Removed %s from the cache (it keeps the %d most recently used toolchains)", strings.Join(removed, ", "), cache.Toolchains)
	}
	done()
	return nil
}

func (c *compilation) toolchainCache() toolchain.Cache {
	return toolchain.Cache{Dir: c.cache.Toolchains(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
}

// prepareGoCommand sets up the environment the go command runs in. With
// GO_NETRC it returns the private HOME holding the credentials, which the
// caller removes after the build.
func (c *compilation) prepareGoCommand() (*netrc.Home, error) {
	vars := map[string]string{}
	for k, v := range c.config.Env {
		vars[k] = v
	}
	if c.app.WorkPath != "" {
		vars["GOWORK"] = c.app.WorkPath
	} else {
		vars["GOWORK"] = "off"
	}
	var home *netrc.Home
	if data := c.vars.Get("GO_NETRC"); data != "" {
		var err error
		home, err = netrc.NewHome(os.TempDir(), data)
		if err != nil {
			return nil, err
		}
		vars["HOME"] = home.Dir
		vars["NETRC"] = home.Path()
	}
	c.goCmd = &build.Go{
		Bin: c.tc.Go(),
		Dir: c.app.Dir,
		Env: build.Env(os.Environ(), build.Settings{
			GOROOT:     c.tc.Root,
			GOCACHE:    c.cache.GOCACHE(),
			GOMODCACHE: c.cache.GOMODCACHE(),
			GOPATH:     c.cache.GOPATH(),
			Vars:       vars,
		}),
		Stdout: c.log.Indented(),
		Stderr: c.log.IndentedErr(),
	}
	return home, nil
}

// vendored reports whether the app vendors its modules.
func (c *compilation) vendored() bool {
	_, err := os.Stat(filepath.Join(c.app.Dir, "vendor", "modules.txt"))
	return err == nil
}

// downloadModules fills the module cache, unless the app vendors its
// modules, needs none, or needs exactly what the last build downloaded.
func (c *compilation) downloadModules(ctx context.Context) error {
	c.rep.ModuleCacheWarm, c.rep.BuildCacheWarm = warm(c.cache.GOMODCACHE()), warm(c.cache.GOCACHE())
	if c.vendored() {
		c.rep.Begin("modules")
		c.stepDone("Using vendored modules (vendor/modules.txt): no downloads")
		return nil
	}
	// In a workspace, requirements between its modules are not downloads:
	// the go command fetches what the build needs as it lists packages.
	if c.app.Work != nil || c.app.Mod.Requires == 0 {
		return nil
	}
	gomod, _ := os.ReadFile(filepath.Join(c.app.Dir, "go.mod"))
	gosum, _ := os.ReadFile(filepath.Join(c.app.Dir, "go.sum"))
	key := cache.Hash(gomod, gosum, []byte(c.config.Env["GOFLAGS"]), []byte(c.vars.Get("GOPROXY")), []byte(c.vars.Get("GONOPROXY")), []byte(c.vars.Get("GOPRIVATE")))
	needed := build.SumModules(gosum)
	have := build.CachedModules(c.cache.GOMODCACHE(), needed)
	// The record holds how many of go.sum's modules were in the cache after
	// the last download with the same go.mod and go.sum.
	var after int
	c.rep.Begin("modules")
	if _, ok := c.cache.Load("download", key, &after); ok && have >= after {
		c.stepDone("Reusing %s from the cache", plural(have, "module"))
		return nil
	}
	done := c.timed("modules", "Downloading modules")
	err := c.goCmd.Run(ctx, "mod", "download")
	c.flush()
	if err != nil {
		return goError(err, "modules", "Check that go.mod and go.sum are committed and that `go mod download` works locally; for private modules see GO_NETRC.")
	}
	after = build.CachedModules(c.cache.GOMODCACHE(), needed)
	c.log.Detail("Fetched %s, reused %d from the cache", plural(after-have, "module"), have)
	c.cache.Save("download", key, after)
	done()
	return nil
}

// runHook runs one of the app's build hooks with the toolchain on PATH.
func (c *compilation) runHook(ctx context.Context, name string) error {
	if _, err := os.Stat(filepath.Join(c.BuildDir, name)); err != nil {
		return nil
	}
	done := c.timed(strings.ReplaceAll(strings.TrimPrefix(name, "bin/go-"), "-", "_"), "Running %s", name)
	var env []string
	for _, kv := range c.vars.Exported() {
		if name, _, _ := strings.Cut(kv, "="); c.config.Ignored[name] == "" {
			env = append(env, kv)
		}
	}
	env = append(env, c.goCmd.Env...)
	_, err := hook.Run(ctx, c.BuildDir, name, env, c.log.Indented(), c.log.IndentedErr())
	c.flush()
	if err != nil {
		return remedy.Wrap(err, "hooks", "The hook's output is above. It runs with bash in the app's root, with go on PATH and the config vars set.")
	}
	done()
	return nil
}

// findMains lists the main packages to build and checks their names and cgo use.
func (c *compilation) findMains(ctx context.Context) error {
	c.rep.Begin("packages")
	patterns, from, err := c.packageSpec()
	if err != nil {
		return err
	}
	mains, err := c.listMains(ctx, patterns)
	if err != nil {
		return goError(err, "what-gets-built", fmt.Sprintf("The go command could not load %s (from %s); its errors are above.", strings.Join(patterns, " "), from))
	}
	if len(mains) == 0 {
		return remedy.Wrap(fmt.Errorf("no main package matches %s (from %s)", strings.Join(patterns, " "), from),
			"what-gets-built", "Add a main package, or name the ones to build in GO_INSTALL_PACKAGE_SPEC or a `// +heroku install ./cmd/...` comment in go.mod.")
	}
	if dups := build.DuplicateNames(mains); len(dups) > 0 {
		var parts []string
		for name, paths := range dups {
			parts = append(parts, fmt.Sprintf("bin/%s would be built from %s", name, strings.Join(paths, " and ")))
		}
		sort.Strings(parts)
		return remedy.Wrap(fmt.Errorf("two main packages have the same binary name: %s", strings.Join(parts, "; ")),
			"what-gets-built", "Rename one of the directories, or choose the packages to build with GO_INSTALL_PACKAGE_SPEC.")
	}
	if !c.config.CGO {
		for _, m := range mains {
			if len(m.Cgo) > 0 {
				return remedy.Wrap(fmt.Errorf("%s uses cgo (needed by %s), but builds have CGO_ENABLED=0", m.Cgo[len(m.Cgo)-1], m.ImportPath),
					"cgo", "Builds are static by default. If the app needs cgo, opt in with `heroku config:set CGO_ENABLED=1`; the binary then links against the stack's C libraries. Otherwise use a pure-Go package (e.g. modernc.org/sqlite instead of github.com/mattn/go-sqlite3).")
			}
		}
	}
	var modulePaths []string
	if c.app.Mod != nil {
		modulePaths = append(modulePaths, c.app.Mod.Module)
	}
	c.mains = mains
	web, obvious := build.Web(mains, modulePaths)
	c.web = web
	if !obvious {
		var names []string
		for _, m := range mains {
			names = append(names, m.Name)
		}
		c.log.Warn("several main packages (%s) and none is the module's root package or named web: ./app is bin/%s. "+
			"To serve another, add a Procfile line such as `web: bin/%s`, or name its directory web.", strings.Join(names, ", "), web.Name, names[len(names)-1])
	}
	return nil
}

// listMains lists the main packages, reusing the last build's list when
// nothing that decides it has changed.
func (c *compilation) listMains(ctx context.Context, patterns []string) ([]build.Main, error) {
	key, err := build.PackagesKey(c.app.Dir, c.tc.Version, strings.Join(patterns, " "), c.app.WorkPath,
		c.config.Env["GOFLAGS"], c.config.Env["GOEXPERIMENT"], strings.Join(c.config.Tags, ","))
	if err == nil {
		var mains []build.Main
		if _, ok := c.cache.Load("packages", key, &mains); ok {
			return mains, nil
		}
	}
	mains, lerr := build.ListMains(ctx, c.goCmd, patterns)
	c.flush()
	if lerr != nil {
		return nil, lerr
	}
	if err == nil {
		c.cache.Save("packages", key, mains)
	}
	return mains, nil
}

// packageSpec returns the package patterns to build and where they came from.
func (c *compilation) packageSpec() ([]string, string, error) {
	if spec := c.vars.Get("GO_INSTALL_PACKAGE_SPEC"); spec != "" {
		return strings.Fields(spec), "the GO_INSTALL_PACKAGE_SPEC config var", nil
	}
	settings := c.app.Settings()
	if cm, ok := settings.Last("install"); ok {
		if len(cm.Args) == 0 {
			return nil, "", remedy.Wrap(fmt.Errorf("%s:%d: +heroku install names no packages", settings.Name, cm.Line),
				"what-gets-built", "Write it as `// +heroku install ./cmd/web ./cmd/worker`.")
		}
		return cm.Args, fmt.Sprintf("the +heroku install comment in %s:%d", settings.Name, cm.Line), nil
	}
	if c.app.Mod == nil {
		return c.app.Patterns(), "every main package in the workspace", nil
	}
	return c.app.Patterns(), "every main package in the app", nil
}

// build compiles the main packages into bin/ and links ./app.
func (c *compilation) build(ctx context.Context) error {
	var pkgs, names []string
	for _, m := range c.mains {
		pkgs = append(pkgs, m.ImportPath)
		names = append(names, m.Name)
	}
	if err := slug.PrepareBinDir(c.BuildDir, names); err != nil {
		return remedy.Wrap(err, "what-gets-built", "Rename or move it.")
	}
	binDir := filepath.Join(c.BuildDir, slug.BinDir)
	restored := c.cache.RestoreBinaries(binDir, names)
	what := pkgs[0]
	if len(pkgs) > 1 {
		what = fmt.Sprintf("%d packages", len(pkgs))
	}
	done := c.timed("build", "Building %s", what)
	args := []string{"build", "-trimpath", build.VCSFlag(c.app.Dir)}
	if c.vendored() && !strings.Contains(c.config.Env["GOFLAGS"], "-mod=") {
		args = append(args, "-mod=vendor")
	}
	args = append(args, c.config.BuildArgs()...)
	out, err := filepath.Rel(c.app.Dir, filepath.Join(c.BuildDir, slug.BinDir))
	if err != nil {
		return err
	}
	args = append(args, "-o", out+string(filepath.Separator))
	args = append(args, pkgs...)
	c.log.Detail("go %s", build.ShellJoin(args))
	err = c.goCmd.Run(ctx, args...)
	c.flush()
	if err != nil {
		return goError(err, "build-errors", "Fix the errors shown above; `go build ./...` reproduces them locally.")
	}
	if err := slug.LinkApp(c.BuildDir, c.web.Name); err != nil {
		return remedy.Wrap(err, "what-gets-built", "Rename it.")
	}
	if restored > 0 {
		c.log.Detail("Restored %s from the last build: unchanged ones are not linked again", plural(restored, "binary"))
	}
	if err := c.cache.SaveBinaries(binDir, names); err != nil {
		c.log.Warn("could not keep the binaries for the next build: %v", err)
	}
	for _, m := range c.mains {
		c.log.Detail("bin/%s <- %s", m.Name, m.ImportPath)
	}
	c.log.Detail("./app is bin/%s", c.web.Name)
	c.rep.Binaries = append([]string{slug.AppBinary}, binPaths(names)...)
	done()
	return nil
}

// layOutSlug writes .profile.d, the process types, the export file for
// later buildpacks and, when asked, the toolchain.
func (c *compilation) layOutSlug() error {
	c.rep.Begin("release")
	if err := slug.WriteProfile(c.BuildDir); err != nil {
		return err
	}
	if err := c.writeSBOM(filepath.Join(c.BuildDir, sbom.SlugFile)); err != nil {
		c.log.Warn("%v", err)
	}
	if c.KeepToolchain {
		c.rep.ToolchainKept = true
		done := c.timed("keep_toolchain", "Keeping %s in the slug", c.tc.Version)
		if err := slug.KeepToolchain(c.BuildDir, c.tc.Root); err != nil {
			return err
		}
		c.log.Detail("go is on PATH at runtime: $HOME/%s/bin/go", slug.ToolchainDir)
		done()
	}
	if c.BuildpackDir != "" {
		if err := slug.WriteExport(filepath.Join(c.BuildpackDir, "export"), c.tc.Root); err != nil {
			c.log.Warn("%v: buildpacks after this one will not find go on PATH", err)
		}
	}
	c.rep.Begin("release")
	pf, err := procfile.Read(os.DirFS(c.BuildDir))
	if err != nil {
		c.log.Warn("%v", err)
	}
	var others []string
	for _, m := range c.mains {
		if m.ImportPath != c.web.ImportPath {
			others = append(others, m.Name)
		}
	}
	procs := slug.ProcessTypes(others, pf.Commands())
	if err := slug.WriteRelease(c.BuildDir, procs); err != nil {
		return err
	}
	var desc []string
	for _, p := range procs {
		desc = append(desc, p.Type+": "+p.Command)
	}
	if len(desc) == 0 {
		desc = append(desc, "from the Procfile only")
	}
	c.rep.ProcessTypes = processTypes(procs, pf)
	c.stepDone("Default process types: %s", strings.Join(desc, ", "))
	if keep := c.vars.Get("GO_SLUG_KEEP"); keep != "" {
		pats, err := slug.ParseKeep(keep)
		if err != nil {
			return remedy.Wrap(fmt.Errorf("GO_SLUG_KEEP config var: %w", err), "slug", "List the files to keep besides the binaries as globs relative to the app, e.g. GO_SLUG_KEEP='templates/** static/**'.")
		}
		c.rep.Begin("slug_keep")
		n, size, err := slug.Prune(c.BuildDir, pats)
		if err != nil {
			return err
		}
		c.stepDone("Removed %d source files (%s) from the slug; kept %s", n, output.Size(size), strings.Join(pats, " "))
	}
	c.rep.Begin("slug")
	sz := slug.Size(c.BuildDir)
	c.rep.SlugBytes, c.rep.SlugFiles = sz.Total, sz.Files
	c.stepDone("Slug: %s before compression, %s of it binaries", output.Size(sz.Total), output.Size(sz.Binaries))
	return nil
}

// trimCache keeps the cache within its bounds.
func (c *compilation) trimCache() {
	r := c.cache.Trim(false)
	if r.GOCACHEAfter < r.GOCACHEBefore {
		c.log.Detail("Trimmed GOCACHE from %s to %s", output.Size(r.GOCACHEBefore), output.Size(r.GOCACHEAfter))
	}
	if r.ModCacheEmpty {
		c.cache.Forget("download")
		c.log.Detail("Emptied the module cache (%s, over its %s bound)", output.Size(r.ModCacheBefore), output.Size(cache.GOMODCACHELimit))
	}
}

// flush prints what the go command left on a partial line.
func (c *compilation) flush() {
	for _, w := range []any{c.goCmd.Stdout, c.goCmd.Stderr} {
		if f, ok := w.(interface{ Flush() }); ok {
			f.Flush()
		}
	}
}

// goError explains a failed go command, recognizing the failures with a
// known fix.
func goError(err error, section, fix string) error {
	var re *build.RunError
	if errors.As(err, &re) {
		switch {
		case strings.Contains(re.Stderr, "inconsistent vendoring"):
			return remedy.Wrap(err, "vendoring", "vendor/ does not match go.mod: run `go mod vendor` (or `go work vendor`) and commit vendor/.")
		case strings.Contains(re.Stderr, "missing go.sum entry"):
			return remedy.Wrap(err, "modules", "go.sum is missing entries: run `go mod tidy` and commit go.sum.")
		case strings.Contains(re.Stderr, "build constraints exclude all Go files") && strings.Contains(re.Stderr, "cgo"):
			return remedy.Wrap(err, "cgo", "The package needs cgo: opt in with `heroku config:set CGO_ENABLED=1`.")
		case strings.Contains(re.Stderr, "401 Unauthorized") || strings.Contains(re.Stderr, "403 Forbidden") || strings.Contains(re.Stderr, "terminal prompts disabled"):
			return remedy.Wrap(err, "private-modules", "A private module needs credentials: set GO_NETRC (and GOPRIVATE for modules the public checksum database cannot know).")
		}
	}
	return remedy.Wrap(err, section, "%s", fix)
}

// proxyURLs returns the base URLs of the proxies.
func proxyURLs(c *goproxy.Client) []string {
	out := make([]string, len(c.Proxies))
	for i, e := range c.Proxies {
		out[i] = e.URL.String()
	}
	return out
}

// plural returns "1 module", "2 modules", "3 binaries".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
