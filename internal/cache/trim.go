package cache

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// Bounds on the cache, checked at most once per TrimInterval.
const (
	// GOCACHELimit is the size above which the oldest GOCACHE entries are
	// removed, down to three quarters of it. The go command also removes
	// entries unused for five days on its own.
	GOCACHELimit = 2 << 30
	// GOMODCACHELimit is the size above which the module cache is emptied;
	// the next build downloads what it needs.
	GOMODCACHELimit = 3 << 30
	// Toolchains is how many toolchains are kept: the one in use and the
	// one used before it.
	Toolchains = 2
	// TrimInterval is how often the sizes are checked.
	TrimInterval = 24 * time.Hour
)

// TrimResult says what Trim removed.
type TrimResult struct {
	Checked        bool  // false when the last check was recent
	GOCACHEBefore  int64 // bytes
	GOCACHEAfter   int64
	ModCacheBefore int64
	ModCacheEmpty  bool // the module cache was emptied
}

// Trim keeps GOCACHE and GOMODCACHE within their limits. It checks at
// most once per TrimInterval unless force is set.
func (d Dir) Trim(force bool) TrimResult {
	var last time.Time
	if t, ok := d.Load("trim", "", &last); ok && !force && time.Since(t) < TrimInterval {
		return TrimResult{}
	}
	r := TrimResult{Checked: true}
	// Only the cache's own directories are trimmed: a GOCACHE or module
	// cache that is a symlink (to a cache shared with others) is not the
	// build's to remove files from.
	if ownDir(d.GOCACHE()) {
		r.GOCACHEBefore, r.GOCACHEAfter = trimOldest(d.GOCACHE(), GOCACHELimit, GOCACHELimit/4*3)
	}
	if ownDir(d.GOMODCACHE()) {
		r.ModCacheBefore = size(d.GOMODCACHE())
		if r.ModCacheBefore > GOMODCACHELimit {
			r.ModCacheEmpty = files.RemoveAll(d.GOMODCACHE()) == nil
		}
	}
	d.Save("trim", "", time.Now().UTC())
	return r
}

// trimOldest removes the least recently modified files under dir until
// their total size is at most target, when it is above limit.
func trimOldest(dir string, limit, target int64) (before, after int64) {
	type entry struct {
		path string
		size int64
		mod  time.Time
	}
	var files []entry
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err == nil {
			files = append(files, entry{path, info.Size(), info.ModTime()})
			before += info.Size()
		}
		return nil
	})
	after = before
	if before <= limit {
		return before, after
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.Before(files[j].mod) })
	for _, f := range files {
		if after <= target {
			break
		}
		if os.Remove(f.path) == nil {
			after -= f.size
		}
	}
	return before, after
}

// size returns the total size of the regular files under dir.
func size(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// ownDir reports whether dir is a directory itself, not a symlink to one.
func ownDir(dir string) bool {
	info, err := os.Lstat(dir)
	return err == nil && info.IsDir()
}
