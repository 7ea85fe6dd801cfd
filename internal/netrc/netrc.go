// Package netrc handles credentials for private module hosts: the content
// of a .netrc file (the GO_NETRC config var) and GO_GIT_CRED__ config vars.
//
// The go command and git read credentials from a .netrc file; the
// buildpack writes one into a private temporary HOME for the duration of
// the build and uses the same credentials for its own proxy requests.
// GO_NETRC is read as the go command reads a .netrc file
// (cmd/go/internal/auth), so a credential goes only to the host it names:
// the default entry is never used, for any host.
package netrc

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// Line is one credential.
type Line struct {
	Machine  string // "host" or "host:port"
	Login    string
	Password string
	// AnyPort makes the line match its host on any port, as a
	// GO_GIT_CRED__ config var does: its name has no way to spell a port.
	AnyPort bool
}

// Parse reads .netrc content exactly as the go command does: word pairs
// (keyword and value) on one line, an entry kept once it has a machine, a
// login and a password, a macdef's macro skipped up to the next empty
// line, and nothing read from the default entry on. It returns the
// entries, and notes on what the go command ignores, for the build log.
// Neither the notes nor the error ever hold a word of the content, which
// holds secrets; the error reports content without any usable entry.
func Parse(data string) (lines []Line, notes []string, err error) {
	var (
		cur        Line
		curLine    int // line number of cur's machine keyword
		inMacro    bool
		incomplete []int
	)
	flush := func() {
		if cur.Machine != "" {
			incomplete = append(incomplete, curLine)
		}
	}
	for n, text := range strings.Split(data, "\n") {
		n++
		if inMacro {
			if text == "" {
				inMacro = false
			}
			continue
		}
		f := strings.Fields(text)
		odd, def := false, false
		i := 0
		for ; i < len(f)-1; i += 2 {
			switch f[i] {
			case "machine":
				flush()
				cur, curLine = Line{Machine: f[i+1]}, n
			case "default":
				// As in the go command, "default" in a pair is skipped
				// with the word after it; only a default that ends its
				// line ends the file.
				def = true
			case "login":
				cur.Login = f[i+1]
			case "password":
				cur.Password = f[i+1]
			case "account":
			case "macdef":
				inMacro = true
			default:
				odd = true
			}
			if cur.Machine != "" && cur.Login != "" && cur.Password != "" {
				lines = append(lines, cur)
				cur = Line{}
			}
		}
		if i < len(f) && f[i] == "default" {
			notes = append(notes, fmt.Sprintf("line %d: the default entry is ignored, and everything after it, as the go command does: credentials go only to the hosts named with machine", n))
			break
		}
		if def {
			notes = append(notes, fmt.Sprintf("line %d: the default entry is ignored, as the go command does: credentials go only to the hosts named with machine", n))
		} else if i < len(f) || odd {
			notes = append(notes, fmt.Sprintf("line %d: words the go command does not read are ignored (it reads machine, login, password, account and macdef, each followed by its value on the same line)", n))
		}
	}
	flush()
	for _, n := range incomplete {
		notes = append(notes, fmt.Sprintf("line %d: a machine without both a login and a password is ignored, as the go command does", n))
	}
	sort.SliceStable(notes, func(i, j int) bool { return lineOf(notes[i]) < lineOf(notes[j]) })
	if len(lines) == 0 {
		return nil, notes, errors.New("parse netrc: no usable machine entry (machine HOST login USER password TOKEN)")
	}
	return lines, notes, nil
}

// lineOf returns the line number a note starts with.
func lineOf(note string) int {
	var n int
	fmt.Sscanf(note, "line %d:", &n)
	return n
}

// Lookup returns the login and password for host ("host" or "host:port"),
// as the go command matches .netrc entries: the first entry whose machine
// is host; else, when host has a port, the first AnyPort entry for its
// host name. Nothing else matches: there is no default.
func Lookup(lines []Line, host string) (login, password string, ok bool) {
	for _, l := range lines {
		if strings.EqualFold(l.Machine, host) {
			return l.Login, l.Password, true
		}
	}
	if name, _, err := net.SplitHostPort(host); err == nil {
		for _, l := range lines {
			if l.AnyPort && strings.EqualFold(l.Machine, name) {
				return l.Login, l.Password, true
			}
		}
	}
	return "", "", false
}

// Format returns the .netrc file for the go command and git: one machine
// line per entry, never a default entry. The go command matches a machine
// with its port, so for each of the URLs (the module proxies) whose host
// has a port and that only an AnyPort entry matches, an entry for
// host:port is added.
func Format(lines []Line, urls []string) string {
	all := append([]Line(nil), lines...)
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Port() == "" {
			continue
		}
		if login, password, ok := Lookup(all, u.Host); ok && !has(all, u.Host) {
			all = append(all, Line{Machine: u.Host, Login: login, Password: password})
		}
	}
	var b strings.Builder
	for _, l := range all {
		fmt.Fprintf(&b, "machine %s login %s password %s\n", l.Machine, l.Login, l.Password)
	}
	return b.String()
}

// has reports whether an entry names machine exactly.
func has(lines []Line, machine string) bool {
	for _, l := range lines {
		if strings.EqualFold(l.Machine, machine) {
			return true
		}
	}
	return false
}

// Home is a private HOME holding a .netrc, for the go command and git:
// a temporary directory (files.TempDir, kind "home") that the build holds
// a lock on from before the .netrc is written until Remove, or until it
// ends, however it ends; files.RemoveStaleTemp removes a killed build's.
type Home struct {
	dir *files.TempDir
	// Dir is the directory, the HOME of the go command and git.
	Dir string
}

// HomeKind is the kind of temporary directory a Home is.
const HomeKind = "home"

// NewHome writes data as .netrc (mode 0600) into a new private temporary
// directory (mode 0700) under parent, which must be outside the app and
// the cache.
func NewHome(parent, data string) (*Home, error) {
	t, err := files.NewTempDir(parent, HomeKind)
	if err != nil {
		return nil, fmt.Errorf("write netrc: %w", err)
	}
	h := &Home{dir: t, Dir: t.Path}
	f, err := os.OpenFile(h.Path(), os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err == nil {
		_, err = f.WriteString(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Remove()
		return nil, fmt.Errorf("write netrc: %w", err)
	}
	return h, nil
}

// Path returns the path of the .netrc file.
func (h *Home) Path() string { return filepath.Join(h.Dir, ".netrc") }

// Remove deletes the directory and the credentials in it.
func (h *Home) Remove() error { return h.dir.Remove() }
