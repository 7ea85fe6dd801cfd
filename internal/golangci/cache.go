package golangci

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// Binary is the name of the linter's executable.
const Binary = "golangci-lint"

// marker is written last into a complete build.
const marker = ".built"

// Keep is how many builds of the linter Cached keeps: the one in use and
// the one used before it.
const Keep = 2

// Cached returns the linter built in dir/key, building it first when it
// is not there: build writes the executable Binary into the directory it
// is given, a temporary one that is renamed into place with a marker
// written last, so a build killed halfway is never used. Concurrent
// callers wait for one build (a lock in dir). reused says the build was
// there. The builds but the Keep most recently used are removed.
func Cached(dir, key string, build func(tmp string) error) (bin string, reused bool, err error) {
	final := filepath.Join(dir, key)
	bin = filepath.Join(final, Binary)
	if complete(final) {
		touch(final)
		return bin, true, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", false, fmt.Errorf("build golangci-lint: %w", err)
	}
	unlock, err := files.Lock(filepath.Join(dir, ".lock"), nil)
	if err != nil {
		return "", false, fmt.Errorf("build golangci-lint: %w", err)
	}
	defer unlock()
	if complete(final) {
		touch(final)
		return bin, true, nil
	}
	tmp, err := os.MkdirTemp(dir, ".tmp-")
	if err != nil {
		return "", false, fmt.Errorf("build golangci-lint: %w", err)
	}
	defer files.RemoveAll(tmp)
	if err := build(tmp); err != nil {
		return "", false, err
	}
	if info, err := os.Stat(filepath.Join(tmp, Binary)); err != nil || !info.Mode().IsRegular() {
		return "", false, fmt.Errorf("build golangci-lint: the build wrote no %s", Binary)
	}
	if err := files.RemoveAll(final); err != nil {
		return "", false, fmt.Errorf("build golangci-lint: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", false, fmt.Errorf("build golangci-lint: %w", err)
	}
	if err := os.Chmod(final, 0o755); err != nil {
		return "", false, fmt.Errorf("build golangci-lint: %w", err)
	}
	if err := files.WriteFileAtomic(filepath.Join(final, marker), []byte(key+"\n"), 0o644); err != nil {
		return "", false, fmt.Errorf("build golangci-lint: %w", err)
	}
	prune(dir, key)
	return bin, false, nil
}

// complete reports whether dir holds a finished build.
func complete(dir string) bool {
	m, err := os.Lstat(filepath.Join(dir, marker))
	b, berr := os.Lstat(filepath.Join(dir, Binary))
	return err == nil && m.Mode().IsRegular() && berr == nil && b.Mode().IsRegular() && b.Mode().Perm()&0o111 != 0
}

// touch marks a build as used now, for prune.
func touch(dir string) {
	now := time.Now()
	os.Chtimes(filepath.Join(dir, marker), now, now)
}

// prune removes the builds in dir but the Keep most recently used, keep
// among them. Unfinished ones are left to the builds that make them.
func prune(dir, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type build struct {
		name string
		used time.Time
	}
	var builds []build
	for _, e := range entries {
		info, err := os.Lstat(filepath.Join(dir, e.Name(), marker))
		if !e.IsDir() || err != nil || e.Name() == keep {
			continue
		}
		builds = append(builds, build{e.Name(), info.ModTime()})
	}
	sort.Slice(builds, func(i, j int) bool { return builds[i].used.After(builds[j].used) })
	for i, b := range builds {
		if i >= Keep-1 {
			files.RemoveAll(filepath.Join(dir, b.name))
		}
	}
}
