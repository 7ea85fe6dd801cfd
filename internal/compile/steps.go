package compile

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/procfile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
)

// timed begins the report step name, prints a step line and returns a
// function that prints how long the step took and ends it.
func (r *run) timed(name, format string, args ...any) (done func()) {
	r.rep.Begin(name)
	logDone := r.log.Timed(format, args...)
	return func() {
		logDone()
		r.rep.End()
	}
}

// stepDone prints the step line of the report step begun last, which is
// done, followed by how long it took.
func (r *run) stepDone(format string, args ...any) {
	r.log.Step(format, args...)
	r.log.Detail("done in %s", output.Duration(r.rep.Elapsed()))
	r.rep.End()
}

// saveReport records the build's outcome and saves the report for
// bin/report; a report that cannot be saved is worth a warning only.
func (r *run) saveReport(err error) {
	doc := ""
	if r, ok := remedy.Of(err); ok {
		doc = r.Section
	}
	r.rep.Finish(err, doc)
	if err == nil {
		for _, name := range r.rep.Binaries {
			if info, serr := os.Stat(filepath.Join(r.BuildDir, name)); serr == nil {
				r.rep.BinaryBytes[name] = info.Size()
			}
		}
	}
	if info, serr := os.Stat(r.BuildDir); serr != nil || !info.IsDir() || slug.CheckWritable(r.BuildDir) != nil {
		return
	}
	if serr := report.Save(r.BuildDir, r.rep); serr != nil {
		r.log.Warn("%v", serr)
	}
}

// warm reports whether a cache directory holds anything yet.
func warm(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) > 0
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

// binPaths returns the slug paths of the named binaries.
func binPaths(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = slug.BinDir + "/" + n
	}
	return out
}

// processTypes lists the app's process types: the defaults and the
// Procfile's, sorted, web first.
func processTypes(defaults []slug.Process, pf *procfile.File) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range defaults {
		seen[p.Type] = true
	}
	for _, t := range pf.Types() {
		seen[t] = true
	}
	for t := range seen {
		if t != "web" {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	if seen["web"] {
		out = append([]string{"web"}, out...)
	}
	return out
}
