package compile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/modcache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// GoEnv describes the environment of every process the build runs with
// the app's toolchain: the go command, the build hooks, and (in Heroku CI)
// the app's tests. It is the one place that environment is decided, for
// what the toolchain's release supports.
type GoEnv struct {
	Toolchain  toolchain.Toolchain // its Version says what the go command supports
	GOCACHE    string
	GOMODCACHE string
	GOPATH     string
	// Config holds the settings of the build: the Go config vars, the
	// app, the app's own config vars.
	Config *settings.Settings
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
	for k, v := range e.Config.GoEnv {
		vars[k] = v
	}
	// Old releases need GO111MODULE=on and a GOPROXY they can read.
	extra, _ := e.Features().Env(e.goproxy())
	for k, v := range extra {
		vars[k] = v
	}
	if app := e.Config.App; app.WorkPath != "" {
		vars["GOWORK"] = app.WorkPath
	} else {
		vars["GOWORK"] = "off"
	}
	if e.Home != nil {
		vars["HOME"] = e.Home.Dir
		vars["NETRC"] = e.Home.Path()
	}
	return gocmd.Settings{
		GOROOT:     e.Toolchain.Root,
		GOCACHE:    e.GOCACHE,
		GOMODCACHE: e.GOMODCACHE,
		GOPATH:     e.GOPATH,
		GOBIN:      e.GOBIN,
		App:        e.Config.AppVars(),
		Vars:       vars,
	}
}

// Features says what the toolchain's go command supports.
func (e GoEnv) Features() goversion.Features { return goversion.FeaturesOf(e.Toolchain.Version) }

// goproxy is the GOPROXY the go command gets before its release is taken
// into account: the config var, else DefaultProxy ("" for the go
// command's default).
func (e GoEnv) goproxy() string {
	if p := e.Config.GOPROXY; p.Set {
		return p.Value
	}
	return e.DefaultProxy
}

// Notes says, for the log, what the release needed changed in the
// environment (a GOPROXY list for a release that takes one URL).
func (e GoEnv) Notes() []string {
	_, notes := e.Features().Env(e.goproxy())
	return notes
}

// Prepare readies GOPATH for the release: before go1.15, which ignores
// GOMODCACHE, GOPATH/pkg/mod becomes a link to the module cache.
func (e GoEnv) Prepare() error {
	if e.Features().GOMODCACHE {
		return nil
	}
	if err := modcache.LinkGOPATH(e.GOPATH, e.GOMODCACHE); err != nil {
		return fmt.Errorf("link the module cache into GOPATH for %s: %w", e.Toolchain.Version, err)
	}
	return nil
}

// CheckFlags refuses the flags of GOFLAGS and GO_BUILD_FLAGS that the
// release does not know, naming the config var: in GOFLAGS such a flag
// would fail every go command.
func (e GoEnv) CheckFlags() error {
	f := e.Features()
	for _, src := range []struct {
		name  string
		words []string
	}{{"GOFLAGS", e.Config.GOFLAGS}, {"GO_BUILD_FLAGS", e.Config.BuildFlags}} {
		if bad := f.UnsupportedFlags(src.words); len(bad) > 0 {
			return remedy.Wrap(fmt.Errorf("%s config var: %w", src.name, bad[0]), "config-vars",
				"Remove %s from %s, or build with %s or newer (see GOVERSION).", bad[0].Flag, src.name, bad[0].Since)
		}
	}
	return nil
}

// ModVendor returns the flag that makes the go command build from
// vendor/: -mod=vendor when the app vendors its modules and GOFLAGS sets
// no -mod. From go1.14 it is the default for a go line of 1.14 or newer;
// given always, it works the same from go1.11 on.
func (e GoEnv) ModVendor() []string {
	// A vendor/modules.txt that leads out of the app fails the build
	// before any go command runs (downloadModules).
	if ok, _ := vendored(e.Config.App); !ok {
		return nil
	}
	for _, w := range e.Config.GOFLAGS {
		if strings.Contains(w, "-mod=") {
			return nil
		}
	}
	return []string{"-mod=vendor"}
}

// Go returns the go command the build runs, in the app's directory. It
// sees no app config vars, only the Go settings.
func (e GoEnv) Go() *gocmd.Go {
	s := e.Settings()
	s.App = nil
	return &gocmd.Go{Bin: e.Toolchain.Go(), Dir: e.Config.App.Dir, Env: gocmd.Env(e.Config.Environ, s)}
}

// AppEnv returns the environment of a process that runs the app's code
// with the toolchain: a build hook or a test.
func (e GoEnv) AppEnv() []string { return gocmd.Env(e.Config.Environ, e.Settings()) }

// CredentialsHome writes the app's credentials for private hosts
// (GO_NETRC, GO_GIT_CRED__ vars) into a private temporary HOME for the go
// command and git, or returns nil when the app has none. The caller
// removes it.
func CredentialsHome(creds []netrc.Line, proxies []string) (*netrc.Home, error) {
	if len(creds) == 0 {
		return nil, nil
	}
	return netrc.NewHome(os.TempDir(), netrc.Format(creds, proxies))
}

// goCommand is the go command of the build and the environment its hooks run in.
type goCommand struct {
	*gocmd.Go
	hookEnv   []string
	features  goversion.Features // what the go command supports
	modVendor []string           // -mod=vendor when the app vendors
	version   string             // the toolchain's release, for messages
	config    *settings.Settings // where the user's flags come from
	nodeApp   bool               // the app has a package.json at its root
}

// prepareGo sets up the environment the go command and the hooks run in.
// With GO_NETRC it writes the private HOME holding the credentials;
// cleanup removes it.
func (r *run) prepareGo(s *settings.Settings, tc toolchain.Toolchain) (*goCommand, func(), error) {
	env := GoEnv{
		Toolchain:  tc,
		GOCACHE:    r.cache.GOCACHE(),
		GOMODCACHE: r.cache.GOMODCACHE(),
		GOPATH:     r.cache.GOPATH(),
		Config:     s,
		GOBIN:      filepath.Join(r.BuildDir, slug.BinDir),
	}
	cleanup := func() {}
	home, err := CredentialsHome(s.Credentials.Lines, r.toolchains.SumDBProxies())
	if err != nil {
		return nil, cleanup, err
	}
	if home != nil {
		env.Home = home
		cleanup = func() { home.Remove() }
	}
	g := env.Go()
	g.Stdout, g.Stderr = r.log.Indented(), r.log.IndentedErr()
	if err := env.CheckFlags(); err != nil {
		return nil, cleanup, err
	}
	if err := env.Prepare(); err != nil {
		return nil, cleanup, err
	}
	for _, note := range env.Notes() {
		r.log.Detail("%s", note)
	}
	return &goCommand{Go: g, hookEnv: env.AppEnv(), features: env.Features(), modVendor: env.ModVendor(),
		version: tc.Version, config: s, nodeApp: exists(files.AppFS(r.BuildDir), "package.json")}, cleanup, nil
}

// flush prints what the go command left on a partial line.
func (g *goCommand) flush() {
	for _, w := range []any{g.Stdout, g.Stderr} {
		if f, ok := w.(interface{ Flush() }); ok {
			f.Flush()
		}
	}
}

// exists reports whether the app fsys has the file name.
func exists(fsys files.AppFS, name string) bool {
	_, err := fsys.Stat(name)
	return err == nil
}
