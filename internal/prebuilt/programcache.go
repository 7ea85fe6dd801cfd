// Package prebuilt keeps the cache of the buildpack's own program that the
// bin/ shims fill, CACHE_DIR/go/program: the prebuilt release binaries
// they fetched and the programs they built from source. The runtime
// program trims it after each build; internal/release makes the releases.
package prebuilt

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// The bin/ shims keep the program in CACHE_DIR/go/program/, one entry per
// key of the sources (internal/release) and platform:
//
//	release-KEY.linux-amd64/buildpack  a prebuilt program, downloaded, KEY
//	                                   its source key; checked against its
//	                                   pin before every run
//	source-KEY.linux-amd64/buildpack   built here from sources no pin
//	                                   matches, KEY their build key; run
//	                                   while its SHA-256 is the one recorded
//	                                   in buildpack.sha256 beside it
//
// and build it from source in CACHE_DIR/go/bootstrap/, which holds the
// bootstrap toolchain, GOCACHE and GOMODCACHE of that one build and is
// removed after it. Both take CACHE_DIR/go/program/.lock while they write.

// KeepPrograms is how many program entries TrimCache keeps: the one
// running and the most recently used others, for builds that switch
// between versions of the buildpack.
const KeepPrograms = 3

// staleTemp is the age after which a temp dir is taken for the remains
// of a killed build.
const staleTemp = time.Hour

// TrimCache removes from CACHE_DIR what the next build does not need: all
// but the KeepPrograms most recently used programs (never the one at
// running, the path of this executable), the leftovers of killed shims,
// and toolchains that older shims installed without the checksum
// database. It returns what it removed, relative to CACHE_DIR/go.
func TrimCache(cacheDir, running string) []string {
	root := cache.New(cacheDir).Root
	dir := filepath.Join(root, "program")
	if resolved, err := filepath.EvalSymlinks(dir); err == nil {
		dir = resolved
	}
	var removed []string
	os.MkdirAll(dir, 0o777) // for the lock; an error shows in Lock's
	if unlock, err := files.Lock(filepath.Join(dir, ".lock"), nil); err == nil {
		for _, name := range stalePrograms(dir, running, time.Now()) {
			if files.RemoveAll(filepath.Join(dir, name)) == nil {
				removed = append(removed, filepath.Join("program", name))
			}
		}
		// A shim uses go/bootstrap only while it holds the lock.
		if _, err := os.Stat(filepath.Join(root, "bootstrap")); err == nil && files.RemoveAll(filepath.Join(root, "bootstrap")) == nil {
			removed = append(removed, "bootstrap")
		}
		unlock()
	}
	tc := toolchain.Cache{Dir: cache.New(cacheDir).Toolchains(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
	for _, v := range tc.RemoveUnverified() {
		removed = append(removed, filepath.Join("toolchains", v))
	}
	return removed
}

// stalePrograms returns the entries of the program dir to remove: temp
// dirs older than staleTemp, and the program entries beyond the
// KeepPrograms most recently used, never the one holding running.
func stalePrograms(dir, running string, now time.Time) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	type entry struct {
		name string
		used time.Time
	}
	var programs []entry
	var stale []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.Name() == ".lock" {
			continue
		}
		if strings.HasPrefix(e.Name(), ".") {
			if now.Sub(info.ModTime()) > staleTemp {
				stale = append(stale, e.Name())
			}
			continue
		}
		if inside(filepath.Join(dir, e.Name()), running) {
			continue // counted among the kept ones below
		}
		programs = append(programs, entry{e.Name(), info.ModTime()})
	}
	sort.Slice(programs, func(i, j int) bool { return programs[i].used.After(programs[j].used) })
	keep := KeepPrograms - 1
	if !inside(dir, running) {
		keep = KeepPrograms
	}
	for i, p := range programs {
		if i >= keep {
			stale = append(stale, p.name)
		}
	}
	sort.Strings(stale)
	return stale
}

// inside reports whether path is dir or below it.
func inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && filepath.IsLocal(rel)
}
