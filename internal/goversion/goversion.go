// Package goversion decides which Go release builds an app, and what the
// go command of that release supports.
//
// It is pure: Choose turns the app's settings into a Request, and Resolve
// matches a Request against the releases a module proxy lists. Versions
// use the go command's own spelling ("go1.22.5", "go1.23rc1") and are
// ordered with the standard library's go/version.
package goversion

import (
	"fmt"
	"go/version"
	"regexp"
	"strings"
)

// Kind says how a Request matches releases.
type Kind int

const (
	// Exact asks for exactly one release, e.g. go1.22.5.
	Exact Kind = iota
	// Newest asks for the newest release of the request's line (go1.22.x)
	// that is not older than the request's version.
	Newest
	// Match asks for the newest stable release that satisfies a version
	// constraint such as ^1.22 (see Constraint).
	Match
)

// Origin says which setting a Request comes from.
type Origin int

const (
	// FromDefault is the buildpack's default version.
	FromDefault Origin = iota
	// FromConfigVar is the GOVERSION config var.
	FromConfigVar
	// FromComment is a "// +heroku goVersion" comment in go.mod (or go.work).
	FromComment
	// FromToolchain is the toolchain directive.
	FromToolchain
	// FromGoLine is the go directive.
	FromGoLine
)

// Request is a Go release asked for, and who asked for it.
type Request struct {
	// Version is the release or line asked for: go1.22, go1.22.3,
	// go1.23rc1. For a Match request it is the lowest release the
	// constraint allows (at least go1.11).
	Version string
	Kind    Kind
	// Constraint is the constraint as written, for a Match request: "^1.22".
	Constraint string
	Source     string // for the build log: "the go directive in go.mod: go 1.22"

	Origin Origin
	File   string // the go.mod or go.work holding the setting; "" for GOVERSION
	Line   int    // its line in File, 0 when none
	// Setting is the setting's value as written: "1.22" for GOVERSION or
	// the comment, "go1.22.5" for the toolchain line, "1.22" for the go line.
	Setting string
}

// String describes the request for messages: "go1.22.5", "the newest
// go1.22.x (at least go1.22.3)" or "the newest release matching ^1.22".
func (r Request) String() string {
	switch r.Kind {
	case Exact:
		return r.Version
	case Match:
		return "the newest release matching " + r.Constraint
	}
	lang := version.Lang(r.Version)
	if lang == r.Version {
		return "the newest " + lang + ".x"
	}
	return fmt.Sprintf("the newest %s.x (at least %s)", lang, r.Version)
}

// release matches the names of Go releases and language versions:
// go1.22, go1.22.5, go1.23rc1, go1.18beta2.
var release = regexp.MustCompile(`^go1\.[0-9]+(\.[0-9]+|(rc|beta)[0-9]+)?$`)

// Parse reads a Go version as users write it: 1.22, go1.22, 1.22.5,
// go1.22.5, go1.23rc1, or a constraint as heroku/buildpacks-go accepts
// it: ^1.22, ~1.22.3, >=1.21, =1.22.5. A language version (1.22) asks for
// the newest release of that line; a patch release or prerelease asks for
// exactly that release, and so does =1.22.5; =1.22 is the same as 1.22;
// other constraints ask for the newest stable release they match.
func Parse(s string) (Request, error) {
	v := strings.TrimSpace(s)
	if isConstraint(v) {
		return parseConstraintRequest(s, v)
	}
	if !strings.HasPrefix(v, "go") {
		v = "go" + v
	}
	if !release.MatchString(v) || !version.IsValid(v) {
		return Request{}, fmt.Errorf("%q is not a Go version (want a form like 1.22, go1.22.5, go1.23rc1 or a constraint such as ^1.22)", s)
	}
	if version.Lang(v) == v {
		return Request{Version: v, Kind: Newest}, nil
	}
	return Request{Version: v, Kind: Exact}, nil
}

// parseConstraintRequest reads a constraint; "=" with a release or line
// is an ordinary Exact or Newest request.
func parseConstraintRequest(s, v string) (Request, error) {
	c, err := ParseConstraint(v)
	if err != nil {
		return Request{}, err
	}
	if len(c.terms) == 1 && c.terms[0].op == "=" && c.terms[0].v.parts >= 2 {
		r, err := Parse(c.terms[0].v.goName())
		if err == nil {
			return r, nil
		}
	}
	return Request{Version: c.lowest(MinModules), Kind: Match, Constraint: v}, nil
}

// Inputs are the places a Go version can come from, as found in the app.
type Inputs struct {
	File string // go.mod file name for messages

	ConfigVar string // GOVERSION config var; "" when unset

	Comment     string // "+heroku goVersion" argument; "" when absent
	CommentLine int

	Toolchain     string // toolchain directive, e.g. go1.22.5; "" when absent
	ToolchainLine int

	GoDirective string // go directive, e.g. 1.22; "" when absent
	GoLine      int

	Default string // buildpack default, e.g. 1.27
}

// Choose decides which release to ask for, highest priority first: the
// GOVERSION config var, a "+heroku goVersion" comment, the toolchain
// directive (exact), the go directive (a minimum within its line), the
// buildpack default. A request that can only name a release older than
// go1.11, which has no modules, is a *TooOldError.
func Choose(in Inputs) (Request, error) {
	r, err := choose(in)
	if err != nil {
		return Request{}, err
	}
	if r.Kind != Match && version.Compare(r.Version, MinModules) < 0 {
		return Request{}, &TooOldError{Version: r.Version, Request: r, Suggest: in.Default}
	}
	return r, nil
}

func choose(in Inputs) (Request, error) {
	if in.ConfigVar != "" {
		r, err := Parse(in.ConfigVar)
		if err != nil {
			return Request{}, fmt.Errorf("GOVERSION config var: %w", err)
		}
		r.Source = "the GOVERSION config var: " + in.ConfigVar
		r.Origin, r.Setting = FromConfigVar, in.ConfigVar
		return r, nil
	}
	if in.Comment != "" {
		r, err := Parse(in.Comment)
		if err != nil {
			return Request{}, fmt.Errorf("%s:%d: +heroku goVersion: %w", in.File, in.CommentLine, err)
		}
		r.Source = fmt.Sprintf("the +heroku goVersion comment in %s:%d", in.File, in.CommentLine)
		r.Origin, r.File, r.Line, r.Setting = FromComment, in.File, in.CommentLine, in.Comment
		return r, nil
	}
	goMin := ""
	if in.GoDirective != "" {
		goMin = "go" + in.GoDirective
		if !version.IsValid(goMin) {
			return Request{}, fmt.Errorf("%s:%d: go %s is not a valid go directive", in.File, in.GoLine, in.GoDirective)
		}
	}
	if in.Toolchain != "" {
		r, err := Parse(in.Toolchain)
		if err != nil || r.Kind == Match || !strings.HasPrefix(in.Toolchain, "go") {
			return Request{}, fmt.Errorf("%s:%d: toolchain %s is not a Go release (want a form like go1.22.5)", in.File, in.ToolchainLine, in.Toolchain)
		}
		// The go command ignores a toolchain line older than the go line.
		if goMin == "" || version.Compare(r.Version, goMin) >= 0 {
			r.Source = fmt.Sprintf("the toolchain directive in %s: toolchain %s", in.File, in.Toolchain)
			r.Origin, r.File, r.Line, r.Setting = FromToolchain, in.File, in.ToolchainLine, in.Toolchain
			return r, nil
		}
	}
	if goMin != "" {
		return Request{
			Version: goMin,
			Kind:    Newest,
			Source:  fmt.Sprintf("the go directive in %s: go %s", in.File, in.GoDirective),
			Origin:  FromGoLine,
			File:    in.File,
			Line:    in.GoLine,
			Setting: in.GoDirective,
		}, nil
	}
	r, err := Parse(in.Default)
	if err != nil {
		return Request{}, fmt.Errorf("buildpack default Go version: %w", err)
	}
	r.Source = fmt.Sprintf("the buildpack default, as %s has no go directive", in.File)
	r.Origin, r.File, r.Setting = FromDefault, in.File, in.Default
	return r, nil
}

// IsStable reports whether v is a release rather than a beta or release candidate.
func IsStable(v string) bool {
	return !strings.Contains(v, "rc") && !strings.Contains(v, "beta")
}

// Resolve returns the release that satisfies req among available, the
// releases the proxy lists (e.g. "go1.22.12"). An Exact request resolves to
// itself without consulting the list, which may be incomplete; fetching it
// tells whether it exists. A Newest request prefers stable releases and
// falls back to the newest prerelease of the line. A Match request takes
// the newest release its constraint matches; when that is older than
// go1.11 it is a *TooOldError.
func Resolve(req Request, available []string) (string, error) {
	switch req.Kind {
	case Exact:
		return req.Version, nil
	case Match:
		return resolveMatch(req, available)
	}
	lang := version.Lang(req.Version)
	best, bestPre := "", ""
	for _, v := range available {
		if !version.IsValid(v) || version.Lang(v) != lang || version.Compare(v, req.Version) < 0 {
			continue
		}
		if IsStable(v) {
			if best == "" || version.Compare(v, best) > 0 {
				best = v
			}
		} else if bestPre == "" || version.Compare(v, bestPre) > 0 {
			bestPre = v
		}
	}
	if best == "" {
		best = bestPre
	}
	if best == "" {
		return "", &NotFoundError{Request: req, Newest: NewestStable(available, "")}
	}
	return best, nil
}

func resolveMatch(req Request, available []string) (string, error) {
	c, err := ParseConstraint(req.Constraint)
	if err != nil {
		return "", err
	}
	best := ""
	for _, v := range available {
		if version.IsValid(v) && c.Match(v) && (best == "" || CompareReleases(v, best) > 0) {
			best = v
		}
	}
	if best == "" {
		return "", &NotFoundError{Request: req, Newest: NewestStable(available, "")}
	}
	if CompareReleases(best, MinModules) < 0 {
		return "", &TooOldError{Version: best, Request: req, Suggest: NewestStable(available, "")}
	}
	return best, nil
}

// NewestStable returns the newest stable release in available, limited to
// the line lang (e.g. "go1.22") unless lang is "". It returns "" when none.
func NewestStable(available []string, lang string) string {
	best := ""
	for _, v := range available {
		if !version.IsValid(v) || !IsStable(v) || (lang != "" && version.Lang(v) != lang) {
			continue
		}
		if best == "" || version.Compare(v, best) > 0 {
			best = v
		}
	}
	return best
}

// NotFoundError reports that no available release satisfies a request.
type NotFoundError struct {
	Request Request
	Newest  string // newest stable release available, "" when none
}

// Error describes the failure.
func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("no Go release matches %s (from %s)", e.Request, e.Request.Source)
	if e.Newest != "" {
		msg += "; the newest release available is " + e.Newest
	}
	return msg
}

// OlderThanGoDirective reports whether the go command of release v
// refuses to build a module whose go directive is goDirective (e.g.
// "1.22.3"). From go directives of 1.21 on, the go line is a minimum the
// go command enforces ("go.mod requires go >= 1.22.3"); an older go line
// only sets the language version, and older releases build such a module
// (go1.16rc1 builds a module that says go 1.16).
func OlderThanGoDirective(v, goDirective string) bool {
	if goDirective == "" || version.Compare("go"+goDirective, EnforcedGoLine) < 0 {
		return false
	}
	return version.Compare(v, "go"+goDirective) < 0
}

// EnforcedGoLine is the first go directive that the go command enforces
// as a minimum release (go1.21's toolchain management).
const EnforcedGoLine = "go1.21"
