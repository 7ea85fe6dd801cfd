package files

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// tempPrefix starts the name of every temporary directory a build makes
// outside its cache: gobuildpack-KIND-PID-RANDOM.
const tempPrefix = "gobuildpack-"

// TempDir is a temporary directory outside the cache (a private HOME with
// credentials, a stand-in cache, a toolchain for one build) that its
// build holds a lock on, from before anything is written in it until
// Remove, or until the build ends, however it ends. RemoveStaleTemp
// removes those whose lock is free: what killed builds left.
type TempDir struct {
	Path   string
	unlock func()
}

// NewTempDir creates the directory gobuildpack-KIND-PID-RANDOM (mode
// 0700) under parent (os.TempDir() when ""), and locks it.
func NewTempDir(parent, kind string) (*TempDir, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	dir, err := os.MkdirTemp(parent, tempPrefix+kind+"-"+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("create temporary directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("create temporary directory: %w", err)
	}
	unlock, err := Lock(dir, nil)
	if err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("create temporary directory: %w", err)
	}
	return &TempDir{Path: dir, unlock: unlock}, nil
}

// Remove deletes the directory and what it holds, then releases its lock.
func (t *TempDir) Remove() error {
	err := RemoveAll(t.Path)
	if t.unlock != nil {
		t.unlock()
		t.unlock = nil
	}
	return err
}

// RemoveStaleTemp removes the temporary directories of the given kinds
// under parent that builds killed before they could remove them left
// there, with what they hold, and returns their names. It never removes a
// running build's: that build holds the lock on it, even in another PID
// namespace (a container sharing the temporary directory). Only the
// user's own directories are looked at, and symlinks never followed.
func RemoveStaleTemp(parent string, kinds ...string) []string {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		kind, ok := tempKind(e.Name())
		if !ok || !e.IsDir() || !slices.Contains(kinds, kind) {
			continue // a symlink too: never followed
		}
		dir := filepath.Join(parent, e.Name())
		info, err := os.Lstat(dir)
		if err != nil {
			continue
		}
		if st, ok := info.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != os.Getuid() {
			continue
		}
		unlock, ok, err := TryLock(dir)
		if err != nil || !ok {
			continue // a running build's
		}
		inside, _ := os.ReadDir(dir)
		if staleTemp(e.Name(), len(inside) > 0, info.ModTime(), time.Now(), alive) && RemoveAll(dir) == nil {
			removed = append(removed, e.Name())
		}
		unlock()
	}
	return removed
}

// legacyAge is how old a temporary directory of an earlier version of the
// buildpack, which took no lock, must be to be taken for a killed
// build's: no build lasts that long.
const legacyAge = 2 * time.Hour

// staleTemp decides whether a temporary directory whose lock no process
// holds is a killed build's, from its name, whether anything is in it,
// when it was last changed and whether a process is alive.
//
// A build locks its directory before it writes anything in it, and holds
// the lock until it has removed it: an unlocked directory with something
// in it is a dead build's. An empty one may be a build's that has just
// created it and not yet locked it: it is a dead build's only when the
// process named in it is gone. A directory named without a process ID is
// an earlier version's, which took no lock: it is a dead build's once it
// is older than any build.
func staleTemp(name string, holds bool, changed, now time.Time, alive func(pid int) bool) bool {
	pid, legacy := tempPID(name)
	switch {
	case legacy:
		return now.Sub(changed) > legacyAge
	case holds:
		return true
	}
	return pid <= 0 || !alive(pid)
}

// tempKind returns the kind in a temporary directory's name
// (gobuildpack-KIND-...), or ok false for a name of another form.
func tempKind(name string) (kind string, ok bool) {
	rest, ok := strings.CutPrefix(name, tempPrefix)
	if !ok {
		return "", false
	}
	kind, _, ok = strings.Cut(rest, "-")
	return kind, ok && kind != ""
}

// tempPID returns the process ID in a temporary directory's name, or
// legacy true for a name an earlier version gave (gobuildpack-KIND-RANDOM).
func tempPID(name string) (pid int, legacy bool) {
	rest, _ := strings.CutPrefix(name, tempPrefix)
	_, rest, _ = strings.Cut(rest, "-")
	p, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, true
	}
	pid, err := strconv.Atoi(p)
	if err != nil {
		return 0, false
	}
	return pid, false
}

// alive reports whether the process pid exists (kill(pid, 0) does not
// fail with ESRCH), or is this one.
func alive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
