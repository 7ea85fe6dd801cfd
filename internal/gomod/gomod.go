// Package gomod reads what the buildpack needs from an app's go.mod: the
// module path, the go and toolchain directives, and the "+heroku" comments
// that configure the build.
package gomod

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// MaxSize is the largest go.mod read, in bytes (the go command's own limit).
const MaxSize = 16 << 20

// File is the part of a go.mod or go.work file the build uses.
type File struct {
	Name   string // file name used in messages, e.g. "go.mod"
	Module string // module path; "" for go.work

	Uses []string // go.work use directives (directories)

	Go     string // go directive without "go", e.g. "1.22" or "1.22.3"; "" when absent
	GoLine int    // line of the go directive

	Requires int // number of require directives
	// Required maps each required module's path to its version.
	Required map[string]string
	// Tools are the packages of the tool directives (go1.24): the
	// commands `go tool` runs, built with the module's requirements.
	Tools []string

	Toolchain     string // toolchain directive, e.g. "go1.22.5"; "" when absent or "default"
	ToolchainLine int    // line of the toolchain directive

	// Comments holds the "// +heroku NAME VALUE..." comments by NAME, in file order.
	Comments map[string][]Comment
}

// Comment is one "// +heroku NAME ARGS..." comment.
type Comment struct {
	Name string   // e.g. "goVersion" or "install"
	Args []string // space-separated arguments
	Line int
}

// ErrNotFound is returned by Read when there is no go.mod.
var ErrNotFound = errors.New("no go.mod")

// Read parses the go.mod file name (slash-separated, e.g. "go.mod" or
// "services/api/go.mod") of the app fsys, which is also its name in
// messages. With files.AppFS, a go.mod that is a symlink to outside the app
// is never read: the error is the *files.EscapeError, which names it and
// never quotes what it points to.
func Read(fsys fs.FS, name string) (*File, error) {
	data, err := readFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return Parse(name, data)
}

// ReadWork parses the go.work file name of the app fsys, as Read does.
func ReadWork(fsys fs.FS, name string) (*File, error) {
	data, err := readFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return ParseWork(name, data)
}

// readFile reads a go.mod or go.work file, refusing what the go command would.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	var escape *files.EscapeError
	switch {
	case errors.As(err, &escape):
		return nil, escape // it names the file
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read %s: %w", name, ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", name, err)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("read %s: not a regular file", name)
	case info.Size() > MaxSize:
		return nil, fmt.Errorf("read %s: file is %d bytes, larger than the go command accepts (%d)", name, info.Size(), MaxSize)
	}
	data, err := fs.ReadFile(fsys, name)
	if errors.As(err, &escape) {
		return nil, escape
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}

// Parse parses go.mod content. Syntax errors are reported as "name:line: message".
func Parse(name string, data []byte) (*File, error) {
	f, err := modfile.Parse(filepath.ToSlash(name), data, nil)
	if err != nil {
		return nil, parseError(name, err)
	}
	out := &File{Name: name, Comments: map[string][]Comment{}}
	if f.Module == nil {
		return nil, fmt.Errorf("%s: no module directive", name)
	}
	out.Module = f.Module.Mod.Path
	out.Requires = len(f.Require)
	out.Required = map[string]string{}
	for _, r := range f.Require {
		out.Required[r.Mod.Path] = r.Mod.Version
	}
	for _, t := range f.Tool {
		out.Tools = append(out.Tools, t.Path)
	}
	out.setVersions(f.Go, f.Toolchain)
	out.addComments(f.Syntax)
	return out, nil
}

// ParseWork parses go.work content.
func ParseWork(name string, data []byte) (*File, error) {
	f, err := modfile.ParseWork(filepath.ToSlash(name), data, nil)
	if err != nil {
		return nil, parseError(name, err)
	}
	out := &File{Name: name, Comments: map[string][]Comment{}}
	out.setVersions(f.Go, f.Toolchain)
	for _, u := range f.Use {
		out.Uses = append(out.Uses, u.Path)
	}
	out.addComments(f.Syntax)
	return out, nil
}

// parseError returns the parser's error with at most output.MaxListed of
// its lines (an error each, "go.mod:3: unknown directive: frob"), each
// quoting the file with output.Excerpt, and a count of the rest.
func parseError(name string, err error) error {
	lines := strings.Split(err.Error(), "\n")
	n := min(len(lines), output.MaxListed)
	for i := range n {
		lines[i] = output.Excerpt(lines[i])
	}
	switch more := len(lines) - n; {
	case more == 1:
		lines = append(lines[:n], filepath.ToSlash(name)+": 1 more error")
	case more > 1:
		lines = append(lines[:n], fmt.Sprintf("%s: %d more errors", filepath.ToSlash(name), more))
	}
	return errors.New(strings.Join(lines, "\n"))
}

// setVersions records the go and toolchain directives, when present.
func (f *File) setVersions(g *modfile.Go, tc *modfile.Toolchain) {
	if g != nil {
		f.Go, f.GoLine = g.Version, g.Syntax.Start.Line
	}
	if tc != nil && tc.Name != "default" {
		f.Toolchain, f.ToolchainLine = tc.Name, tc.Syntax.Start.Line
	}
}

// addComments records the "+heroku" comments of a parsed file.
func (f *File) addComments(syntax *modfile.FileSyntax) {
	for _, c := range comments(syntax) {
		if hc, ok := parseComment(c.Token); ok {
			hc.Line = c.Start.Line
			f.Comments[hc.Name] = append(f.Comments[hc.Name], hc)
		}
	}
}

// Last returns the last "+heroku name" comment, if there is one.
// Like the go command's directives, a later comment wins.
func (f *File) Last(name string) (Comment, bool) {
	cs := f.Comments[name]
	if len(cs) == 0 {
		return Comment{}, false
	}
	return cs[len(cs)-1], true
}

// parseComment parses "// +heroku NAME ARGS...".
func parseComment(tok string) (Comment, bool) {
	text, ok := strings.CutPrefix(tok, "//")
	if !ok {
		return Comment{}, false
	}
	fields := strings.Fields(text)
	if len(fields) < 2 || fields[0] != "+heroku" {
		return Comment{}, false
	}
	return Comment{Name: fields[1], Args: fields[2:]}, true
}

// comments returns every comment in the file, in order.
func comments(f *modfile.FileSyntax) []modfile.Comment {
	var out []modfile.Comment
	add := func(c *modfile.Comments) {
		out = append(out, c.Before...)
		out = append(out, c.Suffix...)
		out = append(out, c.After...)
	}
	add(f.Comment())
	for _, stmt := range f.Stmt {
		add(stmt.Comment())
		switch x := stmt.(type) {
		case *modfile.LineBlock:
			add(&x.LParen.Comments)
			for _, l := range x.Line {
				add(l.Comment())
			}
			add(&x.RParen.Comments)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Line < out[j].Start.Line })
	return out
}
