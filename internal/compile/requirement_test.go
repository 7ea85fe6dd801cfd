package compile

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

// The go command's output for an import go.mod does not require, whose
// newest version needs a newer Go (github.com/samber/lo v1.53.0).
const (
	stderr115 = `go: finding module for package github.com/samber/lo
go: found github.com/samber/lo in github.com/samber/lo v1.53.0
/cache/modcache/github.com/samber/lo@v1.53.0/errors.go:4:2: package cmp is not in GOROOT (/tc/src/cmp)
/cache/modcache/github.com/samber/lo@v1.53.0/find.go:6:2: package math/rand/v2 is not in GOROOT (/tc/src/math/rand/v2)
`
	stderr113 = `go: finding github.com/samber/lo v1.53.0
build example.com/app: cannot load cmp: malformed module path "cmp": missing dot in first path element
`
	stderr112 = `go: finding github.com/samber/lo v1.53.0
/cache/github.com/samber/lo@v1.53.0/errors.go:4:2: cannot find package "slices" in any of:
`
	stderrOther = `main.go:4:2: cannot find package "example.com/nowhere" in any of:
`
)

func TestMissingStd(t *testing.T) {
	for _, tt := range []struct {
		stderr string
		want   []string
	}{
		{stderr115, []string{"cmp", "math/rand/v2"}},
		{stderr113, []string{"cmp"}},
		{stderr112, []string{"slices"}},
		{stderrOther, nil},
	} {
		if got := missingStd(tt.stderr); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("missingStd(%q) = %q, want %q", tt.stderr, got, tt.want)
		}
	}
}

func TestAddedRequirements(t *testing.T) {
	before := []byte("module example.com/app\n\ngo 1.15\n\nrequire example.com/kept v1.0.0\n")
	after := []byte("module example.com/app\n\ngo 1.15\n\nrequire (\n\texample.com/kept v1.0.0\n\tgithub.com/samber/lo v1.53.0\n)\n")
	if got, want := addedRequirements(before, after), []modRequirement{{"github.com/samber/lo", "v1.53.0"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("addedRequirements = %v, want %v", got, want)
	}
	if got := addedRequirements(before, before); len(got) != 0 {
		t.Errorf("unchanged go.mod: %v", got)
	}
}

// lo returns a proxy serving example.com/lo with the go directives given
// by version ("" for none).
func lo(t *testing.T, goLines map[string]string) (*proxytest.Server, *goproxy.Client) {
	s := proxytest.New(t)
	for v, g := range goLines {
		mod := "module example.com/lo\n"
		if g != "" {
			mod += "\ngo " + g + "\n"
		}
		s.AddModule("example.com/lo", v, map[string]string{"go.mod": mod, "lo.go": "package lo\n"})
	}
	c, err := goproxy.New(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	c.Backoff = 0
	return s, c
}

// TestCompatibleVersion: the newest release no newer than the one the go
// command added whose go.mod an older Go reads, searched on a real
// loopback module proxy.
func TestCompatibleVersion(t *testing.T) {
	ctx := context.Background()
	_, c := lo(t, map[string]string{"v1.0.0": "", "v1.1.0": "1.13", "v1.2.0": "1.15", "v1.3.0-rc.1": "1.14", "v1.3.0": "1.18", "v1.4.0": "1.21"})
	for _, tt := range []struct {
		added, release string
		want           compatible
	}{
		{"v1.4.0", "go1.15.15", compatible{Version: "v1.2.0", AddedGo: "1.21", Lowest: "1.15", Searched: true}},
		{"v1.4.0", "go1.13.15", compatible{Version: "v1.1.0", AddedGo: "1.21", Lowest: "1.13", Searched: true}},
		{"v1.4.0", "go1.12.17", compatible{Version: "v1.0.0", AddedGo: "1.21", Lowest: "1.13", Searched: true}},
		{"v1.3.0", "go1.22.12", compatible{Version: "v1.3.0", AddedGo: "1.18", Lowest: "1.18", Searched: true}},
	} {
		got, err := compatibleVersion(ctx, c, "example.com/lo", tt.added, tt.release)
		if err != nil || got != tt.want {
			t.Errorf("added %s, %s: %+v, %v; want %+v", tt.added, tt.release, got, err, tt.want)
		}
	}

	// None is old enough.
	_, c = lo(t, map[string]string{"v1.0.0": "1.18", "v1.1.0": "1.21"})
	if got, err := compatibleVersion(ctx, c, "example.com/lo", "v1.1.0", "go1.15.15"); err != nil || got != (compatible{AddedGo: "1.21", Lowest: "1.18", Searched: true}) {
		t.Errorf("none old enough: %+v, %v", got, err)
	}

	// The search reads at most searchMods go.mod files.
	many := map[string]string{}
	for i := range 30 {
		many[fmt.Sprintf("v1.%d.0", i)] = "1.21"
	}
	many["v1.0.0"] = "1.13"
	s, c := lo(t, many)
	got, err := compatibleVersion(ctx, c, "example.com/lo", "v1.29.0", "go1.15.15")
	if err != nil || got.Searched || got.Version != "" {
		t.Errorf("bounded search: %+v, %v", got, err)
	}
	if n := s.RequestCount(".mod"); n != searchMods {
		t.Errorf("read %d go.mod files, want %d", n, searchMods)
	}

	// A module the proxy does not have.
	if _, err := compatibleVersion(ctx, c, "example.com/none", "v1.0.0", "go1.15.15"); !errors.Is(err, goproxy.ErrNotFound) {
		t.Errorf("unknown module: %v", err)
	}
}

// TestMissingRequirementError: the message names the requirement, why it
// fails, and the version to require.
func TestMissingRequirementError(t *testing.T) {
	_, c := lo(t, map[string]string{"v1.1.0": "1.13", "v1.2.0": "1.15", "v1.4.0": "1.21"})
	runErr := errors.New("go list -deps: exit status 1")
	added := []modRequirement{{"example.com/lo", "v1.4.0"}}
	for _, tt := range []struct {
		name string
		src  modSource
		msg  []string
		fix  []string
	}{
		{"found", c, []string{"go.mod does not require example.com/lo, which the app imports: go1.15.15 added its newest version, v1.4.0, which needs a newer Go (its go.mod says go 1.21); go1.15.15 lacks the standard-library package cmp"},
			[]string{"`go get example.com/lo@v1.2.0` then `go mod tidy` with go1.15 (v1.2.0 is its newest release whose go.mod asks for go 1.15 or older)", "Commit go.mod and go.sum."}},
		{"no proxy", nil, []string{"which needs a newer Go;"}, []string{"`go get example.com/lo@VERSION` then `go mod tidy` with go1.15", "GOPROXY lists no proxy"}},
	} {
		err := missingRequirementError(context.Background(), tt.src, runErr, "go1.15.15", []string{"cmp"}, added)
		r, ok := remedy.Of(err)
		if !ok || r.Section != "missing-requirement" || !errors.Is(err, runErr) {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for _, w := range tt.msg {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", tt.name, err, w)
			}
		}
		for _, w := range tt.fix {
			if !strings.Contains(r.Fix, w) {
				t.Errorf("%s: fix %q lacks %q", tt.name, r.Fix, w)
			}
		}
	}
	_, old := lo(t, map[string]string{"v1.4.0": "1.21"})
	err := missingRequirementError(context.Background(), old, runErr, "go1.15.15", []string{"cmp"}, added)
	if r, _ := remedy.Of(err); !strings.Contains(r.Fix, "No release of example.com/lo asks for go 1.15 or older (the oldest go directive among them is go 1.21): the app needs go1.21 or newer (`go mod edit -go=1.21`, then `go get example.com/lo` and `go mod tidy`). Commit go.mod and go.sum.") {
		t.Errorf("none old enough: fix %q", r.Fix)
	}
}
