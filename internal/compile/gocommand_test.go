package compile

import (
	"reflect"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/appdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/config"
	"github.com/gobuildpack/heroku-buildpack-go/internal/envdir"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/netrc"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// TestGoEnvSettings checks the one description of the environment the
// build, its hooks and Heroku CI's tests run in.
func TestGoEnvSettings(t *testing.T) {
	vars := envdir.Vars{
		"GOFLAGS":      "-mod=mod -tags=x",
		"DATABASE_URL": "postgres://db",
		"GOPATH":       "/mine",        // ignored: the buildpack sets it
		"LD_PRELOAD":   "/evil.so",     // never exported
		"GO_NETRC":     "machine x",    // the app's own var, seen by its code
		"GOPROXY_NOTE": "not a Go var", // an app var with a Go-like name
	}
	cfg, err := config.ParseConfig(vars, "")
	if err != nil {
		t.Fatal(err)
	}
	base := GoEnv{
		Toolchain:  toolchain.Toolchain{Root: "/tc"},
		GOCACHE:    "/c/gocache",
		GOMODCACHE: "/c/modcache",
		GOPATH:     "/c/gopath",
		Config:     cfg,
		Vars:       vars,
		App:        &appdir.App{Dir: "/app"},
	}
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
				App:  []string{"DATABASE_URL=postgres://db", "GOFLAGS=-mod=mod -tags=x", "GOPROXY_NOTE=not a Go var", "GO_NETRC=machine x"},
				Vars: map[string]string{"GOFLAGS": "-mod=mod", "CGO_ENABLED": "0", "GOWORK": "off"},
			},
		},
		{
			name: "tests with a workspace, credentials and a default proxy",
			env: func() GoEnv {
				e := base
				e.App = &appdir.App{Dir: "/app", WorkPath: "/app/go.work"}
				e.Home = &netrc.Home{Dir: "/tmp/home"}
				e.DefaultProxy = "https://proxy.golang.org"
				return e
			}(),
			want: gocmd.Settings{
				GOROOT: "/tc", GOCACHE: "/c/gocache", GOMODCACHE: "/c/modcache", GOPATH: "/c/gopath",
				App: []string{"DATABASE_URL=postgres://db", "GOFLAGS=-mod=mod -tags=x", "GOPROXY_NOTE=not a Go var", "GO_NETRC=machine x"},
				Vars: map[string]string{"GOFLAGS": "-mod=mod", "CGO_ENABLED": "0", "GOWORK": "/app/go.work",
					"GOPROXY": "https://proxy.golang.org", "HOME": "/tmp/home", "NETRC": "/tmp/home/.netrc"},
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
	// A GOPROXY config var wins over the default.
	e := base
	e.Vars = envdir.Vars{"GOPROXY": "https://goproxy.example.com"}
	e.Config, _ = config.ParseConfig(e.Vars, "")
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
