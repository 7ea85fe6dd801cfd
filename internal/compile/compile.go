// Package compile is the bin/compile pipeline, step by step: read the
// app's settings, choose and install a Go toolchain, download modules,
// build every binary, and lay out the slug.
//
// Each step is a function that takes what it needs as arguments and
// returns what later steps need, so the compiler checks their order; the
// step's error says which step failed (a *StepError). What every step
// shares (the log, the clock, the cache, the options) is in run and never
// changes once the build has started. The report for bin/report is made
// once, when the build ends, from what the steps returned.
package compile

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/packages"
	"github.com/gobuildpack/heroku-buildpack-go/internal/procfile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
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
	// Phase is the phase that builds: bin/compile (the zero value),
	// Heroku CI's bin/test-compile, which keeps the toolchain and the
	// sources in the slug, or a Cloud Native Buildpack's bin/build.
	Phase settings.Phase
	// Stall and Backoff, when not zero, replace the module proxy client's
	// defaults: how long a response may send nothing, and the first wait
	// before a retry.
	Stall, Backoff time.Duration
	// Cache, when not nil, says where the cache's directories are instead
	// of CacheDir (a Cloud Native Buildpack's layers).
	Cache *cache.Dir
	// Installed, when not nil, is called with the toolchain the build uses
	// once it is installed, before the go command first runs: a Cloud
	// Native Buildpack drops the layers built with another Go release.
	Installed func(toolchain.Toolchain) error
}

// The kinds of temporary directory (files.TempDir) a build makes outside
// its cache, besides the private HOME of netrc.
const (
	tempCacheKind     = "cache"     // a stand-in for an unusable cache
	tempToolchainKind = "toolchain" // a toolchain for one build, when the cache is full
)

// run is what every step of one build shares.
type run struct {
	Options
	log   *output.Log
	cache cache.Dir
	clock *clock
	// toolchains fetches Go toolchains and the checksum database.
	toolchains *goproxy.Toolchains
	// cleanups remove what a layout step installed for the build only.
	cleanups []func()
}

// Result is what the shared steps produced: what the slug is laid out from.
type Result struct {
	Settings  *settings.Settings
	App       *appdir.App
	Toolchain toolchain.Toolchain
	Binaries  *Binaries
	// Lines makes the go command lines of the build's toolchain.
	Lines *gocmd.Lines
}

// Run compiles the app in o.BuildDir into a slug, then saves the build's
// facts for bin/report.
func Run(ctx context.Context, o Options) error {
	return RunWith(ctx, o, nil)
}

// Layout is what a layout step gets: what the shared steps built, the
// Procfile (nil when the app has none), and the steps every layout may
// use.
type Layout struct {
	*Result
	Procfile *procfile.File
	r        *run
	f        *facts
}

// LayOutFunc lays out what the shared steps built for the platform that
// runs the app.
type LayOutFunc func(l *Layout) error

// Timed begins the step name of the build, printing its step line, and
// returns the function that ends it, printing how long it took.
func (l *Layout) Timed(name, format string, args ...any) (done func()) {
	return l.r.timed(name, format, args...)
}

// PruneSources applies GO_SLUG_KEEP to the build directory: it removes the
// Go app's sources but the files its patterns name, and says in the log
// that they were removed from where ("the app image"). Its error is the
// slug_keep step's.
func (l *Layout) PruneSources(where string) error {
	return Failed("slug_keep", l.r.keepSources(l.Settings, where))
}

// RunWith is Run with layOut in place of the classic slug layout (nil for
// the slug): the shared steps, layOut, then the Procfile and app.json
// checks and the cache bounds, as Run does. An error of layOut is the
// release step's unless it says its step (Failed).
func RunWith(ctx context.Context, o Options, layOut LayOutFunc) (err error) {
	r := &run{Options: o, log: o.Log, cache: cache.New(o.CacheDir), clock: newClock()}
	if o.Cache != nil {
		r.cache = *o.Cache
	}
	var f facts
	defer func() { r.saveReport(&f, err) }()
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = Failed(failedStep(err), fmt.Errorf("the build was stopped (%v); what it had not finished was discarded, and the next build starts from the cache", context.Cause(ctx)))
		}
	}()
	r.clock.begin("detect")
	// What killed builds left outside their cache: private HOMEs that
	// still hold credentials, stand-in caches, temporary toolchains.
	files.RemoveStaleTemp(os.TempDir(), netrc.HomeKind, tempCacheKind, tempToolchainKind)
	if err := r.cache.Usable(); err != nil {
		tmp, terr := files.NewTempDir("", tempCacheKind)
		if terr != nil {
			return Failed("detect", fmt.Errorf("cache unusable (%v) and no temporary one: %w", err, terr))
		}
		defer tmp.Remove()
		r.log.Warn("the build cache cannot be used (%v); this build uses an empty temporary cache, so it is slower. "+
			"Clear it with `heroku builds:cache:purge` if it persists.", err)
		r.cache = cache.New(tmp.Path)
	}
	res, cleanup, err := r.build(ctx, &f)
	defer cleanup()
	defer func() {
		for _, c := range r.cleanups {
			c()
		}
	}()
	if err != nil {
		return err
	}
	// The Procfile is read once, after the hooks (which may write it).
	pf, pfErr := procfile.Read(files.AppFS(r.BuildDir))
	if layOut == nil {
		layOut = (*Layout).LayOutSlug
	}
	err = layOut(&Layout{Result: res, Procfile: pf, r: r, f: &f})
	if err != nil {
		return Failed("release", err)
	}
	f.laidOut = true
	f.checks = r.checkApp(res, pf, pfErr)
	r.trimCache()
	return nil
}

// build runs the steps from reading the settings to the post-compile hook,
// keeping what each returns in f. The caller runs cleanup when it is done
// with the result, even on error.
func (r *run) build(ctx context.Context, f *facts) (res *Result, cleanup func(), err error) {
	cleanup = func() {}
	s, tcs, err := r.readSettings()
	f.settings = s
	if err != nil {
		return nil, cleanup, Failed("detect", err)
	}
	r.toolchains = tcs
	if err := slug.CheckWritable(r.BuildDir); err != nil {
		return nil, cleanup, Failed("detect", remedy.Wrap(err, "what-gets-built", "Remove it from the repository; the build creates it."))
	}
	app := s.App
	r.appDetected(s)
	choice, err := r.chooseGo(ctx, s)
	f.choice = choice
	if err != nil {
		return nil, cleanup, Failed("go_version", err)
	}
	tc, removeGo, err := r.installGo(ctx, s, choice)
	if err != nil {
		return nil, cleanup, Failed("toolchain", err)
	}
	f.toolchain = &tc
	cleanup = removeGo
	if r.Installed != nil {
		if err := r.Installed(tc); err != nil {
			return nil, cleanup, Failed("toolchain", err)
		}
	}
	// After what installing the release did to the cache is said.
	r.warnUnsupported(ctx, choice, tc)
	goCmd, removeEnv, err := r.prepareGo(s, tc)
	cleanup = func() { removeEnv(); removeGo() }
	if err != nil {
		return nil, cleanup, Failed("toolchain", err)
	}
	f.caches, err = r.downloadModules(ctx, goCmd, s, app)
	if err != nil {
		return nil, cleanup, Failed("modules", err)
	}
	if err := r.runHook(ctx, goCmd, preCompileHook); err != nil {
		return nil, cleanup, Failed(hookStep(preCompileHook), err)
	}
	goCmd.snapshotGoMod()
	mains, err := r.findMains(ctx, goCmd, s, app, tc)
	if err != nil {
		return nil, cleanup, Failed("packages", err)
	}
	bins, err := r.buildBinaries(ctx, goCmd, app, mains)
	if err != nil {
		return nil, cleanup, Failed("build", err)
	}
	f.binaries = bins
	if err := r.runHook(ctx, goCmd, postCompileHook); err != nil {
		return nil, cleanup, Failed(hookStep(postCompileHook), err)
	}
	return &Result{Settings: s, App: app, Toolchain: tc, Binaries: bins, Lines: goCmd.lines}, cleanup, nil
}

// Binaries are the main packages the build compiled into bin/.
type Binaries struct {
	Mains []packages.Main
	Web   packages.Main // the one ./app links to
}

// Others returns the binary names of the main packages other than the web one.
func (b *Binaries) Others() []string {
	var out []string
	for _, m := range b.Mains {
		if m.ImportPath != b.Web.ImportPath {
			out = append(out, m.Name)
		}
	}
	return out
}

// Paths returns the slug paths of the binaries: ./app, then bin/NAME for
// each, in build order. Nil has none.
func (b *Binaries) Paths() []string {
	if b == nil {
		return nil
	}
	out := []string{slug.AppBinary}
	for _, name := range b.Names() {
		out = append(out, slug.BinDir+"/"+name)
	}
	return out
}

// Names returns the binary names, in build order.
func (b *Binaries) Names() []string {
	out := make([]string, len(b.Mains))
	for i, m := range b.Mains {
		out[i] = m.Name
	}
	return out
}
