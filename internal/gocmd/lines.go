package gocmd

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
)

// Line is one go command to run: its arguments and its whole
// environment.
type Line struct {
	Args []string
	Env  []string
}

// Binary is a main package to build into a binary of that name.
type Binary struct {
	Name    string // the binary's name, bin/NAME
	Package string // the main package's import path
}

// Lines makes the command line and the environment of every go command
// the buildpack runs with one toolchain for one app (go mod download, go
// list, go build, Heroku CI's go test) and the environment of the
// processes that run the app's code with it (build hooks, tests), with
// only what the toolchain's release supports (goversion.Features). Every
// command that loads packages gets the same -mod, tags and GO_BUILD_FLAGS,
// so go list lists what go build builds and go test tests.
type Lines struct {
	Settings *settings.Settings
	// Release is the toolchain's release (go1.22.12), which says what its
	// go command supports; GOROOT is where it is.
	Release, GOROOT string
	// GOCACHE, GOMODCACHE and GOPATH are the Go caches.
	GOCACHE, GOMODCACHE, GOPATH string
	// GOBIN, when set, is where `go install` puts commands, on PATH after
	// the toolchain: the slug's bin/ for build hooks, so a tool a hook
	// installs ships with the app.
	GOBIN string
	// Home is the private HOME holding the credentials; nil without any.
	Home *netrc.Home
	// VCS says version-control stamping works for the app: it has a .git
	// directory and git is installed (see HasVCS).
	VCS bool
}

// Features says what the go command of the toolchain supports.
func (l *Lines) Features() goversion.Features { return goversion.FeaturesOf(l.Release) }

// Go returns the go command, which runs in the app's directory.
func (l *Lines) Go() *Go {
	return &Go{Bin: filepath.Join(l.GOROOT, "bin", "go"), Dir: l.Settings.App.Dir, Env: l.Env()}
}

// Env returns the environment of the go command the build runs: the Go
// settings, and none of the app's own config vars.
func (l *Lines) Env() []string { return Env(l.Settings.Environ, l.envSettings(false)) }

// AppEnv returns the environment of a process that runs the app's code
// with the toolchain, a build hook or a test: the go command's, and the
// app's config vars (settings.Settings.AppVars).
func (l *Lines) AppEnv() []string { return Env(l.Settings.Environ, l.envSettings(true)) }

// envSettings returns what Env makes the environment from.
func (l *Lines) envSettings(app bool) Settings {
	s := l.Settings
	vars := maps.Clone(s.GoEnv)
	if vars == nil {
		vars = map[string]string{}
	}
	// GO111MODULE=on makes module mode never depend on where the app is.
	if !l.Features().ModulesByDefault {
		vars["GO111MODULE"] = "on"
	}
	if v, _ := l.goproxy(); v != "" {
		vars["GOPROXY"] = v
	}
	if s.App.WorkPath != "" {
		vars["GOWORK"] = s.App.WorkPath
	} else {
		vars["GOWORK"] = "off"
	}
	if l.Home != nil {
		vars["HOME"] = l.Home.Dir
		vars["NETRC"] = l.Home.Path()
	}
	es := Settings{GOROOT: l.GOROOT, GOCACHE: l.GOCACHE, GOMODCACHE: l.GOMODCACHE, GOPATH: l.GOPATH, GOBIN: l.GOBIN, Vars: vars}
	if app {
		es.App = s.AppVars()
	}
	return es
}

// goproxy returns the GOPROXY of the release's go command ("" for its
// default) and, when it is not the config var's value, a note saying so.
// From go1.15 it is the config var as it is. go1.13 and go1.14 do not
// know "|", which becomes ",". go1.11 and go1.12 take one URL and fetch
// from origin servers when GOPROXY is unset: they get the first proxy of
// the list, or https://proxy.golang.org. Heroku CI's tests get
// https://proxy.golang.org when it is unset: the go command's default
// would fall back to fetching modules from their origin ("direct").
func (l *Lines) goproxy() (value, note string) {
	p, f := l.Settings.GOPROXY, l.Features()
	value = strings.TrimSpace(p.Value)
	if !p.Set && l.Settings.Phase == settings.Test {
		value = goproxy.DefaultURL
	}
	switch {
	case f.ProxyPipe:
		return value, ""
	case f.ProxyList:
		if strings.Contains(value, "|") {
			return strings.ReplaceAll(value, "|", ","), fmt.Sprintf("%s does not know \"|\" in GOPROXY: its entries are separated by \",\" (the next one is tried only after \"not found\")", l.Release)
		}
		return value, ""
	case !p.Set:
		return goproxy.DefaultURL, ""
	case len(p.Proxies) == 0 || !strings.ContainsAny(value, ",|"):
		return value, ""
	}
	first := p.Proxies[0]
	return first.URL.String(), fmt.Sprintf("%s takes a single GOPROXY URL: using the first entry of the list, %s", l.Release, first)
}

// Notes says, for the log, what the release needed changed in the
// environment (a GOPROXY list for a release that takes one URL).
func (l *Lines) Notes() []string {
	if _, note := l.goproxy(); note != "" {
		return []string{note}
	}
	return nil
}

// CheckFlags refuses the flags of GOFLAGS and GO_BUILD_FLAGS that the
// release does not know, naming the config var: in GOFLAGS such a flag
// would fail every go command.
func (l *Lines) CheckFlags() error {
	f := l.Features()
	for _, src := range []struct {
		name  string
		words []string
	}{{"GOFLAGS", l.Settings.GOFLAGS}, {"GO_BUILD_FLAGS", l.Settings.BuildFlags}} {
		if bad := f.UnsupportedFlags(src.words); len(bad) > 0 {
			return remedy.Wrap(fmt.Errorf("%s config var: %w", src.name, bad[0]), "config-vars",
				"Remove %s from %s, or build with %s or newer (see GOVERSION).", bad[0].Flag, src.name, bad[0].Since)
		}
	}
	return nil
}

// Prepare readies GOPATH for the release: before go1.15, which ignores
// GOMODCACHE, GOPATH/pkg/mod becomes a link to the module cache.
func (l *Lines) Prepare() error {
	if l.Features().GOMODCACHE {
		return nil
	}
	if err := linkGOPATH(l.GOPATH, l.GOMODCACHE); err != nil {
		return fmt.Errorf("link the module cache into GOPATH for %s: %w", l.Release, err)
	}
	return nil
}

// ModDownload returns `go mod download`.
func (l *Lines) ModDownload() Line {
	return Line{Args: []string{"mod", "download"}, Env: l.Env()}
}

// List returns `go list -deps` of patterns with the template format, and
// the flags of the build that decide which packages and files there are.
// It lists with cgo enabled, so that packages which build only with cgo
// show up.
func (l *Lines) List(format string, patterns []string) Line {
	args := append([]string{"list", "-deps"}, l.loadFlags()...)
	args = append(append(args, "-f", format), patterns...)
	return Line{Args: args, Env: setEnv(l.Env(), "CGO_ENABLED", "1")}
}

// Build returns the go build command lines that compile the binaries
// into the directory out (relative to the app): one command with -o out/
// from go1.13, one per binary with -o out/NAME before, which takes one
// file.
func (l *Lines) Build(out string, bins []Binary) []Line {
	f, s := l.Features(), l.Settings
	flags := []string{"build"}
	if f.Trimpath {
		flags = append(flags, "-trimpath")
	}
	if f.BuildVCS {
		// Stamping fails a build without version control unless it is off.
		if l.VCS {
			flags = append(flags, "-buildvcs=auto")
		} else {
			flags = append(flags, "-buildvcs=false")
		}
	}
	flags = append(flags, l.modFlags()...)
	flags = append(flags, l.tagsFlag())
	if len(s.LDFlags) > 0 {
		flags = append(flags, "-ldflags="+strings.Join(s.LDFlags, " "))
	}
	flags = append(flags, s.BuildFlags...)
	env := l.Env()
	if f.OutputDir {
		args := append(flags, "-o", out+string(filepath.Separator))
		for _, b := range bins {
			args = append(args, b.Package)
		}
		return []Line{{Args: args, Env: env}}
	}
	var lines []Line
	for _, b := range bins {
		args := append(append([]string(nil), flags...), "-o", filepath.Join(out, b.Name), b.Package)
		lines = append(lines, Line{Args: args, Env: env})
	}
	return lines
}

// Test returns `go test -json` of patterns, for Heroku CI, in the
// environment of the app's code: with -race and CGO_ENABLED=1 when race
// is set (see Race), and the -timeout of TestTimeout.
func (l *Lines) Test(patterns []string, race bool) Line {
	args := []string{"test", "-json"}
	if l.Features().Trimpath {
		args = append(args, "-trimpath")
	}
	env := l.AppEnv()
	if race {
		// The race detector's runtime is linked with cgo; the build
		// itself stays static.
		args = append(args, "-race")
		env = setEnv(env, "CGO_ENABLED", "1")
	}
	if timeout, _ := l.TestTimeout(); timeout != "" {
		args = append(args, "-timeout="+timeout)
	}
	args = append(append(args, l.loadFlags()...), patterns...)
	return Line{Args: args, Env: env}
}

// Bench returns the benchmark run of Heroku CI after the tests, as the
// classic Go buildpack runs it: every benchmark once (-bench=.) with its
// allocations (-benchmem), no tests (-run=^$), without the race detector,
// which would distort the figures, and without vet, which the tests' run
// did.
func (l *Lines) Bench(patterns []string) Line {
	args := []string{"test", "-json"}
	if l.Features().Trimpath {
		args = append(args, "-trimpath")
	}
	args = append(args, "-run=^$", "-bench=.", "-benchmem", "-vet=off")
	if timeout, _ := l.TestTimeout(); timeout != "" {
		args = append(args, "-timeout="+timeout)
	}
	args = append(append(args, l.loadFlags()...), patterns...)
	return Line{Args: args, Env: l.AppEnv()}
}

// TestTimeout is the -timeout Heroku CI's go test gets when the app sets
// none. go test's own default, 10m for each test binary, is short for tests
// slowed by the race detector; Heroku CI ends a whole test run later than
// this, without a word about what hung, where go test's timeout panics
// with the stack of every goroutine.
const TestTimeout = "30m"

// TestTimeout returns the -timeout value go test gets, and "" with the
// config var that sets one when GOFLAGS or GO_BUILD_FLAGS does (-timeout,
// -test.timeout, with one dash or two).
func (l *Lines) TestTimeout() (timeout, setBy string) {
	for _, src := range []struct {
		name  string
		words []string
	}{{"GOFLAGS", l.Settings.GOFLAGS}, {"GO_BUILD_FLAGS", l.Settings.BuildFlags}} {
		for _, w := range src.words {
			if !strings.HasPrefix(w, "-") {
				continue
			}
			name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(w, "-"), "-"), "=")
			if name == "timeout" || name == "test.timeout" {
				return "", src.name
			}
		}
	}
	return TestTimeout, ""
}

// loadFlags are the flags of every command that loads the app's
// packages: -mod, the tags and the GO_BUILD_FLAGS.
func (l *Lines) loadFlags() []string {
	return append(append(l.modFlags(), l.tagsFlag()), l.Settings.BuildFlags...)
}

// modFlags returns -mod=vendor when the app vendors its modules and
// neither GOFLAGS nor GO_BUILD_FLAGS sets -mod. From go1.14 the go
// command uses vendor/ by itself for a go line of 1.14 or newer; given
// always, -mod=vendor works the same from go1.11 on.
func (l *Lines) modFlags() []string {
	s := l.Settings
	if !s.Vendored {
		return nil
	}
	for _, w := range append(append([]string(nil), s.GOFLAGS...), s.BuildFlags...) {
		if name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "="); strings.HasPrefix(w, "-") && name == "mod" {
			return nil
		}
	}
	return []string{"-mod=vendor"}
}

// tagsFlag returns the -tags flag: comma-separated from go1.13,
// space-separated before, where a comma would join two tags into one.
func (l *Lines) tagsFlag() string {
	sep := ","
	if !l.Features().CommaTags {
		sep = " "
	}
	return "-tags=" + strings.Join(l.Settings.Tags, sep)
}

// HasVCS reports whether version-control stamping works for the app in
// dir: it has a .git directory and git is installed.
func HasVCS(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		return false
	}
	_, err := exec.LookPath("git")
	return err == nil
}

// CredentialsHome writes the credentials for private hosts of s
// (GO_NETRC, GO_GIT_CRED__ vars) into a private temporary HOME for the go
// command and git, with entries for the ports of the module proxies, or
// returns nil when there are none. The caller removes it.
func CredentialsHome(s *settings.Settings) (*netrc.Home, error) {
	if len(s.Credentials.Lines) == 0 {
		return nil, nil
	}
	return netrc.NewHome(os.TempDir(), netrc.Format(s.Credentials.Lines, s.ProxyURLs()))
}

// Exec runs the go command line l, with its environment, its output
// going to g.Stdout and g.Stderr.
func (g *Go) Exec(ctx context.Context, l Line) error {
	c := *g
	c.Env = l.Env
	return c.Run(ctx, l.Args...)
}

// ExecOutput runs the go command line l, with its environment, and
// returns its stdout; stderr goes to g.Stderr.
func (g *Go) ExecOutput(ctx context.Context, l Line) ([]byte, error) {
	c := *g
	c.Env = l.Env
	return c.Output(ctx, l.Args...)
}
