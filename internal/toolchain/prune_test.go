package toolchain

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"
)

var pruneVersions = []string{"go1.21.13", "go1.22.12", "go1.23.4"}

// pruneCache installs the three pruneVersions from a fake proxy into a
// new cache and returns it.
func pruneCache(t *testing.T) Cache {
	t.Helper()
	e := newEnv(t)
	for _, v := range pruneVersions {
		e.s.AddToolchain(v, "linux", "amd64")
	}
	for _, v := range pruneVersions {
		if _, err := e.i.Install(context.Background(), v); err != nil {
			t.Fatalf("Install %s: %v", v, err)
		}
	}
	c := e.i.Cache
	if got := c.Installed(); !reflect.DeepEqual(got, pruneVersions) {
		t.Fatalf("Installed = %q, want %q", got, pruneVersions)
	}
	return c
}

// setUsed sets the last-use times of the releases: used[i] was used i
// hours after a fixed start, so later in the slice is more recent.
func setUsed(t *testing.T, c Cache, used []string) {
	t.Helper()
	start := time.Now().Add(-24 * time.Hour)
	for i, v := range used {
		when := start.Add(time.Duration(i) * time.Hour)
		if err := os.Chtimes(filepath.Join(c.Dir, c.name(v)), when, when); err != nil {
			t.Fatal(err)
		}
	}
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func TestPrune(t *testing.T) {
	const a, b, c = "go1.21.13", "go1.22.12", "go1.23.4"
	tests := []struct {
		name    string
		used    []string // least recently used first
		keep    int
		inUse   string
		removed []string
	}{
		{"oldest removed", []string{a, b, c}, 2, c, []string{a}},
		{"order is by use, not by version", []string{c, a, b}, 2, b, []string{c}},
		{"in use is never removed, even when oldest", []string{a, b, c}, 2, a, []string{b}},
		{"in use in the middle", []string{a, b, c}, 2, b, []string{a}},
		{"keep one", []string{a, b, c}, 1, b, []string{a, c}},
		{"keep zero still keeps the one in use", []string{a, b, c}, 0, a, []string{b, c}},
		{"keep three", []string{a, b, c}, 3, a, nil},
		{"keep more than installed", []string{a, b, c}, 10, a, nil},
	}
	base := pruneCache(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc := Cache{Dir: filepath.Join(t.TempDir(), "toolchains"), GOOS: base.GOOS, GOARCH: base.GOARCH}
			copyDir(t, base.Dir, tc.Dir)
			setUsed(t, tc, tt.used)
			removed := tc.Prune(tt.keep, tt.inUse)
			if !reflect.DeepEqual(sorted(removed), sorted(tt.removed)) {
				t.Errorf("Prune(%d, %s) removed %q, want %q", tt.keep, tt.inUse, removed, tt.removed)
			}
			var want []string
			for _, v := range pruneVersions {
				if !contains(tt.removed, v) {
					want = append(want, v)
				}
			}
			if got := tc.Installed(); !reflect.DeepEqual(got, want) {
				t.Errorf("Installed after Prune = %q, want %q", got, want)
			}
			for _, v := range tt.removed {
				if _, err := os.Lstat(filepath.Join(tc.Dir, tc.name(v))); !os.IsNotExist(err) {
					t.Errorf("%s still has a directory: %v", v, err)
				}
			}
			if _, ok := tc.Lookup(tt.inUse); !ok {
				t.Errorf("the toolchain in use, %s, is gone", tt.inUse)
			}
			// Pruning again removes nothing more.
			if again := tc.Prune(tt.keep, tt.inUse); len(again) != 0 {
				t.Errorf("second Prune removed %q", again)
			}
		})
	}
}

func TestPruneTouch(t *testing.T) {
	const a, b, c = "go1.21.13", "go1.22.12", "go1.23.4"
	tc := pruneCache(t)
	setUsed(t, tc, []string{a, b, c})
	// Using a makes it the most recent: b is now the oldest.
	before := time.Now().Truncate(time.Second) // file systems may keep whole seconds
	tc.Touch(a)
	info, err := os.Stat(filepath.Join(tc.Dir, tc.name(a)))
	if err != nil {
		t.Fatal(err)
	}
	if info.ModTime().Before(before) {
		t.Errorf("Touch left the mtime at %v, before it was called (%v)", info.ModTime(), before)
	}
	if removed := tc.Prune(2, a); !reflect.DeepEqual(removed, []string{b}) {
		t.Errorf("Prune after Touch removed %q, want %q", removed, []string{b})
	}
	if got := tc.Installed(); !reflect.DeepEqual(got, []string{a, c}) {
		t.Errorf("Installed = %q, want %q", got, []string{a, c})
	}
	// Touching a release that is not installed does nothing.
	tc.Touch("go1.99.0")
	if _, err := os.Stat(filepath.Join(tc.Dir, tc.name("go1.99.0"))); !os.IsNotExist(err) {
		t.Errorf("Touch of a missing release created it: %v", err)
	}
}

func TestPruneIgnoresIncomplete(t *testing.T) {
	const a, b, c = "go1.21.13", "go1.22.12", "go1.23.4"
	tc := pruneCache(t)
	setUsed(t, tc, []string{a, b, c})
	// An incomplete toolchain (no marker) and another platform's are
	// neither counted nor removed by Prune.
	for _, name := range []string{"go1.20.0.linux-amd64", "go1.19.0.linux-arm64"} {
		if err := os.MkdirAll(filepath.Join(tc.Dir, name, "bin"), 0o777); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-100 * time.Hour)
		if err := os.Chtimes(filepath.Join(tc.Dir, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	if removed := tc.Prune(2, c); !reflect.DeepEqual(removed, []string{a}) {
		t.Errorf("Prune removed %q, want %q", removed, []string{a})
	}
	for _, name := range []string{"go1.20.0.linux-amd64", "go1.19.0.linux-arm64"} {
		if _, err := os.Stat(filepath.Join(tc.Dir, name)); err != nil {
			t.Errorf("Prune removed %s: %v", name, err)
		}
	}
	if got := tc.Installed(); !reflect.DeepEqual(got, []string{b, c}) {
		t.Errorf("Installed = %q, want %q", got, []string{b, c})
	}
}

func TestPruneEmpty(t *testing.T) {
	tc := Cache{Dir: filepath.Join(t.TempDir(), "missing"), GOOS: "linux", GOARCH: "amd64"}
	if removed := tc.Prune(2, "go1.22.5"); len(removed) != 0 {
		t.Errorf("Prune of a missing cache removed %q", removed)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// copyDir copies the tree at src to dst, keeping modes and symlinks.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		switch {
		case info.IsDir():
			return os.MkdirAll(target, 0o777)
		case info.Mode()&os.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		default:
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, info.Mode().Perm())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPruneInUseNotInstalled(t *testing.T) {
	base := pruneCache(t)
	tc := Cache{Dir: filepath.Join(t.TempDir(), "toolchains"), GOOS: base.GOOS, GOARCH: base.GOARCH}
	copyDir(t, base.Dir, tc.Dir)
	setUsed(t, tc, []string{"go1.21.13", "go1.22.12", "go1.23.4"})
	if removed := tc.Prune(2, "go1.99.0"); !reflect.DeepEqual(removed, []string{"go1.21.13"}) {
		t.Errorf("Prune(2, a version not installed) removed %q, want only the oldest", removed)
	}
}

// RemoveLocks leaves the installed toolchains, usable, and nothing else
// of installs and removals: no lock file.
func TestRemoveLocks(t *testing.T) {
	c := pruneCache(t)
	c.Prune(1, "go1.23.4")
	if err := os.WriteFile(filepath.Join(c.Dir, "notes.lock.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	installed := c.Installed()
	var want []string
	locks := 0
	before, _ := os.ReadDir(c.Dir)
	for _, e := range before {
		if filepath.Ext(e.Name()) == ".lock" {
			locks++
		} else {
			want = append(want, e.Name())
		}
	}
	if locks == 0 {
		t.Fatal("no lock files after installs and a prune: nothing to test")
	}
	if err := c.RemoveLocks(); err != nil {
		t.Fatal(err)
	}
	var left []string
	after, _ := os.ReadDir(c.Dir)
	for _, e := range after {
		left = append(left, e.Name())
	}
	if !reflect.DeepEqual(left, want) {
		t.Errorf("after RemoveLocks the cache holds %q, want %q", left, want)
	}
	if got := c.Installed(); !reflect.DeepEqual(got, installed) {
		t.Errorf("Installed = %q, want %q", got, installed)
	}
	if err := (Cache{Dir: filepath.Join(t.TempDir(), "none")}).RemoveLocks(); err != nil {
		t.Errorf("RemoveLocks of a missing cache = %v", err)
	}
}
