package files

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
)

// AppFS is the tree of an app's files at a directory, read as os.DirFS
// reads it but through an os.Root: a symlink may lead anywhere inside the
// tree, never out of it, and never to an absolute path (os.Root's rule).
// A name that leads out gives an *EscapeError, before anything is read, so
// what the buildpack reads from an app, and may quote in a message, is
// the app's own. Names are slash-separated and relative, as for any fs.FS.
type AppFS string

// Open opens the named file.
func (a AppFS) Open(name string) (fs.File, error) {
	var f fs.File
	err := a.do(name, func(fsys fs.FS) (err error) { f, err = fsys.Open(name); return err })
	return f, err
}

// ReadFile reads the named file.
func (a AppFS) ReadFile(name string) ([]byte, error) {
	var data []byte
	err := a.do(name, func(fsys fs.FS) (err error) { data, err = fs.ReadFile(fsys, name); return err })
	return data, err
}

// Stat describes the named file, following symlinks inside the tree.
func (a AppFS) Stat(name string) (fs.FileInfo, error) {
	var info fs.FileInfo
	err := a.do(name, func(fsys fs.FS) (err error) { info, err = fs.Stat(fsys, name); return err })
	return info, err
}

// ReadDir lists the named directory.
func (a AppFS) ReadDir(name string) ([]fs.DirEntry, error) {
	var entries []fs.DirEntry
	err := a.do(name, func(fsys fs.FS) (err error) { entries, err = fs.ReadDir(fsys, name); return err })
	return entries, err
}

// do runs op on the tree opened as an os.Root, and turns an error about a
// name that leads out of it into an *EscapeError.
func (a AppFS) do(name string, op func(fs.FS) error) error {
	r, err := os.OpenRoot(string(a))
	if err != nil {
		return err
	}
	defer r.Close()
	err = op(r.FS())
	if !escapes(err) {
		return err
	}
	return escapeError(r, name)
}

// EscapeError reports an app file that the build does not read: it is, or
// it is under, a symlink that leads out of the app or to an absolute path.
type EscapeError struct {
	Name     string // the file asked for, relative to the app
	Link     string // the symlink: Name or a directory above it
	Absolute bool   // the symlink's target is an absolute path
}

// Error describes the symlink and the fix, never what it points to.
func (e *EscapeError) Error() string {
	what, fix := "a symlink to outside the app", "commit the file itself"
	if e.Absolute {
		what, fix = "a symlink to an absolute path", "commit the file itself, or a symlink to a relative path inside the app"
	}
	if e.Link != e.Name {
		return e.Name + ": " + e.Link + " is " + what + "; " + strings.Replace(fix, "the file", "the directory", 1)
	}
	return e.Name + " is " + what + "; " + fix
}

// escapeError finds the symlink on the way to name that leads out of the
// tree r: the first element of name whose path does not stay inside.
func escapeError(r *os.Root, name string) *EscapeError {
	e := &EscapeError{Name: name, Link: name}
	elems := strings.Split(name, "/")
	for i := range elems {
		p := path.Join(elems[:i+1]...)
		if _, err := r.Stat(p); escapes(err) {
			e.Link = p
			break
		}
	}
	if to, err := r.Readlink(e.Link); err == nil {
		e.Absolute = path.IsAbs(to)
	}
	return e
}

// escapes reports whether err is an os.Root's refusal of a name that
// leads out of it. os.Root does not export that error: it is found by
// asking a Root for "..", and by its text should that fail.
func escapes(err error) bool {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return false
	}
	return errEscapes() != nil && pe.Err == errEscapes() || pe.Err.Error() == "path escapes from parent"
}

var errEscapes = sync.OnceValue(func() error {
	r, err := os.OpenRoot("/")
	if err != nil {
		return nil
	}
	defer r.Close()
	_, err = r.Lstat("..")
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return nil
	}
	return pe.Err
})
