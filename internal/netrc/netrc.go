// Package netrc handles credentials for private module hosts, given as
// the content of a .netrc file (the GO_NETRC config var).
//
// The go command and git read credentials from a .netrc file; the
// buildpack writes one into a private temporary HOME for the duration of
// the build and uses the same credentials for its own proxy requests.
package netrc

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// Line is one machine entry.
type Line struct {
	Machine  string // host name; "" for the default entry
	Login    string
	Password string
}

// Parse reads .netrc content. Errors never include the content, which holds secrets.
func Parse(data string) ([]Line, error) {
	var (
		out  []Line
		cur  *Line
		toks = strings.Fields(data)
	)
	for i := 0; i < len(toks); i++ {
		switch toks[i] {
		case "machine", "login", "password", "account":
			if i+1 >= len(toks) {
				return nil, fmt.Errorf("parse netrc: %q at the end has no value", toks[i])
			}
			val := toks[i+1]
			switch toks[i] {
			case "machine":
				out = append(out, Line{Machine: val})
				cur = &out[len(out)-1]
			case "login", "password":
				if cur == nil {
					return nil, fmt.Errorf("parse netrc: %q before any machine", toks[i])
				}
				if toks[i] == "login" {
					cur.Login = val
				} else {
					cur.Password = val
				}
			}
			i++
		case "default":
			out = append(out, Line{})
			cur = &out[len(out)-1]
		case "macdef":
			return nil, fmt.Errorf("parse netrc: macdef is not supported")
		default:
			return nil, fmt.Errorf("parse netrc: unexpected word %d (want machine, login or password)", i+1)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("parse netrc: no machine entries")
	}
	return out, nil
}

// Lookup returns the login and password for host ("host" or "host:port"):
// the first entry naming it exactly, else the first naming its host name
// without the port, else the default entry.
func Lookup(lines []Line, host string) (login, password string, ok bool) {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	for _, want := range []string{host, name} {
		for _, l := range lines {
			if strings.EqualFold(l.Machine, want) {
				return l.Login, l.Password, true
			}
		}
	}
	for _, l := range lines {
		if l.Machine == "" {
			return l.Login, l.Password, true
		}
	}
	return "", "", false
}

// Home is a private temporary HOME directory holding a .netrc file.
type Home struct {
	Dir string
}

// NewHome writes data as .netrc (mode 0600) into a new private temporary
// directory (mode 0700) under parent, which must be outside the app and the cache.
func NewHome(parent, data string) (*Home, error) {
	dir, err := os.MkdirTemp(parent, "gobuildpack-home-")
	if err != nil {
		return nil, fmt.Errorf("write netrc: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("write netrc: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".netrc"), []byte(data), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("write netrc: %w", err)
	}
	return &Home{Dir: dir}, nil
}

// Path returns the path of the .netrc file.
func (h *Home) Path() string { return filepath.Join(h.Dir, ".netrc") }

// Remove deletes the directory and the credentials in it.
func (h *Home) Remove() error { return os.RemoveAll(h.Dir) }
