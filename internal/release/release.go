// Package release makes the buildpack's own program a release: built
// reproducibly for the platforms Heroku runs, pinned in bin/pins.sh by
// SHA-256 and tied to the exact sources of the runtime program (the
// packages `go list -deps ./cmd/buildpack` lists), so that bin/compile can
// run a prebuilt binary instead of compiling the buildpack. It also pins
// the SHA-256 of the bootstrap toolchain the shims build the program with
// when no release matches, and packages the buildpack with the binaries
// inside for each channel: the classic tarball and a Cloud Native
// Buildpack package per target (see package.go).
//
// Only the tooling (cmd/dev) links this package; the runtime program
// does not.
package release

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gobuildpack/heroku-buildpack-go/internal/checksum"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// Command is how a developer runs the release, in messages.
const Command = "go run ./cmd/dev release"

// RuntimeMain is the runtime program's main package, which the bin/ shims
// build and run.
const RuntimeMain = "./cmd/buildpack"

// Options configure a release.
type Options struct {
	// BuildpackDir holds bin/pins.sh, go.mod and the sources.
	BuildpackDir string
	// OutDir receives the release's files: the binaries, the packages
	// (Tarball and a buildpackage per target, CNBName) and SumsFile of
	// them. "" means BuildpackDir/dist, with the binaries and their
	// SumsFile also in BuildpackDir/bin/.program, so that the checkout
	// runs them; nowhere with Check.
	OutDir string
	// CacheDir holds the toolchain, the checksum database's state, GOCACHE
	// and GOMODCACHE of release builds, and the verified SHA-256 of the
	// bootstrap toolchain's zips.
	CacheDir string
	// Check verifies the pins instead of writing them.
	Check bool
	// GOPROXY and GOSUMDB are the machine's settings ("" for the defaults).
	GOPROXY, GOSUMDB string
	Log              *output.Log
}

// Result is what a release built.
type Result struct {
	Pins *Pins
	// Files are the paths of the files written into the output
	// directory, by name (buildpack-linux-amd64, buildpack.tgz,
	// go-linux-amd64.cnb, ...; SumsFile aside).
	Files map[string]string
}

// StaleError lists the pins that do not match the sources or the binaries
// built from them.
type StaleError struct {
	Problems []string
}

// Error names every stale pin and the command that fixes them.
func (e *StaleError) Error() string {
	return "the pins in " + PinsFile + " are stale:\n\t" + strings.Join(e.Problems, "\n\t") +
		"\nRun `" + Command + "` and commit " + PinsFile + "."
}

// Release builds the program for every platform with the toolchain pinned
// in bin/pins.sh (program_toolchain), fetched from the module proxy and
// verified against the checksum database, and writes the pins (or, with
// Check, compares them): the runtime package list, the source key, the
// SHA-256 of the binaries and of the bootstrap toolchain's zips.
func Release(ctx context.Context, o Options) (*Result, error) {
	pinned, err := ReadPins(o.BuildpackDir)
	if err != nil {
		return nil, err
	}
	if pinned.Toolchain == "" {
		return nil, errors.New(PinsFile + ": program_toolchain is not set: set it to the Go release that builds the program, e.g. program_toolchain='" + pinned.BootstrapVersion + "'")
	}
	if pinned.BootstrapVersion == "" {
		return nil, errors.New(PinsFile + ": bootstrap_version is not set: set it to the Go release the shims build the program with, e.g. bootstrap_version='" + pinned.Toolchain + "'")
	}
	want := &Pins{Toolchain: pinned.Toolchain, URL: pinned.URL, SHA256: map[string]string{},
		BootstrapVersion: pinned.BootstrapVersion, BootstrapSHA256: map[string]string{}}
	if want.URL == "" {
		want.URL = DefaultURL
	}

	if err := os.MkdirAll(o.CacheDir, 0o777); err != nil {
		return nil, err
	}
	// One release at a time per cache: a second one waits, then finds the
	// toolchain installed and its GOCACHE warm instead of compiling the
	// same packages beside the first.
	unlock, err := files.Lock(filepath.Join(o.CacheDir, ".lock"), func() {
		o.Log.Step("Waiting for another release that uses %s", o.CacheDir)
	})
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", o.CacheDir, err)
	}
	defer unlock()
	inst, err := o.installer()
	if err != nil {
		return nil, err
	}
	goCmd, err := o.install(ctx, inst, want.Toolchain)
	if err != nil {
		return nil, err
	}
	if want.Packages, err = o.runtimePackages(ctx, goCmd); err != nil {
		return nil, err
	}
	if want.Source, err = SourceKey(o.BuildpackDir, want.Packages); err != nil {
		return nil, err
	}
	if o.Check {
		var problems []string
		if !slices.Equal(pinned.Packages, want.Packages) {
			problems = append(problems, fmt.Sprintf("program_packages lists %s, but go list -deps %s has %s",
				listOrNone(pinned.Packages), RuntimeMain, packageChange(pinned.Packages, want.Packages)))
		}
		if pinned.Source != want.Source {
			problems = append(problems, fmt.Sprintf("program_source='%s', but the sources of the runtime program (its packages' Go files, go.mod, go.sum) now hash to '%s'", pinned.Source, want.Source))
		}
		if len(problems) > 0 {
			return nil, &StaleError{Problems: problems}
		}
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
	for _, platform := range Platforms {
		if want.BootstrapSHA256[platform], err = o.bootstrapSum(ctx, inst, want.BootstrapVersion, platform); err != nil {
			return nil, err
		}
	}

	if o.Check {
		var problems []string
		for _, platform := range Platforms {
			if got, pin := want.SHA256[platform], pinned.SHA256[platform]; got != pin {
				problems = append(problems, fmt.Sprintf("%s='%s', but the program built from these sources with %s has sha256 '%s'", varName("program_sha256_", platform), pin, want.Toolchain, got))
			}
		}
		if pinned.URL != want.URL {
			problems = append(problems, fmt.Sprintf("program_url='%s', want '%s'", pinned.URL, want.URL))
		}
		for _, platform := range Platforms {
			if got, pin := want.BootstrapSHA256[platform], pinned.BootstrapSHA256[platform]; got != pin {
				problems = append(problems, fmt.Sprintf("%s='%s', but the zip of %s for %s, verified against the checksum database, has sha256 '%s'", varName("bootstrap_sha256_", platform), pin, want.BootstrapVersion, platform, got))
			}
		}
		if len(problems) > 0 {
			return nil, &StaleError{Problems: problems}
		}
		o.Log.Step("The pins in %s match the sources (%s), the binaries built from them and the bootstrap toolchain", PinsFile, want.Source)
	}

	res := &Result{Pins: want}
	// The pins are written first: the packages hold them.
	if !o.Check {
		if err := WritePins(o.BuildpackDir, want); err != nil {
			return nil, err
		}
		o.Log.Step("Pinned the program built from sources %s in %s", want.Source, PinsFile)
	}
	out := o.OutDir
	if out == "" && !o.Check {
		out = filepath.Join(o.BuildpackDir, DistDir)
		shipped := filepath.Join(o.BuildpackDir, filepath.FromSlash(ShippedDir))
		if err := writeShipped(shipped, built); err != nil {
			return nil, err
		}
		o.Log.Step("Wrote the binaries into %s, which this checkout runs", shipped)
	}
	if out != "" {
		done := o.Log.Timed("Packaging the buildpack with the binaries inside")
		names, paths, err := writeRelease(out, o.BuildpackDir, built)
		if err != nil {
			return nil, err
		}
		res.Files = paths
		done()
		o.Log.Step("Wrote %s", out)
		for _, name := range append(names, SumsFile) {
			o.Log.Detail("%s", name)
		}
	}
	return res, nil
}

// listOrNone renders a package list for a message.
func listOrNone(pkgs []string) string {
	if len(pkgs) == 0 {
		return "no package"
	}
	return fmt.Sprintf("%d packages", len(pkgs))
}

// packageChange says how the listed packages differ from those wanted:
// "internal/x more, internal/y fewer".
func packageChange(listed, want []string) string {
	var more, fewer []string
	for _, p := range want {
		if !slices.Contains(listed, p) {
			more = append(more, p)
		}
	}
	for _, p := range listed {
		if !slices.Contains(want, p) {
			fewer = append(fewer, p)
		}
	}
	var parts []string
	if len(more) > 0 {
		parts = append(parts, strings.Join(more, ", ")+" more")
	}
	if len(fewer) > 0 {
		parts = append(parts, strings.Join(fewer, ", ")+" fewer")
	}
	if len(parts) == 0 {
		return "them in another order"
	}
	return strings.Join(parts, " and ")
}

// installer returns the toolchain installer of the release's cache: from
// GOPROXY, verified against GOSUMDB.
func (o Options) installer() (*toolchain.Installer, error) {
	proxy, err := goproxy.New(o.GOPROXY)
	if err != nil {
		return nil, fmt.Errorf("GOPROXY: %w", err)
	}
	urls := make([]string, len(proxy.Proxies))
	for i, e := range proxy.Proxies {
		urls[i] = e.URL.String()
	}
	db, err := checksum.New(o.GOSUMDB, urls, filepath.Join(o.CacheDir, "sumdb"), proxy)
	if err != nil {
		return nil, fmt.Errorf("GOSUMDB: %w", err)
	}
	return &toolchain.Installer{
		Cache:    toolchain.Cache{Dir: filepath.Join(o.CacheDir, "toolchains"), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH},
		Download: proxy,
		Verify:   db,
		Log:      o.Log,
	}, nil
}

// install returns the go command of the pinned toolchain for this machine.
func (o Options) install(ctx context.Context, inst *toolchain.Installer, version string) (string, error) {
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

// bootstrapSum returns the SHA-256 of the module zip of the bootstrap
// toolchain for platform, the file bin/program.sh downloads and checks:
// downloaded from GOPROXY and verified against the checksum database, as
// any toolchain is. The verified sum is kept in CacheDir/bootstrap, so a
// release downloads each zip once.
func (o Options) bootstrapSum(ctx context.Context, inst *toolchain.Installer, version, platform string) (string, error) {
	goos, goarch, _ := strings.Cut(platform, "-")
	modVersion := toolchain.ModuleVersion(version, goos, goarch)
	record := filepath.Join(o.CacheDir, "bootstrap", modVersion+".sha256")
	if data, err := os.ReadFile(record); err == nil && sha256Hex.Match(data) {
		return string(data), nil
	}
	done := o.Log.Timed("Fetching the bootstrap toolchain %s.%s to pin its SHA-256", version, platform)
	if err := os.MkdirAll(filepath.Dir(record), 0o777); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(record), ".tmp-")
	if err != nil {
		return "", err
	}
	defer files.RemoveAll(tmp)
	zip := filepath.Join(tmp, "toolchain.zip")
	if _, err := inst.Download.Download(ctx, toolchain.ModulePath, modVersion, zip, nil); err != nil {
		return "", fmt.Errorf("bootstrap toolchain: %w", err)
	}
	hash, err := dirhash.HashZip(zip, dirhash.DefaultHash)
	if err != nil {
		return "", fmt.Errorf("bootstrap toolchain %s: %w", modVersion, err)
	}
	if err := inst.Verify.Verify(ctx, toolchain.ModulePath, modVersion, hash); err != nil {
		return "", fmt.Errorf("bootstrap toolchain: %w", err)
	}
	sum, err := files.SHA256(zip)
	if err != nil {
		return "", err
	}
	if err := files.WriteFileAtomic(record, []byte(sum), 0o644); err != nil {
		return "", err
	}
	o.Log.Detail("Verified %s against the checksum database; sha256:%s", hash, sum)
	done()
	return sum, nil
}

// runtimePackages returns the directories of the runtime program's
// packages in the buildpack's module, for every platform of a release,
// sorted: what the source key covers. A package must be under one of
// SourceRoots and hold no file but Go that its build uses (embedded
// files, assembly, .syso objects), which the key would not cover.
func (o Options) runtimePackages(ctx context.Context, goCmd string) ([]string, error) {
	seen := map[string]bool{}
	for _, platform := range Platforms {
		g := o.goCommand(goCmd, platform)
		out, err := g.Output(ctx, "list", "-deps", "-f",
			`{{if and .Module .Module.Main}}{{.Dir}}{{"\t"}}{{join .EmbedFiles " "}} {{join .SFiles " "}} {{join .SysoFiles " "}}{{end}}`, RuntimeMain)
		if err != nil {
			return nil, fmt.Errorf("list the runtime program's packages for %s: %w", platform, err)
		}
		pkgs, err := parsePackages(o.BuildpackDir, string(out))
		if err != nil {
			return nil, err
		}
		for _, p := range pkgs {
			seen[p] = true
		}
	}
	var pkgs []string
	for p := range seen {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	return pkgs, nil
}

// parsePackages reads the lines runtimePackages asks go list for (a
// package's directory, a tab, the non-Go files its build uses) and
// returns the directories relative to the buildpack's directory dir.
func parsePackages(dir, out string) ([]string, error) {
	var pkgs []string
	for _, line := range strings.Split(out, "\n") {
		if line == "" {
			continue
		}
		pkgDir, other, _ := strings.Cut(line, "\t")
		rel, err := filepath.Rel(dir, pkgDir)
		if err != nil {
			return nil, err
		}
		rel = filepath.ToSlash(rel)
		if !slices.ContainsFunc(SourceRoots, func(root string) bool { return strings.HasPrefix(rel, root+"/") }) || !packageDir.MatchString(rel) {
			return nil, fmt.Errorf("the runtime program's package in %s is not under %s/: the source key covers only those; move it there", rel, strings.Join(SourceRoots, "/ or "))
		}
		if f := strings.Fields(other); len(f) > 0 {
			return nil, fmt.Errorf("the runtime program's package %s builds with %s, which the source key does not cover: use Go files only in the runtime program", rel, strings.Join(f, ", "))
		}
		pkgs = append(pkgs, rel)
	}
	return pkgs, nil
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

// goCommand returns the go command of a release build for platform.
func (o Options) goCommand(goCmd, platform string) *gocmd.Go {
	return &gocmd.Go{
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
}

// build builds the program for platform into bin.
func (o Options) build(ctx context.Context, goCmd, platform, bin string) error {
	args := append(append([]string{"build"}, BuildFlags...), "-o", bin, RuntimeMain)
	if err := o.goCommand(goCmd, platform).Run(ctx, args...); err != nil {
		return fmt.Errorf("build the program for %s: %w", platform, err)
	}
	return nil
}

// writeShipped copies the binaries into dir, the checkout's bin/.program,
// with SumsFile of them.
func writeShipped(dir string, built map[string]string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	var names []string
	for _, platform := range Platforms {
		dst := filepath.Join(dir, BinaryName(platform))
		if err := files.CopyFile(built[platform], dst); err != nil {
			return err
		}
		if err := os.Chmod(dst, 0o755); err != nil {
			return err
		}
		names = append(names, BinaryName(platform))
	}
	return writeSums(dir, names)
}
