package prebuilt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// Command is how a developer runs the release, in messages.
const Command = "go run ./cmd/buildpack release"

// Options configure a release.
type Options struct {
	// BuildpackDir holds buildpack.toml, go.mod and the sources.
	BuildpackDir string
	// OutDir receives the binaries and SHA256SUMS; "" means
	// BuildpackDir/bin/.program, or nowhere with Check.
	OutDir string
	// CacheDir holds the toolchain, the checksum database's state, GOCACHE
	// and GOMODCACHE of release builds.
	CacheDir string
	// Check verifies the pins in buildpack.toml instead of writing them.
	Check bool
	// GOPROXY and GOSUMDB are the machine's settings ("" for the defaults).
	GOPROXY, GOSUMDB string
	Log              *output.Log
}

// Result is what a release built.
type Result struct {
	Pins     Pins
	Binaries map[string]string // platform -> path, when OutDir was written
}

// StaleError lists what in buildpack.toml does not match the sources or
// the binaries built from them.
type StaleError struct {
	Problems []string
}

// Error names every stale pin and the command that fixes them.
func (e *StaleError) Error() string {
	return "the program pins in buildpack.toml are stale:\n\t" + strings.Join(e.Problems, "\n\t") +
		"\nRun `" + Command + "` and commit buildpack.toml."
}

// Release builds the program for every platform with the toolchain pinned
// in buildpack.toml [program], fetched from the module proxy and verified
// against the checksum database, and writes the pins (or, with Check,
// compares them).
func Release(ctx context.Context, o Options) (*Result, error) {
	mf, err := manifest.Read(o.BuildpackDir)
	if err != nil {
		return nil, err
	}
	pinned := Pins(mf.Program)
	if pinned.Toolchain == "" {
		return nil, errors.New("buildpack.toml: [program] toolchain is not set: set it to the Go release that builds the program, e.g. toolchain = \"" + mf.Bootstrap.Version + "\"")
	}
	key, err := SourceKey(o.BuildpackDir)
	if err != nil {
		return nil, err
	}
	want := Pins{Source: key, Toolchain: pinned.Toolchain, URL: pinned.URL, SHA256: map[string]string{}}
	if want.URL == "" {
		want.URL = DefaultURL
	}
	if o.Check && pinned.Source != key {
		return nil, &StaleError{Problems: []string{fmt.Sprintf("[program] source = %q, but the sources (Go files under cmd/ and internal/, go.mod, go.sum) now hash to %q", pinned.Source, key)}}
	}

	if err := os.MkdirAll(o.CacheDir, 0o777); err != nil {
		return nil, err
	}
	goCmd, err := o.install(ctx, want.Toolchain)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(o.CacheDir, ".tmp-release-")
	if err != nil {
		return nil, err
	}
	defer files.RemoveAll(work)
	built := map[string]string{}
	for _, platform := range Platforms {
		done := o.Log.Timed("Building the program for %s with %s", platform, want.Toolchain)
		bin := filepath.Join(work, BinaryName(platform))
		if err := o.build(ctx, goCmd, platform, bin); err != nil {
			return nil, err
		}
		sum, err := files.SHA256(bin)
		if err != nil {
			return nil, err
		}
		want.SHA256[platform] = sum
		built[platform] = bin
		o.Log.Detail("sha256:%s", sum)
		done()
	}

	if o.Check {
		var problems []string
		for _, platform := range Platforms {
			if got, pin := want.SHA256[platform], pinned.SHA256[platform]; got != pin {
				problems = append(problems, fmt.Sprintf("[program.sha256] %s = %q, but the program built from these sources with %s has sha256 %q", platform, pin, want.Toolchain, got))
			}
		}
		if len(problems) > 0 {
			return nil, &StaleError{Problems: problems}
		}
		o.Log.Step("The pins in buildpack.toml match the sources (%s) and the binaries built from them", key)
	}

	res := &Result{Pins: want}
	out := o.OutDir
	if out == "" && !o.Check {
		out = filepath.Join(o.BuildpackDir, filepath.FromSlash(ShippedDir))
	}
	if out != "" {
		if res.Binaries, err = writeOut(out, built, want); err != nil {
			return nil, err
		}
		o.Log.Step("Wrote %s", out)
		for _, platform := range Platforms {
			o.Log.Detail("%s", BinaryName(platform))
		}
		o.Log.Detail("SHA256SUMS")
	}
	if !o.Check {
		path := filepath.Join(o.BuildpackDir, "buildpack.toml")
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		updated, err := ReplacePins(data, want)
		if err != nil {
			return nil, err
		}
		if err := files.WriteFileAtomic(path, updated, 0o644); err != nil {
			return nil, err
		}
		o.Log.Step("Pinned the program built from sources %s in buildpack.toml", key)
	}
	return res, nil
}

// install returns the go command of the pinned toolchain for this machine.
func (o Options) install(ctx context.Context, version string) (string, error) {
	proxy, err := goproxy.New(o.GOPROXY)
	if err != nil {
		return "", fmt.Errorf("GOPROXY: %w", err)
	}
	urls := make([]string, len(proxy.Proxies))
	for i, e := range proxy.Proxies {
		urls[i] = e.URL.String()
	}
	db, err := checksum.New(o.GOSUMDB, urls, filepath.Join(o.CacheDir, "sumdb"), proxy)
	if err != nil {
		return "", fmt.Errorf("GOSUMDB: %w", err)
	}
	inst := &toolchain.Installer{
		Cache:    toolchain.Cache{Dir: filepath.Join(o.CacheDir, "toolchains"), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH},
		Download: proxy,
		Verify:   db,
		Log:      o.Log,
	}
	if _, ok := inst.Cache.Lookup(version); ok {
		o.Log.Step("Reusing %s from %s", version, inst.Cache.Dir)
	} else {
		o.Log.Step("Installing %s into %s", version, inst.Cache.Dir)
	}
	tc, err := inst.Install(ctx, version)
	if err != nil {
		return "", err
	}
	return tc.Go(), nil
}

// BuildFlags are the go build flags of a release, after "build": no file
// system paths, no version control stamp, no build ID, no debug info (not
// even generated: that makes a cold build about 6% cheaper). bin/program.sh
// builds from source with the same flags.
var BuildFlags = []string{"-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid=", "-gcflags=all=-dwarf=false"}

// BuildVars are the Go settings of a release build for a platform; every
// other Go or cgo setting of the machine is dropped (gocmd.Env).
func BuildVars(platform, goproxy, gosumdb string) map[string]string {
	goos, goarch, _ := strings.Cut(platform, "-")
	vars := map[string]string{
		"GOOS":        goos,
		"GOARCH":      goarch,
		"GOWORK":      "off",
		"GOFLAGS":     "-mod=readonly -modcacherw",
		"CGO_ENABLED": "0",
		"GOAMD64":     "v1",
		"GOARM64":     "v8.0",
	}
	if goproxy != "" {
		vars["GOPROXY"] = goproxy
	}
	if gosumdb != "" {
		vars["GOSUMDB"] = gosumdb
	}
	return vars
}

// build builds the program for platform into bin.
func (o Options) build(ctx context.Context, goCmd, platform, bin string) error {
	g := &gocmd.Go{
		Bin: goCmd,
		Dir: o.BuildpackDir,
		Env: gocmd.Env(os.Environ(), gocmd.Settings{
			GOROOT:     filepath.Dir(filepath.Dir(goCmd)),
			GOCACHE:    filepath.Join(o.CacheDir, "gocache"),
			GOMODCACHE: filepath.Join(o.CacheDir, "modcache"),
			GOPATH:     filepath.Join(o.CacheDir, "gopath"),
			Vars:       BuildVars(platform, o.GOPROXY, o.GOSUMDB),
		}),
		Stdout: o.Log.Indented(),
		Stderr: o.Log.IndentedErr(),
	}
	args := append(append([]string{"build"}, BuildFlags...), "-o", bin, "./cmd/buildpack")
	if err := g.Run(ctx, args...); err != nil {
		return fmt.Errorf("build the program for %s: %w", platform, err)
	}
	return nil
}

// writeOut copies the binaries into dir with a SHA256SUMS file, each
// through a temp file and rename.
func writeOut(dir string, built map[string]string, p Pins) (map[string]string, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	paths := map[string]string{}
	var sums strings.Builder
	for _, platform := range Platforms {
		dst := filepath.Join(dir, BinaryName(platform))
		if err := files.CopyFile(built[platform], dst); err != nil {
			return nil, err
		}
		if err := os.Chmod(dst, 0o755); err != nil {
			return nil, err
		}
		paths[platform] = dst
		fmt.Fprintf(&sums, "%s  %s\n", p.SHA256[platform], BinaryName(platform))
	}
	if err := files.WriteFileAtomic(filepath.Join(dir, "SHA256SUMS"), []byte(sums.String()), 0o644); err != nil {
		return nil, err
	}
	return paths, nil
}
