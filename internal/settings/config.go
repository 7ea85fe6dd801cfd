package settings

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/gobuildpack/heroku-buildpack-go/internal/shellwords"
)

// goVars are config vars passed to the go command as they are.
var goVars = map[string]bool{
	"GOFLAGS": true, "GOEXPERIMENT": true, "GODEBUG": true,
	"GOPROXY": true, "GOPRIVATE": true, "GONOPROXY": true, "GONOSUMDB": true,
	"GOSUMDB": true, "GOINSECURE": true, "GOVCS": true, "GOAUTH": true,
	"GOAMD64": true, "GOARM64": true, "GOFIPS140": true,
	"CGO_ENABLED": true, "CGO_CFLAGS": true, "CGO_CPPFLAGS": true, "CGO_CXXFLAGS": true,
	"CGO_FFLAGS": true, "CGO_LDFLAGS": true, "CC": true, "CXX": true, "PKG_CONFIG": true,
}

// ownVars are config vars the buildpack itself reads.
var ownVars = map[string]bool{
	"GOVERSION": true, "GO_INSTALL_PACKAGE_SPEC": true, "GO_BUILD_FLAGS": true,
	"GO_LINKER_SYMBOL": true, "GO_LINKER_VALUE": true, "GO_APP_DIR": true, "GOWORK": true,
	"GO_NETRC": true, "GO_INSTALL_TOOLS_IN_IMAGE": true, "GO_TOOLCHAIN_PROXY": true, "GO_STRIP": true, "GO_SLUG_KEEP": true,
	"GO_TEST_RACE": true, "GO_TEST_SKIP_BENCHMARK": true, "GOLANGCI_LINT_VERSION": true,
}

// gitCredPrefix starts the names of the classic buildpack's credential
// config vars, GO_GIT_CRED__<PROTOCOL>__<HOST>.
const gitCredPrefix = "GO_GIT_CRED__"

// ConfigVars returns, sorted, the names of the config vars the buildpack
// reads (passed to the go command or its own; GO_GIT_CRED__ vars as
// their prefix) and of those it ignores with a warning.
func ConfigVars() (read, ignored []string) {
	for name := range goVars {
		read = append(read, name)
	}
	for name := range ownVars {
		read = append(read, name)
	}
	read = append(read, gitCredPrefix)
	for name := range setVars {
		ignored = append(ignored, name)
	}
	sort.Strings(read)
	sort.Strings(ignored)
	return read, ignored
}

// setVars are Go settings the buildpack decides; config vars naming them
// are ignored, with the reason.
var setVars = map[string]string{
	"GOROOT":      "the buildpack installs the toolchain",
	"GOTOOLCHAIN": "the buildpack chooses the toolchain; set GOVERSION instead",
	"GOPATH":      "the buildpack keeps Go's files in the build cache",
	"GOCACHE":     "the buildpack keeps the build cache in CACHE_DIR",
	"GOMODCACHE":  "the buildpack keeps the module cache in CACHE_DIR",
	"GOENV":       "the build reads no go env file",
	"GOBIN":       "binaries go to bin/ in the app",
	"GOOS":        "dynos run linux",
	"GOARCH":      "binaries are built for the dyno's architecture",
}

// config is the build configuration that config vars give.
type config struct {
	// Env holds the variables passed to the go command, GOFLAGS without
	// any -tags (they are merged into Tags).
	Env map[string]string
	// GOFLAGS are the words of GOFLAGS but its -tags and -ldflags.
	GOFLAGS []string
	// Tags are the build tags: heroku first, then the user's.
	Tags []string
	// LDFlags are the linker flags, merged into one -ldflags.
	LDFlags []string
	// Flags are the other GO_BUILD_FLAGS words, in order.
	Flags []string
	// Applied names the config vars that changed the build, sorted.
	Applied []string
	// Ignored maps config var names to why they were ignored.
	Ignored map[string]string
	// CGO reports whether cgo is enabled (CGO_ENABLED=1).
	CGO bool
}

// parseConfig turns config vars into the build configuration.
// sourceVersion is SOURCE_VERSION from the build environment (the commit
// being built), the default value of GO_LINKER_VALUE.
func parseConfig(vars map[string]string, sourceVersion string) (*config, error) {
	c := &config{Env: map[string]string{}, Tags: []string{"heroku"}, Ignored: map[string]string{}}
	applied := map[string]bool{}
	for name, v := range vars {
		switch {
		case goVars[name]:
			c.Env[name] = v
			applied[name] = true
		case ownVars[name]:
			applied[name] = true
		case strings.HasPrefix(name, gitCredPrefix):
			applied[name] = true
		case setVars[name] != "":
			c.Ignored[name] = setVars[name]
		}
	}
	switch vars["CGO_ENABLED"] {
	case "", "0":
		c.Env["CGO_ENABLED"] = "0"
	case "1":
		c.CGO = true
	default:
		return nil, fmt.Errorf("CGO_ENABLED config var: %q is neither 0 nor 1", vars["CGO_ENABLED"])
	}

	// Tags may come from GOFLAGS and GO_BUILD_FLAGS; a -tags on the
	// command line would replace the one in GOFLAGS, so both are merged.
	if gf, ok := vars["GOFLAGS"]; ok {
		kept, tags, ld, err := parseGOFLAGS(gf)
		if err != nil {
			return nil, fmt.Errorf("GOFLAGS config var: %w", err)
		}
		rest, err := shellwords.JoinGo(kept)
		if err != nil {
			return nil, fmt.Errorf("GOFLAGS config var: %w", err)
		}
		c.Tags = appendNew(c.Tags, tags...)
		c.LDFlags = append(c.LDFlags, ld...)
		c.Env["GOFLAGS"], c.GOFLAGS = rest, kept
	}
	if bf := vars["GO_BUILD_FLAGS"]; bf != "" {
		words, err := shellwords.SplitWords(bf)
		if err != nil {
			return nil, fmt.Errorf("GO_BUILD_FLAGS config var: %w", err)
		}
		rest, tags, err := extractTags(words)
		if err != nil {
			return nil, fmt.Errorf("GO_BUILD_FLAGS config var: %w", err)
		}
		c.Tags = appendNew(c.Tags, tags...)
		rest, ld, err := extractLDFlags(rest)
		if err != nil {
			return nil, fmt.Errorf("GO_BUILD_FLAGS config var: %w", err)
		}
		c.Flags = rest
		c.LDFlags = append(c.LDFlags, ld...)
	}
	if sym := vars["GO_LINKER_SYMBOL"]; sym != "" {
		val, ok := vars["GO_LINKER_VALUE"]
		if !ok {
			val = sourceVersion
		}
		x, err := quoteLinkerArg(sym + "=" + val)
		if err != nil {
			return nil, fmt.Errorf("GO_LINKER_VALUE config var: %w", err)
		}
		c.LDFlags = append([]string{"-X", x}, c.LDFlags...)
	} else if _, ok := vars["GO_LINKER_VALUE"]; ok {
		return nil, errors.New("GO_LINKER_VALUE config var is set but GO_LINKER_SYMBOL is not: set GO_LINKER_SYMBOL to the variable to stamp, e.g. main.version")
	}
	// Symbol tables and DWARF are dropped unless GO_STRIP=false: binaries
	// are about a third smaller, and panics still print stack traces.
	switch vars["GO_STRIP"] {
	case "", "true":
		c.LDFlags = append([]string{"-s", "-w"}, c.LDFlags...)
	case "false":
	default:
		return nil, fmt.Errorf("GO_STRIP config var: %q is neither true nor false", vars["GO_STRIP"])
	}
	for name := range applied {
		c.Applied = append(c.Applied, name)
	}
	sort.Strings(c.Applied)
	return c, nil
}

// parseGOFLAGS splits GOFLAGS as the go command does
// (cmd/go/internal/base.InitGOFLAGS), with its rule that each word is a
// flag of its own, -flag or -flag=value. It takes out the -tags and
// -ldflags flags and returns their values, and the other flags, the
// GOFLAGS to pass on. Errors never repeat a word, which may hold a secret
// (-ldflags=-X main.key=...).
func parseGOFLAGS(s string) (kept, tags, ld []string, err error) {
	words, err := shellwords.SplitGo(s)
	if err != nil {
		return nil, nil, nil, err
	}
	for i, w := range words {
		if !isFlag(w) {
			return nil, nil, nil, fmt.Errorf("non-flag word %d (the go command takes each word as -flag or -flag=value; "+
				"quote a whole word that holds spaces: '-ldflags=-X main.v=1 -s')", i+1)
		}
		name, val, hasVal := strings.Cut(strings.TrimPrefix(w[1:], "-"), "=")
		switch name {
		case "tags":
			if !hasVal {
				return nil, nil, nil, errors.New("-tags needs a value, e.g. -tags=netgo")
			}
			tags = appendNew(tags, splitTags(val)...)
		case "ldflags":
			if !hasVal {
				return nil, nil, nil, errors.New("-ldflags needs a value, e.g. '-ldflags=-X main.v=1'")
			}
			if val, err = linkerFlags(val); err != nil {
				return nil, nil, nil, err
			}
			ld = append(ld, val)
		default:
			kept = append(kept, w)
		}
	}
	return kept, tags, ld, nil
}

// isFlag reports whether the go command takes w as a flag in GOFLAGS:
// -x, --x, -x=value or --x=value.
func isFlag(w string) bool {
	return strings.HasPrefix(w, "-") && w != "-" && w != "--" && !strings.HasPrefix(w, "---") &&
		!strings.HasPrefix(w, "-=") && !strings.HasPrefix(w, "--=")
}

// splitTags splits a -tags value: comma-separated, or space-separated as
// older go commands wrote it.
func splitTags(val string) []string {
	return strings.FieldsFunc(val, func(r rune) bool { return r == ',' || r == ' ' })
}

// extractTags removes -tags flags from args and returns their tags.
func extractTags(args []string) (rest, tags []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || strings.TrimPrefix(name, "-") != "tags" {
			rest = append(rest, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, nil, errors.New("-tags needs a value, e.g. -tags=netgo")
			}
			i++
			val = args[i]
		}
		tags = appendNew(tags, splitTags(val)...)
	}
	return rest, tags, nil
}

// extractLDFlags removes -ldflags flags from args and returns their words.
func extractLDFlags(args []string) (rest, ld []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || strings.TrimPrefix(name, "-") != "ldflags" {
			rest = append(rest, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, nil, errors.New("-ldflags needs a value, e.g. -ldflags='-X main.v=1'")
			}
			i++
			val = args[i]
		}
		if val, err = linkerFlags(val); err != nil {
			return nil, nil, err
		}
		ld = append(ld, val)
	}
	return rest, ld, nil
}

// linkerFlags returns the flags of an -ldflags value to merge into the
// buildpack's. The go command reads a value that does not start with "-"
// and holds "=" as pattern=flags. Linker flags matter for the main
// packages built, which "all" matches as the buildpack's own -ldflags
// does; another pattern would replace the buildpack's flags for the
// packages it names, so it is refused. The error names the pattern only.
func linkerFlags(val string) (string, error) {
	pattern, flags, ok := strings.Cut(val, "=")
	if !ok || strings.HasPrefix(val, "-") {
		return val, nil
	}
	if pattern != "all" {
		return "", fmt.Errorf("-ldflags=%s=... applies to the packages %s only, and there replaces the buildpack's linker flags: write the flags without a pattern (they apply to the binaries built) or with all=", pattern, pattern)
	}
	return flags, nil
}

// quoteLinkerArg quotes an -X argument for -ldflags, which the go command
// splits on spaces unless quoted.
func quoteLinkerArg(s string) (string, error) {
	switch {
	case !strings.ContainsAny(s, " \t\n'\""):
		return s, nil
	case !strings.Contains(s, "'"):
		return "'" + s + "'", nil
	case !strings.Contains(s, `"`):
		return `"` + s + `"`, nil
	}
	return "", errors.New("the value holds both ' and \", which -ldflags cannot quote")
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		dup := false
		for _, have := range list {
			dup = dup || have == it
		}
		if !dup {
			list = append(list, it)
		}
	}
	return list
}

// parseCI reads the config vars of Heroku CI's bin/test (see CI).
func parseCI(vars map[string]string) (CI, error) {
	c := CI{Race: true, CC: "gcc"}
	switch v := vars["GO_TEST_RACE"]; v {
	case "", "true":
	case "false":
		c.Race = false
	default:
		return CI{}, fmt.Errorf("GO_TEST_RACE config var: %q is neither true nor false", v)
	}
	// The classic Go buildpack skips the benchmarks when the var is set at
	// all; false and 0 say the opposite, and run them.
	switch vars["GO_TEST_SKIP_BENCHMARK"] {
	case "", "false", "0":
	default:
		c.SkipBenchmarks = true
	}
	if v := vars["GOLANGCI_LINT_VERSION"]; v != "" {
		sv := v
		if !strings.HasPrefix(sv, "v") {
			sv = "v" + sv
		}
		if !semver.IsValid(sv) || semver.Canonical(sv) != sv || semver.Build(sv) != "" {
			return CI{}, fmt.Errorf("GOLANGCI_LINT_VERSION config var: %q is not a release such as v2.15.0 or v1.64.8", v)
		}
		c.GolangciLintVersion = sv
	}
	// The go command runs $CC for cgo, gcc when it is unset
	// (cmd/go/internal/cfg.DefaultCC); CC may hold flags after the name.
	if f := strings.Fields(vars["CC"]); len(f) > 0 {
		c.CC = f[0]
	}
	return c, nil
}
