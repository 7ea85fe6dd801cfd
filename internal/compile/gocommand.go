package compile

import (
	"path/filepath"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// goCommand is the go command of the build, its command lines, and the
// environment its hooks run in.
type goCommand struct {
	*gocmd.Go
	lines   *gocmd.Lines
	hookEnv []string
	version string             // the toolchain's release, for messages
	config  *settings.Settings // where the user's flags come from
	nodeApp bool               // the app has a package.json at its root
	// goMod is the app's go.mod before the go command ran, which go1.11
	// to go1.15 change by themselves (see missingRequirementError).
	goMod []byte
	// proxy serves module versions for messages; nil when GOPROXY lists
	// no proxy.
	proxy modSource
}

// snapshotGoMod keeps the app's go.mod as it is now.
func (g *goCommand) snapshotGoMod() {
	g.goMod, _ = files.AppFS(g.Dir).ReadFile("go.mod")
}

// prepareGo sets up the environment the go command and the hooks run in.
// With GO_NETRC it writes the private HOME holding the credentials;
// cleanup removes it.
func (r *run) prepareGo(s *settings.Settings, tc toolchain.Toolchain) (*goCommand, func(), error) {
	lines := &gocmd.Lines{
		Settings:   s,
		Release:    tc.Version,
		GOROOT:     tc.Root,
		GOCACHE:    r.cache.GOCACHE(),
		GOMODCACHE: r.cache.GOMODCACHE(),
		GOPATH:     r.cache.GOPATH(),
		GOBIN:      filepath.Join(r.BuildDir, slug.BinDir),
		VCS:        gocmd.HasVCS(s.App.Dir),
	}
	cleanup := func() {}
	home, err := gocmd.CredentialsHome(s)
	if err != nil {
		return nil, cleanup, err
	}
	if home != nil {
		lines.Home = home
		cleanup = func() { home.Remove() }
	}
	g := lines.Go()
	g.Stdout, g.Stderr = r.log.Indented(), r.log.IndentedErr()
	if err := lines.CheckFlags(); err != nil {
		return nil, cleanup, err
	}
	if err := lines.Prepare(); err != nil {
		return nil, cleanup, err
	}
	for _, note := range lines.Notes() {
		r.log.Detail("%s", note)
	}
	gc := &goCommand{Go: g, lines: lines, hookEnv: lines.AppEnv(), version: tc.Version, config: s,
		nodeApp: exists(files.AppFS(r.BuildDir), "package.json")}
	if r.toolchains != nil && r.toolchains.Primary != nil {
		gc.proxy = r.toolchains.Primary
	}
	gc.snapshotGoMod()
	return gc, cleanup, nil
}

// flush prints what the go command left on a partial line.
func (g *goCommand) flush() {
	for _, w := range []any{g.Stdout, g.Stderr} {
		if f, ok := w.(interface{ Flush() }); ok {
			f.Flush()
		}
	}
}

// exists reports whether the app fsys has the file name.
func exists(fsys files.AppFS, name string) bool {
	_, err := fsys.Stat(name)
	return err == nil
}
