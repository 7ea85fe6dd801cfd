package compile

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// goChoice is the Go release chosen to build the app, and the request it
// satisfies.
type goChoice struct {
	Version string // go1.22.12
	Request goversion.Request
}

// chooseGo decides which Go release builds the app and prints why.
func (r *run) chooseGo(ctx context.Context, s *settings.Settings) (goChoice, error) {
	r.clock.begin("go_version")
	app := s.App
	req, err := request(s, app)
	if err != nil {
		return goChoice{}, err
	}
	v := req.Version
	if req.Kind != goversion.Exact {
		available, err := r.releases(ctx)
		if err != nil {
			// Offline, a cached toolchain that satisfies the request will do.
			if cached, rerr := goversion.Resolve(req, r.toolchainCache().Installed()); rerr == nil {
				r.log.Warn("could not list Go releases (%v); using %s from the cache, which satisfies %s", err, cached, req)
				available = []string{cached}
			} else {
				return goChoice{}, r.proxyError(err, s)
			}
		}
		v, err = goversion.Resolve(req, available)
		var old *goversion.TooOldError
		if errors.As(err, &old) {
			return goChoice{}, remedy.Wrap(err, "go-version", "%s", old.Fix())
		}
		if err != nil {
			return goChoice{}, remedy.Wrap(err, "go-version", "Ask for a released Go version (see https://go.dev/doc/devel/release), or point GOPROXY at a proxy that serves it.")
		}
	}
	r.stepDone("Using %s (from %s)", v, req.Source)
	choice := goChoice{Version: v, Request: req}
	if vf := app.Version(); goversion.OlderThanGoDirective(v, vf.Go) {
		return choice, remedy.Wrap(fmt.Errorf("%s (from %s) is older than the go directive in %s:%d (go %s), so the go command would refuse to build", v, req.Source, vf.Name, vf.GoLine, vf.Go),
			"go-version", "Ask for go%s or newer, or remove the setting so the go directive decides.", vf.Go)
	}
	return choice, nil
}

// warnUnsupported warns when the Go team no longer supports the release,
// naming the setting that moves the app forward. It needs the list of
// releases: a build that fetched its toolchain asks the proxy (which just
// answered) when the list is not cached; one that reused it needs no
// network and uses the list it has, however old, or none.
func (r *run) warnUnsupported(ctx context.Context, choice goChoice, tc toolchain.Toolchain) {
	var list []string
	if tc.Reused {
		r.cache.Load("versions", r.releasesKey(), &list)
	} else if l, err := r.releases(ctx); err == nil {
		list = l
	}
	if w := goversion.UnsupportedWarning(choice.Version, choice.Request, list); w != "" {
		r.log.Warn("%s", w)
	}
}

// request gathers the places a Go version can come from.
func request(s *settings.Settings, app *appdir.App) (goversion.Request, error) {
	vf, settings := app.Version(), app.Settings()
	in := goversion.Inputs{
		File:          vf.Name,
		ConfigVar:     s.GoVersion,
		Toolchain:     vf.Toolchain,
		ToolchainLine: vf.ToolchainLine,
		GoDirective:   vf.Go,
		GoLine:        vf.GoLine,
		Default:       s.DefaultGo,
	}
	if cm, ok := settings.Last("goVersion"); ok {
		if len(cm.Args) != 1 {
			return goversion.Request{}, remedy.Wrap(fmt.Errorf("%s:%d: +heroku goVersion wants one version, got %d words", settings.Name, cm.Line, len(cm.Args)),
				"go-version", "Write it as `// +heroku goVersion 1.22` (newest 1.22.x) or `// +heroku goVersion go1.22.5` (exactly that release).")
		}
		in.Comment, in.CommentLine = cm.Args[0], cm.Line
		in.File = settings.Name
	}
	req, err := goversion.Choose(in)
	var old *goversion.TooOldError
	if errors.As(err, &old) {
		return req, remedy.Wrap(err, "go-version", "%s", old.Fix())
	}
	if err != nil {
		return req, remedy.Wrap(err, "go-version", "Use a Go version such as 1.22 (newest 1.22.x), go1.22.5 (exactly that release), go1.23rc1, or a constraint such as ^1.22.")
	}
	return req, nil
}

// VersionsTTL is how long the proxy's list of Go releases is reused
// before it is fetched again.
const VersionsTTL = 10 * time.Minute

// releases lists the Go releases the proxy serves for this platform. The
// list is cached for VersionsTTL; when the proxy cannot be reached, an
// older cached list is used, with a warning.
func (r *run) releases(ctx context.Context) ([]string, error) {
	tcCache := r.toolchainCache()
	key := r.releasesKey()
	var cached []string
	written, ok := r.cache.Load("versions", key, &cached)
	if ok && time.Since(written) < VersionsTTL {
		return cached, nil
	}
	list, err := r.toolchains.List(ctx, toolchain.ModulePath)
	if err != nil {
		if ok {
			r.log.Warn("could not refresh the list of Go releases (%v); using the one fetched %s ago", err, time.Since(written).Round(time.Minute))
			return cached, nil
		}
		return nil, err
	}
	var out []string
	for _, mv := range list {
		if v := toolchain.ReleaseOf(mv, tcCache.GOOS, tcCache.GOARCH); v != "" {
			out = append(out, v)
		}
	}
	r.cache.Save("versions", key, out)
	return out, nil
}

// releasesKey keys the cached list of releases by where it comes from.
func (r *run) releasesKey() string {
	tcCache := r.toolchainCache()
	return cache.Hash([]byte(r.toolchains.String()), []byte(r.toolchains.FallbackURL()), []byte(tcCache.GOOS+"-"+tcCache.GOARCH))
}

// installGo installs the chosen release, or reuses it from the cache.
// When the cache's disk is full, a classic build installs it into a
// temporary directory instead, which remove removes when the build ends;
// a Cloud Native Buildpack's toolchain is a layer, and has no such way
// out.
func (r *run) installGo(ctx context.Context, s *settings.Settings, choice goChoice) (tc toolchain.Toolchain, remove func(), err error) {
	remove = func() {}
	v := choice.Version
	tcCache := r.toolchainCache()
	r.clock.begin("toolchain")
	leftovers := tcCache.RemoveLeftovers()
	noteLeftovers := func() {
		if len(leftovers) > 0 {
			r.log.Detail("Removed what killed builds left in the cache: %s", strings.Join(leftovers, ", "))
		}
	}
	if tc, ok := tcCache.Lookup(v); ok {
		r.log.Step("Reusing %s from the cache", v)
		noteLeftovers()
		r.log.Detail("done in %s", output.Duration(r.clock.elapsed()))
		r.clock.end()
		tcCache.Touch(v)
		return tc, remove, nil
	}
	db, err := checksum.ForToolchains(s.SumDB, r.toolchains.SumDBProxies(), r.cache.SumDB(), r.toolchains, r.log)
	if err != nil {
		return toolchain.Toolchain{}, remove, remedy.Wrap(fmt.Errorf("GOSUMDB config var: %w", err), "config-vars", "Unset GOSUMDB, or set it to \"name+key url\" of a checksum database.")
	}
	done := r.timed("toolchain", "Installing %s", v)
	noteLeftovers()
	inst := &toolchain.Installer{Cache: tcCache, Download: r.toolchains, Verify: db, Log: r.log}
	tc, err = inst.Install(ctx, v)
	var full *toolchain.NoSpaceError
	if errors.As(err, &full) && full.Dir == tcCache.Dir && r.Cache == nil {
		tc, remove, err = r.installTemporary(ctx, inst, v, err)
		if err == nil {
			done()
			return tc, remove, nil
		}
	}
	if err != nil {
		return toolchain.Toolchain{}, remove, r.installError(ctx, s, err, choice)
	}
	tcCache.Touch(v)
	if removed := tcCache.Prune(cache.Toolchains, v); len(removed) > 0 {
		r.log.Detail("Removed %s from the cache (it keeps the %d most recently used toolchains)", strings.Join(removed, ", "), cache.Toolchains)
	}
	done()
	return tc, remove, nil
}

// installTemporary installs release v into a new temporary directory,
// after full, the error of installing it into the cache, whose disk is
// full. It returns the toolchain and the function that removes it, or an
// error.
func (r *run) installTemporary(ctx context.Context, inst *toolchain.Installer, v string, full error) (toolchain.Toolchain, func(), error) {
	tmp, err := files.NewTempDir("", tempToolchainKind)
	if err != nil {
		return toolchain.Toolchain{}, func() {}, full
	}
	r.log.Warn("%v. This build installs %s into a temporary directory instead, and the next one fetches it again "+
		"until there is room: free space in the cache, or purge it with `heroku builds:cache:purge`.", full, v)
	in := *inst
	in.Cache.Dir = tmp.Path
	tc, err := in.Install(ctx, v)
	if err != nil {
		tmp.Remove()
		return toolchain.Toolchain{}, func() {}, err
	}
	tc.Temporary = true
	return tc, func() { tmp.Remove() }, nil
}

// toolchainCache is the cache of toolchains for this machine's platform.
func (r *run) toolchainCache() toolchain.Cache {
	return toolchain.Cache{Dir: r.cache.Toolchains(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
}

// installError explains a failed toolchain install.
func (r *run) installError(ctx context.Context, s *settings.Settings, err error, choice goChoice) error {
	v := choice.Version
	var full *toolchain.NoSpaceError
	if errors.As(err, &full) {
		return remedy.Wrap(err, "disk-space",
			"Nothing was installed, and retrying cannot help until there is room: free space on that disk, or purge the build cache with `heroku builds:cache:purge`.")
	}
	var sec *checksum.SecurityError
	if errors.As(err, &sec) {
		return remedy.Wrap(err, "security", "Do not retry blindly: check which proxy GOPROXY names and whether something between it and this build rewrites downloads.")
	}
	var unreachable *checksum.UnreachableError
	if errors.As(err, &unreachable) {
		return remedy.Wrap(fmt.Errorf("%w (GOPROXY=%s)", err, r.toolchains), "goproxy",
			"A toolchain is never installed unverified, so the build stops here. Retry it; if it keeps failing, check GOSUMDB, and GOPROXY when the database is read through the proxy.")
	}
	if errors.Is(err, toolchain.ErrInvalidZip) {
		return remedy.Wrap(err, "security", "Nothing was installed. If it persists, the proxy serves a damaged or hostile zip: check which proxy GOPROXY names, or ask for another Go version.")
	}
	var se *goproxy.StatusError
	if errors.Is(err, goproxy.ErrNotFound) || errors.As(err, &se) && se.Code == 403 {
		tcCache := r.toolchainCache()
		list, _ := r.releases(ctx)
		na := goversion.NotAvailable(v, choice.Request, list)
		na.Proxy, na.Platform = r.toolchains.String(), tcCache.GOOS+"/"+tcCache.GOARCH
		if errors.As(err, &se) {
			na.Says = se.Body
		}
		if fb := r.toolchains.FallbackURL(); fb != "" {
			na.Proxy += " nor " + goproxy.ToolchainProxyVar + "=" + fb
		}
		return remedy.Wrap(na, "go-version", "%s", na.Fix())
	}
	return r.proxyError(err, s)
}

// proxyError explains a failed request to the module proxy: refused,
// or not reached.
func (r *run) proxyError(err error, s *settings.Settings) error {
	proxy := r.toolchains
	err = fmt.Errorf("%w (GOPROXY=%s)", err, proxy)
	var (
		se       *goproxy.StatusError
		refused  *goproxy.RefusedError
		tooLarge *goproxy.TooLargeError
		tooSlow  *goproxy.TooSlowError
	)
	switch {
	case errors.As(err, &refused):
		return remedy.Wrap(err, "goproxy",
			"Credentials are never sent over plain http, and a redirect from https to http (or past the 10th) is not followed, as the go command does: use an https:// URL, and have the proxy redirect to https only.")
	case errors.As(err, &tooLarge):
		return remedy.Wrap(err, "goproxy",
			"The answer is larger than any Go module proxy sends for it, so it was refused: check that GOPROXY (and %s) names a Go module proxy.", goproxy.ToolchainProxyVar)
	case errors.As(err, &tooSlow):
		return remedy.Wrap(err, "goproxy",
			"The download was given up rather than run past the build's time. Retry the build; if it keeps failing, check the proxy GOPROXY (or %s) names, or point it at a faster one.", goproxy.ToolchainProxyVar)
	case errors.As(err, &se) && (se.Code == 401 || se.Code == 403):
		return remedy.Wrap(err, "private-modules",
			"The proxy refused the request. If it needs credentials, set GO_NETRC (machine HOST login USER password TOKEN); otherwise check GOPROXY.")
	case errors.Is(err, goproxy.ErrNotFound) && s.ToolchainProxy == nil:
		return remedy.Wrap(err, "goproxy",
			"The module proxy was reached but does not serve Go toolchains (golang.org/toolchain). Unset %s (heroku config:unset %s) so they come from %s, or point GOPROXY at a proxy that serves them.",
			goproxy.ToolchainProxyVar, goproxy.ToolchainProxyVar, goproxy.DefaultURL)
	case errors.Is(err, goproxy.ErrNotFound):
		return remedy.Wrap(err, "goproxy",
			"Neither GOPROXY nor %s serves Go toolchains (golang.org/toolchain): point one of them at a proxy that does, such as %s.", goproxy.ToolchainProxyVar, goproxy.DefaultURL)
	}
	return remedy.Wrap(err, "goproxy",
		"The module proxy could not be reached. Retry the build; if it keeps failing, check the GOPROXY config var.")
}
