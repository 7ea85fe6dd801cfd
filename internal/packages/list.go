// Package packages lists the main packages an app builds (go list -deps,
// with the build's own command line), keys that list by what go list
// reads of the sources so that an unchanged list is reused, names the
// binaries and chooses the web one.
package packages

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
)

// Main is a main package to build.
type Main struct {
	ImportPath string
	Name       string   // binary name, as `go install` names it
	Dir        string   // source directory
	Cgo        []string // non-standard packages it needs that use cgo, itself included
}

// ListFormat is the go list template ListMains reads: per package, an M
// line for each main package named by the patterns and a C line for each
// non-standard package with cgo files.
const ListFormat = `{{if and (not .DepOnly) (eq .Name "main")}}M	{{.ImportPath}}	{{.Dir}}	{{join .Deps " "}}
{{end}}{{if and .CgoFiles (not .Standard)}}C	{{.ImportPath}}
{{end}}`

// ListMains runs list, a go list -deps command line with the template
// ListFormat (gocmd.Lines.List), and returns the main packages it lists,
// with the packages among their dependencies that use cgo.
func ListMains(ctx context.Context, g *gocmd.Go, list gocmd.Line) ([]Main, error) {
	out, err := g.ExecOutput(ctx, list)
	if err != nil {
		return nil, err
	}
	return parseList(string(out))
}

// parseList reads ListMains's go list output.
func parseList(out string) ([]Main, error) {
	var mains []Main
	deps := map[string][]string{}
	cgo := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "M" && len(f) == 4:
			mains = append(mains, Main{ImportPath: f[1], Name: ExecName(f[1]), Dir: f[2]})
			deps[f[1]] = strings.Fields(f[3])
		case f[0] == "C" && len(f) == 2:
			cgo[f[1]] = true
		case strings.TrimSpace(line) == "":
		default:
			return nil, fmt.Errorf("unexpected go list output: %q", line)
		}
	}
	for i, m := range mains {
		for _, p := range append([]string{m.ImportPath}, deps[m.ImportPath]...) {
			if cgo[p] {
				mains[i].Cgo = append(mains[i].Cgo, p)
			}
		}
	}
	sort.Slice(mains, func(i, j int) bool { return mains[i].ImportPath < mains[j].ImportPath })
	return mains, nil
}

// ExecName returns the binary name `go install` gives a main package:
// the last element of its import path, or the one before a major version
// suffix (example.com/tool/v2 is "tool").
func ExecName(importPath string) string {
	elem := path.Base(importPath)
	if elem != importPath && isVersionElem(elem) {
		elem = path.Base(path.Dir(importPath))
	}
	return elem
}

func isVersionElem(s string) bool {
	if len(s) < 2 || s[0] != 'v' || s[1] == '0' || s[1] == '1' && len(s) == 2 {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// DuplicateNames returns, for each binary name used by more than one main
// package, the import paths that share it.
func DuplicateNames(mains []Main) map[string][]string {
	by := map[string][]string{}
	for _, m := range mains {
		by[m.Name] = append(by[m.Name], m.ImportPath)
	}
	for name, paths := range by {
		if len(paths) < 2 {
			delete(by, name)
		}
	}
	return by
}

// Web chooses the main package whose binary serves the web process: the
// module's root package, else one named web, else the only one. obvious
// is false when none of these applied and the first package was taken.
func Web(mains []Main, modulePaths []string) (web Main, obvious bool) {
	for _, m := range mains {
		for _, mp := range modulePaths {
			if m.ImportPath == mp {
				return m, true
			}
		}
	}
	for _, m := range mains {
		if m.Name == "web" {
			return m, true
		}
	}
	if len(mains) == 1 {
		return mains[0], true
	}
	return mains[0], false
}
