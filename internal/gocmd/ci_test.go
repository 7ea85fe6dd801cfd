package gocmd_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings/settingstest"
)

// TestLinesHerokuCI: bin/test's go test, benchmark and golangci-lint
// lines.
func TestLinesHerokuCI(t *testing.T) {
	l := lines(t, settings.Test, "go1.22.12", nil, map[string]string{"GO_BUILD_FLAGS": "-tags=extra", "GOEXPERIMENT": "loopvar", "GOFLAGS": "-v"})
	race := l.Test([]string{"./..."}, true)
	if want := []string{"test", "-json", "-trimpath", "-race", "-timeout=30m", "-tags=heroku,extra", "./..."}; !reflect.DeepEqual(race.Args, want) {
		t.Errorf("Test with race = %q, want %q", race.Args, want)
	}
	if cgo := env(race.Env)["CGO_ENABLED"]; cgo != "1" {
		t.Errorf("Test with race: CGO_ENABLED=%q, want 1", cgo)
	}
	if cgo := env(l.Test(nil, false).Env)["CGO_ENABLED"]; cgo != "0" {
		t.Errorf("Test without race: CGO_ENABLED=%q, want 0", cgo)
	}
	bench := l.Bench([]string{"./..."})
	if want := []string{"test", "-json", "-trimpath", "-run=^$", "-bench=.", "-benchmem", "-vet=off", "-timeout=30m", "-tags=heroku,extra", "./..."}; !reflect.DeepEqual(bench.Args, want) {
		t.Errorf("Bench = %q, want %q", bench.Args, want)
	}
	if cgo := env(bench.Env)["CGO_ENABLED"]; cgo != "0" {
		t.Errorf("Bench: CGO_ENABLED=%q, want 0", cgo)
	}
	lint := l.Lint("/b/.heroku/go/ci/golangci-cache")
	if want := []string{"run", "--build-tags=heroku,extra"}; !reflect.DeepEqual(lint.Args, want) {
		t.Errorf("Lint = %q, want %q", lint.Args, want)
	}
	if e := env(lint.Env); e["GOLANGCI_LINT_CACHE"] != "/b/.heroku/go/ci/golangci-cache" || !strings.HasPrefix(e["PATH"], "/tc/bin") || e["GOFLAGS"] != "-v" {
		t.Errorf("Lint env: GOLANGCI_LINT_CACHE=%q PATH=%q GOFLAGS=%q", e["GOLANGCI_LINT_CACHE"], e["PATH"], e["GOFLAGS"])
	}
	// A tool is built outside the app, with none of its GOFLAGS or
	// experiments, from its own go.sum.
	dl := l.ToolDownload("github.com/golangci/golangci-lint/v2", "v2.15.0")
	build := l.ToolBuild("./cmd/golangci-lint", "/out/golangci-lint", "-X main.version=2.15.0")
	if want := []string{"mod", "download", "-json", "github.com/golangci/golangci-lint/v2@v2.15.0"}; !reflect.DeepEqual(dl.Args, want) {
		t.Errorf("ToolDownload = %q", dl.Args)
	}
	if want := []string{"build", "-trimpath", "-ldflags=-X main.version=2.15.0", "-o", "/out/golangci-lint", "./cmd/golangci-lint"}; !reflect.DeepEqual(build.Args, want) {
		t.Errorf("ToolBuild = %q", build.Args)
	}
	for name, e := range map[string]map[string]string{"ToolDownload": env(dl.Env), "ToolBuild": env(build.Env)} {
		want := map[string]string{"ToolDownload": "", "ToolBuild": "-mod=readonly"}[name]
		if _, exp := e["GOEXPERIMENT"]; e["GOFLAGS"] != want || exp || e["GOWORK"] != "off" || e["CGO_ENABLED"] != "0" || e["GOPROXY"] != "https://proxy.golang.org" {
			t.Errorf("%s env: GOFLAGS=%q GOEXPERIMENT set %v GOWORK=%q CGO_ENABLED=%q GOPROXY=%q", name, e["GOFLAGS"], exp, e["GOWORK"], e["CGO_ENABLED"], e["GOPROXY"])
		}
	}

	vendored := lines(t, settings.Test, "go1.24.13", map[string]string{"go.mod": settingstest.GoMod, "vendor/modules.txt": "# example.com/x v1.0.0\n"}, nil)
	if args := vendored.Lint("/c").Args; !reflect.DeepEqual(args, []string{"run", "--build-tags=heroku", "--modules-download-mode=vendor"}) {
		t.Errorf("vendored Lint = %q", args)
	}
	if args := vendored.AppToolBuild("github.com/golangci/golangci-lint/v2/cmd/golangci-lint", "/out/x").Args; !reflect.DeepEqual(args,
		[]string{"build", "-trimpath", "-mod=vendor", "-o", "/out/x", "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"}) {
		t.Errorf("vendored AppToolBuild = %q", args)
	}
}

// TestLinesTestTimeout: go test gets -timeout=30m unless GOFLAGS or
// GO_BUILD_FLAGS sets a timeout.
func TestLinesTestTimeout(t *testing.T) {
	for _, tt := range []struct {
		vars          map[string]string
		timeout, from string
	}{
		{nil, "30m", ""},
		{map[string]string{"GOFLAGS": "-timeout=1h"}, "", "GOFLAGS"},
		{map[string]string{"GOFLAGS": "--test.timeout=1h"}, "", "GOFLAGS"},
		{map[string]string{"GO_BUILD_FLAGS": "-timeout 5m"}, "", "GO_BUILD_FLAGS"},
		{map[string]string{"GO_BUILD_FLAGS": "-v", "GOFLAGS": "-count=1"}, "30m", ""},
	} {
		l := lines(t, settings.Test, "go1.22.12", nil, tt.vars)
		timeout, from := l.TestTimeout()
		if timeout != tt.timeout || from != tt.from {
			t.Errorf("%v: TestTimeout = %q, %q; want %q, %q", tt.vars, timeout, from, tt.timeout, tt.from)
		}
		for _, line := range []gocmd.Line{l.Test(nil, false), l.Bench(nil)} {
			if has := contains(line.Args, "-timeout=30m"); has != (tt.timeout != "") {
				t.Errorf("%v: %q", tt.vars, line.Args)
			}
		}
	}
}

// TestRaceDetector: where go test runs with -race, and why not.
func TestRaceDetector(t *testing.T) {
	for _, tt := range []struct {
		release, goarch string
		vars            map[string]string
		haveCC          bool
		race            bool
		why             string
	}{
		{"go1.22.12", "amd64", nil, true, true, ""},
		{"go1.11.13", "amd64", nil, true, true, ""},
		{"go1.12.17", "arm64", nil, true, true, ""},
		{"go1.11.13", "arm64", nil, true, false, "go1.11.13 has no race detector for linux/arm64"},
		{"go1.22.12", "riscv64", nil, true, false, "go1.22.12 has no race detector for linux/riscv64"},
		{"go1.22.12", "amd64", nil, false, false, "the race detector needs cgo, and there is no C compiler (gcc) on PATH"},
		{"go1.22.12", "amd64", map[string]string{"CC": "clang -O2"}, false, false, "no C compiler (clang) on PATH"},
		{"go1.22.12", "amd64", map[string]string{"GO_TEST_RACE": "false"}, true, false, ""},
	} {
		l := lines(t, settings.Test, tt.release, nil, tt.vars)
		l.Settings.Platform.GOOS, l.Settings.Platform.GOARCH = "linux", tt.goarch
		race, why := l.RaceDetector(tt.haveCC)
		if race != tt.race || !strings.Contains(why, tt.why) || (tt.why == "") != (why == "") {
			t.Errorf("%s linux/%s %v cc %v: RaceDetector = %v, %q; want %v, %q", tt.release, tt.goarch, tt.vars, tt.haveCC, race, why, tt.race, tt.why)
		}
	}
}
