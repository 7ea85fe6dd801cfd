package netrc

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []Line
	}{
		{"one line", "machine github.com login u password p", []Line{{"github.com", "u", "p"}}},
		{
			"several machines",
			"machine a.example\n  login ua\n  password pa\n\nmachine b.example login ub account acc password pb\n",
			[]Line{{"a.example", "ua", "pa"}, {"b.example", "ub", "pb"}},
		},
		{"missing login and password", "machine a.example\nmachine b.example password pb", []Line{{Machine: "a.example"}, {"b.example", "", "pb"}}},
		{"default", "machine a.example login ua password pa\ndefault login d password dp", []Line{{"a.example", "ua", "pa"}, {"", "d", "dp"}}},
		{"default alone", "default", []Line{{}}},
		{"keywords as values", "machine login login password password machine", []Line{{"login", "password", "machine"}}},
		{"later value wins", "machine a login u1 login u2 password p", []Line{{"a", "u2", "p"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const secret = "s3cr3t-t0ken"
	tests := []struct {
		name string
		data string
		want string
	}{
		{"empty", "", "no machine entries"},
		{"blank", " \n\t\n", "no machine entries"},
		{"machine without name", "machine", `"machine" at the end has no value`},
		{"password without value", "machine a login u password", `"password" at the end has no value`},
		{"login before machine", "login u password " + secret + "\nmachine a", `"login" before any machine`},
		{"password before machine", "password " + secret, `"password" before any machine`},
		{"macdef", "machine a login u password " + secret + "\nmacdef init\ncd /pub\n\n", "macdef is not supported"},
		{"junk word", "machine a login u password " + secret + " port 22", "unexpected word 7"},
		{"password without keyword", "machine a login u " + secret, "unexpected word 5"},
		{"misspelled keyword", "machine a login u passwd " + secret, "unexpected word 5"},
		{"comment", "# token " + secret + "\nmachine a login u password p", "unexpected word 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := Parse(tt.data)
			if err == nil {
				t.Fatalf("Parse = %+v, want error", lines)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "parse netrc: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("Parse error = %q, want %q in it", msg, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("Parse error %q holds the password", err)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	lines := []Line{
		{"a.example", "ua", "pa"},
		{"", "d", "dp"},
		{"b.example", "ub", "pb"},
		{"a.example", "ua2", "pa2"},
	}
	tests := []struct {
		lines       []Line
		host        string
		login, pass string
		ok          bool
	}{
		{lines, "a.example", "ua", "pa", true},
		{lines, "b.example", "ub", "pb", true},
		{lines, "c.example", "d", "dp", true},
		{lines, "", "d", "dp", true},
		{lines[2:], "c.example", "", "", false},
		{lines[2:], "A.EXAMPLE", "ua2", "pa2", true}, // host names are case-insensitive
		{lines[2:], "a.example", "ua2", "pa2", true},
		{nil, "a.example", "", "", false},
		{lines, "a.example:443", "ua", "pa", true},
		{lines, "c.example:443", "d", "dp", true},
		{[]Line{{"h", "u", "p"}, {"h:8443", "u2", "p2"}}, "h:8443", "u2", "p2", true},
		{[]Line{{"h", "u", "p"}, {"h:8443", "u2", "p2"}}, "h:9000", "u", "p", true},
		{[]Line{{"::1", "u", "p"}}, "[::1]:8080", "u", "p", true},
		{[]Line{{"h:8443", "u", "p"}}, "h", "", "", false},
	}
	for _, tt := range tests {
		login, pass, ok := Lookup(tt.lines, tt.host)
		if login != tt.login || pass != tt.pass || ok != tt.ok {
			t.Errorf("Lookup(%+v, %q) = %q, %q, %v; want %q, %q, %v", tt.lines, tt.host, login, pass, ok, tt.login, tt.pass, tt.ok)
		}
	}
}

func TestNewHome(t *testing.T) {
	parent := t.TempDir()
	const data = "machine github.com login u password p\n"
	h, err := NewHome(parent, data)
	if err != nil {
		t.Fatalf("NewHome: %v", err)
	}
	if filepath.Dir(h.Dir) != parent || !strings.HasPrefix(filepath.Base(h.Dir), "gobuildpack-home-") {
		t.Errorf("Dir = %q, want gobuildpack-home-* in %q", h.Dir, parent)
	}
	if h.Path() != filepath.Join(h.Dir, ".netrc") {
		t.Errorf("Path = %q", h.Path())
	}
	if st, err := os.Stat(h.Dir); err != nil || !st.IsDir() || st.Mode().Perm() != 0o700 {
		t.Errorf("home directory: %v, %v; want a directory with mode 0700", st.Mode(), err)
	}
	st, err := os.Stat(h.Path())
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf(".netrc: %v, %v; want mode 0600", st, err)
	}
	if got, err := os.ReadFile(h.Path()); err != nil || string(got) != data {
		t.Errorf(".netrc = %q, %v; want %q", got, err, data)
	}

	other, err := NewHome(parent, data)
	if err != nil {
		t.Fatalf("second NewHome: %v", err)
	}
	if other.Dir == h.Dir {
		t.Errorf("two homes share %s", h.Dir)
	}
	if err := h.Remove(); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, err := os.Stat(h.Dir); !os.IsNotExist(err) {
		t.Errorf("after Remove, Stat(%s) = %v", h.Dir, err)
	}
	if _, err := os.Stat(other.Path()); err != nil {
		t.Errorf("Remove deleted the other home: %v", err)
	}
}

func TestNewHomeError(t *testing.T) {
	const secret = "s3cr3t-t0ken"
	h, err := NewHome(filepath.Join(t.TempDir(), "missing"), "machine a password "+secret)
	if err == nil {
		t.Fatalf("NewHome in a missing directory = %+v, want error", h)
	}
	if !strings.HasPrefix(err.Error(), "write netrc: ") || strings.Contains(err.Error(), secret) {
		t.Errorf("NewHome error = %q", err)
	}
}
