package compile

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/procfile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
)

// layOutSlug writes .profile.d, the process types, the export file for
// later buildpacks and, when asked, the toolchain, and returns what the
// slug holds.
func (r *run) layOutSlug(res *Result, pf *procfile.File) (*slugLayout, error) {
	s, tc := res.Settings, res.Toolchain
	r.clock.begin("release")
	if err := slug.WriteProfile(r.BuildDir); err != nil {
		return nil, err
	}
	if err := r.writeSBOM(res); err != nil {
		r.log.Warn("%v", err)
	}
	if s.KeepToolchain {
		done := r.timed("keep_toolchain", "Keeping %s in the slug", tc.Version)
		if err := slug.KeepToolchain(r.BuildDir, tc.Root); err != nil {
			return nil, Failed("keep_toolchain", err)
		}
		r.log.Detail("go is on PATH at runtime: $HOME/%s/bin/go", slug.ToolchainDir)
		done()
	}
	switch {
	case r.BuildpackDir != "" && tc.Temporary:
		r.log.Warn("buildpacks after this one will not find go on PATH: this build's toolchain was in a temporary directory, removed when it ends")
	case r.BuildpackDir != "":
		if err := slug.WriteExport(filepath.Join(r.BuildpackDir, "export"), tc.Root); err != nil {
			r.log.Warn("%v: buildpacks after this one will not find go on PATH", err)
		}
	}
	r.clock.begin("release")
	procs := slug.ProcessTypes(res.Binaries.Others(), pf.Commands())
	if err := slug.WriteRelease(r.BuildDir, procs); err != nil {
		return nil, err
	}
	var desc []string
	for _, p := range procs {
		desc = append(desc, p.Type+": "+p.Command)
	}
	if len(desc) == 0 {
		desc = append(desc, "from the Procfile only")
	}
	r.stepDone("Default process types: %s", strings.Join(desc, ", "))
	if err := r.keepSources(s, "the slug"); err != nil {
		return nil, Failed("slug_keep", err)
	}
	r.clock.begin("slug")
	sz := slug.Size(r.BuildDir)
	r.stepDone("Slug: %s before compression, %s of it binaries", output.Size(sz.Total), output.Size(sz.Binaries))
	return &slugLayout{processTypes: processTypes(procs, pf), size: sz}, nil
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

// keepSources applies GO_SLUG_KEEP: it removes the Go app's sources but
// those its patterns name (not under Options.KeepSources). where names what
// the files are removed from, for the log.
func (r *run) keepSources(s *settings.Settings, where string) error {
	pats := s.SlugKeep
	if pats == nil {
		return nil
	}
	if s.KeepSources {
		r.log.Detail("GO_SLUG_KEEP is not applied: bin/test runs go test on the sources")
		return nil
	}
	r.clock.begin("slug_keep")
	n, size, err := slug.Prune(r.BuildDir, pats)
	if err != nil {
		return err
	}
	r.stepDone("Removed %d source files (%s) from %s; kept %s", n, output.Size(size), where, strings.Join(pats, " "))
	return nil
}

// trimCache keeps the cache within its bounds.
func (r *run) trimCache() {
	t := r.cache.Trim(false)
	if t.GOCACHEAfter < t.GOCACHEBefore {
		r.log.Detail("Trimmed GOCACHE from %s to %s", output.Size(t.GOCACHEBefore), output.Size(t.GOCACHEAfter))
	}
	if t.ModCacheEmpty {
		r.cache.Forget("download")
		r.log.Detail("Emptied the module cache (%s, over its %s bound)", output.Size(t.ModCacheBefore), output.Size(cache.GOMODCACHELimit))
	}
}
