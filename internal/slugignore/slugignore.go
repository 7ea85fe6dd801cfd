// Package slugignore reads an app's .slugignore file, which names the
// files Heroku removes from the app after it is pushed and before any
// buildpack runs, so that they never reach the slug.
//
// The format is Heroku's: roughly that of .gitignore, without negated
// patterns. One pattern a line; blank lines and lines starting with # are
// skipped (\# and \! escape a leading # or !); trailing spaces are
// dropped. A pattern without a slash, or with one only at its end,
// matches a name at any depth; any other slash ties it to the app's root.
// A trailing slash matches directories only. * and ? stay within a path
// element, ** matches any number of them, [abc] a class. A matched
// directory is removed with everything in it.
package slugignore

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/glob"
)

// Ignore is a parsed .slugignore.
type Ignore struct {
	patterns []pattern
}

type pattern struct {
	segs     []string // slash-separated glob elements
	anchored bool     // relative to the root, else matched at any depth
	dirOnly  bool
}

// String returns the pattern as .slugignore would spell it.
func (p pattern) String() string {
	s := strings.Join(p.segs, "/")
	if p.anchored {
		s = "/" + s
	}
	if p.dirOnly {
		s += "/"
	}
	return s
}

// Parse reads the content of a .slugignore file. Warnings name the lines
// it ignored and why.
func Parse(data string) (*Ignore, []string) {
	ig := &Ignore{}
	var warnings []string
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(strings.TrimSuffix(line, "\r"), " \t")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") {
			warnings = append(warnings, fmt.Sprintf(".slugignore:%d: %s: Heroku does not support negated patterns; ignored", n+1, line))
			continue
		}
		if strings.HasPrefix(line, `\#`) || strings.HasPrefix(line, `\!`) {
			line = line[1:]
		}
		p := pattern{}
		if strings.HasSuffix(line, "/") {
			p.dirOnly = true
			line = strings.TrimRight(line, "/")
		}
		if strings.Contains(line, "/") {
			p.anchored = true
			line = strings.TrimLeft(line, "/")
		}
		if line == "" {
			continue // "/" alone names nothing
		}
		p.segs = strings.Split(line, "/")
		ig.patterns = append(ig.patterns, p)
	}
	return ig, warnings
}

// Name is the file, in the app's root.
const Name = ".slugignore"

// Read parses the .slugignore in the root of the app fsys (files.AppFS,
// so one that is a symlink to outside the app is an error, never read).
// It returns nil and no error when there is none.
func Read(fsys fs.FS) (*Ignore, []string, error) {
	data, err := fs.ReadFile(fsys, Name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", Name, err)
	}
	ig, warnings := Parse(string(data))
	return ig, warnings, nil
}

// Match reports whether the path rel (slash-separated, relative to the
// app's root) is removed; isDir says whether it is a directory. A path
// under a removed directory is not matched itself: the caller skips the
// directory whole.
func (ig *Ignore) Match(rel string, isDir bool) bool {
	if ig == nil {
		return false
	}
	name := strings.Split(rel, "/")
	for _, p := range ig.patterns {
		if p.dirOnly && !isDir {
			continue
		}
		if p.anchored {
			if glob.Inside(p.segs, name) {
				return true
			}
			continue
		}
		// At any depth: the pattern matches the trailing elements.
		for i := range name {
			if glob.Inside(p.segs, name[i:]) {
				return true
			}
		}
	}
	return false
}
