package compile

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
)

// timed prints a step line and returns a function that prints how long
// the step took and records it in the report under step.
func timed(log *output.Log, rep *report.Build, step, format string, args ...any) (done func()) {
	rep.Begin(step)
	logDone := log.Timed(format, args...)
	return func() {
		logDone()
		rep.End()
	}
}

// stepDone prints the step line of a step that began with rep.Begin and
// is done, followed by how long it took.
func stepDone(log *output.Log, rep *report.Build, format string, args ...any) {
	log.Step(format, args...)
	log.Detail("done in %s", output.Duration(rep.Elapsed()))
	rep.End()
}

// saveReport records the build's outcome and saves the report for
// bin/report; a report that cannot be saved is worth a warning only.
func saveReport(log *output.Log, rep *report.Build, o Options, err error) {
	doc := ""
	if r, ok := remedy.Of(err); ok {
		doc = r.Section
	}
	rep.Finish(err, doc)
	rep.Platform = runtime.GOOS + "-" + runtime.GOARCH
	rep.Stack = os.Getenv("STACK")
	if err == nil {
		for _, name := range rep.Binaries {
			if info, serr := os.Stat(filepath.Join(o.BuildDir, name)); serr == nil {
				rep.BinaryBytes[name] = info.Size()
			}
		}
		if merr := rep.MeasureSlug(o.BuildDir); merr != nil {
			log.Warn("%v", merr)
		}
	}
	if info, serr := os.Stat(o.BuildDir); serr != nil || !info.IsDir() {
		return
	}
	if serr := report.Save(o.BuildDir, rep); serr != nil {
		log.Warn("%v", serr)
	}
}

// warm reports whether a cache directory holds anything yet.
func warm(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) > 0
}

// requested is what the app asked for, for the report; the value of a
// config var is not reported.
func requested(version, source string) string {
	if report.Origin(source) == "GOVERSION" {
		return ""
	}
	return version
}
