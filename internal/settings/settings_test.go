package settings_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings/settingstest"
)

// TestRead: each config var becomes the typed field that says what it is,
// with its default when it is unset.
func TestRead(t *testing.T) {
	t.Setenv("SOURCE_VERSION", "")
	t.Setenv("STACK", "heroku-24")
	unset := settingstest.Read(t, settings.Compile, nil, nil)
	if unset.GoVersion != "" || unset.Packages != nil || unset.CGO || unset.KeepToolchain || unset.KeepSources || unset.SlugKeep != nil ||
		unset.GOPROXY.Set || len(unset.GOPROXY.Proxies) != 1 || unset.GOPROXY.Proxies[0].URL.String() != "https://proxy.golang.org" ||
		unset.ToolchainProxy == nil || unset.ToolchainProxy.URL.String() != "https://proxy.golang.org" ||
		!reflect.DeepEqual(unset.Tags, []string{"heroku"}) || !reflect.DeepEqual(unset.LDFlags, []string{"-s", "-w"}) ||
		!reflect.DeepEqual(unset.GoEnv, map[string]string{"CGO_ENABLED": "0"}) {
		t.Errorf("defaults: %+v", unset)
	}
	if unset.DefaultGo == "" || unset.Buildpack.ID != "gobuildpack/go" {
		t.Errorf("buildpack.toml: default Go %q, buildpack %+v", unset.DefaultGo, unset.Buildpack)
	}
	if unset.Platform.Stack != "heroku-24" || unset.Platform.GOOS == "" || unset.Platform.GOARCH == "" {
		t.Errorf("platform: %+v", unset.Platform)
	}
	if unset.App == nil || unset.App.Mod.Module != "example.com/app" {
		t.Errorf("app: %+v", unset.App)
	}

	s := settingstest.Read(t, settings.Compile, nil, map[string]string{
		"GOVERSION":                       "1.22",
		"GO_INSTALL_PACKAGE_SPEC":         " ./cmd/web  ./cmd/worker ",
		"GOFLAGS":                         "-mod=mod -tags=a",
		"GO_BUILD_FLAGS":                  "-race -tags=b",
		"CGO_ENABLED":                     "1",
		"CGO_CFLAGS":                      "-I${build_dir}/include",
		"GOPROXY":                         "https://goproxy.example.com|direct",
		"GO_TOOLCHAIN_PROXY":              "off",
		"GOSUMDB":                         "off",
		"GO_GIT_CRED__HTTPS__GITHUB__COM": "tok",
		"GO_GIT_CRED__HTTP__EXAMPLE__COM": "tok",
		"GO_INSTALL_TOOLS_IN_IMAGE":       "true",
		"GO_SLUG_KEEP":                    "templates/** ./static/",
		"GOPATH":                          "/mine",
		"DATABASE_URL":                    "postgres://db",
	})
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"GoVersion", s.GoVersion, "1.22"},
		{"Packages", s.Packages, []string{"./cmd/web", "./cmd/worker"}},
		{"GOFLAGS", s.GOFLAGS, []string{"-mod=mod"}},
		{"Tags", s.Tags, []string{"heroku", "a", "b"}},
		{"BuildFlags", s.BuildFlags, []string{"-race"}},
		{"CGO", s.CGO, true},
		{"CGO_CFLAGS", s.GoEnv["CGO_CFLAGS"], "-I" + s.App.Root + "/include"},
		{"CGO_ENABLED", s.GoEnv["CGO_ENABLED"], "1"},
		{"GOPROXY", s.GOPROXY.Value, "https://goproxy.example.com|direct"},
		{"GOPROXY set", s.GOPROXY.Set, true},
		{"GOPROXY proxies", s.GOPROXY.URLs(), []string{"https://goproxy.example.com"}},
		{"ToolchainProxy off", s.ToolchainProxy == nil, true},
		{"SumDB", s.SumDB.GOSUMDB + " " + s.SumDB.GOPROXY, "off https://goproxy.example.com|direct"},
		{"Credentials", s.Credentials.Sources, []string{"GO_GIT_CRED__HTTPS__GITHUB__COM"}},
		{"KeepToolchain", s.KeepToolchain, true},
		{"SlugKeep", s.SlugKeep, []string{"templates/**", "static"}},
		{"Ignored", s.Ignored["GOPATH"] != "", true},
		{"IsSet", s.IsSet("DATABASE_URL") && !s.IsSet("REDIS_URL"), true},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if len(s.Credentials.Warnings) != 1 || !strings.Contains(s.Credentials.Warnings[0], "GO_GIT_CRED__HTTP__EXAMPLE__COM") {
		t.Errorf("credential warnings = %q", s.Credentials.Warnings)
	}
	for _, kv := range s.AppVars() {
		if strings.HasPrefix(kv, "GOPATH=") {
			t.Errorf("AppVars has the ignored %s", kv)
		}
	}
}

// TestReadPhases: what differs between bin/compile, Heroku CI and a Cloud
// Native Buildpack build.
func TestReadPhases(t *testing.T) {
	t.Setenv("SOURCE_VERSION", "")
	vars := map[string]string{"SOURCE_VERSION": "abc123", "GO_LINKER_SYMBOL": "main.version"}

	// A Cloud Native Buildpack gets SOURCE_VERSION as a file of env/, and
	// stamps it; the process environment is left as it is.
	cnb := settingstest.Read(t, settings.CNB, nil, vars)
	if cnb.Platform.SourceVersion != "abc123" || !strings.Contains(strings.Join(cnb.LDFlags, " "), "-X main.version=abc123") {
		t.Errorf("CNB: source version %q, linker flags %q", cnb.Platform.SourceVersion, cnb.LDFlags)
	}
	if v := os.Getenv("SOURCE_VERSION"); v != "" {
		t.Errorf("SOURCE_VERSION=%q set in the process environment", v)
	}
	// On classic Heroku it comes from the build's environment only.
	classic := settingstest.Read(t, settings.Compile, nil, vars)
	if classic.Platform.SourceVersion != "" {
		t.Errorf("classic source version %q from ENV_DIR", classic.Platform.SourceVersion)
	}
	t.Setenv("SOURCE_VERSION", "def456")
	for _, phase := range []settings.Phase{settings.Compile, settings.CNB} {
		if s := settingstest.Read(t, phase, nil, vars); s.Platform.SourceVersion != "def456" {
			t.Errorf("phase %d: source version %q, want the environment's", phase, s.Platform.SourceVersion)
		}
	}

	ci := settingstest.Read(t, settings.TestCompile, nil, map[string]string{"GO_SLUG_KEEP": "x/**"})
	if !ci.KeepToolchain || !ci.KeepSources {
		t.Errorf("TestCompile keeps toolchain %v, sources %v; want both", ci.KeepToolchain, ci.KeepSources)
	}
	// bin/test has no buildpack.toml.
	s, err := settings.Read(settings.Input{Phase: settings.Test, BuildDir: ci.App.Root, BuildpackDir: t.TempDir()})
	if err != nil || s.DefaultGo != "" {
		t.Errorf("Test phase: %v, default Go %q", err, s.DefaultGo)
	}
	if _, err := settings.Read(settings.Input{Phase: settings.Compile, BuildDir: ci.App.Root, BuildpackDir: t.TempDir()}); err == nil ||
		!strings.Contains(err.Error(), "buildpack.toml") {
		t.Errorf("Compile phase without buildpack.toml: %v", err)
	}
}

// TestReadErrors: an invalid setting is an error that names the config
// var and the fix, never its value.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name    string
		vars    map[string]string
		app     map[string]string
		want    string
		section string
	}{
		{"CGO_ENABLED", map[string]string{"CGO_ENABLED": "yes"}, nil, `CGO_ENABLED config var: "yes" is neither 0 nor 1`, "config-vars"},
		{"GO_NETRC", map[string]string{"GO_NETRC": "default login x password s3cret"}, nil, "GO_NETRC config var: parse netrc: no usable machine entry", "private-modules"},
		{"GO_TOOLCHAIN_PROXY", map[string]string{"GO_TOOLCHAIN_PROXY": "https://a,https://b"}, nil, "invalid GO_TOOLCHAIN_PROXY", "config-vars"},
		{"GOPROXY off", map[string]string{"GOPROXY": "off"}, nil, "GOPROXY config var: GOPROXY=off forbids downloads", "config-vars"},
		{"GOPROXY direct without a toolchain proxy", map[string]string{"GOPROXY": "direct", "GO_TOOLCHAIN_PROXY": "off"}, nil, "GOPROXY config var: GOPROXY lists no proxy", "config-vars"},
		{"GOPROXY URL", map[string]string{"GOPROXY": "ftp://s3cret@x"}, nil, "GOPROXY config var: invalid GOPROXY entry", "config-vars"},
		{"GO_SLUG_KEEP", map[string]string{"GO_SLUG_KEEP": "../x"}, nil, `GO_SLUG_KEEP config var: "../x" must be relative`, "slug"},
		{"GO_APP_DIR", map[string]string{"GO_APP_DIR": "../x"}, nil, "GO_APP_DIR=../x", "app-dir"},
		{"go.mod", nil, map[string]string{"go.mod": "module\n"}, "go.mod:1", "go-mod-errors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := settingstest.TryRead(t, settings.Compile, tt.app, tt.vars)
			if err == nil {
				t.Fatalf("Read = %+v, want an error", s.App)
			}
			if s == nil {
				t.Fatal("Read returned nil settings with its error")
			}
			r, ok := remedy.Of(err)
			if !ok || r.Section != tt.section || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q (remedy %+v), want %q in section %q", err, r, tt.want, tt.section)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the value", err)
			}
		})
	}
	// GOPROXY=direct is fine when toolchains have somewhere to come from.
	if _, err := settingstest.TryRead(t, settings.Compile, nil, map[string]string{"GOPROXY": "direct"}); err != nil {
		t.Errorf("GOPROXY=direct: %v", err)
	}
}

// TestReadHerokuCI: the config vars of Heroku CI's bin/test, with their
// defaults when unset.
func TestReadHerokuCI(t *testing.T) {
	unset := settingstest.Read(t, settings.Test, nil, nil)
	if !unset.CI.Race || unset.CI.SkipBenchmarks || unset.CI.GolangciLintVersion != "" || unset.CI.CC != "gcc" {
		t.Errorf("defaults: %+v", unset.CI)
	}
	s := settingstest.Read(t, settings.Test, nil, map[string]string{
		"GO_TEST_RACE": "false", "GO_TEST_SKIP_BENCHMARK": "1", "GOLANGCI_LINT_VERSION": "1.64.8", "CC": "clang -fno-x",
	})
	want := settings.CI{Race: false, SkipBenchmarks: true, GolangciLintVersion: "v1.64.8", CC: "clang"}
	if s.CI != want {
		t.Errorf("CI = %+v, want %+v", s.CI, want)
	}
	for _, tt := range []struct {
		value string
		skip  bool
	}{{"true", true}, {"yes", true}, {"false", false}, {"0", false}, {"", false}} {
		s := settingstest.Read(t, settings.Test, nil, map[string]string{"GO_TEST_SKIP_BENCHMARK": tt.value})
		if s.CI.SkipBenchmarks != tt.skip {
			t.Errorf("GO_TEST_SKIP_BENCHMARK=%q: skip %v, want %v", tt.value, s.CI.SkipBenchmarks, tt.skip)
		}
	}
	for _, tt := range []struct{ name, value, want string }{
		{"GO_TEST_RACE", "no", `GO_TEST_RACE config var: "no" is neither true nor false`},
		{"GOLANGCI_LINT_VERSION", "latest", `GOLANGCI_LINT_VERSION config var: "latest" is not a release such as v2.15.0`},
		{"GOLANGCI_LINT_VERSION", "v2", `GOLANGCI_LINT_VERSION config var: "v2" is not a release such as v2.15.0`},
	} {
		_, err := settingstest.TryRead(t, settings.Test, nil, map[string]string{tt.name: tt.value})
		if r, ok := remedy.Of(err); err == nil || !ok || r.Section != "config-vars" || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s=%s: %v, want %q", tt.name, tt.value, err, tt.want)
		}
	}
}
