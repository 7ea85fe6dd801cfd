package compile

import (
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appjson"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/procfile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

// checkApp warns about the mistakes in the Procfile and app.json that the
// finished build can see, and returns what it found; none of them stops
// the build.
func (r *run) checkApp(res *Result, pf *procfile.File, pfErr error) (found appChecks) {
	log, s := r.log, res.Settings
	app := files.AppFS(r.BuildDir)
	misnamed := append(procfile.Misnamed(app), procfile.InSubdirectory(app, res.App.Rel)...)
	aj, ajErr := appjson.Read(app)
	var checked []string
	if pf != nil || pfErr != nil || len(misnamed) > 0 {
		checked = append(checked, "Procfile")
	}
	if aj != nil || ajErr != nil {
		checked = append(checked, "app.json")
	}
	if len(checked) == 0 {
		return found
	}
	r.clock.begin("checks")
	log.Step("Checking %s", strings.Join(checked, " and "))

	warnings := misnamed
	if pfErr != nil {
		log.Warn("%v", pfErr)
	}
	if pf != nil {
		warnings = append(warnings, procfile.Check(pf, procfile.Env{
			App:           app,
			Binaries:      res.Binaries.Paths(),
			ToolchainKept: res.Settings.KeepToolchain,
			HasCommand:    procfile.HasCommand,
		})...)
	}
	shown := procfile.Shown(warnings)
	for i, w := range shown {
		if i == len(shown)-1 {
			log.Warn("%s\nSee %s", w, remedy.DocsURL+"procfile")
		} else {
			log.Warn("%s", w)
		}
	}
	found.procfileWarnings = len(warnings)

	if ajErr != nil {
		log.Warn("%v\nSee %s", ajErr, remedy.DocsURL+"app-json")
	}
	if aj != nil {
		missing := aj.Missing(s.IsSet)
		if len(missing) > 0 {
			log.Warn("app.json declares required config vars that are not set: %s\n"+
				"The app may fail when it reads them; set them before it starts: heroku config:set %s=...\n"+
				"See %s", output.List(missing), output.Excerpt(missing[0]), remedy.DocsURL+"app-json")
		}
		found.missingVars = missing
	}
	log.Detail("done in %s", output.Duration(r.clock.elapsed()))
	r.clock.end()
	return found
}
