package compile

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
)

// readSettings reads buildpack.toml, the config vars and the app's go.mod
// or go.work (settings.Read), says in the log what they changed, and makes
// the client that fetches Go toolchains and the checksum database: from
// the GOPROXY proxies, else from GO_TOOLCHAIN_PROXY, with the credentials.
// The settings are returned with an error too: what was read of them.
func (r *run) readSettings() (*settings.Settings, *goproxy.Toolchains, error) {
	s, err := settings.Read(settings.Input{Phase: r.Phase, BuildDir: r.BuildDir, EnvDir: r.EnvDir, BuildpackDir: r.BuildpackDir})
	for _, name := range s.Skipped {
		r.log.Warn("ignoring %q in ENV_DIR: not a config var name", name)
	}
	for _, w := range s.Credentials.Warnings {
		r.log.Warn("%s", w)
	}
	if err != nil {
		return s, nil, err
	}
	tcs, err := goproxy.ToolchainsFrom(s.GOPROXY.Proxies, s.ToolchainProxy)
	if err != nil {
		return s, nil, fmt.Errorf("GOPROXY config var: %w", err)
	}
	creds := s.Credentials.Lines
	for _, c := range tcs.Clients() {
		if r.Stall > 0 {
			c.Stall = r.Stall
		}
		if r.Backoff > 0 {
			c.Backoff = r.Backoff
		}
		if len(creds) > 0 {
			c.Credentials = func(host string) (string, string, bool) { return netrc.Lookup(creds, host) }
		}
	}
	tcs.OnFallback = func(msg string) { r.log.Detail("%s", msg) }
	if len(creds) > 0 {
		r.log.Detail("Credentials for private hosts: from %s (HTTPS only)", strings.Join(s.Credentials.Sources, ", "))
	}
	return s, tcs, nil
}

// appDetected prints which app the build builds, and which config vars it
// applies and ignores.
func (r *run) appDetected(s *settings.Settings) {
	app := s.App
	where := ""
	if app.Found != "" {
		where = fmt.Sprintf(" in %s (from %s)", app.Rel, app.Found)
	}
	r.stepDone("Go app detected: %s%s", app.Name(), where)
	if len(s.Applied) > 0 {
		r.log.Detail("Config vars for the build: %s", strings.Join(s.Applied, ", "))
	}
	names := make([]string, 0, len(s.Ignored))
	for name := range s.Ignored {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		r.log.Warn("the %s config var is ignored: %s", name, s.Ignored[name])
	}
}
