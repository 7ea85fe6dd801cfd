package gocmd

import (
	"fmt"
	"go/version"
	"path/filepath"
	"strings"
)

// RaceDetector says whether Heroku CI's go test runs with -race, and when
// it does not although GO_TEST_RACE asks for it, why (for the log).
// haveCC says the C compiler of the build's settings (settings.CI.CC) is
// on PATH: the race detector needs cgo.
func (l *Lines) RaceDetector(haveCC bool) (race bool, why string) {
	s := l.Settings
	switch {
	case !s.CI.Race:
		return false, ""
	case !RaceSupported(l.Release, s.Platform.GOOS, s.Platform.GOARCH):
		return false, fmt.Sprintf("%s has no race detector for %s/%s", l.Release, s.Platform.GOOS, s.Platform.GOARCH)
	case !haveCC:
		return false, fmt.Sprintf("the race detector needs cgo, and there is no C compiler (%s) on PATH", s.CI.CC)
	}
	return true, ""
}

// RaceSupported reports whether the go command of release has the race
// detector for goos/goarch, as cmd/internal/platform.RaceDetectorSupported
// says for linux, the only system a dyno runs: amd64 and ppc64le from
// go1.11 (the oldest release the buildpack builds with), arm64 from
// go1.12, s390x from go1.19.
func RaceSupported(release, goos, goarch string) bool {
	if goos != "linux" {
		return false
	}
	at := func(first string) bool { return version.Compare(version.Lang(release), first) >= 0 }
	switch goarch {
	case "amd64", "ppc64le":
		return true
	case "arm64":
		return at("go1.12")
	case "s390x":
		return at("go1.19")
	}
	return false
}

// ToolDownload returns `go mod download -json PATH@VERSION`, which fetches
// a tool's module (golangci-lint) into the module cache, verified like
// every module (go.sum of the tool, the checksum database). It runs outside
// the app, with the build's module proxies, checksum database and
// credentials, and none of the app's GOFLAGS or workspace.
func (l *Lines) ToolDownload(path, version string) Line {
	return Line{Args: []string{"mod", "download", "-json", path + "@" + version}, Env: l.toolEnv("")}
}

// ToolBuild returns the go build of a tool's main package pkg (relative,
// ./cmd/golangci-lint) in its module's directory, as `go install
// pkg@version` builds it: with the module's own go.mod and go.sum
// (-mod=readonly), static, into the file out. ldflags may stamp the
// tool's version.
func (l *Lines) ToolBuild(pkg, out, ldflags string) Line {
	args := []string{"build", "-trimpath"}
	if ldflags != "" {
		args = append(args, "-ldflags="+ldflags)
	}
	return Line{Args: append(args, "-o", out, pkg), Env: l.toolEnv("-mod=readonly")}
}

// AppToolBuild returns the go build of the main package pkg of a tool the
// app's go.mod names in a tool directive, into the file out: what `go tool`
// builds, with the app's requirements (and vendor/ when the app vendors).
func (l *Lines) AppToolBuild(pkg, out string) Line {
	args := append([]string{"build", "-trimpath"}, l.modFlags()...)
	return Line{Args: append(args, "-o", out, pkg), Env: l.Env()}
}

// toolEnv is the environment of the go command that downloads and builds
// a tool outside the app: the build's, with GOFLAGS set to goflags, no
// workspace, no cgo and no GOEXPERIMENT of the app.
func (l *Lines) toolEnv(goflags string) []string {
	env := setEnv(l.Env(), "GOFLAGS", goflags)
	env = setEnv(env, "GOWORK", "off")
	env = setEnv(env, "CGO_ENABLED", "0")
	out := env[:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GOEXPERIMENT=") {
			out = append(out, kv)
		}
	}
	return out
}

// Lint returns golangci-lint's command line (its arguments, not the go
// command's) and environment for the app: `run` with the build's tags,
// vendor/ when the app vendors, and its cache in cacheDir. It runs in the
// app's directory with the tests' environment, the toolchain's go first
// on PATH, and finds its config file there or in a parent directory.
func (l *Lines) Lint(cacheDir string) Line {
	args := []string{"run", "--build-tags=" + strings.Join(l.Settings.Tags, ",")}
	for _, f := range l.modFlags() {
		if f == "-mod=vendor" {
			args = append(args, "--modules-download-mode=vendor")
		}
	}
	return Line{Args: args, Env: setEnv(l.AppEnv(), "GOLANGCI_LINT_CACHE", filepath.Clean(cacheDir))}
}
