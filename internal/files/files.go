// Package files copies, writes and removes files and trees so that a build
// killed at any point leaves either the old or the new content.
package files

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes data to a temp file beside path, then renames it
// into place. The rename replaces whatever path is, a symlink too: it never
// writes through one.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// CopyFile copies src to dst (through a temp file and rename), keeping
// the permission bits.
func CopyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return errors.New("copy " + src + ": not a regular file")
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
		return err
	}
	out, err := os.CreateTemp(filepath.Dir(dst), ".tmp-"+filepath.Base(dst)+"-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(out.Name(), info.Mode().Perm())
	}
	if err == nil {
		err = os.Chtimes(out.Name(), info.ModTime(), info.ModTime())
	}
	if err == nil {
		err = os.Rename(out.Name(), dst)
	}
	if err != nil {
		os.Remove(out.Name())
	}
	return err
}

// CopyTree copies the tree at src to dst, keeping permission bits and
// symbolic links (never following them). skip, when not nil, leaves out
// an entry (and, for a directory, all below it). With link, regular files
// are hard-linked where the file system allows, else copied.
func CopyTree(src, dst string, skip func(rel string, d fs.DirEntry) bool, link bool) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if rel != "." && skip != nil && skip(rel, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			info, err := d.Info()
			if err != nil {
				return err
			}
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(to, target)
		case d.Type().IsRegular():
			if link && os.Link(path, target) == nil {
				return nil
			}
			return CopyFile(path, target)
		}
		return nil // sockets, devices: not part of an app or a toolchain
	})
}

// RemoveAll removes path even when it holds read-only directories, as the
// module cache and unpacked toolchains do.
func RemoveAll(path string) error {
	if err := os.RemoveAll(path); err == nil {
		return nil
	}
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o777)
		}
		return nil
	})
	return os.RemoveAll(path)
}

// ReadBounded reads the open file f whole, refusing one larger than max
// bytes (checked before reading, and again while reading, in case it
// grows): a file of the app's is read only as large as the buildpack
// expects it.
func ReadBounded(f fs.File, max int64) ([]byte, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fmt.Sprintf("%d bytes", info.Size())
	if info.Size() <= max {
		data, err := io.ReadAll(io.LimitReader(f, max+1))
		if err != nil {
			return nil, err
		}
		if int64(len(data)) <= max {
			return data, nil
		}
		size = fmt.Sprintf("over %d bytes", max) // it grew
	}
	return nil, &TooLargeError{Size: size, Max: max}
}

// TooLargeError is a file of the app's larger than the buildpack reads.
type TooLargeError struct {
	Size string // "3300000 bytes", or "over N bytes" when it grew while read
	Max  int64
}

// Error says how large the file is and what the buildpack reads.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("file is %s, larger than the buildpack reads (%d)", e.Size, e.Max)
}
