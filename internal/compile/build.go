package compile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/packages"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// appFile returns the name of a file of the app's directory (name is
// slash-separated, relative to it) in files.AppFS(app.Root): every file
// the build reads from the app is read there, never through a symlink to
// outside the app.
func appFile(app *appdir.App, name string) string {
	return path.Join(filepath.ToSlash(app.Rel), name)
}

// readApp reads the app's file name, relative to its directory. A file
// that is a symlink to outside the app is an error (*files.EscapeError);
// others, a missing file too, give nil data and no error, as the go
// command reports what it cannot read better than the buildpack.
func readApp(app *appdir.App, name string) ([]byte, error) {
	data, err := files.AppFS(app.Root).ReadFile(appFile(app, name))
	if escape := (*files.EscapeError)(nil); errors.As(err, &escape) {
		return nil, err
	}
	return data, nil
}

// downloadModules fills the module cache, unless the app vendors its
// modules, needs none, or needs exactly what the last build downloaded.
// It returns what the caches held before.
func (r *run) downloadModules(ctx context.Context, g *goCommand, s *settings.Settings, app *appdir.App) (cacheState, error) {
	was := cacheState{modules: warm(r.cache.GOMODCACHE()), build: warm(r.cache.GOCACHE())}
	if s.Vendored {
		r.clock.begin("modules")
		r.stepDone("Using vendored modules (vendor/modules.txt): no downloads")
		return was, nil
	}
	// In a workspace, requirements between its modules are not downloads:
	// the go command fetches what the build needs as it lists packages.
	if app.Work != nil || app.Mod.Requires == 0 {
		return was, nil
	}
	gomod, err := readApp(app, "go.mod")
	if err != nil {
		return was, remedy.Wrap(err, "go-mod-errors", "The buildpack reads only the app's own files, never what a symlink points to outside it.")
	}
	gosum, err := readApp(app, "go.sum")
	if err != nil {
		return was, remedy.Wrap(err, "modules", "Commit go.sum itself: `go mod tidy` writes it.")
	}
	parts := [][]byte{gomod, gosum}
	for _, v := range s.ModuleSources() {
		parts = append(parts, []byte(v))
	}
	key := cache.Hash(parts...)
	needed := sumModules(gosum)
	have := cachedModules(r.cache.GOMODCACHE(), needed)
	// The record holds how many of go.sum's modules were in the cache after
	// the last download with the same go.mod and go.sum.
	var after int
	r.clock.begin("modules")
	if _, ok := r.cache.Load("download", key, &after); ok && have >= after {
		r.stepDone("Reusing %s from the cache", plural(have, "module"))
		return was, nil
	}
	done := r.timed("modules", "Downloading modules")
	err = g.Exec(ctx, g.lines.ModDownload())
	g.flush()
	if err != nil {
		return was, g.failure(err, "modules", "Check that go.mod and go.sum are committed and that `go mod download` works locally; for private modules see GO_NETRC.")
	}
	after = cachedModules(r.cache.GOMODCACHE(), needed)
	r.log.Detail("Fetched %s, reused %d from the cache", plural(after-have, "module"), have)
	r.cache.Save("download", key, after)
	done()
	return was, nil
}

// warm reports whether a cache directory holds anything yet.
func warm(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) > 0
}

// findMains lists the main packages to build, checks their names and cgo
// use, and chooses the web one.
func (r *run) findMains(ctx context.Context, g *goCommand, s *settings.Settings, app *appdir.App, tc toolchain.Toolchain) (*Binaries, error) {
	r.clock.begin("packages")
	patterns, from, err := packageSpec(s, app)
	if err != nil {
		return nil, err
	}
	mains, err := r.listMains(ctx, g, app, tc, patterns)
	if err != nil {
		return nil, g.failure(err, "what-gets-built", fmt.Sprintf("The go command could not load %s (from %s); its errors are above.", strings.Join(patterns, " "), from))
	}
	if len(mains) == 0 {
		return nil, remedy.Wrap(fmt.Errorf("no main package matches %s (from %s)", strings.Join(patterns, " "), from),
			"what-gets-built", "Add a main package, or name the ones to build in GO_INSTALL_PACKAGE_SPEC or a `// +heroku install ./cmd/...` comment in go.mod.")
	}
	if dups := packages.DuplicateNames(mains); len(dups) > 0 {
		var parts []string
		for name, paths := range dups {
			parts = append(parts, fmt.Sprintf("bin/%s would be built from %s", name, strings.Join(paths, " and ")))
		}
		sort.Strings(parts)
		return nil, remedy.Wrap(fmt.Errorf("two main packages have the same binary name: %s", strings.Join(parts, "; ")),
			"what-gets-built", "Rename one of the directories, or choose the packages to build with GO_INSTALL_PACKAGE_SPEC.")
	}
	if !s.CGO {
		for _, m := range mains {
			if len(m.Cgo) > 0 {
				return nil, remedy.Wrap(fmt.Errorf("%s uses cgo (needed by %s), but builds have CGO_ENABLED=0", m.Cgo[len(m.Cgo)-1], m.ImportPath),
					"cgo", "Builds are static by default. If the app needs cgo, opt in with `heroku config:set CGO_ENABLED=1`; the binary then links against the stack's C libraries. Otherwise use a pure-Go package (e.g. modernc.org/sqlite instead of github.com/mattn/go-sqlite3).")
			}
		}
	}
	var modulePaths []string
	if app.Mod != nil {
		modulePaths = append(modulePaths, app.Mod.Module)
	}
	web, obvious := packages.Web(mains, modulePaths)
	if !obvious {
		var names []string
		for _, m := range mains {
			names = append(names, m.Name)
		}
		r.log.Warn("several main packages (%s) and none is the module's root package or named web: ./app is bin/%s. "+
			"To serve another, add a Procfile line such as `web: bin/%s`, or name its directory web.", strings.Join(names, ", "), web.Name, names[len(names)-1])
	}
	return &Binaries{Mains: mains, Web: web}, nil
}

// listMains lists the main packages, reusing the last build's list when
// nothing that decides it has changed.
func (r *run) listMains(ctx context.Context, g *goCommand, app *appdir.App, tc toolchain.Toolchain, patterns []string) ([]packages.Main, error) {
	// The listing gets the build's tags and flags (gocmd.Lines): a main
	// package guarded by a tag (`//go:build heroku`) is one the build
	// compiles. The key covers the whole command line and the Go
	// settings, so a list made with others is never reused.
	list := g.lines.List(packages.ListFormat, patterns)
	key, err := packages.Key(files.AppFS(app.Root), filepath.ToSlash(app.Rel), tc.Version, app.WorkPath,
		strings.Join(g.config.GoEnvPairs(), "\n"), strings.Join(list.Args, " "))
	if err == nil {
		var mains []packages.Main
		if _, ok := r.cache.Load("packages", key, &mains); ok {
			return mains, nil
		}
	}
	mains, lerr := packages.ListMains(ctx, g.Go, list)
	g.flush()
	if lerr != nil {
		return nil, lerr
	}
	if err == nil {
		r.cache.Save("packages", key, mains)
	}
	return mains, nil
}

// packageSpec returns the package patterns to build and where they came from.
func packageSpec(s *settings.Settings, app *appdir.App) ([]string, string, error) {
	if s.Packages != nil {
		return s.Packages, "the GO_INSTALL_PACKAGE_SPEC config var", nil
	}
	settings := app.Settings()
	if cm, ok := settings.Last("install"); ok {
		if len(cm.Args) == 0 {
			return nil, "", remedy.Wrap(fmt.Errorf("%s:%d: +heroku install names no packages", settings.Name, cm.Line),
				"what-gets-built", "Write it as `// +heroku install ./cmd/web ./cmd/worker`.")
		}
		return cm.Args, fmt.Sprintf("the +heroku install comment in %s:%d", settings.Name, cm.Line), nil
	}
	if app.Mod == nil {
		return app.Patterns(), "every main package in the workspace", nil
	}
	return app.Patterns(), "every main package in the app", nil
}

// buildBinaries compiles the main packages into bin/ and links ./app.
func (r *run) buildBinaries(ctx context.Context, g *goCommand, app *appdir.App, bins *Binaries) (*Binaries, error) {
	var pkgs []string
	for _, m := range bins.Mains {
		pkgs = append(pkgs, m.ImportPath)
	}
	names := bins.Names()
	if err := slug.PrepareBinDir(r.BuildDir, names); err != nil {
		return nil, remedy.Wrap(err, "what-gets-built", "Rename or move it.")
	}
	binDir := filepath.Join(r.BuildDir, slug.BinDir)
	restored := r.cache.RestoreBinaries(binDir, names)
	what := pkgs[0]
	if len(pkgs) > 1 {
		what = fmt.Sprintf("%d packages", len(pkgs))
	}
	done := r.timed("build", "Building %s", what)
	out, err := filepath.Rel(app.Dir, binDir)
	if err != nil {
		return nil, err
	}
	var targets []gocmd.Binary
	for _, m := range bins.Mains {
		targets = append(targets, gocmd.Binary{Name: m.Name, Package: m.ImportPath})
	}
	for _, line := range g.lines.Build(out, targets) {
		r.log.Detail("go %s", gocmd.LoggedArgs(line.Args))
		err = g.Exec(ctx, line)
		g.flush()
		if err != nil {
			return nil, g.failure(err, "build-errors", "Fix the errors shown above; `go build ./...` reproduces them locally.")
		}
	}
	if err := slug.LinkApp(r.BuildDir, bins.Web.Name); err != nil {
		return nil, remedy.Wrap(err, "what-gets-built", "Rename it.")
	}
	if n := restored.Reused(); n > 0 {
		r.log.Detail("Restored %s from the last build: unchanged ones are not linked again", plural(n, "binary"))
	}
	if err := r.cache.SaveBinaries(binDir, names); err != nil {
		r.log.Warn("could not keep the binaries for the next build: %v", err)
	}
	for _, m := range bins.Mains {
		r.log.Detail("bin/%s <- %s", m.Name, m.ImportPath)
	}
	r.log.Detail("./app is bin/%s", bins.Web.Name)
	done()
	return bins, nil
}

// failure explains a failed go command: a command line the go command
// refused is the buildpack's fault unless the flag came from a config
// var; other failures with a known fix get that fix; the rest get fix.
func (g *goCommand) failure(err error, section, fix string) error {
	var re *gocmd.RunError
	if !errors.As(err, &re) {
		return remedy.Wrap(err, section, "%s", fix)
	}
	if m := goflagsRejected.FindStringSubmatch(re.Stderr); m != nil {
		return remedy.Wrap(fmt.Errorf("GOFLAGS config var: %s says: %s", g.version, m[1]), "config-vars",
			"Fix or unset GOFLAGS (heroku config:unset GOFLAGS); %s reads it for every go command.", g.version)
	}
	if flag, ok := re.Rejected(); ok {
		if name := g.flagOrigin(flag); name != "" {
			return remedy.Wrap(fmt.Errorf("%s config var: %s does not know the flag %s", name, g.version, flag), "config-vars",
				"Remove %s from %s, or build with a Go release that has it (see GOVERSION).", flag, name)
		}
		return remedy.Wrap(fmt.Errorf("%s refused a command the buildpack ran: go %s", g.version, gocmd.LoggedArgs(re.Args)), "buildpack-errors",
			"This is a problem of the Go buildpack, not of your app. Please report it, with this build log, at %s", remedy.IssuesURL)
	}
	if std := missingStd(re.Stderr); len(std) > 0 {
		if after, rerr := files.AppFS(g.Dir).ReadFile("go.mod"); rerr == nil {
			if added := addedRequirements(g.goMod, after); len(added) > 0 {
				// The search has its own bounds (searchMods, searchTimeout).
				return missingRequirementError(context.Background(), g.proxy, err, g.version, std, added)
			}
		}
	}
	switch {
	case strings.Contains(re.Stderr, "no required module provides package"):
		return remedy.Wrap(err, "missing-requirement",
			"go.mod does not require the module of an import: run the `go get` the go command names above with %s (it chooses a version that Go release builds), then `go mod tidy`, and commit go.mod and go.sum.", g.version)
	case strings.Contains(re.Stderr, "inconsistent vendoring"):
		return remedy.Wrap(err, "vendoring", "vendor/ does not match go.mod: run `go mod vendor` (or `go work vendor`) and commit vendor/.")
	case strings.Contains(re.Stderr, "missing go.sum entry"):
		return remedy.Wrap(err, "modules", "go.sum is missing entries: run `go mod tidy` and commit go.sum.")
	case strings.Contains(re.Stderr, "build constraints exclude all Go files") && strings.Contains(re.Stderr, "cgo"):
		return remedy.Wrap(err, "cgo", "The package needs cgo: opt in with `heroku config:set CGO_ENABLED=1`.")
	case strings.Contains(re.Stderr, "401 Unauthorized") || strings.Contains(re.Stderr, "403 Forbidden") || strings.Contains(re.Stderr, "terminal prompts disabled"):
		return remedy.Wrap(err, "private-modules", "A private module needs credentials: set GO_NETRC (and GOPRIVATE for modules the public checksum database cannot know).")
	case embedMissing.MatchString(re.Stderr):
		if g.nodeApp {
			return remedy.Wrap(err, "embed",
				"The files a //go:embed pattern names are missing. The app has a package.json: if its Node build makes them, the Node.js buildpack must run before this one: heroku buildpacks:add --index 1 heroku/nodejs")
		}
		if pj := g.embedPackageJSON(re.Stderr); pj != "" {
			dir := path.Dir(pj)
			return remedy.Wrap(err, "embed",
				"The files a //go:embed pattern names are missing, and %s is the Node build that may make them. The Node.js buildpack only runs a package.json at the root of the repository: add one whose build (or heroku-postbuild) script builds %s/, e.g. \"build\": \"npm --prefix %s install && npm --prefix %s run build\", and run the Node.js buildpack before this one: heroku buildpacks:add --index 1 heroku/nodejs",
				pj, dir, dir, dir)
		}
		return remedy.Wrap(err, "embed", "The files a //go:embed pattern names are missing from the build: commit them, or generate them in bin/go-pre-compile.")
	}
	return remedy.Wrap(err, section, "%s", fix)
}

// goflagsRejected matches the go command's error for a GOFLAGS it cannot use.
var goflagsRejected = regexp.MustCompile(`go: parsing \$GOFLAGS: ([^\n]+)`)

// embedMissing matches the go command's error for a //go:embed pattern
// that matches no file.
var embedMissing = regexp.MustCompile(`pattern [^:\n]+: no matching files found`)

// embedFailure matches a //go:embed pattern that matches no file, with
// the Go file that has it (relative to the app): "ui/main.go:5:12:
// pattern build: no matching files found".
var embedFailure = regexp.MustCompile(`(?m)^(?:\S*?([^\s:]+\.go):\d+:\d+: )?pattern ([^:\n]+): no matching files found`)

// embedPackageJSON returns the package.json in a directory of a
// //go:embed pattern that the go command's stderr says matches nothing,
// or above it in the app (ui/package.json for the pattern ui/build), ""
// when there is none: its Node build likely makes the files.
func (g *goCommand) embedPackageJSON(stderr string) string {
	fsys := files.AppFS(g.Dir)
	for _, m := range embedFailure.FindAllStringSubmatch(stderr, -1) {
		dir := path.Join(path.Dir(filepath.ToSlash(m[1])), strings.TrimPrefix(m[2], "all:"))
		for ; dir != "." && dir != "/" && !strings.HasPrefix(dir, ".."); dir = path.Dir(dir) {
			if exists(fsys, path.Join(dir, "package.json")) {
				return path.Join(dir, "package.json")
			}
		}
	}
	return ""
}

// flagOrigin returns the config var that gave the go command flag, or ""
// when the buildpack added it.
func (g *goCommand) flagOrigin(flag string) string {
	for _, src := range []struct {
		name  string
		words []string
	}{{"GO_BUILD_FLAGS", g.config.BuildFlags}, {"GOFLAGS", g.config.GOFLAGS}} {
		for _, w := range src.words {
			if w == flag || strings.HasPrefix(w, flag+"=") {
				return src.name
			}
		}
	}
	return ""
}

// plural returns "1 module", "2 modules", "3 binaries".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
