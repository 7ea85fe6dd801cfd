package cache

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files/filestest"
)

// regularFiles returns the slash-separated paths of the regular files under dir.
func regularFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == dir {
			return filepath.SkipAll
		}
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestTrimOldest(t *testing.T) {
	base := time.Now().Add(-time.Hour)
	files := []filestest.SizedFile{
		{Name: "00/a-d", Size: 10, Age: 5 * time.Minute}, // oldest
		{Name: "00/b-a", Size: 20, Age: 4 * time.Minute},
		{Name: "01/c-d", Size: 30, Age: 3 * time.Minute},
		{Name: "02/d-d", Size: 40, Age: 2 * time.Minute},
		{Name: "03/e-a", Size: 50, Age: 1 * time.Minute}, // newest
	}
	all := []string{"00/a-d", "00/b-a", "01/c-d", "02/d-d", "03/e-a"}
	tests := []struct {
		name          string
		limit, target int64
		before, after int64
		left          []string
	}{
		{"under the limit", 200, 10, 150, 150, all},
		{"at the limit", 150, 10, 150, 150, all},
		{"oldest first", 149, 120, 150, 120, all[2:]},
		{"one file", 149, 145, 150, 140, all[1:]},
		{"stops at target", 100, 90, 150, 90, all[3:]},
		{"target zero", 1, 0, 150, 0, nil},
		{"target between files", 120, 75, 150, 50, all[4:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			filestest.WriteSized(t, dir, base, files)
			// Directories and symlinks do not count.
			if err := os.Symlink(filepath.Join(dir, "03", "e-a"), filepath.Join(dir, "link")); err != nil {
				t.Fatal(err)
			}
			before, after := trimOldest(dir, tt.limit, tt.target)
			if before != tt.before || after != tt.after {
				t.Errorf("trimOldest(%d, %d) = %d, %d; want %d, %d", tt.limit, tt.target, before, after, tt.before, tt.after)
			}
			if got := regularFiles(t, dir); !reflect.DeepEqual(got, tt.left) {
				t.Errorf("files left %q, want %q", got, tt.left)
			}
			if got := size(dir); got != tt.after {
				t.Errorf("size after trimOldest = %d, want %d", got, tt.after)
			}
		})
	}
}

func TestTrimOldestMissingDir(t *testing.T) {
	before, after := trimOldest(filepath.Join(t.TempDir(), "missing"), 0, 0)
	if before != 0 || after != 0 {
		t.Errorf("trimOldest of a missing dir = %d, %d", before, after)
	}
	if n := size(filepath.Join(t.TempDir(), "missing")); n != 0 {
		t.Errorf("size of a missing dir = %d", n)
	}
}

func TestSize(t *testing.T) {
	dir := t.TempDir()
	filestest.WriteSized(t, dir, time.Now(), []filestest.SizedFile{{Name: "a", Size: 100, Age: 0}, {Name: "x/y/b", Size: 23, Age: 0}, {Name: "x/c", Size: 0, Age: 0}})
	if err := os.Symlink("a", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if n := size(dir); n != 123 {
		t.Errorf("size = %d, want 123", n)
	}
}

// writeTrimRecord writes the record of a trim check done at when.
func writeTrimRecord(t *testing.T, d Dir, when time.Time) {
	t.Helper()
	value, _ := json.Marshal(when)
	data, err := json.Marshal(record{Key: "", Written: when, Value: value})
	if err != nil {
		t.Fatal(err)
	}
	if err := files.WriteFileAtomic(d.state("trim"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTrimInterval(t *testing.T) {
	tests := []struct {
		name     string
		lastTrim time.Duration // how long ago; 0 for never
		force    bool
		checked  bool
	}{
		{"never checked", 0, false, true},
		{"checked just now", time.Second, false, false},
		{"checked an hour ago", time.Hour, false, false},
		{"checked a day ago", TrimInterval + time.Minute, false, true},
		{"forced after a recent check", time.Second, true, true},
		{"forced when never checked", 0, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(t.TempDir())
			if tt.lastTrim != 0 {
				writeTrimRecord(t, d, time.Now().UTC().Add(-tt.lastTrim))
			}
			r := d.Trim(tt.force)
			if r.Checked != tt.checked {
				t.Errorf("Trim(%v) Checked = %v, want %v", tt.force, r.Checked, tt.checked)
			}
			if !r.Checked && r != (TrimResult{}) {
				t.Errorf("Trim(%v) did not check but reported %+v", tt.force, r)
			}
			// Whatever happened, a check is now recent.
			if r := d.Trim(false); r.Checked {
				t.Errorf("second Trim(false) checked again: %+v", r)
			}
			if r := d.Trim(true); !r.Checked {
				t.Errorf("Trim(true) after a check did not check: %+v", r)
			}
		})
	}
}

func TestTrimCorruptRecord(t *testing.T) {
	d := New(t.TempDir())
	if err := files.WriteFileAtomic(d.state("trim"), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := d.Trim(false); !r.Checked {
		t.Error("Trim with a corrupt record did not check")
	}
	if r := d.Trim(false); r.Checked {
		t.Error("Trim after rewriting the record checked again")
	}
}

// TestTrimLimits uses sparse files, so gigabytes cost no disk.
func TestTrimLimits(t *testing.T) {
	const gib = 1 << 30
	base := time.Now().Add(-time.Hour)
	tests := []struct {
		name         string
		gocache      []filestest.SizedFile
		modcache     []filestest.SizedFile
		wantGOCACHE  []string
		after        int64
		modEmptied   bool
		wantModFiles []string
	}{
		{
			name:         "small caches are kept",
			gocache:      []filestest.SizedFile{{Name: "00/a-d", Size: 1000, Age: time.Minute}, {Name: "README", Size: 10, Age: 0}},
			modcache:     []filestest.SizedFile{{Name: "cache/download/example.com/m/@v/v1.0.0.zip", Size: 5000, Age: 0}},
			wantGOCACHE:  []string{"00/a-d", "README"},
			after:        1010,
			wantModFiles: []string{"cache/download/example.com/m/@v/v1.0.0.zip"},
		},
		{
			name: "GOCACHE over its limit loses its oldest files down to three quarters",
			gocache: []filestest.SizedFile{
				{Name: "00/old-d", Size: gib, Age: 3 * time.Minute},
				{Name: "01/mid-d", Size: gib / 2, Age: 2 * time.Minute},
				{Name: "02/new-d", Size: gib, Age: time.Minute},
			},
			modcache:     []filestest.SizedFile{{Name: "example.com/m@v1.0.0/go.mod", Size: 3 * gib, Age: 0}},
			wantGOCACHE:  []string{"01/mid-d", "02/new-d"},
			after:        gib + gib/2,
			wantModFiles: []string{"example.com/m@v1.0.0/go.mod"},
		},
		{
			name:        "GOMODCACHE over its limit is emptied",
			gocache:     []filestest.SizedFile{{Name: "00/a-d", Size: 2 * gib, Age: 0}},
			modcache:    []filestest.SizedFile{{Name: "example.com/m@v1.0.0/big", Size: 3*gib - 10, Age: 0}, {Name: "example.com/m@v1.0.0/go.mod", Size: 11, Age: 0}},
			wantGOCACHE: []string{"00/a-d"},
			after:       2 * gib,
			modEmptied:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(t.TempDir())
			t.Cleanup(func() { filestest.MakeWritable(d.Root) })
			filestest.WriteSized(t, d.GOCACHE(), base, tt.gocache)
			filestest.WriteSized(t, d.GOMODCACHE(), base, tt.modcache)
			var gocacheSize, modSize int64
			for _, f := range tt.gocache {
				gocacheSize += f.Size
			}
			for _, f := range tt.modcache {
				modSize += f.Size
			}
			// The module cache is read-only, as the go command leaves it.
			filestest.ReadOnly(t, d.GOMODCACHE())
			r := d.Trim(false)
			want := TrimResult{
				Checked:        true,
				GOCACHEBefore:  gocacheSize,
				GOCACHEAfter:   tt.after,
				ModCacheBefore: modSize,
				ModCacheEmpty:  tt.modEmptied,
			}
			if r != want {
				t.Errorf("Trim = %+v, want %+v", r, want)
			}
			if got := regularFiles(t, d.GOCACHE()); !reflect.DeepEqual(got, tt.wantGOCACHE) {
				t.Errorf("GOCACHE holds %q, want %q", got, tt.wantGOCACHE)
			}
			if got := regularFiles(t, d.GOMODCACHE()); !reflect.DeepEqual(got, tt.wantModFiles) {
				t.Errorf("GOMODCACHE holds %q, want %q", got, tt.wantModFiles)
			}
			if tt.modEmptied {
				if _, err := os.Lstat(d.GOMODCACHE()); !os.IsNotExist(err) {
					t.Errorf("emptied GOMODCACHE still exists: %v", err)
				}
			}
		})
	}
}

// TestTrimSymlinkedCaches: a GOCACHE or module cache that is a symlink to
// a directory outside the cache (one shared with other builds) loses no
// file, however large it is.
func TestTrimSymlinkedCaches(t *testing.T) {
	const gib = 1 << 30
	base := time.Now().Add(-time.Hour)
	outside := t.TempDir()
	shared, sharedMod := filepath.Join(outside, "gocache"), filepath.Join(outside, "mod")
	filestest.WriteSized(t, shared, base, []filestest.SizedFile{{Name: "00/old-d", Size: 3 * gib, Age: time.Minute}})
	filestest.WriteSized(t, sharedMod, base, []filestest.SizedFile{{Name: "example.com/m@v1.0.0/big", Size: 4 * gib, Age: 0}})
	d := New(t.TempDir())
	if err := os.MkdirAll(d.Root, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(shared, d.GOCACHE()); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(sharedMod, d.GOMODCACHE()); err != nil {
		t.Fatal(err)
	}
	r := d.Trim(true)
	if got := regularFiles(t, shared); len(got) != 1 {
		t.Errorf("the shared GOCACHE holds %q after Trim, want its one file", got)
	}
	if got := regularFiles(t, sharedMod); len(got) != 1 {
		t.Errorf("the shared module cache holds %q after Trim, want its one file", got)
	}
	if r.ModCacheEmpty || r.GOCACHEAfter != r.GOCACHEBefore {
		t.Errorf("Trim = %+v, want nothing removed", r)
	}
}
