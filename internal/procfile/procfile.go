// Package procfile reads a Procfile the way Heroku does and checks it for
// the mistakes that let a deploy build fine and then fail on the dyno.
//
// Heroku reads a Procfile line by line and keeps the lines that match
// ^([A-Za-z0-9_-]+):\s*(.+)$ as "process type: command"; it ignores every
// other line without a word. A later line for the same process type
// replaces an earlier one. Parse does exactly that and also records what
// it ignored, so Check can say why.
package procfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// Name is the file Heroku reads the process types from, in the app's root.
const Name = "Procfile"

// MaxSize is the largest Procfile Read reads, in bytes: a Procfile has a
// short line per process type, and checking a bigger one would cost the
// build more memory and log than it can tell.
const MaxSize = 1 << 20

// entryRE is Heroku's pattern for a process type line.
var entryRE = regexp.MustCompile(`^([A-Za-z0-9_-]+):\s*(.+)$`)

// bom is the UTF-8 byte order mark some Windows editors write first.
const bom = "\ufeff"

// Entry is a process type declared on a line of the Procfile.
type Entry struct {
	Line    int    // 1-based
	Type    string // web, worker, ...
	Command string // run by bash on the dyno
}

// Line is a line of the Procfile that Heroku ignores.
type Line struct {
	Number int // 1-based
	Text   string
}

// File is a parsed Procfile.
type File struct {
	// Entries are the lines that declare a process type, in file order,
	// including types declared more than once.
	Entries []Entry
	// Ignored are the lines that are neither blank, comments nor entries:
	// Heroku skips them silently.
	Ignored []Line
	// BOM says the file starts with a UTF-8 byte order mark, which hides
	// the first line's process type from Heroku.
	BOM bool
	// CRLFLine is the first line that ends in CR LF, 0 when none does.
	CRLFLine int
}

// Parse reads Procfile content. The carriage return of a CR LF line
// ending is not part of the command (Check warns about it).
func Parse(data []byte) *File {
	f := &File{BOM: bytes.HasPrefix(data, []byte(bom))}
	text := strings.TrimSuffix(string(data), "\n")
	if text == "" {
		return f
	}
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		if strings.HasSuffix(line, "\r") {
			if f.CRLFLine == 0 {
				f.CRLFLine = n
			}
			line = strings.TrimSuffix(line, "\r")
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		m := entryRE.FindStringSubmatch(line)
		if m == nil {
			f.Ignored = append(f.Ignored, Line{Number: n, Text: line})
			continue
		}
		f.Entries = append(f.Entries, Entry{Line: n, Type: m[1], Command: m[2]})
	}
	return f
}

// Lookup returns the command Heroku runs for a process type: the last
// line that declares it.
func (f *File) Lookup(typ string) (Entry, bool) {
	for i := len(f.Entries) - 1; i >= 0; i-- {
		if f.Entries[i].Type == typ {
			return f.Entries[i], true
		}
	}
	return Entry{}, false
}

// Types returns the declared process types in the order they first appear.
func (f *File) Types() []string {
	if f == nil {
		return nil
	}
	var types []string
	seen := map[string]bool{}
	for _, e := range f.Entries {
		if !seen[e.Type] {
			seen[e.Type] = true
			types = append(types, e.Type)
		}
	}
	return types
}

// Commands returns each process type's command (the last entry of a type
// wins, as on Heroku). A nil File has none.
func (f *File) Commands() map[string]string {
	out := map[string]string{}
	if f == nil {
		return out
	}
	for _, e := range f.Entries {
		out[e.Type] = e.Command
	}
	return out
}

// Read parses the Procfile in the root of fsys. It returns nil and no
// error when there is none, and an error for one larger than MaxSize.
func Read(fsys fs.FS) (*File, error) {
	f, err := fsys.Open(Name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Name, err)
	}
	defer f.Close()
	data, err := files.ReadBounded(f, MaxSize)
	if large := (*files.TooLargeError)(nil); errors.As(err, &large) {
		return nil, fmt.Errorf("read %s: %w; a Procfile needs a short line per process type", Name, err)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Name, err)
	}
	return Parse(data), nil
}
