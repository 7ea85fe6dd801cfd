package deploy

import (
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cnb"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// Local deploys share what Heroku cannot: the toolchains installed by
// one app's build serve every app's. On Heroku each app has its own
// CACHE_DIR, and so does each app here (its module cache, GOCACHE and
// records stay its own); but the toolchains are also kept in a store in
// the user cache directory, ~/.cache/gobuildpack/toolchains, which no
// build writes into:
//
//   - before a build, the store's toolchains of the Go lines the app asks
//     for (the go and toolchain lines of the go.mod or go.work the build
//     uses, the GOVERSION config var) are
//     hard-linked into the app's CACHE_DIR/go/toolchains, so the build
//     reuses them as its own ("Reusing go1.22.12 from the cache");
//   - after it, the toolchains the build installed, each verified against
//     the checksum database when it was, are hard-linked into the store.
//
// A deploy with --cnb does the same with the buildpack's toolchain layer:
// before the builder runs, the store's toolchains are linked into the
// layer when the lifecycle restored none of them (the app's first build),
// with the layer's metadata the buildpack checks; after the build, those
// the layer holds are linked into the store. The lifecycle itself is
// shared already: it is built once into ~/.cache/gobuildpack/lifecycle.
//
// A toolchain's files are read-only and never written once installed; a
// build that prunes its cache only unlinks them (see
// toolchain.Cache.LinkFrom). Nothing is ever a symlink, which the build
// would refuse. A failure to share is a warning: the build then fetches
// its toolchain as on Heroku.

// storeDir is the store of toolchains local deploys share: the
// toolchains directory in the user cache dir, "" when there is none.
func storeDir() string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "gobuildpack", "toolchains")
}

// toolchains is a cache of toolchains of this machine's platform.
func toolchains(dir string) toolchain.Cache {
	return toolchain.Cache{Dir: dir, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
}

// wantedReleases returns the releases of have (the store's) to link into
// a new build's cache: the newest stable one of each Go line the app asks
// for with its go.mod's go line goLine ("1.22", "1.22.3"), its toolchain
// line ("go1.23.4") and the GOVERSION config var ("1.22", "go1.22.12";
// a constraint such as "^1.22" names no one line, and is left out), and
// an exact release one of them names. The build chooses among the
// releases of those lines; the one it chooses is then reused when the
// store has it.
func wantedReleases(goLine, toolchainLine, goVersionVar string, have []string) []string {
	var out []string
	add := func(v string) {
		if v != "" && !contains(out, v) {
			out = append(out, v)
		}
	}
	for _, v := range []string{goLine, toolchainLine, goVersionVar} {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !strings.HasPrefix(v, "go") {
			v = "go" + v
		}
		if !version.IsValid(v) {
			continue
		}
		if contains(have, v) {
			add(v) // an exact release the build may ask for
		}
		add(goversion.NewestStable(have, version.Lang(v)))
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// appReleases returns the releases of the store to link into the cache
// of the app in appDir, built by the buildpack bp with config vars vars:
// the go.mod or go.work the build would use, and its GOVERSION, as the
// build reads them (internal/settings). An app the build cannot read
// gets none; its build says why.
func appReleases(bp, appDir string, vars map[string]string, store toolchain.Cache) []string {
	envDir, err := os.MkdirTemp("", "gobuildpack-deploy-env-")
	if err != nil {
		return nil
	}
	defer os.RemoveAll(envDir)
	if err := writeEnvDir(envDir, vars); err != nil {
		return nil
	}
	s, err := settings.Read(settings.Input{Phase: settings.Compile, BuildDir: appDir, EnvDir: envDir, BuildpackDir: bp})
	if err != nil || s.App == nil || s.App.Version() == nil {
		return nil
	}
	f := s.App.Version()
	return wantedReleases(f.Go, f.Toolchain, s.GoVersion, store.Installed())
}

// seed links the releases of the store into cache, and returns those it
// linked. It warns, and goes on, when one cannot be.
func seed(log *output.Log, store, cache toolchain.Cache, releases []string) []string {
	var linked []string
	for _, v := range releases {
		ok, err := cache.LinkFrom(store, v)
		if err != nil {
			log.Warn("could not reuse %s from the toolchains local deploys share (%v); the build fetches it", v, err)
			continue
		}
		if ok {
			linked = append(linked, v)
		}
	}
	return linked
}

// collect links the complete toolchains of cache that the store lacks
// into the store, and returns them.
func collect(log *output.Log, cache, store toolchain.Cache) []string {
	var linked []string
	for _, v := range cache.Installed() {
		ok, err := store.LinkFrom(cache, v)
		if err != nil {
			log.Warn("could not share %s with later local deploys: %v", v, err)
			continue
		}
		if ok {
			linked = append(linked, v)
		}
	}
	return linked
}

// share links the complete toolchains of cache that the store lacks into
// the store, as a step of the deploy's log when there are any.
func share(log *output.Log, cache, store toolchain.Cache) {
	start := time.Now()
	if linked := collect(log, cache, store); len(linked) > 0 {
		log.Step("Shared %s with later local deploys: linked into %s", strings.Join(linked, ", "), store.Dir)
		log.Detail("done in %s", output.Duration(time.Since(start)))
	}
}

// seedLayer links the releases of the store the toolchain layer at
// layerDir lacks into it, writing the layer's metadata when the lifecycle
// restored none; user, when not nil, is who the build runs as, and is
// given the directories and the files of the layer's own (its lock files
// and metadata), never the linked files of the store.
func seedLayer(log *output.Log, store toolchain.Cache, layerDir string, releases []string, user *syscall.Credential) {
	linked := seed(log, store, toolchains(layerDir), releases)
	if len(linked) == 0 {
		return
	}
	bpLayers := filepath.Dir(layerDir)
	if _, found, _ := cnb.ReadMetadata(bpLayers, cnb.ToolchainLayer); !found {
		m := cnb.Metadata{Schema: cnb.Schema, Platform: runtime.GOOS + "-" + runtime.GOARCH}
		if err := cnb.WriteLayer(bpLayers, cnb.ToolchainLayer, cnb.Types{Build: true, Cache: true}, m); err != nil {
			log.Warn("%v; the build fetches its toolchain", err)
			files.RemoveAll(layerDir)
			return
		}
	}
	if user != nil {
		if err := chownOwn(bpLayers, int(user.Uid), int(user.Gid)); err != nil {
			log.Warn("could not give the toolchain layer to the build's user (%v); the build fetches its toolchain", err)
			cnb.Clear(bpLayers, cnb.ToolchainLayer)
			return
		}
	}
	log.Detail("linked %s into the toolchain layer from the toolchains local deploys share, %s", strings.Join(linked, ", "), store.Dir)
}

// chownOwn gives uid:gid the directories under dir and the files there
// that have no other link: hard links to the store's files keep their
// owner, so the build's user cannot make them writable.
func chownOwn(dir string, uid, gid int) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
				return nil
			}
		}
		return os.Lchown(path, uid, gid)
	})
}
