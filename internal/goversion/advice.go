package goversion

import (
	"fmt"
	"go/version"
	"path"
	"strings"
)

// MinModules is the first Go release with modules: the oldest this
// buildpack can build with.
const MinModules = "go1.11"

// Advice says how to change the setting behind r so that it asks for
// target, a release ("go1.27.4") or a line ("1.27", "go1.27"): the
// command or edit that moves the app forward, for the log.
func (r Request) Advice(target string) string {
	if !strings.HasPrefix(target, "go") {
		target = "go" + target
	}
	line := strings.TrimPrefix(version.Lang(target), "go")
	if line == "" {
		line = strings.TrimPrefix(target, "go")
	}
	edit := "go mod edit"
	if path.Base(r.File) == "go.work" {
		edit = "go work edit"
	}
	switch r.Origin {
	case FromConfigVar:
		return fmt.Sprintf("run `heroku config:set GOVERSION=%s`", line)
	case FromComment:
		return fmt.Sprintf("change %s:%d to `// +heroku goVersion %s`", r.File, r.Line, line)
	case FromToolchain:
		if version.Lang(target) != target {
			return fmt.Sprintf("run `%s -toolchain=%s` (it rewrites %s:%d, `toolchain %s`)", edit, target, r.File, r.Line, r.Setting)
		}
		return fmt.Sprintf("run `%s -toolchain=none` to remove %s:%d (`toolchain %s`), so the go directive decides, and raise the go directive to %s if it is older", edit, r.File, r.Line, r.Setting, line)
	case FromGoLine:
		tidy := " && go mod tidy"
		if edit == "go work edit" {
			tidy = ""
		}
		return fmt.Sprintf("run `%s -go=%s%s` (it rewrites %s:%d, `go %s`), and commit the result", edit, line, tidy, r.File, r.Line, r.Setting)
	}
	return fmt.Sprintf("run `heroku config:set GOVERSION=%s`, or give %s a go directive (`go mod edit -go=%s`)", line, orGoMod(r.File), line)
}

func orGoMod(file string) string {
	if file == "" {
		return "go.mod"
	}
	return file
}

// TooOldError reports a request for a Go release without modules
// (older than go1.11): no such release can build a go.mod.
type TooOldError struct {
	Version string // the release or line asked for, e.g. go1.10
	Request Request
	// Suggest is the release or line to suggest instead (the buildpack
	// default, or the newest release available); "" for none.
	Suggest string
}

// Error describes the failure, naming the setting.
func (e *TooOldError) Error() string {
	return fmt.Sprintf("%s (from %s) is older than %s, the first Go with modules, so it cannot build a go.mod", e.Version, e.Request.Source, MinModules)
}

// Fix says what to change.
func (e *TooOldError) Fix() string {
	target := e.Suggest
	if target == "" || CompareReleases("go"+strings.TrimPrefix(target, "go"), MinModules) < 0 {
		target = MinModules
	}
	return "Ask for a Go release with modules: " + e.Request.Advice(target) + "."
}

// SupportedLines returns the lines the Go team supports, newest first:
// the two newest minor lines with a stable release in available (e.g.
// ["go1.27", "go1.26"]). It returns fewer when the list has fewer.
func SupportedLines(available []string) []string {
	var lines []string
	for _, v := range available {
		if !version.IsValid(v) || !IsStable(v) {
			continue
		}
		l := version.Lang(v)
		seen := false
		for _, x := range lines {
			seen = seen || x == l
		}
		if !seen {
			lines = append(lines, l)
		}
	}
	// Newest first: sort the handful of lines by insertion.
	for i := 1; i < len(lines); i++ {
		for j := i; j > 0 && version.Compare(lines[j], lines[j-1]) > 0; j-- {
			lines[j], lines[j-1] = lines[j-1], lines[j]
		}
	}
	if len(lines) > 2 {
		lines = lines[:2]
	}
	return lines
}

// Unsupported reports whether release v is older than every line the Go
// team supports (see SupportedLines): it gets no more security fixes.
// A release of a line newer than the list knows (a release candidate) is
// not.
func Unsupported(v string, available []string) bool {
	lines := SupportedLines(available)
	if len(lines) < 2 || !version.IsValid(v) {
		return false
	}
	return version.Compare(version.Lang(v), lines[len(lines)-1]) < 0
}

// UnsupportedWarning returns the warning for building with release v,
// which req chose, when the Go team no longer supports v; "" when it does.
// The warning names the setting that moves the app to the newest line.
func UnsupportedWarning(v string, req Request, available []string) string {
	if !Unsupported(v, available) {
		return ""
	}
	lines := SupportedLines(available)
	target := strings.TrimPrefix(lines[0], "go")
	if req.Origin == FromToolchain {
		target = NewestStable(available, lines[0])
	}
	return fmt.Sprintf("%s is no longer supported by the Go team: it gets no security fixes (supported: %s and %s). To move forward, %s.",
		v, lines[0], lines[1], req.Advice(target))
}

// UnavailableError reports an exact release the module proxy does not
// have, with the nearest releases that it has.
type UnavailableError struct {
	Version string // the release asked for, e.g. go1.16rc1
	Request Request
	// Proxy and Platform, when set, say where it was looked for:
	// "https://proxy.golang.org", "linux/amd64".
	Proxy, Platform string
	// Lower and Higher are the releases closest to Version in the
	// proxy's list, below and above it; "" when there is none.
	Lower, Higher string
	// Line is the newest stable release of Version's line, "" when the
	// list has none.
	Line string
	// Says is what the proxy answered, "" when nothing.
	Says string
}

// NotAvailable returns the error for release v, chosen by req, that the
// proxy did not serve, given the releases it lists.
func NotAvailable(v string, req Request, available []string) *UnavailableError {
	e := &UnavailableError{Version: v, Request: req}
	e.Lower, e.Higher = Nearest(v, available)
	e.Line = NewestStable(available, version.Lang(v))
	return e
}

// Error describes the failure.
func (e *UnavailableError) Error() string {
	msg := fmt.Sprintf("%s (from %s) is not available", e.Version, e.Request.Source)
	if e.Proxy != "" {
		msg += " from GOPROXY=" + e.Proxy
	}
	if e.Platform != "" {
		msg += " for " + e.Platform
	}
	if e.Says != "" {
		msg += " (the proxy says: " + e.Says + ")"
	}
	switch {
	case e.Lower != "" && e.Higher != "":
		msg += fmt.Sprintf("; the nearest releases that are: %s and %s", e.Lower, e.Higher)
	case e.Lower != "":
		msg += "; the newest release that is: " + e.Lower
	case e.Higher != "":
		msg += "; the oldest release that is: " + e.Higher
	}
	return msg
}

// Fix says what to ask for instead.
func (e *UnavailableError) Fix() string {
	if e.Line != "" {
		lang := version.Lang(e.Version)
		return fmt.Sprintf("The newest %s release is %s; ask for the line to always get its newest release: %s.", lang, e.Line, e.Request.Advice(lang))
	}
	if e.Higher != "" {
		return "Ask for a release the proxy has: " + e.Request.Advice(e.Higher) + "."
	}
	if e.Lower != "" {
		return "Ask for a release the proxy has: " + e.Request.Advice(e.Lower) + "."
	}
	return "Ask for a released Go version."
}

// Nearest returns the releases in available closest to v: the newest one
// older than v and the oldest one newer than v, "" where there is none.
// Releases are ordered as releases (see CompareReleases).
func Nearest(v string, available []string) (lower, higher string) {
	for _, a := range available {
		if !version.IsValid(a) {
			continue
		}
		switch c := CompareReleases(a, v); {
		case c < 0 && (lower == "" || CompareReleases(a, lower) > 0):
			lower = a
		case c > 0 && (higher == "" || CompareReleases(a, higher) < 0):
			higher = a
		}
	}
	return lower, higher
}
