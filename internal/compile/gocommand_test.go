package compile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings/settingstest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// TestGoEnvSettings checks the one description of the environment the
// build, its hooks and Heroku CI's tests run in.
func TestGoEnvSettings(t *testing.T) {
	vars := map[string]string{
		"GOFLAGS":      "-mod=mod -tags=x",
		"DATABASE_URL": "postgres://db",
		"GOPATH":       "/mine",                        // ignored: the buildpack sets it
		"LD_PRELOAD":   "/evil.so",                     // never exported
		"GO_NETRC":     "machine x login u password p", // the app's own var, seen by its code
		"GOPROXY_NOTE": "not a Go var",                 // an app var with a Go-like name
	}
	read := func(vars map[string]string) *settings.Settings {
		s := settingstest.Read(t, settings.Compile, nil, vars)
		s.App = &appdir.App{Root: s.App.Root, Dir: "/app"}
		return s
	}
	base := GoEnv{
		Toolchain:  toolchain.Toolchain{Root: "/tc", Version: "go1.22.12"},
		GOCACHE:    "/c/gocache",
		GOMODCACHE: "/c/modcache",
		GOPATH:     "/c/gopath",
		Config:     read(vars),
	}
	appVars := []string{"DATABASE_URL=postgres://db", "GOFLAGS=-mod=mod -tags=x", "GOPROXY_NOTE=not a Go var", "GO_NETRC=machine x login u password p"}
	tests := []struct {
		name string
		env  GoEnv
		want gocmd.Settings
	}{
		{
			name: "build",
			env:  base,
			want: gocmd.Settings{
				GOROOT: "/tc", GOCACHE: "/c/gocache", GOMODCACHE: "/c/modcache", GOPATH: "/c/gopath",
				App:  appVars,
				Vars: map[string]string{"GOFLAGS": "-mod=mod", "CGO_ENABLED": "0", "GOWORK": "off"},
			},
		},
		{
			name: "tests with a workspace, credentials and a default proxy",
			env: func() GoEnv {
				e := base
				s := *e.Config
				s.App = &appdir.App{Dir: "/app", WorkPath: "/app/go.work"}
				e.Config = &s
				e.Home = &netrc.Home{Dir: "/tmp/home"}
				e.DefaultProxy = "https://proxy.golang.org"
				return e
			}(),
			want: gocmd.Settings{
				GOROOT: "/tc", GOCACHE: "/c/gocache", GOMODCACHE: "/c/modcache", GOPATH: "/c/gopath",
				App: appVars,
				Vars: map[string]string{"GOFLAGS": "-mod=mod", "CGO_ENABLED": "0", "GOWORK": "/app/go.work",
					"GOPROXY": "https://proxy.golang.org", "HOME": "/tmp/home", "NETRC": "/tmp/home/.netrc"},
			},
		},
		{
			name: "go1.12, which takes one GOPROXY URL and needs GO111MODULE",
			env: func() GoEnv {
				e := base
				e.Toolchain.Version = "go1.12.17"
				return e
			}(),
			want: gocmd.Settings{
				GOROOT: "/tc", GOCACHE: "/c/gocache", GOMODCACHE: "/c/modcache", GOPATH: "/c/gopath",
				App: appVars,
				Vars: map[string]string{"GOFLAGS": "-mod=mod", "CGO_ENABLED": "0", "GOWORK": "off",
					"GO111MODULE": "on", "GOPROXY": "https://proxy.golang.org"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.env.Settings()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Settings() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
	// go1.12 gets the first proxy of a GOPROXY list, and a note says so.
	e12 := base
	e12.Toolchain.Version = "go1.12.17"
	e12.Config = read(map[string]string{"GOPROXY": "https://goproxy.example.com,https://proxy.golang.org,direct"})
	if got := e12.Settings().Vars["GOPROXY"]; got != "https://goproxy.example.com" {
		t.Errorf("go1.12 GOPROXY = %q, want the first proxy", got)
	}
	if notes := e12.Notes(); len(notes) != 1 || !strings.Contains(notes[0], "takes a single GOPROXY URL") {
		t.Errorf("go1.12 notes = %q", notes)
	}
	// ${build_dir} in a cgo setting is the build directory.
	ecgo := base
	ecgo.Config = read(map[string]string{"CGO_CFLAGS": "-I${build_dir}/include -O2", "GOFLAGS": "-ldflags=-X=main.v=${build_dir}"})
	if got, want := ecgo.Settings().Vars["CGO_CFLAGS"], "-I"+ecgo.Config.App.Root+"/include -O2"; got != want {
		t.Errorf("CGO_CFLAGS = %q, want %q", got, want)
	}
	// A GOPROXY config var wins over the default.
	e := base
	e.Config = read(map[string]string{"GOPROXY": "https://goproxy.example.com"})
	e.DefaultProxy = "https://proxy.golang.org"
	if got := e.Settings().Vars["GOPROXY"]; got != "https://goproxy.example.com" {
		t.Errorf("GOPROXY = %q, want the config var's", got)
	}
	// The go command itself sees no app config vars.
	for _, kv := range base.Go().Env {
		if kv == "DATABASE_URL=postgres://db" {
			t.Errorf("the go command's environment has the app's DATABASE_URL")
		}
	}
}
