package compile

import (
	"os"
	"path/filepath"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// facts are what the steps of one build returned, as far as it got: the
// report is made from them when the build ends.
type facts struct {
	settings  *settings.Settings   // nil until they are read
	choice    goChoice             // the Go release chosen; zero until it is
	toolchain *toolchain.Toolchain // nil until it is installed
	caches    cacheState
	binaries  *Binaries   // nil until they are built
	slug      *slugLayout // nil until the slug is laid out, and for another layout
	laidOut   bool        // the layout is written
	checks    appChecks
}

// cacheState says what the caches held before the modules were
// downloaded.
type cacheState struct {
	modules, build bool // GOMODCACHE, GOCACHE
}

// slugLayout is what the classic slug holds.
type slugLayout struct {
	processTypes []string // the defaults and the Procfile's, web first
	size         slug.SizeInfo
}

// appChecks are what the Procfile and app.json checks found.
type appChecks struct {
	procfileWarnings int
	missingVars      []string // required by app.json, not set
}

// origins name where a Go version request came from, in the report.
var origins = map[goversion.Origin]string{
	goversion.FromConfigVar: "GOVERSION",
	goversion.FromComment:   "heroku_comment",
	goversion.FromToolchain: "toolchain_directive",
	goversion.FromGoLine:    "go_directive",
	goversion.FromDefault:   "default",
}

// newReport makes the report of a build from what its steps returned,
// the durations of the steps that ended and the sizes of the binaries
// (by slug path), for the build that ended with err.
func newReport(f *facts, steps []report.Step, sizes map[string]int64, err error) *report.Build {
	b := &report.Build{Outcome: "success", Steps: steps, BinaryBytes: sizes}
	if err != nil {
		b.Outcome, b.FailedStep = "failure", failedStep(err)
		if r, ok := remedy.Of(err); ok {
			b.ErrorDoc = r.Section
		}
	}
	if s := f.settings; s != nil {
		b.Platform, b.Stack = s.Platform.GOOS+"-"+s.Platform.GOARCH, s.Platform.Stack
		if s.App != nil && s.App.Mod != nil {
			b.Module, b.ModulesRequired = s.App.Mod.Module, s.App.Mod.Requires
		}
		b.ToolchainKept = f.laidOut && s.KeepToolchain
	}
	if c := f.choice; c.Version != "" {
		b.GoVersion, b.GoVersionOrigin, b.GoVersionRequested = c.Version, origins[c.Request.Origin], requested(c.Request)
	}
	if f.toolchain != nil {
		b.ToolchainCacheHit = f.toolchain.Reused
	}
	b.ModuleCacheWarm, b.BuildCacheWarm = f.caches.modules, f.caches.build
	if f.binaries != nil {
		b.Binaries = f.binaries.Paths()
	}
	if l := f.slug; l != nil {
		b.ProcessTypes, b.SlugBytes, b.SlugFiles = l.processTypes, l.size.Total, l.size.Files
	}
	b.ProcfileWarnings, b.MissingConfigVars = f.checks.procfileWarnings, f.checks.missingVars
	return b
}

// requested is what the app asked for, for the report; the value of a
// config var is not reported.
func requested(req goversion.Request) string {
	switch {
	case req.Origin == goversion.FromConfigVar:
		return ""
	case req.Kind == goversion.Match:
		return req.Constraint
	}
	return req.Version
}

// saveReport saves the report of the build that ended with err, for
// bin/report; a report that cannot be saved is worth a warning only.
func (r *run) saveReport(f *facts, err error) {
	var sizes map[string]int64
	if err == nil {
		r.clock.end()
		sizes = map[string]int64{}
		for _, name := range f.binaries.Paths() {
			if info, serr := os.Stat(filepath.Join(r.BuildDir, name)); serr == nil {
				sizes[name] = info.Size()
			}
		}
	}
	b := newReport(f, r.clock.durations(), sizes, err)
	if info, serr := os.Stat(r.BuildDir); serr != nil || !info.IsDir() || slug.CheckWritable(r.BuildDir) != nil {
		return
	}
	if serr := report.Save(r.BuildDir, b); serr != nil {
		r.log.Warn("%v", serr)
	}
}
