package gocmd

import (
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/shellwords"
)

// Hidden stands for a value the build log never shows.
const Hidden = "…"

// LoggedArgs returns the go command line args as the build log shows
// them, quoted for a shell. Build flags, tags, paths and packages are
// shown; the value of every -X name=value in -ldflags (GO_LINKER_VALUE,
// or an -X given in GOFLAGS or GO_BUILD_FLAGS, which may hold a token) is
// replaced by …, its name kept. An -ldflags value the go command could not
// split is hidden whole.
func LoggedArgs(args []string) string {
	out := append([]string(nil), args...)
	for i := 0; i < len(out); i++ {
		a := out[i]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		if name != "ldflags" {
			continue
		}
		if hasVal {
			out[i] = a[:len(a)-len(val)] + hideLinkerValues(val)
		} else if i+1 < len(out) {
			i++
			out[i] = hideLinkerValues(out[i])
		}
	}
	return shellwords.ShellJoin(out)
}

// hideLinkerValues hides the values of -X flags in an -ldflags value,
// which the go command reads as [pattern=]flags, the flags split as
// GOFLAGS is.
func hideLinkerValues(v string) string {
	pattern, flags := "", strings.TrimSpace(v)
	if !strings.HasPrefix(flags, "-") {
		if i := strings.Index(flags, "="); i > 0 {
			pattern, flags = flags[:i+1], flags[i+1:]
		}
	}
	words, err := shellwords.SplitGo(flags)
	if err != nil {
		return Hidden
	}
	for i := 0; i < len(words); i++ {
		name, val, hasVal := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(words[i], "-"), "-"), "=")
		if !strings.HasPrefix(words[i], "-") || name != "X" {
			continue
		}
		if hasVal {
			words[i] = words[i][:len(words[i])-len(val)] + hideValue(val)
		} else if i+1 < len(words) {
			i++
			words[i] = hideValue(words[i])
		}
	}
	joined, err := shellwords.JoinGo(words)
	if err != nil {
		return Hidden
	}
	return pattern + joined
}

// hideValue turns name=value into name=…, and anything else into ….
func hideValue(s string) string {
	if name, _, ok := strings.Cut(s, "="); ok {
		return name + "=" + Hidden
	}
	return Hidden
}
