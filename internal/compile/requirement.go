package compile

// An import that go.mod does not require: go1.11 to go1.15 add the newest
// version of its module to go.mod by themselves, and when that version
// needs a newer Go, the build fails on standard-library packages the
// release does not have. The build names the requirement and the newest
// version of its module whose go.mod the app's Go reads.

import (
	"context"
	"fmt"
	"go/version"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

// newerStd matches what go1.11 to go1.15 say of a standard-library
// package they do not have: go1.14 and go1.15 "package cmp is not in
// GOROOT (...)", go1.13 `cannot load cmp: malformed module path "cmp":
// missing dot in first path element`, go1.12 `cannot find package
// "slices"`.
var newerStd = regexp.MustCompile(`package (\S+) is not in GOROOT|malformed module path "([^"]+)": missing dot in first path element|cannot find package "([^"]+)"`)

// missingStd returns the standard-library packages (no dot in the first
// path element) that stderr says the release does not have.
func missingStd(stderr string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range newerStd.FindAllStringSubmatch(stderr, -1) {
		pkg := m[1] + m[2] + m[3]
		if first, _, _ := strings.Cut(pkg, "/"); strings.Contains(first, ".") || seen[pkg] {
			continue
		}
		seen[pkg] = true
		out = append(out, pkg)
	}
	return out
}

// addedRequirements returns the requirements of go.mod after (its
// content) that go.mod before did not have, as module@version, sorted.
func addedRequirements(before, after []byte) []modRequirement {
	b, err1 := modfile.ParseLax("go.mod", before, nil)
	a, err2 := modfile.ParseLax("go.mod", after, nil)
	if err1 != nil || err2 != nil {
		return nil
	}
	had := map[string]bool{}
	for _, r := range b.Require {
		had[r.Mod.Path] = true
	}
	var out []modRequirement
	for _, r := range a.Require {
		if !had[r.Mod.Path] {
			out = append(out, modRequirement{Path: r.Mod.Path, Version: r.Mod.Version})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// modRequirement is a module version go.mod requires.
type modRequirement struct{ Path, Version string }

// modSource serves module version lists and go.mod files: a module proxy
// (*goproxy.Client).
type modSource interface {
	List(ctx context.Context, path string) ([]string, error)
	GoMod(ctx context.Context, path, version string) ([]byte, error)
}

// The bounds of the search for a version an older Go reads.
const (
	searchMods    = 20
	searchTimeout = 30 * time.Second
)

// compatible is what the search for a version of a module found.
type compatible struct {
	// Version is the newest release, at most the one the go command added,
	// whose go.mod has a go directive at most the app's Go; "" when none
	// of those read is.
	Version string
	// AddedGo is the go directive of the version the go command added ("" when none).
	AddedGo string
	// Lowest is the oldest go directive of the versions read.
	Lowest string
	// Searched says every version was read; false when the search stopped
	// at its bounds.
	Searched bool
}

// compatibleVersion finds the newest release of module path, no newer
// than added, whose go.mod asks for at most release's Go line (go1.15.15:
// go 1.15): it lists the versions and reads their go.mod files newest
// first, at most searchMods of them and for at most searchTimeout. A
// go.mod without a go directive is read by every Go release.
func compatibleVersion(ctx context.Context, src modSource, path, added, release string) (compatible, error) {
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	list, err := src.List(ctx, path)
	if err != nil {
		return compatible{}, err
	}
	var versions []string
	for _, v := range list {
		if semver.IsValid(v) && semver.Prerelease(v) == "" && semver.Build(v) == "" && (added == "" || semver.Compare(v, added) <= 0) {
			versions = append(versions, v)
		}
	}
	if added != "" && semver.IsValid(added) && !contains(versions, added) {
		versions = append(versions, added)
	}
	sort.Slice(versions, func(i, j int) bool { return semver.Compare(versions[i], versions[j]) > 0 })
	var found compatible
	for i, v := range versions {
		if i == searchMods || ctx.Err() != nil {
			return found, nil
		}
		data, err := src.GoMod(ctx, path, v)
		if err != nil {
			if ctx.Err() != nil {
				return found, nil
			}
			return found, err
		}
		f, err := modfile.ParseLax("go.mod", data, nil)
		if err != nil {
			continue
		}
		goLine := ""
		if f.Go != nil {
			goLine = f.Go.Version
		}
		if v == added {
			found.AddedGo = goLine
		}
		if goLine != "" && (found.Lowest == "" || version.Compare("go"+goLine, "go"+found.Lowest) < 0) {
			found.Lowest = goLine
		}
		if goLine == "" || version.Compare("go"+goLine, version.Lang(release)) <= 0 {
			found.Version = v
			found.Searched = true
			return found, nil
		}
	}
	found.Searched = true
	return found, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// missingRequirementError explains a build that failed on standard-library
// packages the release lacks after the go command added requirements to
// go.mod: it names each and the version to require instead, searched for
// on the module proxy (src; nil when GOPROXY lists none).
func missingRequirementError(ctx context.Context, src modSource, err error, release string, std []string, added []modRequirement) error {
	lang := strings.TrimPrefix(version.Lang(release), "go")
	var msgs, fixes []string
	for _, req := range added {
		var c compatible
		var serr error
		if src != nil {
			c, serr = compatibleVersion(ctx, src, req.Path, req.Version, release)
		}
		needs := "needs a newer Go"
		if c.AddedGo != "" {
			needs = fmt.Sprintf("needs a newer Go (its go.mod says go %s)", c.AddedGo)
		}
		msgs = append(msgs, fmt.Sprintf("go.mod does not require %s, which the app imports: %s added its newest version, %s, which %s", req.Path, release, req.Version, needs))
		switch {
		case c.Version != "" && c.Version != req.Version:
			fixes = append(fixes, fmt.Sprintf("Require it in go.mod: `go get %s@%s` then `go mod tidy` with go%s (%s is its newest release whose go.mod asks for go %s or older)", req.Path, c.Version, lang, c.Version, lang))
		case src == nil || serr != nil || !c.Searched:
			why := "GOPROXY lists no proxy to ask"
			if serr != nil {
				why = serr.Error()
			} else if src != nil {
				why = fmt.Sprintf("the newest %d were read", searchMods)
			}
			fixes = append(fixes, fmt.Sprintf("Require it in go.mod: `go get %s@VERSION` then `go mod tidy` with go%s, VERSION being a release of it that builds with go%s (which one could not be found: %s)", req.Path, lang, lang, why))
		default:
			fixes = append(fixes, fmt.Sprintf("No release of %s asks for go %s or older (the oldest go directive among them is go %s): the app needs go%s or newer (`go mod edit -go=%s`, then `go get %s` and `go mod tidy`)", req.Path, lang, c.Lowest, c.Lowest, c.Lowest, req.Path))
		}
	}
	return remedy.Wrap(fmt.Errorf("%s; %s lacks the standard-library package %s: %w", strings.Join(msgs, "; "), release, strings.Join(std, ", "), err), "missing-requirement",
		"%s. Commit go.mod and go.sum.", strings.Join(fixes, ". "))
}
