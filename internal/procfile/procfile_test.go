package procfile

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		data string
		want File
	}{
		{
			name: "empty",
			data: "",
			want: File{},
		},
		{
			name: "one entry",
			data: "web: ./app\n",
			want: File{Entries: []Entry{{Line: 1, Type: "web", Command: "./app"}}},
		},
		{
			name: "no space after the colon matches Heroku's pattern",
			data: "web:go run main.go",
			want: File{Entries: []Entry{{Line: 1, Type: "web", Command: "go run main.go"}}},
		},
		{
			name: "comments and blank lines",
			data: "# processes\n\nweb: ./app\n  # indented comment\nworker: ./app -worker\n",
			want: File{Entries: []Entry{
				{Line: 3, Type: "web", Command: "./app"},
				{Line: 5, Type: "worker", Command: "./app -worker"},
			}},
		},
		{
			name: "ignored lines",
			data: "web ./app\n  web: ./app\nweb.1: ./app\nweb:\n",
			want: File{Ignored: []Line{
				{Number: 1, Text: "web ./app"},
				{Number: 2, Text: "  web: ./app"},
				{Number: 3, Text: "web.1: ./app"},
				{Number: 4, Text: "web:"},
			}},
		},
		{
			name: "colon in command",
			data: "clock: ./app -at 10:00",
			want: File{Entries: []Entry{{Line: 1, Type: "clock", Command: "./app -at 10:00"}}},
		},
		{
			name: "CRLF",
			data: "web: ./app\r\nworker: ./worker\r\n",
			want: File{CRLFLine: 1, Entries: []Entry{
				{Line: 1, Type: "web", Command: "./app"},
				{Line: 2, Type: "worker", Command: "./worker"},
			}},
		},
		{
			name: "BOM hides the first line",
			data: "\ufeffweb: ./app\nworker: ./worker\n",
			want: File{BOM: true,
				Ignored: []Line{{Number: 1, Text: "\ufeffweb: ./app"}},
				Entries: []Entry{{Line: 2, Type: "worker", Command: "./worker"}},
			},
		},
		{
			name: "duplicates are kept in order",
			data: "web: ./a\nweb: ./b\n",
			want: File{Entries: []Entry{
				{Line: 1, Type: "web", Command: "./a"},
				{Line: 2, Type: "web", Command: "./b"},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse([]byte(tt.data))
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Parse(%q) =\n%+v\nwant\n%+v", tt.data, *got, tt.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	f := Parse([]byte("web: ./a\nworker: ./w\nweb: ./b\n"))
	if e, ok := f.Lookup("web"); !ok || e.Command != "./b" || e.Line != 3 {
		t.Errorf("Lookup(web) = %+v, %v; want the last line, ./b on line 3", e, ok)
	}
	if _, ok := f.Lookup("clock"); ok {
		t.Errorf("Lookup(clock) found a process type that is not declared")
	}
	if got, want := f.Types(), []string{"web", "worker"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Types() = %v, want %v", got, want)
	}
}

func TestCheck(t *testing.T) {
	app := fstest.MapFS{
		"app":          {Mode: 0o755},
		"bin/worker":   {Mode: 0o755},
		"bin/start.sh": {Mode: 0o644},
		"scripts":      {Mode: 0o755 | 1<<31}, // a directory
		"server":       {Mode: 0o755},
	}
	stack := func(name string) bool { return name == "bash" || name == "sleep" || name == "tee" }
	tests := []struct {
		name     string
		procfile string
		kept     bool
		want     []string // warnings, in order; a prefix of each is enough
	}{
		{
			name:     "good",
			procfile: "web: ./app\nworker: worker -v\nclock: exec env TZ=UTC ./app -clock\n",
		},
		{
			name:     "the article's go run, without a space",
			procfile: "web:go run main.go\n",
			want:     []string{"Procfile:1: web runs `go run main.go`, but the Go toolchain is not in the slug, so the dyno has no go command; the build already compiled the app: use `web: ./app`"},
		},
		{
			name:     "go build then run",
			procfile: "web: go build -o bin/srv . && bin/srv\n",
			want: []string{
				"Procfile:1: web runs `go build -o bin/srv .`, but the Go toolchain is not in the slug",
				"Procfile:1: web runs bin/srv, which the build did not produce; use `web: ./app`",
			},
		},
		{
			name:     "go test with the toolchain kept",
			procfile: "test: go test ./...\n",
			kept:     true,
		},
		{
			name:     "program the build did not produce",
			procfile: "# the web process\nweb: ./server-typo --port $PORT\n",
			want:     []string{"Procfile:2: web runs ./server-typo, which the build did not produce; use `web: ./app`"},
		},
		{
			name:     "paths through HOME and /app",
			procfile: "web: $HOME/app\nworker: /app/bin/worker\nother: /app/bin/nope\n",
			want:     []string{"Procfile:3: other runs /app/bin/nope, which the build did not produce"},
		},
		{
			name:     "not executable and a directory",
			procfile: "release: bin/start.sh\nweb: ./scripts\n",
			want: []string{
				"Procfile:1: release runs bin/start.sh, which is not executable; run `chmod +x bin/start.sh`",
				"Procfile:2: web runs ./scripts, which is a directory",
			},
		},
		{
			name:     "bare names",
			procfile: "web: app\nworker: bash -c 'sleep 1'\nclock: nosuchcommand\nother: cd sub && echo hi; ./app 2>&1 | tee log\n",
			want: []string{
				"Procfile:1: web runs `app`, which is not on the dyno's PATH; the build put it at ./app: write `web: ./app`",
				"Procfile:3: clock runs `nosuchcommand`, which is neither in the slug's bin/ nor a command of the stack",
			},
		},
		{
			name:     "ignored lines say why",
			procfile: "web ./app\n  worker: ./app\nweb server: ./app\nweb:\n: ./app\n",
			want: []string{
				"Procfile:1: Heroku ignores this line: it has no colon after the process type; write `web: ./app`",
				"Procfile:2: Heroku ignores this line: it starts with whitespace; write `worker: ./app` at the start of the line",
				"Procfile:3: Heroku ignores this line: process type \"web server\" may contain only letters, digits, _ and -",
				"Procfile:4: Heroku ignores this line: process type web has no command after the colon",
				"Procfile:5: Heroku ignores this line: it has no process type before the colon",
			},
		},
		{
			name:     "duplicate",
			procfile: "web: ./app\nworker: ./app -w\nweb: ./server\n",
			want:     []string{"Procfile:3: process type web is declared again (first on line 1); Heroku runs this line's command"},
		},
		{
			name:     "Web is not web",
			procfile: "Web: ./app\n",
			want:     []string{"Procfile:1: process type Web is not web: Heroku routes HTTP requests only to a process type named exactly web; write `web: ./app`"},
		},
		{
			name:     "BOM",
			procfile: "\ufeffweb: ./app\n",
			want:     []string{"Procfile:1: the file starts with a UTF-8 byte order mark (BOM), so Heroku does not see the web process type; save the Procfile as UTF-8 without BOM"},
		},
		{
			name:     "CRLF",
			procfile: "# Windows\r\nweb: ./app\r\n",
			want:     []string{"Procfile:1: Windows line endings (CR LF)"},
		},
		{
			name:     "comment after the command",
			procfile: "web: ./app # go run main.go\n",
		},
		{
			name:     "blank command",
			procfile: "web:   \n",
			want:     []string{"Procfile:1: process type web has an empty command"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := Env{App: app, Binaries: []string{"app"}, ToolchainKept: tt.kept, HasCommand: stack}
			got := Check(Parse([]byte(tt.procfile)), env)
			if len(got) != len(tt.want) {
				t.Fatalf("Check(%q) = %d warnings, want %d:\n%s", tt.procfile, len(got), len(tt.want), lines(got))
			}
			for i, w := range got {
				if !strings.HasPrefix(w.String(), tt.want[i]) {
					t.Errorf("warning %d =\n%s\nwant it to start with\n%s", i, w, tt.want[i])
				}
			}
		})
	}
}

func TestMisnamed(t *testing.T) {
	tests := []struct {
		name string
		fs   fstest.MapFS
		want []string
	}{
		{"Procfile", fstest.MapFS{"Procfile": {}}, nil},
		{"none", fstest.MapFS{"main.go": {}}, nil},
		{"lowercase", fstest.MapFS{"procfile": {}}, []string{"procfile: Heroku reads process types only from a file named exactly Procfile; rename it with `git mv procfile Procfile`"}},
		{"txt", fstest.MapFS{"Procfile.txt": {}}, []string{"Procfile.txt: Heroku reads process types only from a file named exactly Procfile; rename it with `git mv Procfile.txt Procfile`"}},
		{"Procfile next to a variant", fstest.MapFS{"Procfile": {}, "Procfile.dev": {}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, w := range Misnamed(tt.fs) {
				got = append(got, w.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Misnamed = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSimpleCommands(t *testing.T) {
	tests := []struct {
		line string
		want [][]string
	}{
		{"./app", [][]string{{"./app"}}},
		{"a && b || c; d | e & f", [][]string{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}, {"f"}}},
		{"./app 2>&1 >log", [][]string{{"./app", "2>&1", ">log"}}},
		{`bash -c 'go run . && x'`, [][]string{{"bash", "-c", "go run . && x"}}},
		{`(cd sub && "./my app")`, [][]string{{"cd", "sub"}, {"./my app"}}},
		{"./app # comment; go run .", [][]string{{"./app"}}},
		{"./app --tag=a#b", [][]string{{"./app", "--tag=a#b"}}},
	}
	for _, tt := range tests {
		if got := simpleCommands(tt.line); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("simpleCommands(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func lines(ws []Warning) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

func TestInSubdirectory(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		dir  string
		want string
	}{
		{"root app", fstest.MapFS{"Procfile": {Data: []byte("web: ./app\n")}}, ".", ""},
		{"no Procfile below", fstest.MapFS{"services/api/go.mod": {}}, "services/api", ""},
		{"only below", fstest.MapFS{"services/api/Procfile": {Data: []byte("web: ./app\n")}}, "services/api",
			"services/api/Procfile: Heroku reads process types only from the Procfile at the root of the repository, not from services/api/Procfile; move it to the root"},
		{"both", fstest.MapFS{"Procfile": {}, "services/api/Procfile": {}}, "services/api",
			"services/api/Procfile: Heroku reads process types only from the root Procfile; services/api/Procfile is not read"},
		{"a directory named Procfile", fstest.MapFS{"services/api/Procfile/x": {}}, "services/api", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := InSubdirectory(tt.fsys, tt.dir)
			switch {
			case tt.want == "" && len(ws) > 0:
				t.Errorf("got %v, want none", ws)
			case tt.want != "" && (len(ws) != 1 || !strings.HasPrefix(ws[0].String(), tt.want)):
				t.Errorf("got %v, want one starting %q", ws, tt.want)
			}
		})
	}
}
