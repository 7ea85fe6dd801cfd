package goversion

import (
	"fmt"
	"go/version"
	"strings"
)

// Features says what the go command of one Go release supports, for
// building its command lines and environment. FeaturesOf fills it in.
//
// Every entry was checked by running the go command of the releases
// around it (go1.10.8, go1.11.13, go1.12.17, go1.13.15, go1.14.15,
// go1.15.15, go1.16.15, go1.17.13, go1.18.10, go1.19.13, go1.20.14,
// go1.21.13, from golang.org/toolchain on the module proxy) on a small
// module: the release named is the first where it works.
type Features struct {
	Release string // the release described, e.g. go1.12.17

	// Modules (go1.11): go.mod, `go mod download` (and -json), `go mod
	// vendor` writing vendor/modules.txt, -mod=vendor and -mod=readonly,
	// GOFLAGS, `go list -deps` and the .DepOnly template field. go1.10
	// has none of them ("go: unknown subcommand \"mod\"", "flag provided
	// but not defined: -deps"). The list template of internal/packages
	// (.DepOnly, .Name, .ImportPath, .Dir, .Deps, .CgoFiles, .Standard,
	// join) works unchanged on go1.11.
	Modules bool
	// TestJSON (go1.10): `go test -json`.
	TestJSON bool
	// Trimpath (go1.13): the -trimpath build flag; go1.12 fails with
	// "flag provided but not defined: -trimpath".
	Trimpath bool
	// CommaTags (go1.13): -tags=a,b. Before, tags are space-separated
	// (-tags='a b'), and -tags=a,b silently sets the one tag "a,b". A
	// space-separated list works in every release.
	CommaTags bool
	// OutputDir (go1.13): `go build -o DIR/ PKG...` writes one binary per
	// main package into DIR, which must exist before go1.16 ("cannot
	// write multiple packages to non-directory"). Before go1.13, -o names
	// one file: "cannot use -o with multiple packages", and a directory
	// "already exists and is a directory"; build each package with -o
	// DIR/NAME instead.
	OutputDir bool
	// ProxyList (go1.13): GOPROXY is a comma-separated list, with
	// "direct" and "off" entries; GOSUMDB, GOPRIVATE, GONOPROXY and
	// GONOSUMDB exist; the default GOPROXY is
	// "https://proxy.golang.org,direct" and GOSUMDB "sum.golang.org".
	// go1.11 and go1.12 take one URL ("invalid $GOPROXY setting: cannot
	// have comma"), fetch from origin servers when GOPROXY is unset, and
	// have no checksum database (only go.sum is checked).
	ProxyList bool
	// GOENV (go1.13): `go env -w` and its file; GOENV=off ignores it.
	GOENV bool
	// ModMod (go1.14): -mod=mod, and the -modfile and -modcacherw flags.
	// go1.13: "-mod=mod not supported (can be '', 'readonly', or 'vendor')".
	ModMod bool
	// AutoVendor (go1.14): with a vendor/modules.txt and a go line of 1.14
	// or newer, the go command uses vendor/ by itself. Otherwise, and
	// always before go1.14, it downloads modules unless given -mod=vendor,
	// which works from go1.11 on.
	AutoVendor bool
	// GOINSECURE (go1.14).
	GOINSECURE bool
	// ProxyPipe (go1.15): "|" in GOPROXY, falling back after any error.
	// go1.13 and go1.14 take "a|b" for one URL.
	ProxyPipe bool
	// GOMODCACHE (go1.15). Before, the module cache is $GOPATH/pkg/mod and
	// GOMODCACHE is ignored; a symlink there works.
	GOMODCACHE bool
	// GOVCS (go1.16).
	GOVCS bool
	// InstallAtVersion (go1.16): `go install pkg@version`.
	InstallAtVersion bool
	// ModulesByDefault (go1.16): module mode without GO111MODULE. Before,
	// GO111MODULE=auto decides: go1.11 and go1.12 use GOPATH mode for a
	// module inside $GOPATH/src, go1.13 to go1.15 module mode wherever a
	// go.mod is found. GO111MODULE=on means module mode in every release.
	ModulesByDefault bool
	// Overlay (go1.16): the -overlay flag.
	Overlay bool
	// GOEXPERIMENT (go1.17): listed by `go env` and read by the go command.
	GOEXPERIMENT bool
	// BuildVCS (go1.18): the -buildvcs flag, and version-control stamping
	// that fails a build in a repository without git unless
	// -buildvcs=false. Before: "flag provided but not defined: -buildvcs".
	BuildVCS bool
	// Workspaces (go1.18): go.work, `go work`, GOWORK.
	Workspaces bool
	// GOAMD64 (go1.18).
	GOAMD64 bool
	// PGO (go1.20): the -pgo flag. BuildCover (go1.20): `go build -cover`.
	PGO, BuildCover bool
	// Toolchain (go1.21): the toolchain directive and GOTOOLCHAIN. Older
	// releases fail on a go.mod with a toolchain line ("unknown directive:
	// toolchain").
	Toolchain bool
	// EnforcesGoLine (go1.21): a go line newer than the release fails
	// every command ("go.mod requires go >= 1.99"). Before, such a module
	// builds (go1.19 and go1.20 refuse only go lines of 1.22 and newer,
	// "cannot compile Go 1.22 code"). A go line with a patch number ("go
	// 1.21.0", as go1.21 writes it) fails go1.14 to go1.20: "invalid go
	// version '1.21.0': must match format 1.23".
	EnforcesGoLine bool
}

// FeaturesOf returns what the go command of release (go1.12.17,
// go1.23rc1) supports. A prerelease has the features of its line.
func FeaturesOf(release string) Features {
	at := func(first string) bool { return version.Compare(version.Lang(release), first) >= 0 }
	return Features{
		Release:          release,
		TestJSON:         at("go1.10"),
		Modules:          at("go1.11"),
		Trimpath:         at("go1.13"),
		CommaTags:        at("go1.13"),
		OutputDir:        at("go1.13"),
		ProxyList:        at("go1.13"),
		GOENV:            at("go1.13"),
		ModMod:           at("go1.14"),
		AutoVendor:       at("go1.14"),
		GOINSECURE:       at("go1.14"),
		ProxyPipe:        at("go1.15"),
		GOMODCACHE:       at("go1.15"),
		GOVCS:            at("go1.16"),
		InstallAtVersion: at("go1.16"),
		ModulesByDefault: at("go1.16"),
		Overlay:          at("go1.16"),
		GOEXPERIMENT:     at("go1.17"),
		BuildVCS:         at("go1.18"),
		Workspaces:       at("go1.18"),
		GOAMD64:          at("go1.18"),
		PGO:              at("go1.20"),
		BuildCover:       at("go1.20"),
		Toolchain:        at("go1.21"),
		EnforcesGoLine:   at("go1.21"),
	}
}

// flagSince gives the first release of each go command flag (or flag
// value) that a release older than go1.13 lacks, as verified with the
// toolchains listed on Features.
var flagSince = []struct {
	flag, value, since string
}{
	{"trimpath", "", "go1.13"},
	{"mod", "mod", "go1.14"},
	{"modfile", "", "go1.14"},
	{"modcacherw", "", "go1.14"},
	{"overlay", "", "go1.16"},
	{"buildvcs", "", "go1.18"},
	{"pgo", "", "go1.20"},
	{"cover", "", "go1.20"}, // go build -cover; go test -cover is older
}

// UnsupportedFlag is a go command flag that a release does not know.
type UnsupportedFlag struct {
	Flag    string // as written, e.g. -buildvcs=false
	Release string // the release that lacks it
	Since   string // the first release with it
}

// Error describes it.
func (u UnsupportedFlag) Error() string {
	return fmt.Sprintf("%s is not a flag of %s (it appeared in %s)", u.Flag, u.Release, u.Since)
}

// UnsupportedFlags returns the flags among words (GOFLAGS or
// GO_BUILD_FLAGS, split into words) that the release does not know. In
// GOFLAGS such a flag fails every go command, even `go version` ("go:
// parsing $GOFLAGS: unknown flag -buildvcs"), in every release.
// Only the flags listed in flagSince are checked.
func (f Features) UnsupportedFlags(words []string) []UnsupportedFlag {
	var out []UnsupportedFlag
	for _, w := range words {
		if !strings.HasPrefix(w, "-") {
			continue
		}
		name, value, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
		for _, fs := range flagSince {
			if fs.flag == name && (fs.value == "" || fs.value == value) && version.Compare(version.Lang(f.Release), fs.since) < 0 {
				out = append(out, UnsupportedFlag{Flag: w, Release: f.Release, Since: fs.since})
			}
		}
	}
	return out
}
