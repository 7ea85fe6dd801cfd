// Package filestest makes read-only trees for tests of code that must
// remove or trim them, as the module cache and unpacked toolchains are.
package filestest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
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
