// Package golangci decides how Heroku CI lints an app with golangci-lint:
// whether the app has a golangci-lint config file (FindConfig), which
// release lints it (Choose: a tool directive in go.mod, the
// GOLANGCI_LINT_VERSION config var, or DefaultVersion), whether that
// release reads the config's format (Linter.CheckConfig), and where a
// build of it is kept (Cached).
package golangci

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gomod"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

// DefaultVersion is the golangci-lint release that lints an app which
// names none.
const DefaultVersion = "v2.15.0"

// Repo is golangci-lint's module path without its major version suffix.
const Repo = "github.com/golangci/golangci-lint"

// ConfigNames are the config file names golangci-lint reads, in the
// order it tries them in a directory.
var ConfigNames = []string{".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json"}

// Config is an app's golangci-lint config file.
type Config struct {
	// Name is its path relative to the build directory (.golangci.yml,
	// api/.golangci.toml), slash-separated.
	Name string
	// V2 says it is in golangci-lint v2's format: it says version "2".
	V2 bool
}

// FindConfig returns the config file golangci-lint uses when it runs in
// the app's directory dir (relative to the root of fsys, slash-separated):
// the first of ConfigNames there, else in the nearest parent directory
// that has one, as golangci-lint looks for it, up to the root of the
// build. It returns nil when there is none.
func FindConfig(fsys files.AppFS, dir string) (*Config, error) {
	dir = path.Clean(dir)
	for {
		for _, name := range ConfigNames {
			p := path.Join(dir, name)
			data, err := fsys.ReadFile(p)
			var escape *files.EscapeError
			switch {
			case errors.As(err, &escape):
				return nil, remedy.Wrap(err, "heroku-ci", "The buildpack reads only the app's own files, never what a symlink points to outside it.")
			case errors.Is(err, fs.ErrNotExist):
				continue
			case err != nil:
				return nil, fmt.Errorf("read %s: %w", p, err)
			}
			v2, err := isV2(name, data)
			if err != nil {
				return nil, remedy.Wrap(fmt.Errorf("%s: %w", p, err), "heroku-ci", "Fix the file's syntax: golangci-lint could not read it either.")
			}
			return &Config{Name: p, V2: v2}, nil
		}
		if dir == "." {
			return nil, nil
		}
		dir = path.Dir(dir)
	}
}

// Top-level version keys of a YAML or TOML file (`version: "2"`,
// `version = "2"`): golangci-lint v2 refuses a config without one.
var (
	yamlVersion = regexp.MustCompile(`^version\s*:\s*["']?([^"'\s#]*)["']?\s*(#.*)?$`)
	tomlVersion = regexp.MustCompile(`^version\s*=\s*["']?([^"'\s#]*)["']?\s*(#.*)?$`)
)

// isV2 reports whether a config file named name says version "2".
func isV2(name string, data []byte) (bool, error) {
	if strings.HasSuffix(name, ".json") {
		var top map[string]any
		if err := json.Unmarshal(data, &top); err != nil {
			return false, fmt.Errorf("not JSON: %w", err)
		}
		v, ok := top["version"]
		return ok && fmt.Sprint(v) == "2", nil
	}
	re := yamlVersion
	if strings.HasSuffix(name, ".toml") {
		re = tomlVersion
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if re == tomlVersion && strings.HasPrefix(line, "[") {
			break // a TOML table: what follows is not at the top level
		}
		if m := re.FindStringSubmatch(line); m != nil {
			return m[1] == "2", nil
		}
	}
	return false, nil
}

// Linter is the golangci-lint release that lints the app.
type Linter struct {
	Version string // v2.15.0
	Module  string // github.com/golangci/golangci-lint/v2
	// Source says where the version comes from, for the log: "the tool
	// directive in go.mod".
	Source string
	// Tool is the package of the app's tool directive when it names
	// golangci-lint: the app's requirements build it, as `go tool
	// golangci-lint` does. "" otherwise.
	Tool string
}

// Package returns the linter's main package.
func (l Linter) Package() string { return l.Module + "/cmd/golangci-lint" }

// Choose returns the golangci-lint release that lints the app whose
// go.mod is mod (nil for a workspace without one): the one its tool
// directive names (at the version go.mod requires), else the
// GOLANGCI_LINT_VERSION config var (configVar, a semantic version), else
// DefaultVersion.
func Choose(mod *gomod.File, configVar string) Linter {
	if mod != nil {
		for _, t := range mod.Tools {
			m, ok := strings.CutSuffix(t, "/cmd/golangci-lint")
			if ok && (m == Repo || strings.HasPrefix(m, Repo+"/v")) {
				return Linter{Version: mod.Required[m], Module: m, Tool: t, Source: "the tool directive in " + mod.Name}
			}
		}
	}
	if configVar != "" {
		return Linter{Version: configVar, Module: ModulePath(configVar), Source: "the GOLANGCI_LINT_VERSION config var"}
	}
	return Linter{Version: DefaultVersion, Module: ModulePath(DefaultVersion), Source: "the buildpack's default; GOLANGCI_LINT_VERSION chooses another"}
}

// ModulePath returns the module path of golangci-lint's release version:
// Repo for v0 and v1, Repo/vN from v2 on.
func ModulePath(version string) string {
	if major := semver.Major(version); major != "v0" && major != "v1" {
		return Repo + "/" + major
	}
	return Repo
}

// CheckConfig says whether the linter reads the config file's format:
// golangci-lint v2 refuses a v1 config (one that does not say version
// "2"), v1 a v2 config. The error names the file, the release and the
// fix: `golangci-lint migrate` rewrites a v1 config for v2.
func (l Linter) CheckConfig(c *Config) error {
	v2 := semver.Compare(semver.Major(l.Version), "v2") >= 0
	switch {
	case v2 && !c.V2:
		fix := "Run `golangci-lint migrate` (with golangci-lint v2) in the app to rewrite it for v2, and commit it"
		if l.Tool == "" {
			fix += "; or keep linting with v1: heroku ci:config:set GOLANGCI_LINT_VERSION=v1.64.8"
		}
		return remedy.Wrap(fmt.Errorf("%s is a golangci-lint v1 config (it has no version: \"2\"), which golangci-lint %s (from %s) does not read", c.Name, l.Version, l.Source),
			"heroku-ci", "%s.", fix)
	case !v2 && c.V2:
		fix := "Set GOLANGCI_LINT_VERSION to a v2 release, or unset it to lint with " + DefaultVersion
		if l.Tool != "" {
			fix = "Require golangci-lint v2 in its tool directive: go get -tool " + Repo + "/v2/cmd/golangci-lint@" + DefaultVersion
		}
		return remedy.Wrap(fmt.Errorf("%s is a golangci-lint v2 config (version: \"2\"), which golangci-lint %s (from %s) does not read", c.Name, l.Version, l.Source),
			"heroku-ci", "%s.", fix)
	}
	return nil
}
