// Package filestest makes trees for tests of code that must remove or
// trim them: read-only ones, as the module cache and unpacked toolchains
// are, and files of given sizes and ages.
package filestest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// ReadOnly makes the directories under dir 0555 and the files 0444.
func ReadOnly(t *testing.T, dir string) {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, path)
			return nil
		}
		if d.Type().IsRegular() {
			return os.Chmod(path, 0o444)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Deepest first, so each is still writable while its children change.
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Chmod(dirs[i], 0o555); err != nil {
			t.Fatal(err)
		}
	}
}

// MakeWritable undoes ReadOnly, so t.TempDir's cleanup can remove the tree.
func MakeWritable(dir string) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(path, 0o777)
		}
		return nil
	})
}

// SizedFile is a file of size bytes modified at age before base.
type SizedFile struct {
	Name string // slash-separated, relative to the tree
	Size int64
	Age  time.Duration
}

// WriteSized creates the files under dir, sparse, with their mtimes.
func WriteSized(t *testing.T, dir string, base time.Time, files []SizedFile) {
	t.Helper()
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, f.Size); err != nil {
			t.Fatal(err)
		}
		mtime := base.Add(-f.Age)
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}
