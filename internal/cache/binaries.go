package cache

import (
	"bytes"
	"debug/elf"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// RestoreBinaries copies the cached binaries with the given names into
// binDir, where binDir does not already have them, and returns what it
// copied. The go command skips linking a binary that is already up to
// date, so an unchanged app is not linked again; after the build,
// Restored.Reused says how many were.
func (d Dir) RestoreBinaries(binDir string, names []string) Restored {
	r := Restored{dir: binDir, sums: map[string]string{}}
	for _, name := range names {
		src := filepath.Join(d.Binaries(), name)
		dst := filepath.Join(binDir, name)
		if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		// A cached binary is a regular file SaveBinaries wrote: a symlink
		// there is not followed.
		if info, err := os.Lstat(src); err != nil || !info.Mode().IsRegular() || !intact(src) {
			continue
		}
		if files.CopyFile(src, dst) != nil {
			continue
		}
		if sum, err := files.SHA256(dst); err == nil {
			r.sums[name] = sum
		}
	}
	return r
}

// Restored are the binaries RestoreBinaries copied into a bin directory.
type Restored struct {
	dir  string
	sums map[string]string // name -> SHA-256 when restored
}

// Len is how many binaries were restored.
func (r Restored) Len() int { return len(r.sums) }

// Reused is how many of the restored binaries the build left as they
// were, which the go command found up to date: not those it linked again
// (after a change of the app, or of the Go release) or removed.
func (r Restored) Reused() int {
	n := 0
	for name, sum := range r.sums {
		p := filepath.Join(r.dir, name)
		if info, err := os.Lstat(p); err != nil || !info.Mode().IsRegular() {
			continue
		}
		if got, err := files.SHA256(p); err == nil && got == sum {
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
		if err := files.CopyFile(filepath.Join(binDir, name), filepath.Join(d.Binaries(), name)); err != nil {
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

// intact reports whether the file at path is not an ELF binary cut short.
// The go command takes a binary whose build ID (near its start) is right
// as up to date, however much of the rest is missing, so a damaged cached
// binary must not be restored.
func intact(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, len(elf.ELFMAG))
	if _, err := io.ReadFull(f, magic); err != nil || !bytes.Equal(magic, []byte(elf.ELFMAG)) {
		return true // not ELF: the go command finds no build ID and links again
	}
	info, err := f.Stat()
	if err != nil {
		return false
	}
	ef, err := elf.NewFile(f)
	if err != nil {
		return false
	}
	size := uint64(info.Size())
	for _, s := range ef.Sections {
		if s.Type != elf.SHT_NOBITS && s.Offset+s.FileSize > size {
			return false
		}
	}
	for _, p := range ef.Progs {
		if p.Off+p.Filesz > size {
			return false
		}
	}
	return true
}
