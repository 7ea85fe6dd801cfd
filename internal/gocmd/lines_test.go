package gocmd_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings/settingstest"
)

// lines returns the command lines of release for an app with the config
// vars, in the given phase, at /app.
func lines(t *testing.T, phase settings.Phase, release string, app, vars map[string]string) *gocmd.Lines {
	t.Helper()
	s := settingstest.Read(t, phase, app, vars)
	s.App = &appdir.App{Root: s.App.Root, Dir: "/app", Rel: ".", Mod: s.App.Mod, WorkPath: s.App.WorkPath}
	return &gocmd.Lines{Settings: s, Release: release, GOROOT: "/tc", GOCACHE: "/c/gocache", GOMODCACHE: "/c/modcache", GOPATH: "/c/gopath"}
}

// env returns the variables of an environment.
func env(kvs []string) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

var bins = []gocmd.Binary{{Name: "web", Package: "example.com/app/cmd/web"}, {Name: "worker", Package: "example.com/app/cmd/worker"}}

// TestLinesPerRelease: every go command line the buildpack runs, for each
// Go release whose go command differs, from the same config vars.
func TestLinesPerRelease(t *testing.T) {
	vars := map[string]string{
		"GOFLAGS":          "-tags=custom -v",
		"GO_BUILD_FLAGS":   "-race -tags=extra",
		"GO_LINKER_SYMBOL": "main.version",
		"GO_LINKER_VALUE":  "v1",
		"GOPROXY":          "https://u:s3cret@a.example.com|https://b.example.com",
	}
	ld := "-ldflags=-s -w -X main.version=v1"
	tests := []struct {
		release   string
		list      []string
		build     [][]string
		test      []string
		goproxy   string
		modules   string // GO111MODULE
		noteAbout string
	}{
		{
			release: "go1.11.13",
			list:    []string{"list", "-deps", "-tags=heroku custom extra", "-race", "-f", "F", "./..."},
			build: [][]string{
				{"build", "-tags=heroku custom extra", ld, "-race", "-o", "bin/web", "example.com/app/cmd/web"},
				{"build", "-tags=heroku custom extra", ld, "-race", "-o", "bin/worker", "example.com/app/cmd/worker"},
			},
			test:      []string{"test", "-json", "-timeout=30m", "-tags=heroku custom extra", "-race", "./..."},
			goproxy:   "https://u:s3cret@a.example.com",
			modules:   "on",
			noteAbout: "go1.11.13 takes a single GOPROXY URL: using the first entry of the list, https://xxxxx@a.example.com",
		},
		{
			release:   "go1.12.17",
			list:      []string{"list", "-deps", "-tags=heroku custom extra", "-race", "-f", "F", "./..."},
			build:     [][]string{{"build", "-tags=heroku custom extra", ld, "-race", "-o", "bin/web", "example.com/app/cmd/web"}, {"build", "-tags=heroku custom extra", ld, "-race", "-o", "bin/worker", "example.com/app/cmd/worker"}},
			test:      []string{"test", "-json", "-timeout=30m", "-tags=heroku custom extra", "-race", "./..."},
			goproxy:   "https://u:s3cret@a.example.com",
			modules:   "on",
			noteAbout: "takes a single GOPROXY URL",
		},
		{
			release:   "go1.13.15",
			list:      []string{"list", "-deps", "-tags=heroku,custom,extra", "-race", "-f", "F", "./..."},
			build:     [][]string{{"build", "-trimpath", "-tags=heroku,custom,extra", ld, "-race", "-o", "bin/", "example.com/app/cmd/web", "example.com/app/cmd/worker"}},
			test:      []string{"test", "-json", "-trimpath", "-timeout=30m", "-tags=heroku,custom,extra", "-race", "./..."},
			goproxy:   "https://u:s3cret@a.example.com,https://b.example.com",
			modules:   "on",
			noteAbout: `go1.13.15 does not know "|" in GOPROXY`,
		},
		{
			release: "go1.15.15",
			list:    []string{"list", "-deps", "-tags=heroku,custom,extra", "-race", "-f", "F", "./..."},
			build:   [][]string{{"build", "-trimpath", "-tags=heroku,custom,extra", ld, "-race", "-o", "bin/", "example.com/app/cmd/web", "example.com/app/cmd/worker"}},
			test:    []string{"test", "-json", "-trimpath", "-timeout=30m", "-tags=heroku,custom,extra", "-race", "./..."},
			goproxy: "https://u:s3cret@a.example.com|https://b.example.com",
			modules: "on",
		},
		{
			release: "go1.16.15",
			list:    []string{"list", "-deps", "-tags=heroku,custom,extra", "-race", "-f", "F", "./..."},
			build:   [][]string{{"build", "-trimpath", "-tags=heroku,custom,extra", ld, "-race", "-o", "bin/", "example.com/app/cmd/web", "example.com/app/cmd/worker"}},
			test:    []string{"test", "-json", "-trimpath", "-timeout=30m", "-tags=heroku,custom,extra", "-race", "./..."},
			goproxy: "https://u:s3cret@a.example.com|https://b.example.com",
		},
		{
			release: "go1.22.12",
			list:    []string{"list", "-deps", "-tags=heroku,custom,extra", "-race", "-f", "F", "./..."},
			build:   [][]string{{"build", "-trimpath", "-buildvcs=false", "-tags=heroku,custom,extra", ld, "-race", "-o", "bin/", "example.com/app/cmd/web", "example.com/app/cmd/worker"}},
			test:    []string{"test", "-json", "-trimpath", "-timeout=30m", "-tags=heroku,custom,extra", "-race", "./..."},
			goproxy: "https://u:s3cret@a.example.com|https://b.example.com",
		},
	}
	for _, tt := range tests {
		t.Run(tt.release, func(t *testing.T) {
			l := lines(t, settings.Compile, tt.release, nil, vars)
			list := l.List("F", []string{"./..."})
			if !reflect.DeepEqual(list.Args, tt.list) {
				t.Errorf("List =\n%q\nwant\n%q", list.Args, tt.list)
			}
			var build [][]string
			for _, b := range l.Build("bin", bins) {
				build = append(build, b.Args)
			}
			if !reflect.DeepEqual(build, tt.build) {
				t.Errorf("Build =\n%q\nwant\n%q", build, tt.build)
			}
			if test := l.Test([]string{"./..."}, false); !reflect.DeepEqual(test.Args, tt.test) {
				t.Errorf("Test =\n%q\nwant\n%q", test.Args, tt.test)
			}
			if md := l.ModDownload(); !reflect.DeepEqual(md.Args, []string{"mod", "download"}) {
				t.Errorf("ModDownload = %q", md.Args)
			}
			for name, e := range map[string][]string{"Env": l.Env(), "AppEnv": l.AppEnv(), "List": list.Env, "Test": l.Test(nil, false).Env, "Build": l.Build("bin", bins)[0].Env} {
				vs := env(e)
				if vs["GOPROXY"] != tt.goproxy || vs["GO111MODULE"] != tt.modules || vs["GOFLAGS"] != "-v" || vs["GOTOOLCHAIN"] != "local" || vs["GOWORK"] != "off" {
					t.Errorf("%s: GOPROXY=%q GO111MODULE=%q GOFLAGS=%q GOTOOLCHAIN=%q GOWORK=%q; want GOPROXY=%q GO111MODULE=%q",
						name, vs["GOPROXY"], vs["GO111MODULE"], vs["GOFLAGS"], vs["GOTOOLCHAIN"], vs["GOWORK"], tt.goproxy, tt.modules)
				}
				if want := map[string]string{"List": "1"}[name]; want == "" && vs["CGO_ENABLED"] != "0" || want != "" && vs["CGO_ENABLED"] != want {
					t.Errorf("%s: CGO_ENABLED=%q", name, vs["CGO_ENABLED"])
				}
			}
			notes := l.Notes()
			if tt.noteAbout == "" && len(notes) != 0 || tt.noteAbout != "" && (len(notes) != 1 || !strings.Contains(notes[0], tt.noteAbout)) {
				t.Errorf("Notes = %q, want one about %q", notes, tt.noteAbout)
			}
			if strings.Contains(strings.Join(notes, ""), "s3cret") {
				t.Errorf("a note shows the password: %q", notes)
			}
		})
	}
}

// TestLinesAgree: the commands that load packages get the same -mod and
// tags, wherever they come from.
func TestLinesAgree(t *testing.T) {
	vendored := map[string]string{"go.mod": settingstest.GoMod, "vendor/modules.txt": "# example.com/x v1.0.0\n"}
	tests := []struct {
		name string
		app  map[string]string
		vars map[string]string
		want []string // in every command line
		not  string   // in none
	}{
		{"vendored", vendored, nil, []string{"-mod=vendor", "-tags=heroku"}, ""},
		{"-mod from GO_BUILD_FLAGS", vendored, map[string]string{"GO_BUILD_FLAGS": "-mod=mod"}, []string{"-mod=mod"}, "-mod=vendor"},
		{"-mod as two words", vendored, map[string]string{"GO_BUILD_FLAGS": "-mod mod"}, []string{"-mod", "mod"}, "-mod=vendor"},
		{"-mod from GOFLAGS", vendored, map[string]string{"GOFLAGS": "-mod=mod"}, nil, "-mod=vendor"},
		{"tags from GOFLAGS", nil, map[string]string{"GOFLAGS": "-tags=extra"}, []string{"-tags=heroku,extra"}, ""},
		{"tags from GO_BUILD_FLAGS", nil, map[string]string{"GO_BUILD_FLAGS": "-tags extra"}, []string{"-tags=heroku,extra"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lines(t, settings.Compile, "go1.22.12", tt.app, tt.vars)
			all := map[string][]string{
				"list":  l.List("F", []string{"./..."}).Args,
				"build": l.Build("bin", bins)[0].Args,
				"test":  l.Test([]string{"./..."}, false).Args,
			}
			for cmd, args := range all {
				for _, w := range tt.want {
					if !contains(args, w) {
						t.Errorf("go %s has no %s: %q", cmd, w, args)
					}
				}
				if tt.not != "" && contains(args, tt.not) {
					t.Errorf("go %s has %s: %q", cmd, tt.not, args)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestLinesEnv: the environment of the go command, the hooks and the
// tests.
func TestLinesEnv(t *testing.T) {
	vars := map[string]string{
		"GOFLAGS":      "-mod=mod -tags=x",
		"DATABASE_URL": "postgres://db",
		"GOPATH":       "/mine",        // ignored: the buildpack sets it
		"LD_PRELOAD":   "/evil.so",     // never exported
		"GOPROXY_NOTE": "not a Go var", // an app var with a Go-like name
	}
	l := lines(t, settings.Compile, "go1.22.12", nil, vars)
	l.GOBIN = "/build/bin"
	goEnv, appEnv := env(l.Env()), env(l.AppEnv())
	for k, want := range map[string]string{
		"GOROOT": "", "GOCACHE": "/c/gocache", "GOMODCACHE": "/c/modcache", "GOPATH": "/c/gopath", "GOBIN": "/build/bin",
		"GOFLAGS": "-mod=mod", "CGO_ENABLED": "0", "GOWORK": "off", "GOTOOLCHAIN": "local", "GOENV": "off",
	} {
		if goEnv[k] != want || appEnv[k] != want {
			t.Errorf("%s = %q (go), %q (app); want %q", k, goEnv[k], appEnv[k], want)
		}
	}
	if !strings.HasPrefix(goEnv["PATH"], "/tc/bin:/build/bin:") {
		t.Errorf("PATH = %q, want the toolchain's bin, then GOBIN, first", goEnv["PATH"])
	}
	if _, ok := goEnv["DATABASE_URL"]; ok {
		t.Errorf("the go command's environment has the app's DATABASE_URL")
	}
	if appEnv["DATABASE_URL"] != "postgres://db" || appEnv["GOPROXY_NOTE"] != "not a Go var" {
		t.Errorf("the app's code does not see its config vars: %v", appEnv)
	}
	if _, ok := appEnv["LD_PRELOAD"]; ok {
		t.Errorf("LD_PRELOAD reached the app's code")
	}

	// A workspace, and the private HOME with the credentials.
	l.Settings.App.WorkPath = "/app/go.work"
	l.Home = &netrc.Home{Dir: "/tmp/home"}
	if e := env(l.Env()); e["GOWORK"] != "/app/go.work" || e["HOME"] != "/tmp/home" || e["NETRC"] != "/tmp/home/.netrc" {
		t.Errorf("GOWORK=%q HOME=%q NETRC=%q", e["GOWORK"], e["HOME"], e["NETRC"])
	}

	// ${build_dir} in a cgo setting is the build directory.
	c := lines(t, settings.Compile, "go1.22.12", nil, map[string]string{"CGO_CFLAGS": "-I${build_dir}/include -O2"})
	if got, want := env(c.Env())["CGO_CFLAGS"], "-I"+c.Settings.App.Root+"/include -O2"; got != want {
		t.Errorf("CGO_CFLAGS = %q, want %q", got, want)
	}
}

// TestLinesTestProxy: Heroku CI's tests fetch modules from the proxy
// only, unless GOPROXY says otherwise; a build gets the go command's
// default.
func TestLinesTestProxy(t *testing.T) {
	for _, tt := range []struct {
		phase settings.Phase
		vars  map[string]string
		want  string
	}{
		{settings.Compile, nil, ""},
		{settings.Test, nil, "https://proxy.golang.org"},
		{settings.Test, map[string]string{"GOPROXY": "https://goproxy.example.com"}, "https://goproxy.example.com"},
	} {
		l := lines(t, tt.phase, "go1.22.12", nil, tt.vars)
		if got := env(l.Test(nil, false).Env)["GOPROXY"]; got != tt.want {
			t.Errorf("phase %d, vars %v: GOPROXY = %q, want %q", tt.phase, tt.vars, got, tt.want)
		}
	}
}

// TestLoggedBuildLine: the build's own command line, from config vars
// that hold values, shows none of them.
func TestLoggedBuildLine(t *testing.T) {
	l := lines(t, settings.Compile, "go1.26.0", nil, map[string]string{
		"GO_LINKER_SYMBOL": "main.version", "GO_LINKER_VALUE": "tok-1 2",
		"GO_BUILD_FLAGS": "-race '-ldflags=-X main.key=tok-3'",
		"GOFLAGS":        "'-ldflags=-X main.other=tok-4'",
	})
	got := gocmd.LoggedArgs(l.Build("bin", bins[:1])[0].Args)
	if want := "build -trimpath -buildvcs=false -tags=heroku '-ldflags=-s -w -X main.version=… -X main.other=… -X main.key=…' -race -o bin/ example.com/app/cmd/web"; got != want {
		t.Errorf("LoggedArgs =\n%s\nwant\n%s", got, want)
	}
}

// TestLinesCheckFlags: a flag the release does not know is an error
// naming the config var.
func TestLinesCheckFlags(t *testing.T) {
	for _, tt := range []struct {
		release string
		vars    map[string]string
		want    string
	}{
		{"go1.12.17", map[string]string{"GO_BUILD_FLAGS": "-trimpath"}, "GO_BUILD_FLAGS config var: -trimpath is not a flag of go1.12.17 (it appeared in go1.13)"},
		{"go1.17.13", map[string]string{"GOFLAGS": "-buildvcs=false"}, "GOFLAGS config var: -buildvcs=false is not a flag of go1.17.13"},
		{"go1.22.12", map[string]string{"GOFLAGS": "-buildvcs=false", "GO_BUILD_FLAGS": "-trimpath"}, ""},
	} {
		err := lines(t, settings.Compile, tt.release, nil, tt.vars).CheckFlags()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s %v: CheckFlags = %v, want %q", tt.release, tt.vars, err, tt.want)
		}
	}
}

func TestHasVCS(t *testing.T) {
	dir := t.TempDir()
	if gocmd.HasVCS(dir) {
		t.Errorf("HasVCS without .git = true")
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := exec.LookPath("git")
	if got := gocmd.HasVCS(dir); got != (err == nil) {
		t.Errorf("HasVCS with .git = %v, git installed: %v", got, err == nil)
	}
	l := lines(t, settings.Compile, "go1.22.12", nil, nil)
	l.VCS = true
	if args := l.Build("bin", bins)[0].Args; !contains(args, "-buildvcs=auto") {
		t.Errorf("Build with VCS = %q, want -buildvcs=auto", args)
	}
}
