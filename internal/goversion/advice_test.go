package goversion

import (
	"errors"
	"strings"
	"testing"
)

func TestChooseTooOld(t *testing.T) {
	tests := []struct {
		name    string
		in      Inputs
		version string
		msg     string
		fix     string
	}{
		{
			"comment", Inputs{File: "go.mod", Comment: "go1.10", CommentLine: 3, GoDirective: "1.12", GoLine: 5, Default: "1.27"},
			"go1.10", "go1.10 (from the +heroku goVersion comment in go.mod:3) is older than go1.11, the first Go with modules, so it cannot build a go.mod",
			"change go.mod:3 to `// +heroku goVersion 1.27`",
		},
		{
			"config var", Inputs{File: "go.mod", ConfigVar: "1.9.7", Default: "1.27"},
			"go1.9.7", "go1.9.7 (from the GOVERSION config var: 1.9.7) is older than go1.11",
			"run `heroku config:set GOVERSION=1.27`",
		},
		{
			"go line", Inputs{File: "go.mod", GoDirective: "1.10", GoLine: 3, Default: "1.27"},
			"go1.10", "go1.10 (from the go directive in go.mod: go 1.10) is older than go1.11",
			"run `go mod edit -go=1.27 && go mod tidy` (it rewrites go.mod:3, `go 1.10`)",
		},
		{
			"toolchain line", Inputs{File: "go.mod", Toolchain: "go1.10.8", ToolchainLine: 4, Default: "1.27"},
			"go1.10.8", "go1.10.8 (from the toolchain directive in go.mod: toolchain go1.10.8) is older than go1.11",
			"run `go mod edit -toolchain=none` to remove go.mod:4 (`toolchain go1.10.8`)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Choose(tt.in)
			var old *TooOldError
			if !errors.As(err, &old) {
				t.Fatalf("Choose = %+v, %v; want *TooOldError", r, err)
			}
			if old.Version != tt.version {
				t.Errorf("Version = %q, want %q", old.Version, tt.version)
			}
			if !strings.HasPrefix(err.Error(), tt.msg) {
				t.Errorf("error = %q\nwant prefix %q", err, tt.msg)
			}
			if !strings.Contains(old.Fix(), tt.fix) {
				t.Errorf("Fix() = %q\nwant it to contain %q", old.Fix(), tt.fix)
			}
		})
	}
	// go1.11 itself has modules.
	if _, err := Choose(Inputs{File: "go.mod", Comment: "1.11", CommentLine: 2, Default: "1.27"}); err != nil {
		t.Errorf("Choose(1.11): %v", err)
	}
}

func TestOlderThanGoDirectiveOnlyWhereEnforced(t *testing.T) {
	tests := []struct {
		v, goDirective string
		want           bool
	}{
		{"go1.16rc1", "1.16", false},   // +heroku goVersion 1.16rc1 with go 1.16
		{"go1.12.17", "1.16", false},   // an older Go builds a pre-1.21 go line
		{"go1.19.13", "1.20.5", false}, // go 1.20.5 sets no minimum either
		{"go1.20.14", "1.21", true},
		{"go1.21.13", "1.21.0", false},
		{"go1.21rc2", "1.21.0", true},
		{"go1.22.12", "1.23", true},
	}
	for _, tt := range tests {
		if got := OlderThanGoDirective(tt.v, tt.goDirective); got != tt.want {
			t.Errorf("OlderThanGoDirective(%q, %q) = %v, want %v", tt.v, tt.goDirective, got, tt.want)
		}
	}
}

func TestAdvice(t *testing.T) {
	tests := []struct {
		req    Request
		target string
		want   string
	}{
		{Request{Origin: FromConfigVar, Setting: "1.20"}, "1.27", "run `heroku config:set GOVERSION=1.27`"},
		{Request{Origin: FromConfigVar, Setting: "1.20"}, "go1.27.4", "run `heroku config:set GOVERSION=1.27`"},
		{Request{Origin: FromComment, File: "go.mod", Line: 7, Setting: "1.20"}, "go1.27", "change go.mod:7 to `// +heroku goVersion 1.27`"},
		{Request{Origin: FromToolchain, File: "go.mod", Line: 5, Setting: "go1.21.6"}, "go1.27.4", "run `go mod edit -toolchain=go1.27.4` (it rewrites go.mod:5, `toolchain go1.21.6`)"},
		{Request{Origin: FromToolchain, File: "go.work", Line: 5, Setting: "go1.21.6"}, "go1.27.4", "run `go work edit -toolchain=go1.27.4`"},
		{Request{Origin: FromGoLine, File: "go.mod", Line: 3, Setting: "1.20"}, "1.27", "run `go mod edit -go=1.27 && go mod tidy` (it rewrites go.mod:3, `go 1.20`), and commit the result"},
		{Request{Origin: FromGoLine, File: "services/api/go.mod", Line: 3, Setting: "1.20"}, "1.27", "(it rewrites services/api/go.mod:3, `go 1.20`)"},
		{Request{Origin: FromGoLine, File: "go.work", Line: 1, Setting: "1.20"}, "1.27", "run `go work edit -go=1.27` (it rewrites go.work:1"},
		{Request{Origin: FromDefault, File: "go.mod"}, "1.27", "run `heroku config:set GOVERSION=1.27`, or give go.mod a go directive (`go mod edit -go=1.27`)"},
	}
	for _, tt := range tests {
		if got := tt.req.Advice(tt.target); !strings.Contains(got, tt.want) {
			t.Errorf("%+v.Advice(%q) = %q\nwant it to contain %q", tt.req, tt.target, got, tt.want)
		}
	}
}

func TestSupportedLines(t *testing.T) {
	tests := []struct {
		available []string
		want      string
	}{
		{liveList, "go1.27 go1.26"},
		{append([]string{"go1.28rc1"}, liveList...), "go1.27 go1.26"}, // a release candidate is not a supported line
		{[]string{"go1.22.1", "go1.21.0", "go1.22.0", "go1.20", "junk"}, "go1.22 go1.21"},
		{[]string{"go1.22.1"}, "go1.22"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(SupportedLines(tt.available), " "); got != tt.want {
			t.Errorf("SupportedLines(%v) = %q, want %q", tt.available, got, tt.want)
		}
	}
}

func TestUnsupported(t *testing.T) {
	tests := []struct {
		v    string
		want bool
	}{
		{"go1.27.4", false},
		{"go1.26.0", false},
		{"go1.26rc1", false},
		{"go1.28rc1", false},
		{"go1.25.14", true},
		{"go1.12.17", true},
		{"go1.20", true},
		{"junk", false},
	}
	for _, tt := range tests {
		if got := Unsupported(tt.v, liveList); got != tt.want {
			t.Errorf("Unsupported(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
	// A list with one line cannot tell which lines are supported.
	if Unsupported("go1.12.17", []string{"go1.27.4"}) {
		t.Errorf("Unsupported with a one-line list = true, want false")
	}
}

func TestUnsupportedWarning(t *testing.T) {
	tests := []struct {
		name string
		in   Inputs
		want string
	}{
		{"go line", Inputs{File: "go.mod", GoDirective: "1.12", GoLine: 3, Default: "1.27"},
			"go1.12.17 is no longer supported by the Go team: it gets no security fixes (supported: go1.27 and go1.26). To move forward, run `go mod edit -go=1.27 && go mod tidy` (it rewrites go.mod:3, `go 1.12`), and commit the result."},
		{"toolchain line", Inputs{File: "go.mod", Toolchain: "go1.21.6", ToolchainLine: 5, GoDirective: "1.21", GoLine: 3, Default: "1.27"},
			"go1.21.6 is no longer supported by the Go team: it gets no security fixes (supported: go1.27 and go1.26). To move forward, run `go mod edit -toolchain=go1.27.4` (it rewrites go.mod:5, `toolchain go1.21.6`)."},
		{"comment", Inputs{File: "go.mod", Comment: "1.16", CommentLine: 2, Default: "1.27"},
			"To move forward, change go.mod:2 to `// +heroku goVersion 1.27`."},
		{"config var", Inputs{File: "go.mod", ConfigVar: "~1.17", Default: "1.27"},
			"go1.17.13 is no longer supported by the Go team: it gets no security fixes (supported: go1.27 and go1.26). To move forward, run `heroku config:set GOVERSION=1.27`."},
		{"supported", Inputs{File: "go.mod", GoDirective: "1.26", GoLine: 3, Default: "1.27"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := Choose(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			v, err := Resolve(req, liveList)
			if err != nil {
				t.Fatal(err)
			}
			got := UnsupportedWarning(v, req, liveList)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("UnsupportedWarning(%s) = %q\nwant %q", v, got, tt.want)
			}
		})
	}
}

func TestNearest(t *testing.T) {
	tests := []struct {
		v, lower, higher string
	}{
		{"go1.16rc1", "go1.15.15", "go1.16.3"},
		{"go1.22.1", "go1.22.0", "go1.22.2"},
		{"go1.22.99", "go1.22.12", "go1.23.0"},
		{"go1.20rc1", "go1.19.13", "go1.20"},
		{"go1.99.0", "go1.27.4", ""},
		{"go1.2.1", "", "go1.2.2"},
	}
	for _, tt := range tests {
		lower, higher := Nearest(tt.v, liveList)
		if lower != tt.lower || higher != tt.higher {
			t.Errorf("Nearest(%s) = %q, %q; want %q, %q", tt.v, lower, higher, tt.lower, tt.higher)
		}
	}
}

func TestNotAvailable(t *testing.T) {
	req, err := Choose(Inputs{File: "go.mod", Comment: "1.16rc1", CommentLine: 3, GoDirective: "1.16", GoLine: 5, Default: "1.27"})
	if err != nil {
		t.Fatal(err)
	}
	e := NotAvailable(req.Version, req, liveList)
	e.Proxy, e.Platform = "https://proxy.golang.org", "linux/amd64"
	want := "go1.16rc1 (from the +heroku goVersion comment in go.mod:3) is not available from GOPROXY=https://proxy.golang.org for linux/amd64; the nearest releases that are: go1.15.15 and go1.16.3"
	if e.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", e.Error(), want)
	}
	if want := "The newest go1.16 release is go1.16.15; ask for the line to always get its newest release: change go.mod:3 to `// +heroku goVersion 1.16`."; e.Fix() != want {
		t.Errorf("Fix() = %q\nwant    %q", e.Fix(), want)
	}

	req, _ = Choose(Inputs{File: "go.mod", ConfigVar: "go1.99.1", Default: "1.27"})
	e = NotAvailable(req.Version, req, liveList)
	if want := "go1.99.1 (from the GOVERSION config var: go1.99.1) is not available; the newest release that is: go1.27.4"; e.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", e.Error(), want)
	}
	if want := "Ask for a release the proxy has: run `heroku config:set GOVERSION=1.27`."; e.Fix() != want {
		t.Errorf("Fix() = %q\nwant    %q", e.Fix(), want)
	}
}
