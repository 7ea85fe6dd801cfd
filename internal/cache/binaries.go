package cache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// RestoreBinaries copies the cached binaries with the given names into
// binDir, where binDir does not already have them, and returns how many it
// copied. The go command skips linking a binary that is already up to
// date, so an unchanged app is not linked again.
func (d Dir) RestoreBinaries(binDir string, names []string) int {
	n := 0
	for _, name := range names {
		src := filepath.Join(d.Binaries(), name)
		dst := filepath.Join(binDir, name)
		if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if _, err := os.Stat(src); err != nil {
			continue
		}
		if CopyFile(src, dst) == nil {
			n++
		}
	}
	return n
}

// SaveBinaries replaces the cached binaries with binDir's binaries of the
// given names.
func (d Dir) SaveBinaries(binDir string, names []string) error {
	keep := map[string]bool{}
	for _, name := range names {
		keep[name] = true
		if err := CopyFile(filepath.Join(binDir, name), filepath.Join(d.Binaries(), name)); err != nil {
			return err
		}
	}
	entries, _ := os.ReadDir(d.Binaries())
	for _, e := range entries {
		if !keep[e.Name()] {
			os.RemoveAll(filepath.Join(d.Binaries(), e.Name()))
		}
	}
	return nil
}
