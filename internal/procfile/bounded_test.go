package procfile

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// maxWarning is the most characters a warning may have: its own words
// and a few excerpts of the Procfile.
const maxWarning = 1000

// checkBounded fails when a warning is too long or holds characters a
// terminal acts on.
func checkBounded(t *testing.T, ws []Warning) {
	t.Helper()
	for _, w := range ws {
		s := w.String()
		if n := utf8.RuneCountInString(s); n > maxWarning {
			t.Errorf("warning of %d characters: %.300q…", n, s)
		}
		if output.Escape(s) != s {
			t.Errorf("warning with control characters: %.300q", s)
		}
	}
}

// TestCheckLongLines checks lines as long as Read takes, of every kind
// whose warning quotes the line: each warning quotes an excerpt.
func TestCheckLongLines(t *testing.T) {
	long := strings.Repeat("a", MaxSize-100)
	app := fstest.MapFS{"app": {Mode: 0o755}}
	for _, line := range []string{
		" web: ./app " + long,           // leading whitespace: write `...`
		"web ./app " + long,             // no colon: write `web: ...`
		"web: go run " + long,           // go run
		"Web: ./app " + long,            // not web: write `web: ...`
		long + ": ./server",             // a long process type
		long + " x: ./app",              // not a process type
		"web: ./" + long,                // a program the build did not produce
		"web: " + long,                  // a program not on PATH
		"web: ./app\x1b[2J\r",           // control characters
		"w\x1beb: ./app",                // not a process type, with ESC
		"web: ./app \xff" + long + "\r", // not UTF-8
	} {
		f := Parse([]byte(line + "\n"))
		ws := Check(f, Env{App: app, Binaries: []string{"app"}, HasCommand: func(string) bool { return false }})
		if len(ws) == 0 {
			t.Errorf("Check(%.40q…) = no warning, want one", line)
		}
		checkBounded(t, ws)
	}
}

// TestShown: the log shows the warnings of the first lines with problems
// and counts the rest.
func TestShown(t *testing.T) {
	var b strings.Builder
	for i := range 100000 {
		fmt.Fprintf(&b, "x%d\n", i)
	}
	f := Parse([]byte(b.String() + "Web: go run .\n"))
	ws := Check(f, Env{})
	if len(ws) != 100002 {
		t.Fatalf("Check found %d warnings, want 100002", len(ws))
	}
	shown := Shown(append(Misnamed(fstest.MapFS{"Procfile.txt": {}}), ws...))
	want := []string{"Procfile.txt: Heroku reads process types only from a file named exactly Procfile"}
	for i := range output.MaxListed {
		want = append(want, fmt.Sprintf("Procfile:%d: Heroku ignores this line", i+1))
	}
	want = append(want, "Procfile: 99991 more lines have problems; fix the ones above, then build again to see the next")
	if len(shown) != len(want) {
		t.Fatalf("Shown = %d warnings:\n%s\nwant %d", len(shown), lines(shown), len(want))
	}
	for i, w := range shown {
		if !strings.HasPrefix(w.String(), want[i]) {
			t.Errorf("Shown[%d] = %q, want it to start with %q", i, w, want[i])
		}
	}
	checkBounded(t, shown)
}

func TestShownFew(t *testing.T) {
	// Two warnings on one line count as one line with problems.
	var b strings.Builder
	b.WriteString("web: go run . && ./server\n")
	for i := range output.MaxListed {
		fmt.Fprintf(&b, "x%d\n", i)
	}
	ws := Check(Parse([]byte(b.String())), Env{App: fstest.MapFS{}})
	if got := Shown(ws); len(got) != len(ws) || got[len(got)-2] != ws[len(ws)-2] || !strings.HasPrefix(got[len(got)-1].String(), "Procfile: 1 more line has problems;") {
		t.Errorf("Shown of %d warnings on 11 lines =\n%s", len(ws), lines(got))
	}
	ws = ws[:len(ws)-1]
	if got := Shown(ws); len(got) != len(ws) {
		t.Errorf("Shown of %d warnings on 10 lines =\n%s", len(ws), lines(got))
	}
}

func TestReadBounded(t *testing.T) {
	fits := strings.Repeat("# comment\n", MaxSize/10)
	f, err := Read(fstest.MapFS{"Procfile": {Data: []byte(fits + "web: ./app\n")[:MaxSize]}})
	if err != nil || f == nil {
		t.Errorf("Read of a Procfile of MaxSize bytes = %v, %v; want it read", f, err)
	}
	big := strings.Repeat("x\n", 1_000_000)
	_, err = Read(fstest.MapFS{"Procfile": {Data: []byte(big)}})
	want := fmt.Sprintf("read Procfile: file is 2000000 bytes, larger than the buildpack reads (%d); a Procfile needs a short line per process type", MaxSize)
	if err == nil || err.Error() != want {
		t.Errorf("Read of a 2 MB Procfile = %v, want %q", err, want)
	}
}
