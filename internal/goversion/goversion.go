// Package goversion decides which Go release builds an app.
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
)

// Request is a Go release asked for, and who asked for it.
type Request struct {
	Version string // go1.22, go1.22.3, go1.23rc1
	Kind    Kind
	Source  string // for the build log: "the go directive in go.mod: go 1.22"
}

// String describes the request for messages: "go1.22.5" or "the newest go1.22.x (at least go1.22.3)".
func (r Request) String() string {
	if r.Kind == Exact {
		return r.Version
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
// go1.22.5, go1.23rc1. A language version (1.22) asks for the newest
// release of that line; a patch release or prerelease asks for exactly
// that release.
func Parse(s string) (Request, error) {
	v := strings.TrimSpace(s)
	if !strings.HasPrefix(v, "go") {
		v = "go" + v
	}
	if !release.MatchString(v) || !version.IsValid(v) {
		return Request{}, fmt.Errorf("%q is not a Go version (want a form like 1.22, go1.22.5 or go1.23rc1)", s)
	}
	if version.Lang(v) == v {
		return Request{Version: v, Kind: Newest}, nil
	}
	return Request{Version: v, Kind: Exact}, nil
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
// buildpack default.
func Choose(in Inputs) (Request, error) {
	if in.ConfigVar != "" {
		r, err := Parse(in.ConfigVar)
		if err != nil {
			return Request{}, fmt.Errorf("GOVERSION config var: %w", err)
		}
		r.Source = "the GOVERSION config var: " + in.ConfigVar
		return r, nil
	}
	if in.Comment != "" {
		r, err := Parse(in.Comment)
		if err != nil {
			return Request{}, fmt.Errorf("%s:%d: +heroku goVersion: %w", in.File, in.CommentLine, err)
		}
		r.Source = fmt.Sprintf("the +heroku goVersion comment in %s:%d", in.File, in.CommentLine)
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
		if err != nil || !strings.HasPrefix(in.Toolchain, "go") {
			return Request{}, fmt.Errorf("%s:%d: toolchain %s is not a Go release (want a form like go1.22.5)", in.File, in.ToolchainLine, in.Toolchain)
		}
		// The go command ignores a toolchain line older than the go line.
		if goMin == "" || version.Compare(r.Version, goMin) >= 0 {
			r.Source = fmt.Sprintf("the toolchain directive in %s: toolchain %s", in.File, in.Toolchain)
			return r, nil
		}
	}
	if goMin != "" {
		return Request{
			Version: goMin,
			Kind:    Newest,
			Source:  fmt.Sprintf("the go directive in %s: go %s", in.File, in.GoDirective),
		}, nil
	}
	r, err := Parse(in.Default)
	if err != nil {
		return Request{}, fmt.Errorf("buildpack default Go version: %w", err)
	}
	r.Source = fmt.Sprintf("the buildpack default, as %s has no go directive", in.File)
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
// falls back to the newest prerelease of the line.
func Resolve(req Request, available []string) (string, error) {
	if req.Kind == Exact {
		return req.Version, nil
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

// OlderThanGoDirective reports whether the release v is older than the
// minimum the go directive goDirective (e.g. "1.22.3") demands. The go
// command refuses to build a module with an older toolchain.
func OlderThanGoDirective(v, goDirective string) bool {
	if goDirective == "" {
		return false
	}
	return version.Compare(v, "go"+goDirective) < 0
}
