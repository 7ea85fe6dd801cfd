package compile

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"runtime"
	"strings"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// goChoice is the Go release chosen to build the app, and the request it
// satisfies.
type goChoice struct {
	Version string // go1.22.12
	Request goversion.Request
}

// chooseGo decides which Go release builds the app and prints why.
func (r *run) chooseGo(ctx context.Context, s *Settings, app *appdir.App) (goChoice, error) {
	r.rep.Begin("go_version")
	req, err := request(s, app)
	if err != nil {
		return goChoice{}, err
	}
	v := req.Version
	if req.Kind != goversion.Exact {
		available, err := r.releases(ctx, s)
		if err != nil {
			// Offline, a cached toolchain that satisfies the request will do.
			if cached, rerr := goversion.Resolve(req, r.toolchainCache().Installed()); rerr == nil {
				r.log.Warn("could not list Go releases (%v); using %s from the cache, which satisfies %s", err, cached, req)
				available = []string{cached}
			} else {
				return goChoice{}, proxyError(err, s.Proxy)
			}
		}
		v, err = goversion.Resolve(req, available)
		if err != nil {
			return goChoice{}, remedy.Wrap(err, "go-version", "Ask for a released Go version (see https://go.dev/doc/devel/release), or point GOPROXY at a proxy that serves it.")
		}
	}
	r.rep.GoVersion, r.rep.GoVersionOrigin, r.rep.GoVersionRequested = v, report.Origin(req.Source), requested(req.Version, req.Source)
	r.stepDone("Using %s (from %s)", v, req.Source)
	if vf := app.Version(); goversion.OlderThanGoDirective(v, vf.Go) {
		return goChoice{}, remedy.Wrap(fmt.Errorf("%s (from %s) is older than the go directive in %s:%d (go %s), so the go command would refuse to build", v, req.Source, vf.Name, vf.GoLine, vf.Go),
			"go-version", "Ask for go%s or newer, or remove the setting so the go directive decides.", vf.Go)
	}
	return goChoice{Version: v, Request: req}, nil
}

// request gathers the places a Go version can come from.
func request(s *Settings, app *appdir.App) (goversion.Request, error) {
	vf, settings := app.Version(), app.Settings()
	in := goversion.Inputs{
		File:          vf.Name,
		ConfigVar:     s.Vars.Get("GOVERSION"),
		Toolchain:     vf.Toolchain,
		ToolchainLine: vf.ToolchainLine,
		GoDirective:   vf.Go,
		GoLine:        vf.GoLine,
		Default:       s.Manifest.Go.DefaultVersion,
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
	if err != nil {
		return req, remedy.Wrap(err, "go-version", "Use a Go version such as 1.22 (newest 1.22.x), go1.22.5 (exactly that release) or go1.23rc1.")
	}
	return req, nil
}

// VersionsTTL is how long the proxy's list of Go releases is reused
// before it is fetched again.
const VersionsTTL = 10 * time.Minute

// releases lists the Go releases the proxy serves for this platform. The
// list is cached for VersionsTTL; when the proxy cannot be reached, an
// older cached list is used, with a warning.
func (r *run) releases(ctx context.Context, s *Settings) ([]string, error) {
	tcCache := r.toolchainCache()
	key := cache.Hash([]byte(s.Proxy.String()), []byte(tcCache.GOOS+"-"+tcCache.GOARCH))
	var cached []string
	written, ok := r.cache.Load("versions", key, &cached)
	if ok && time.Since(written) < VersionsTTL {
		return cached, nil
	}
	list, err := s.Proxy.List(ctx, toolchain.ModulePath)
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

// installGo installs the chosen release, or reuses it from the cache.
func (r *run) installGo(ctx context.Context, s *Settings, choice goChoice) (toolchain.Toolchain, error) {
	v := choice.Version
	tcCache := r.toolchainCache()
	r.rep.Begin("toolchain")
	tc, ok := tcCache.Lookup(v)
	r.rep.ToolchainCacheHit = ok
	if ok {
		r.stepDone("Reusing %s from the cache", v)
		tcCache.Touch(v)
		return tc, nil
	}
	db, err := checksum.ForToolchains(checksum.SettingsFrom(s.Vars), proxyURLs(s.Proxy), r.cache.SumDB(), s.Proxy, r.log)
	if err != nil {
		return toolchain.Toolchain{}, remedy.Wrap(fmt.Errorf("GOSUMDB config var: %w", err), "config-vars", "Unset GOSUMDB, or set it to \"name+key url\" of a checksum database.")
	}
	done := r.timed("toolchain", "Installing %s", v)
	inst := &toolchain.Installer{Cache: tcCache, Download: s.Proxy, Verify: db, Log: r.log}
	tc, err = inst.Install(ctx, v)
	if err != nil {
		return toolchain.Toolchain{}, r.installError(ctx, s, err, choice)
	}
	tcCache.Touch(v)
	if removed := tcCache.Prune(cache.Toolchains, v); len(removed) > 0 {
		r.log.Detail("Removed %s from the cache (it keeps the %d most recently used toolchains)", strings.Join(removed, ", "), cache.Toolchains)
	}
	done()
	return tc, nil
}

// toolchainCache is the cache of toolchains for this machine's platform.
func (r *run) toolchainCache() toolchain.Cache {
	return toolchain.Cache{Dir: r.cache.Toolchains(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
}

// proxyURLs returns the base URLs of the proxies.
func proxyURLs(c *goproxy.Client) []string {
	out := make([]string, len(c.Proxies))
	for i, e := range c.Proxies {
		out[i] = e.URL.String()
	}
	return out
}

// installError explains a failed toolchain install.
func (r *run) installError(ctx context.Context, s *Settings, err error, choice goChoice) error {
	v := choice.Version
	var sec *checksum.SecurityError
	if errors.As(err, &sec) {
		return remedy.Wrap(err, "security", "Do not retry blindly: check which proxy GOPROXY names and whether something between it and this build rewrites downloads.")
	}
	var unreachable *checksum.UnreachableError
	if errors.As(err, &unreachable) {
		return remedy.Wrap(fmt.Errorf("%w (GOPROXY=%s)", err, s.Proxy), "goproxy",
			"A toolchain is never installed unverified, so the build stops here. Retry it; if it keeps failing, check GOSUMDB, and GOPROXY when the database is read through the proxy.")
	}
	if errors.Is(err, toolchain.ErrInvalidZip) {
		return remedy.Wrap(err, "security", "Nothing was installed. If it persists, the proxy serves a damaged or hostile zip: check which proxy GOPROXY names, or ask for another Go version.")
	}
	var se *goproxy.StatusError
	if errors.As(err, &se) && (se.Code == 403 || se.Code == 404 || se.Code == 410) {
		tcCache := r.toolchainCache()
		msg := fmt.Sprintf("%s (from %s) is not available from GOPROXY=%s for %s/%s", v, choice.Request.Source, s.Proxy, tcCache.GOOS, tcCache.GOARCH)
		if se.Body != "" {
			msg += " (the proxy says: " + se.Body + ")"
		}
		fix := "Ask for a released Go version."
		if list, lerr := r.releases(ctx, s); lerr == nil {
			if newest := goversion.NewestStable(list, version.Lang(v)); newest != "" {
				fix = fmt.Sprintf("The newest %s release is %s; write only the minor version (%s) to always get the newest patch release.", version.Lang(v), newest, strings.TrimPrefix(version.Lang(v), "go"))
			} else if newest := goversion.NewestStable(list, ""); newest != "" {
				fix = fmt.Sprintf("Ask for a released Go version; the newest is %s.", newest)
			}
		}
		return remedy.Wrap(errors.New(msg), "go-version", "%s", fix)
	}
	return proxyError(err, s.Proxy)
}

// proxyError explains a failed request to the module proxy.
func proxyError(err error, proxy *goproxy.Client) error {
	err = fmt.Errorf("%w (GOPROXY=%s)", err, proxy)
	var se *goproxy.StatusError
	if errors.As(err, &se) && (se.Code == 401 || se.Code == 403) {
		return remedy.Wrap(err, "private-modules",
			"The proxy refused the request. If it needs credentials, set GO_NETRC (machine HOST login USER password TOKEN); otherwise check GOPROXY.")
	}
	return remedy.Wrap(err, "goproxy",
		"The module proxy could not be reached. Retry the build; if it keeps failing, check the GOPROXY config var.")
}
