package procfile

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// FuzzCheck checks that no Procfile makes parsing or checking panic, and
// that every warning names a line of the file and holds no character a
// terminal acts on.
func FuzzCheck(f *testing.F) {
	f.Add("web: ./app\nworker: bin/worker --verbose\n")
	f.Add("\ufeffweb:go run main.go\r\nweb: ./server\n# comment\n\nWeb: app\n")
	f.Add("web: FOO=1 exec env ./app && bin/x || go build .; ./$(echo y)")
	f.Add(":\n::\nweb:\n")
	f.Fuzz(func(t *testing.T, data string) {
		pf := Parse([]byte(data))
		app := fstest.MapFS{
			"Procfile": {Data: []byte(data)},
			"app":      {Data: []byte("\x7fELF"), Mode: 0o755},
			"bin/web":  {Data: []byte("\x7fELF"), Mode: 0o755},
		}
		for _, w := range Check(pf, Env{App: app, Binaries: []string{"app", "bin/web"}}) {
			if !strings.HasPrefix(w.String(), "Procfile") {
				t.Fatalf("warning %q does not name the Procfile", w)
			}
			if s := w.String(); output.Escape(s) != s {
				t.Fatalf("warning %q holds control characters", s)
			}
		}
		for typ, cmd := range pf.Commands() {
			if e, ok := pf.Lookup(typ); !ok || e.Command != cmd {
				t.Fatalf("Commands()[%q] = %q, Lookup = %+v, %v", typ, cmd, e, ok)
			}
		}
	})
}
