// Package settings reads what configures one run of the buildpack, once:
// the app's config vars (the files of ENV_DIR, or of a Cloud Native
// Buildpack platform's env/), the go.mod or go.work to build (as
// internal/appdir finds it), buildpack.toml's default Go version, and the
// facts of the platform (the stack, the architecture, the commit built).
// Read validates them into one Settings, which bin/compile, Heroku CI's
// bin/test-compile and bin/test, and the Cloud Native Buildpack's
// bin/build all take.
//
// No other package reads a config var by name, or the process
// environment for a setting: a setting has one meaning, decided here.
package settings

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
)

// Phase is the phase of the buildpack whose settings are read.
type Phase int

const (
	// Compile is bin/compile, the classic build.
	Compile Phase = iota
	// TestCompile is Heroku CI's bin/test-compile: a classic build that
	// keeps the toolchain and the sources in the slug for bin/test.
	TestCompile
	// Test is Heroku CI's bin/test, which runs go test with the toolchain
	// bin/test-compile kept. It reads no buildpack.toml.
	Test
	// CNB is the Cloud Native Buildpack's bin/build.
	CNB
)

// Input says where the settings of one run are.
type Input struct {
	Phase Phase
	// BuildDir is the app: BUILD_DIR, or the working directory of a
	// Cloud Native Buildpack build.
	BuildDir string
	// EnvDir holds the config vars, one file each: ENV_DIR, or the
	// platform's env/. "" for none.
	EnvDir string
	// BuildpackDir holds buildpack.toml. The Test phase does not read it.
	BuildpackDir string
}

// Platform holds the facts of the build that are not config vars.
type Platform struct {
	// Stack is the Heroku stack the build runs on, the STACK environment
	// variable (heroku-24); "" when it is not set.
	Stack string
	// GOOS and GOARCH are the platform the build runs on and builds for:
	// the buildpack program's own (linux, amd64 or arm64).
	GOOS, GOARCH string
	// SourceVersion is the commit being built, the default of
	// GO_LINKER_VALUE: SOURCE_VERSION from the build's environment, as
	// Heroku sets it; in a Cloud Native Buildpack build, whose lifecycle
	// hands a buildpack only the platform's env/ files, the env/
	// SOURCE_VERSION file when the environment has none. "" when neither
	// says.
	SourceVersion string
}

// Proxy is the GOPROXY config var.
type Proxy struct {
	// Value is the config var as set, for the go command (which takes it
	// as its release knows how: see goversion.Features.GoProxy); "" when
	// unset.
	Value string
	// Set says the config var is set.
	Set bool
	// Proxies are the proxies it lists (goproxy.ParseList), from which
	// the buildpack fetches toolchains and the checksum database:
	// https://proxy.golang.org when unset, none when it lists only
	// "direct".
	Proxies []goproxy.Entry
}

// URLs returns the proxies' URLs.
func (p Proxy) URLs() []string {
	var out []string
	for _, e := range p.Proxies {
		out = append(out, e.URL.String())
	}
	return out
}

// CI holds what configures Heroku CI's tests (bin/test-compile and
// bin/test).
type CI struct {
	// Race is the GO_TEST_RACE config var: go test runs with the race
	// detector where it can; false turns it off. Unset, true.
	Race bool
	// SkipBenchmarks is true when the GO_TEST_SKIP_BENCHMARK config var is
	// set to anything but false or 0: the benchmarks do not run after the
	// tests.
	SkipBenchmarks bool
	// GolangciLintVersion is the GOLANGCI_LINT_VERSION config var as a
	// semantic version (v2.15.0), the golangci-lint release that lints an
	// app with a golangci-lint config file and no tool directive for it.
	// "" when unset.
	GolangciLintVersion string
	// CC is the C compiler cgo, and so the race detector, needs: the first
	// word of the CC config var, gcc when it is unset.
	CC string
}

// Settings are what configures one run of the buildpack, read and
// validated by Read. Each field names the config var it comes from and
// what it is when that is unset.
type Settings struct {
	// Phase is the phase that reads them.
	Phase Phase
	// Platform holds the facts of the build that are not config vars.
	Platform Platform

	// DefaultGo is buildpack.toml's [metadata.go] default_version: the Go line
	// that builds an app whose go.mod has no go directive. "" in the Test
	// phase.
	DefaultGo string
	// Buildpack is buildpack.toml's [buildpack] table: who writes the
	// bill of materials. Empty in the Test phase.
	Buildpack manifest.Buildpack

	// App is the module or workspace to build, as the GO_APP_DIR and
	// GOWORK config vars say (appdir.Find): by default the go.mod (or
	// go.work) at the root, else the only go.mod in the first levels
	// below it.
	App *appdir.App
	// Vendored says the app vendors its modules: its directory has a
	// vendor/modules.txt.
	Vendored bool

	// GoVersion is the GOVERSION config var: the Go release or
	// constraint to build with, which beats every setting in go.mod
	// (goversion.Choose reads it). "" when unset.
	GoVersion string
	// Packages are the package patterns to build, the
	// GO_INSTALL_PACKAGE_SPEC config var split at white space. nil when
	// unset: a +heroku install comment in go.mod decides, else every main
	// package.
	Packages []string

	// GoEnv holds the Go config vars passed to the go command as they are
	// (GOPROXY, GOPRIVATE, GOSUMDB, GOEXPERIMENT, GODEBUG, the cgo
	// settings, ...), with ${build_dir} in the CGO_ ones replaced by the
	// build directory, as the classic Go buildpack does; GOFLAGS without
	// its -tags and -ldflags (merged into Tags and LDFlags); and
	// CGO_ENABLED=0 unless CGO. Unset, a var is not in it.
	GoEnv map[string]string
	// GOFLAGS are the words of the GOFLAGS config var but its -tags and
	// -ldflags, as the go command splits them. nil when unset.
	GOFLAGS []string
	// Tags are the build tags: heroku, then those of the -tags flags of
	// GOFLAGS and GO_BUILD_FLAGS.
	Tags []string
	// LDFlags are the linker flags, merged into one -ldflags: -s -w
	// unless the GO_STRIP config var is false; -X GO_LINKER_SYMBOL=VALUE
	// when the GO_LINKER_SYMBOL config var is set, VALUE being the
	// GO_LINKER_VALUE config var, else Platform.SourceVersion; then the
	// -ldflags of GOFLAGS and GO_BUILD_FLAGS.
	LDFlags []string
	// BuildFlags are the words of the GO_BUILD_FLAGS config var but its
	// -tags and -ldflags, in order, for go build and go test. nil when
	// unset.
	BuildFlags []string
	// CGO is true when the CGO_ENABLED config var is 1; unset or 0, the
	// build is static.
	CGO bool

	// GOPROXY is the GOPROXY config var: the module proxies.
	GOPROXY Proxy
	// ToolchainProxy is the GO_TOOLCHAIN_PROXY config var: the proxy Go
	// toolchains come from when no GOPROXY proxy serves them;
	// https://proxy.golang.org when unset, nil when it is off.
	ToolchainProxy *goproxy.Entry
	// SumDB holds the config vars that decide how a toolchain is checked:
	// GOSUMDB, GONOSUMDB, GOPRIVATE and GOPROXY, "" when unset.
	SumDB checksum.Settings
	// Credentials are the credentials for private hosts, from the
	// GO_NETRC and GO_GIT_CRED__<PROTOCOL>__<HOST> config vars, with the
	// warnings about what was ignored; none when they are unset.
	Credentials netrc.Credentials

	// KeepToolchain is true when the toolchain goes into the slug (or the
	// app image): the GO_INSTALL_TOOLS_IN_IMAGE config var is true, or
	// the phase is TestCompile. Unset, false.
	KeepToolchain bool
	// KeepSources is true when the app's sources stay in the slug
	// whatever SlugKeep says: in the TestCompile phase, as bin/test runs
	// go test on them.
	KeepSources bool
	// SlugKeep are the patterns of the GO_SLUG_KEEP config var
	// (slug.ParseKeep): with any, the Go sources but the files they name
	// are removed from the slug. nil when unset: the sources stay.
	SlugKeep []string

	// CI holds the config vars of Heroku CI's bin/test.
	CI CI

	// Applied names the config vars that changed the build, sorted.
	Applied []string
	// Ignored maps the config vars the buildpack ignores (GOROOT, GOPATH,
	// ...) to why.
	Ignored map[string]string
	// Skipped names the files of the config var directory that are no
	// config var: their names are not a variable's, or they are not
	// regular files.
	Skipped []string

	// Environ is the build's own process environment, which the processes
	// it runs start from (gocmd.Env takes out its Go settings).
	Environ []string

	vars configVars
}

// Read reads and validates the settings of one run. An error names the
// config var or file at fault and the fix (a *remedy.Error). The Settings
// returned with an error hold what was read before it, so the warnings
// about it can be shown (Skipped, Credentials.Warnings); they are never
// nil.
func Read(in Input) (*Settings, error) {
	s := &Settings{
		Phase: in.Phase,
		Platform: Platform{
			Stack:  os.Getenv("STACK"),
			GOOS:   runtime.GOOS,
			GOARCH: runtime.GOARCH,
		},
		Environ: os.Environ(),
		Ignored: map[string]string{},
		vars:    configVars{},
	}
	if in.Phase != Test {
		mf, err := manifest.Read(in.BuildpackDir)
		if err != nil {
			return s, err
		}
		s.DefaultGo, s.Buildpack = mf.Metadata.Go.DefaultVersion, mf.Buildpack
	}
	vars, skipped, err := readEnvDir(in.EnvDir)
	if err != nil {
		return s, err
	}
	s.vars, s.Skipped = vars, skipped
	s.Platform.SourceVersion = os.Getenv("SOURCE_VERSION")
	if s.Platform.SourceVersion == "" && in.Phase == CNB {
		s.Platform.SourceVersion = vars["SOURCE_VERSION"]
	}

	cfg, err := parseConfig(vars, s.Platform.SourceVersion)
	if err != nil {
		return s, remedy.Wrap(err, "config-vars", "Fix or unset the config var: heroku config:unset NAME.")
	}
	s.GoEnv, s.GOFLAGS, s.Tags, s.LDFlags, s.BuildFlags, s.CGO = cfg.Env, cfg.GOFLAGS, cfg.Tags, cfg.LDFlags, cfg.Flags, cfg.CGO
	s.Applied, s.Ignored = cfg.Applied, cfg.Ignored
	if s.CI, err = parseCI(vars); err != nil {
		return s, remedy.Wrap(err, "config-vars", "Fix or unset the config var: heroku config:unset NAME.")
	}
	for k, v := range s.GoEnv {
		// As with the classic Go buildpack, ${build_dir} in a cgo setting
		// is the build directory (CGO_CFLAGS='-I${build_dir}/include').
		if strings.HasPrefix(k, "CGO_") {
			s.GoEnv[k] = strings.ReplaceAll(v, "${build_dir}", in.BuildDir)
		}
	}
	s.GoVersion = vars["GOVERSION"]
	s.Packages = strings.Fields(vars["GO_INSTALL_PACKAGE_SPEC"])
	if len(s.Packages) == 0 {
		s.Packages = nil
	}
	s.SumDB = checksum.Settings{GOSUMDB: vars["GOSUMDB"], GONOSUMDB: vars["GONOSUMDB"], GOPRIVATE: vars["GOPRIVATE"], GOPROXY: vars["GOPROXY"]}
	s.KeepToolchain = in.Phase == TestCompile || vars["GO_INSTALL_TOOLS_IN_IMAGE"] == "true"
	s.KeepSources = in.Phase == TestCompile

	creds, err := netrc.FromVars(vars["GO_NETRC"], vars)
	if creds != nil {
		s.Credentials = *creds
	}
	if err != nil {
		return s, remedy.Wrap(err, "private-modules",
			"GO_NETRC holds the content of a .netrc file: machine HOST login USER password TOKEN.")
	}
	if s.ToolchainProxy, err = goproxy.ParseToolchainProxy(vars[goproxy.ToolchainProxyVar]); err != nil {
		return s, remedy.Wrap(err, "config-vars",
			"Set %s to one proxy URL, or to off to fetch Go toolchains from GOPROXY only; or unset it.", goproxy.ToolchainProxyVar)
	}
	s.GOPROXY.Value, s.GOPROXY.Set = vars.Lookup("GOPROXY")
	s.GOPROXY.Proxies, err = goproxy.ParseList(s.GOPROXY.Value)
	if errors.Is(err, goproxy.ErrNoProxy) && s.ToolchainProxy != nil {
		// Toolchains come from GO_TOOLCHAIN_PROXY only.
		err = nil
	}
	if err != nil {
		return s, remedy.Wrap(fmt.Errorf("GOPROXY config var: %w", err), "config-vars",
			"Set GOPROXY to one or more proxy URLs separated by commas, e.g. heroku config:set GOPROXY=https://proxy.golang.org, or unset it.")
	}
	if keep := vars["GO_SLUG_KEEP"]; keep != "" {
		if s.SlugKeep, err = slug.ParseKeep(keep); err != nil {
			return s, remedy.Wrap(fmt.Errorf("GO_SLUG_KEEP config var: %w", err), "slug",
				"List the files to keep besides the binaries as globs relative to the app, e.g. GO_SLUG_KEEP='templates/** static/**'.")
		}
	}
	if s.App, err = findApp(in.BuildDir, vars["GO_APP_DIR"], vars["GOWORK"]); err != nil {
		return s, err
	}
	// A vendor/modules.txt that leads out of the app fails the build.
	_, err = files.AppFS(s.App.Root).Stat(path.Join(filepath.ToSlash(s.App.Rel), "vendor/modules.txt"))
	if escape := (*files.EscapeError)(nil); errors.As(err, &escape) {
		return s, remedy.Wrap(err, "vendoring", "Run `go mod vendor` (or `go work vendor`) and commit vendor/ itself.")
	}
	s.Vendored = err == nil
	return s, nil
}

// findApp locates the module or workspace to build in root, as the
// GO_APP_DIR (appDir) and GOWORK (gowork) config vars say.
func findApp(root, appDir, gowork string) (*appdir.App, error) {
	app, err := appdir.Find(root, appDir, gowork)
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
	return app, nil
}

// ProxyURLs returns the URLs of the proxies the build fetches from: the
// GOPROXY proxies, then GO_TOOLCHAIN_PROXY's.
func (s *Settings) ProxyURLs() []string {
	urls := s.GOPROXY.URLs()
	if s.ToolchainProxy != nil {
		urls = append(urls, s.ToolchainProxy.URL.String())
	}
	return urls
}

// AppVars returns the config vars that the app's own code (the build
// hooks, Heroku CI's tests) sees, as KEY=VALUE: every one but those the
// buildpack ignores and those that would change how the machine runs
// programs (exportable).
func (s *Settings) AppVars() []string {
	var out []string
	for _, kv := range s.vars.Exported() {
		if name, _, _ := strings.Cut(kv, "="); s.Ignored[name] == "" {
			out = append(out, kv)
		}
	}
	return out
}

// IsSet reports whether the config var name is set (for app.json's
// required vars, which the app names).
func (s *Settings) IsSet(name string) bool {
	_, ok := s.vars[name]
	return ok
}

// ModuleSources returns the values of the settings that decide which
// modules `go mod download` fetches and from where: GOFLAGS (but its tags
// and linker flags), GOPROXY, GONOPROXY and GOPRIVATE, "" when unset.
func (s *Settings) ModuleSources() []string {
	return []string{s.GoEnv["GOFLAGS"], s.GOPROXY.Value, s.vars["GONOPROXY"], s.vars["GOPRIVATE"]}
}

// GoEnvPairs returns GoEnv as sorted KEY=VALUE pairs.
func (s *Settings) GoEnvPairs() []string {
	out := make([]string, 0, len(s.GoEnv))
	for k, v := range s.GoEnv {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
