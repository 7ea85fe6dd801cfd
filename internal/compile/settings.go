package compile

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/config"
	"github.com/gobuildpack/heroku-buildpack-go/internal/envdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

// Settings are the buildpack's settings and the app's config vars, read
// once at the start of the build.
type Settings struct {
	Manifest *manifest.Manifest
	Vars     envdir.Vars
	Config   *config.Config
	Creds    []netrc.Line // from GO_NETRC and GO_GIT_CRED__ vars; nil without any
	// Toolchains fetches Go toolchains and the checksum database: from
	// the GOPROXY proxies, else from GO_TOOLCHAIN_PROXY, with the
	// credentials.
	Toolchains *goproxy.Toolchains
	// KeepToolchain is true when the toolchain goes into the slug.
	KeepToolchain bool
}

// readSettings reads buildpack.toml and the config vars.
func (r *run) readSettings() (*Settings, error) {
	mf, err := manifest.Read(r.BuildpackDir)
	if err != nil {
		return nil, err
	}
	vars, skipped, err := envdir.Read(r.EnvDir)
	if err != nil {
		return nil, err
	}
	for _, name := range skipped {
		r.log.Warn("ignoring %q in ENV_DIR: not a config var name", name)
	}
	cfg, err := config.ParseConfig(vars, os.Getenv("SOURCE_VERSION"))
	if err != nil {
		return nil, remedy.Wrap(err, "config-vars", "Fix or unset the config var: heroku config:unset NAME.")
	}
	creds, err := netrc.FromVars(vars)
	for _, w := range creds.Warnings {
		r.log.Warn("%s", w)
	}
	if err != nil {
		return nil, remedy.Wrap(err, "private-modules",
			"GO_NETRC holds the content of a .netrc file: machine HOST login USER password TOKEN.")
	}
	if _, err := goproxy.ParseToolchainProxy(vars.Get(goproxy.ToolchainProxyVar)); err != nil {
		return nil, remedy.Wrap(err, "config-vars",
			"Set %s to one proxy URL, or to off to fetch Go toolchains from GOPROXY only; or unset it.", goproxy.ToolchainProxyVar)
	}
	tcs, err := goproxy.NewToolchains(vars.Get("GOPROXY"), vars.Get(goproxy.ToolchainProxyVar))
	if err != nil {
		return nil, remedy.Wrap(fmt.Errorf("GOPROXY config var: %w", err), "config-vars",
			"Set GOPROXY to one or more proxy URLs separated by commas, e.g. heroku config:set GOPROXY=https://proxy.golang.org, or unset it.")
	}
	for _, c := range tcs.Clients() {
		if r.Stall > 0 {
			c.Stall = r.Stall
		}
		if r.Backoff > 0 {
			c.Backoff = r.Backoff
		}
		if len(creds.Lines) > 0 {
			c.Credentials = func(host string) (string, string, bool) { return netrc.Lookup(creds.Lines, host) }
		}
	}
	tcs.OnFallback = func(msg string) { r.log.Detail("%s", msg) }
	if len(creds.Lines) > 0 {
		r.log.Detail("Credentials for private hosts: from %s (HTTPS only)", strings.Join(creds.Sources, ", "))
	}
	return &Settings{
		Manifest:      mf,
		Vars:          vars,
		Config:        cfg,
		Creds:         creds.Lines,
		Toolchains:    tcs,
		KeepToolchain: r.KeepToolchain || vars.Get("GO_INSTALL_TOOLS_IN_IMAGE") == "true",
	}, nil
}

// findApp locates the module or workspace to build.
func (r *run) findApp(s *Settings) (*appdir.App, error) {
	app, err := appdir.Find(r.BuildDir, s.Vars.Get("GO_APP_DIR"), s.Vars.Get("GOWORK"))
	var several *appdir.SeveralError
	var setting *appdir.SettingError
	var legacy *appdir.LegacyError
	var escape *files.EscapeError
	switch {
	case errors.As(err, &escape):
		return nil, remedy.Wrap(err, "go-mod-errors", "The buildpack reads only the app's own files, never what a symlink points to outside it.")
	case errors.As(err, &legacy):
		return nil, remedy.Wrap(err, "no-go-mod", "%s", legacy.Fix())
	case errors.Is(err, appdir.ErrNoGoMod):
		return nil, remedy.Wrap(err, "no-go-mod",
			"Create one with `go mod init example.com/yourapp`, then commit go.mod (and go.sum) and deploy again.")
	case errors.As(err, &several):
		return nil, remedy.Wrap(err, "app-dir", "Set GO_APP_DIR to the one to build, e.g. heroku config:set GO_APP_DIR=%s", several.Dirs[0])
	case errors.As(err, &setting):
		return nil, remedy.Wrap(err, "app-dir", "%s", setting.Fix())
	case err != nil:
		return nil, remedy.Wrap(err, "go-mod-errors", "Fix the file at the line shown (`go mod tidy` checks go.mod locally), commit, and deploy again.")
	}
	where := ""
	if app.Found != "" {
		where = fmt.Sprintf(" in %s (from %s)", app.Rel, app.Found)
	}
	if app.Mod != nil {
		r.rep.Module, r.rep.ModulesRequired = app.Mod.Module, app.Mod.Requires
	}
	r.stepDone("Go app detected: %s%s", app.Name(), where)
	if len(s.Config.Applied) > 0 {
		r.log.Detail("Config vars for the build: %s", strings.Join(s.Config.Applied, ", "))
	}
	names := make([]string, 0, len(s.Config.Ignored))
	for name := range s.Config.Ignored {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		r.log.Warn("the %s config var is ignored: %s", name, s.Config.Ignored[name])
	}
	return app, nil
}
