package netrc

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		want  []Line
		notes []string // each a prefix of a note, in order
	}{
		{name: "one line", data: "machine github.com login u password p", want: []Line{{Machine: "github.com", Login: "u", Password: "p"}}},
		{
			name: "several machines",
			data: "machine a.example\n  login ua\n  password pa\n\nmachine b.example login ub account acc password pb\n",
			want: []Line{{Machine: "a.example", Login: "ua", Password: "pa"}, {Machine: "b.example", Login: "ub", Password: "pb"}},
		},
		{
			name:  "entries need a login and a password",
			data:  "machine a.example\nmachine b.example password pb\nmachine c.example login uc password pc",
			want:  []Line{{Machine: "c.example", Login: "uc", Password: "pc"}},
			notes: []string{"line 1: a machine without both", "line 2: a machine without both"},
		},
		{
			name:  "default ends the file",
			data:  "machine a.example login ua password pa\ndefault\nmachine b.example login ub password pb",
			want:  []Line{{Machine: "a.example", Login: "ua", Password: "pa"}},
			notes: []string{"line 2: the default entry is ignored"},
		},
		{
			name:  "default at the end of a line ends the file",
			data:  "machine a.example login ua password pa default\nmachine b.example login ub password pb",
			want:  []Line{{Machine: "a.example", Login: "ua", Password: "pa"}},
			notes: []string{"line 1: the default entry is ignored"},
		},
		{
			// The go command reads "default login" as a pair it skips; the
			// rest of the line is then read in pairs: "x password", "y".
			name:  "default with credentials on its line gives them to no one",
			data:  "machine a.example login ua password pa\ndefault login x password y\nmachine b.example login ub password pb",
			want:  []Line{{Machine: "a.example", Login: "ua", Password: "pa"}, {Machine: "b.example", Login: "ub", Password: "pb"}},
			notes: []string{"line 2: the default entry is ignored"},
		},
		{
			name: "macdef skips its macro up to an empty line",
			data: "macdef init\nmachine evil.example login u password p\n\nmachine a.example login ua password pa",
			want: []Line{{Machine: "a.example", Login: "ua", Password: "pa"}},
		},
		{
			name:  "a macro without an empty line runs to the end",
			data:  "machine a.example login ua password pa\nmacdef m\nmachine b.example login ub password pb\n \n",
			want:  []Line{{Machine: "a.example", Login: "ua", Password: "pa"}},
			notes: nil,
		},
		{name: "keywords as values", data: "machine login login password password machine", want: []Line{{Machine: "login", Login: "password", Password: "machine"}}},
		{name: "later value wins", data: "machine a login u1 login u2 password p", want: []Line{{Machine: "a", Login: "u2", Password: "p"}}},
		{
			name: "a complete entry ends at its password",
			data: "machine a login u password p login v password w",
			want: []Line{{Machine: "a", Login: "u", Password: "p"}},
		},
		{
			name:  "a value on the next line is not read",
			data:  "machine a login u password\np\nmachine b login u password q",
			want:  []Line{{Machine: "b", Login: "u", Password: "q"}},
			notes: []string{"line 1: words the go command", "line 1: a machine without both", "line 2: words the go command"},
		},
		{
			name:  "unknown words",
			data:  "machine a login u password p port 22\n# comment here\n",
			want:  []Line{{Machine: "a", Login: "u", Password: "p"}},
			notes: []string{"line 1: words the go command", "line 2: words the go command"},
		},
		{name: "CR LF", data: "machine a\r\nlogin u\r\npassword p\r\n", want: []Line{{Machine: "a", Login: "u", Password: "p"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, notes, err := Parse(tt.data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse = %+v, want %+v", got, tt.want)
			}
			if len(notes) != len(tt.notes) {
				t.Fatalf("notes = %q, want %d starting %q", notes, len(tt.notes), tt.notes)
			}
			for i := range notes {
				if !strings.HasPrefix(notes[i], tt.notes[i]) {
					t.Errorf("note %d = %q, want it to start %q", i, notes[i], tt.notes[i])
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const secret = "s3cr3t-t0ken"
	tests := []struct {
		name string
		data string
		note string // in a note
	}{
		{"empty", "", ""},
		{"blank", " \n\t\n", ""},
		{"machine without name", "machine", "line 1: words the go command does not read"},
		{"password without value", "machine a login u password", "line 1: a machine without both"},
		{"login before machine", "login u password " + secret + "\nmachine a", "line 2: a machine without both"},
		{"only a default", "default login u password " + secret, "line 1: the default entry is ignored"},
		{"only a default alone", "default\nmachine a login u password " + secret, "line 1: the default entry is ignored"},
		{"macdef", "macdef init\nmachine a login u password " + secret + "\n", ""},
		{"password without keyword", "machine a login u " + secret, "line 1: words the go command"},
		{"misspelled keyword", "machine a login u passwd " + secret, "line 1: words the go command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, notes, err := Parse(tt.data)
			if err == nil {
				t.Fatalf("Parse = %+v, want error", lines)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "parse netrc: no usable machine entry") {
				t.Errorf("Parse error = %q", msg)
			}
			all := strings.Join(notes, "\n")
			if tt.note != "" && !strings.Contains(all, tt.note) {
				t.Errorf("notes = %q, want %q in them", notes, tt.note)
			}
			if strings.Contains(err.Error()+all, secret) || strings.Contains(err.Error()+all, "passwd") {
				t.Errorf("Parse error %q or notes %q repeat the content", err, notes)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	lines := []Line{
		{Machine: "a.example", Login: "ua", Password: "pa"},
		{Machine: "b.example", Login: "ub", Password: "pb"},
		{Machine: "a.example", Login: "ua2", Password: "pa2"},
	}
	tests := []struct {
		lines       []Line
		host        string
		login, pass string
		ok          bool
	}{
		{lines, "a.example", "ua", "pa", true},
		{lines, "b.example", "ub", "pb", true},
		{lines, "c.example", "", "", false},
		{lines, "", "", "", false},
		{lines[1:], "A.EXAMPLE", "ua2", "pa2", true}, // host names are case-insensitive
		// As in the go command, a machine without a port matches only
		// requests without one.
		{lines, "a.example:443", "", "", false},
		{nil, "a.example", "", "", false},
		{[]Line{{Machine: "h", Login: "u", Password: "p"}, {Machine: "h:8443", Login: "u2", Password: "p2"}}, "h:8443", "u2", "p2", true},
		{[]Line{{Machine: "h", Login: "u", Password: "p"}, {Machine: "h:8443", Login: "u2", Password: "p2"}}, "h:9000", "", "", false},
		{[]Line{{Machine: "h:8443", Login: "u", Password: "p"}}, "h", "", "", false},
		// A GO_GIT_CRED__ var names a host on any port; an entry for the
		// exact host:port still comes first.
		{[]Line{{Machine: "h", Login: "g", Password: "gp", AnyPort: true}}, "h:9000", "g", "gp", true},
		{[]Line{{Machine: "h", Login: "g", Password: "gp", AnyPort: true}}, "h", "g", "gp", true},
		{[]Line{{Machine: "h", Login: "g", Password: "gp", AnyPort: true}, {Machine: "h:8443", Login: "u", Password: "p"}}, "h:8443", "u", "p", true},
		{[]Line{{Machine: "::1", Login: "g", Password: "gp", AnyPort: true}}, "[::1]:8080", "g", "gp", true},
		{[]Line{{Machine: "h", Login: "g", Password: "gp", AnyPort: true}}, "hh:1", "", "", false},
	}
	for _, tt := range tests {
		login, pass, ok := Lookup(tt.lines, tt.host)
		if login != tt.login || pass != tt.pass || ok != tt.ok {
			t.Errorf("Lookup(%+v, %q) = %q, %q, %v; want %q, %q, %v", tt.lines, tt.host, login, pass, ok, tt.login, tt.pass, tt.ok)
		}
	}
}

func TestFormat(t *testing.T) {
	lines, _, err := Parse("machine a.example login ua password pa\nmacdef x\nmachine evil login e password e\n\ndefault login d password TOKEN")
	if err != nil {
		t.Fatal(err)
	}
	lines = append(lines,
		Line{Machine: "git.example", Login: "g", Password: "gp", AnyPort: true},
		Line{Machine: "b.example", Login: "gb", Password: "gbp", AnyPort: true},
	)
	lines = append([]Line{{Machine: "b.example:8443", Login: "ub", Password: "pb"}}, lines...)
	got := Format(lines, []string{"https://git.example:8443/mod", "https://b.example:8443", "https://a.example:444", "https://c.example:1", "https://git.example", "::bad"})
	want := "machine b.example:8443 login ub password pb\n" +
		"machine a.example login ua password pa\n" +
		"machine git.example login g password gp\n" +
		"machine b.example login gb password gbp\n" +
		"machine git.example:8443 login g password gp\n"
	if got != want {
		t.Errorf("Format =\n%s\nwant\n%s", got, want)
	}
	// The go command reads back exactly these entries.
	back, _, err := Parse(got)
	if err != nil || len(back) != 5 {
		t.Errorf("Parse(Format) = %+v, %v", back, err)
	}
	if strings.Contains(got, "default") || strings.Contains(got, "TOKEN") || strings.Contains(got, "evil") {
		t.Errorf("Format wrote the default entry or a macro:\n%s", got)
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

// TestDefaultNeverUsed: the go command stops reading a .netrc at default
// and never sends its credentials; neither does the buildpack.
func TestDefaultNeverUsed(t *testing.T) {
	lines, _, err := Parse("machine git.example.com login u password p\ndefault login x password TOKEN")
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"proxy.golang.org", "sum.golang.org", "other.example:8443"} {
		if login, pass, ok := Lookup(lines, host); ok {
			t.Errorf("Lookup(%q) = %q, %q: the default entry's credentials go to a host it does not name", host, login, pass)
		}
	}
}

// TestStaleHome: a killed build's home, with its .netrc, is removed by
// the sweep of the next build (files.RemoveStaleTemp); a running build's
// never is.
func TestStaleHome(t *testing.T) {
	const data = "machine github.com login u password p\n"
	parent := t.TempDir()
	live, err := NewHome(parent, data)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Remove()
	// A killed build's: the same, with no process holding its lock.
	dead := filepath.Join(parent, "gobuildpack-home-1-1")
	if err := os.Mkdir(dead, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dead, ".netrc"), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := files.RemoveStaleTemp(parent, HomeKind); len(got) != 1 || got[0] != filepath.Base(dead) {
		t.Errorf("RemoveStaleTemp = %q, want only %s", got, filepath.Base(dead))
	}
	if got, err := os.ReadFile(live.Path()); err != nil || string(got) != data {
		t.Errorf("the running build's .netrc = %q, %v", got, err)
	}
}
