package packages

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
)

// Key returns a key for the package list that changes whenever what `go
// list` reports about the packages under dir (slash-separated, "." for
// the root) of the app fsys may change: the file names, package clauses,
// build constraints and imports of its Go files (not their bodies), its
// module files, and extra (the command line and the Go settings). A
// one-line change inside a function keeps the key, so the package list
// can be reused. With files.AppFS, a file that is a symlink
// to outside the app is an error: no key, and the packages are listed.
func Key(fsys fs.FS, dir string, extra ...string) (string, error) {
	var parts [][]byte
	for _, e := range extra {
		parts = append(parts, []byte(e))
	}
	fset := token.NewFileSet()
	var files []string
	err := fs.WalkDir(fsys, dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case name == "go.mod" || name == "go.sum" || name == "go.work" || name == "go.work.sum" || name == "modules.txt":
		case strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go"):
		default:
			return nil
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	for _, path := range files {
		src, err := fs.ReadFile(fsys, path)
		if err != nil {
			return "", err
		}
		rel := path
		if dir != "." {
			rel = strings.TrimPrefix(path, dir+"/")
		}
		parts = append(parts, []byte(filepath.FromSlash(rel)), header(fset, path, src))
	}
	return cache.Hash(parts...), nil
}

// header returns the part of a Go file that decides how it is listed:
// everything up to the end of its imports. A module file is returned whole.
func header(fset *token.FileSet, path string, src []byte) []byte {
	if !strings.HasSuffix(path, ".go") {
		return src
	}
	f, err := parser.ParseFile(fset, path, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return src
	}
	end := f.Name.End()
	for _, d := range f.Decls {
		if d.End() > end {
			end = d.End()
		}
	}
	off := fset.Position(end).Offset
	if off < 0 || off > len(src) {
		return src
	}
	return src[:off]
}
