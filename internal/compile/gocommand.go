package compile

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/config"
	"github.com/gobuildpack/heroku-buildpack-go/internal/envdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// GoEnv describes the environment of every process the build runs with
// the app's toolchain: the go command, the build hooks, and (in Heroku CI)
// the app's tests. It is the one place that environment is decided.
type GoEnv struct {
	Toolchain  toolchain.Toolchain
	GOCACHE    string
	GOMODCACHE string
	GOPATH     string
	Config     *config.Config
	Vars       envdir.Vars
	App        *appdir.App
	// Home is the private HOME holding the credentials; nil without any.
	Home *netrc.Home
	// DefaultProxy, when set, is GOPROXY unless a config var sets it.
	DefaultProxy string
	// GOBIN, when set, is where `go install` puts commands, and is on PATH
	// after the toolchain: the slug's bin/ for build hooks, so a tool a
	// hook installs ships with the app.
	GOBIN string
}

// Settings returns the gocmd settings: the Go config vars, the workspace,
// the credentials, and the app's own config vars for hooks and tests.
func (e GoEnv) Settings() gocmd.Settings {
	vars := map[string]string{}
	for k, v := range e.Config.Env {
		vars[k] = v
	}
	if _, ok := e.Vars.Lookup("GOPROXY"); !ok && e.DefaultProxy != "" {
		vars["GOPROXY"] = e.DefaultProxy
	}
	if e.App.WorkPath != "" {
		vars["GOWORK"] = e.App.WorkPath
	} else {
		vars["GOWORK"] = "off"
	}
	if e.GOBIN != "" {
		vars["GOBIN"] = e.GOBIN
	}
	if e.Home != nil {
		vars["HOME"] = e.Home.Dir
		vars["NETRC"] = e.Home.Path()
	}
	// The app's code (hooks, tests) sees its config vars, but never the
	// ones the buildpack ignores, nor those that would change how the
	// machine runs programs (Exported leaves those out).
	var app []string
	for _, kv := range e.Vars.Exported() {
		if name, _, _ := strings.Cut(kv, "="); e.Config.Ignored[name] == "" {
			app = append(app, kv)
		}
	}
	return gocmd.Settings{
		GOROOT:     e.Toolchain.Root,
		GOCACHE:    e.GOCACHE,
		GOMODCACHE: e.GOMODCACHE,
		GOPATH:     e.GOPATH,
		App:        app,
		Vars:       vars,
	}
}

// Go returns the go command the build runs, in the app's directory. It
// sees no app config vars, only the Go settings.
func (e GoEnv) Go() *gocmd.Go {
	s := e.Settings()
	s.App = nil
	return &gocmd.Go{Bin: e.Toolchain.Go(), Dir: e.App.Dir, Env: gocmd.Env(os.Environ(), s)}
}

// AppEnv returns the environment of a process that runs the app's code
// with the toolchain: a build hook or a test.
func (e GoEnv) AppEnv() []string { return gocmd.Env(os.Environ(), e.Settings()) }

// CredentialsHome writes the app's credentials for private hosts
// (GO_NETRC, GO_GIT_CRED__ vars) into a private temporary HOME for the go
// command and git, or returns nil when the app has none. The caller
// removes it.
func CredentialsHome(creds []netrc.Line, proxy *goproxy.Client) (*netrc.Home, error) {
	if len(creds) == 0 {
		return nil, nil
	}
	return netrc.NewHome(os.TempDir(), netrc.Format(creds, proxyURLs(proxy)))
}

// goCommand is the go command of the build and the environment its hooks run in.
type goCommand struct {
	*gocmd.Go
	hookEnv []string
	version string         // the toolchain's release, for messages
	config  *config.Config // where the user's flags come from
	nodeApp bool           // the app has a package.json at its root
}

// prepareGo sets up the environment the go command and the hooks run in.
// With GO_NETRC it writes the private HOME holding the credentials;
// cleanup removes it.
func (r *run) prepareGo(s *Settings, app *appdir.App, tc toolchain.Toolchain) (*goCommand, func(), error) {
	env := GoEnv{
		Toolchain:  tc,
		GOCACHE:    r.cache.GOCACHE(),
		GOMODCACHE: r.cache.GOMODCACHE(),
		GOPATH:     r.cache.GOPATH(),
		Config:     s.Config,
		Vars:       s.Vars,
		App:        app,
		GOBIN:      filepath.Join(r.BuildDir, slug.BinDir),
	}
	cleanup := func() {}
	home, err := CredentialsHome(s.Creds, s.Proxy)
	if err != nil {
		return nil, cleanup, err
	}
	if home != nil {
		env.Home = home
		cleanup = func() { home.Remove() }
	}
	g := env.Go()
	g.Stdout, g.Stderr = r.log.Indented(), r.log.IndentedErr()
	return &goCommand{Go: g, hookEnv: env.AppEnv(), version: tc.Version, config: s.Config,
		nodeApp: exists(filepath.Join(r.BuildDir, "package.json"))}, cleanup, nil
}

// flush prints what the go command left on a partial line.
func (g *goCommand) flush() {
	for _, w := range []any{g.Stdout, g.Stderr} {
		if f, ok := w.(interface{ Flush() }); ok {
			f.Flush()
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
