package sbom

import (
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/sbom/sbomtest"
)

// testBinary builds testdata/app, a real program with module
// dependencies, with the go command running the tests.
func testBinary(t *testing.T) Binary {
	path := filepath.Join(t.TempDir(), "app")
	cmd := exec.Command("go", "build", "-trimpath", "-o", path, "./testdata/app")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./testdata/app: %v\n%s", err, out)
	}
	return Binary{Name: "app", Path: path}
}

func TestForAppFromRealBinary(t *testing.T) {
	bin := testBinary(t)
	bom, err := ForApp(App{Name: "github.com/gobuildpack/heroku-buildpack-go", Binaries: []Binary{bin}, Tool: Tool{Name: "gobuildpack/go", Version: "0.1.0"}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := bom.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := sbomtest.Validate(data); err != nil {
		t.Fatalf("document does not match the CycloneDX schema: %v\n%s", err, data)
	}

	info, err := buildinfo.ReadFile(bin.Path)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Component{}
	for _, c := range bom.Components {
		byName[c.Name] = c
	}
	std, ok := byName["stdlib"]
	if want := StdlibVersion(info.GoVersion); !ok || want == "" || std.Version != want || std.PURL != "pkg:golang/stdlib@"+want {
		t.Errorf("stdlib component = %+v, want version %s", std, want)
	}
	if len(info.Deps) != 2 {
		t.Fatalf("testdata/app links %d modules, want 2 (toml and x/mod)", len(info.Deps))
	}
	for _, dep := range info.Deps {
		c, ok := byName[dep.Path]
		if !ok || c.Version != dep.Version || c.PURL != "pkg:golang/"+dep.Path+"@"+dep.Version || c.Type != "library" {
			t.Errorf("module component = %+v, want %s@%s", c, dep.Path, dep.Version)
		}
		if want, _ := h1SHA256(dep.Sum); len(c.Hashes) != 1 || c.Hashes[0].Content != want || want == "" {
			t.Errorf("module hashes = %+v, want SHA-256 of %s", c.Hashes, dep.Sum)
		}
	}

	data, err = os.ReadFile(bin.Path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	b, ok := byName["app"]
	if !ok || len(b.Hashes) != 1 || b.Hashes[0].Content != hex.EncodeToString(sum[:]) {
		t.Errorf("binary component = %+v, want the file's SHA-256", b)
	}
	if bom.Metadata.Component == nil || bom.Metadata.Component.Name != "github.com/gobuildpack/heroku-buildpack-go" {
		t.Errorf("metadata.component = %+v", bom.Metadata.Component)
	}
	if len(bom.Dependencies) != 2 || bom.Dependencies[0].Ref != appRef || bom.Dependencies[0].DependsOn[0] != "binary:app" ||
		len(bom.Dependencies[1].DependsOn) != 4 {
		t.Errorf("dependencies = %+v, want app -> binary -> stdlib, main module and 2 modules", bom.Dependencies)
	}
}

func TestForAppNotABinary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "web")
	os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755)
	_, err := ForApp(App{Name: "x", Binaries: []Binary{{Name: "web", Path: path}}})
	if err == nil || !strings.Contains(err.Error(), "read build info of bin/web") {
		t.Errorf("ForApp of a script = %v, want an error naming bin/web", err)
	}
}

func TestFromBuildInfo(t *testing.T) {
	uuid := &debug.Module{Path: "github.com/google/uuid", Version: "v1.6.0", Sum: "h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0="}
	web := &debug.BuildInfo{
		GoVersion: "go1.22.12",
		Path:      "example.com/app/cmd/web",
		Main:      debug.Module{Path: "example.com/app", Version: "(devel)"},
		Deps: []*debug.Module{
			uuid,
			{Path: "example.com/old", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.0.1", Sum: "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}},
			{Path: "example.com/local", Version: "v0.0.0", Replace: &debug.Module{Path: "../local"}},
			{Path: "example.com/odd", Version: "v2.0.0+incompatible"},
		},
		Settings: []debug.BuildSetting{{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}, {Key: "CGO_ENABLED", Value: "0"}, {Key: "-tags", Value: "heroku"}, {Key: "-ldflags", Value: "-s -w"}},
	}
	worker := &debug.BuildInfo{GoVersion: "go1.22.12", Path: "example.com/app/cmd/worker", Main: web.Main, Deps: []*debug.Module{uuid}}
	bom := fromBuildInfo(App{Name: "example.com/app"}, []binaryInfo{{"web", strings.Repeat("a", 64), web}, {"worker", strings.Repeat("b", 64), worker}})
	data, err := bom.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := sbomtest.Validate(data); err != nil {
		t.Fatalf("document does not match the CycloneDX schema: %v\n%s", err, data)
	}
	refs := map[string]Component{}
	for _, c := range bom.Components {
		if _, dup := refs[c.BOMRef]; dup {
			t.Errorf("component %s listed twice", c.BOMRef)
		}
		refs[c.BOMRef] = c
	}
	for _, want := range []string{
		"binary:web", "binary:worker", "pkg:golang/stdlib@v1.22.12", "pkg:golang/example.com/app",
		"pkg:golang/github.com/google/uuid@v1.6.0", "pkg:golang/example.com/fork@v1.0.1",
		"dir:../local", "pkg:golang/example.com/odd@v2.0.0%2Bincompatible",
	} {
		if _, ok := refs[want]; !ok {
			t.Errorf("no component %s; have %v", want, keys(refs))
		}
	}
	if len(bom.Components) != 8 {
		t.Errorf("%d components, want 8", len(bom.Components))
	}
	if c := refs["pkg:golang/example.com/fork@v1.0.1"]; len(c.Properties) != 1 || c.Properties[0].Value != "example.com/old@v1.0.0" {
		t.Errorf("replacement = %+v, want it to name what it replaces", c)
	}
	if c := refs["pkg:golang/example.com/app"]; c.Version != "" || c.Type != "application" {
		t.Errorf("main module = %+v, want no version for (devel)", c)
	}
	props := map[string]string{}
	for _, p := range refs["binary:web"].Properties {
		props[p.Name] = p.Value
	}
	if props["cdx:gomod:build:env:GOOS"] != "linux" || props["cdx:gomod:build:env:tags"] != "heroku" || props["cdx:gomod:package"] != "example.com/app/cmd/web" {
		t.Errorf("binary properties = %v", props)
	}
	if _, ok := props["cdx:gomod:build:env:ldflags"]; ok {
		t.Errorf("binary properties list -ldflags, which may hold a stamped value: %v", props)
	}
	// Every reference in the dependency graph names a component.
	for _, d := range bom.Dependencies {
		for _, r := range append([]string{d.Ref}, d.DependsOn...) {
			if _, ok := refs[r]; !ok && r != appRef {
				t.Errorf("dependency graph names %s, which is not a component", r)
			}
		}
	}
	again, _ := fromBuildInfo(App{Name: "example.com/app"}, []binaryInfo{{"web", strings.Repeat("a", 64), web}, {"worker", strings.Repeat("b", 64), worker}}).JSON()
	if !bytes.Equal(data, again) {
		t.Errorf("two documents of the same binaries differ")
	}
}

func keys(m map[string]Component) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestForToolchain(t *testing.T) {
	bom := ForToolchain("go1.22.12", "linux", "arm64", Tool{Name: "gobuildpack/go", Version: "0.1.0"})
	data, err := bom.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := sbomtest.Validate(data); err != nil {
		t.Fatalf("document does not match the CycloneDX schema: %v\n%s", err, data)
	}
	if c := bom.Metadata.Component; c.PURL != "pkg:golang/golang.org/toolchain@v0.0.1-go1.22.12.linux-arm64" || c.CPE != "cpe:2.3:a:golang:go:1.22.12:*:*:*:*:*:*:*" {
		t.Errorf("toolchain component = %+v", c)
	}
}

func TestValidateCatchesBrokenDocuments(t *testing.T) {
	bom := ForToolchain("go1.22.12", "linux", "amd64", Tool{})
	for name, change := range map[string]func(m map[string]any){
		"no specVersion":    func(m map[string]any) { delete(m, "specVersion") },
		"unknown field":     func(m map[string]any) { m["generatedBy"] = "x" },
		"component no name": func(m map[string]any) { delete(m["components"].([]any)[0].(map[string]any), "name") },
		"bad hash alg": func(m map[string]any) {
			m["components"].([]any)[0].(map[string]any)["hashes"] = []any{map[string]any{"alg": "CRC32", "content": "00"}}
		},
	} {
		data, _ := bom.JSON()
		var m map[string]any
		json.Unmarshal(data, &m)
		change(m)
		data, _ = json.Marshal(m)
		if err := sbomtest.Validate(data); err == nil {
			t.Errorf("%s: Validate accepted it", name)
		}
	}
}

func TestStdlibVersion(t *testing.T) {
	for in, want := range map[string]string{
		"go1.22.12":                "v1.22.12",
		"go1.22":                   "v1.22.0",
		"go1.23rc1":                "v1.23.0-rc.1",
		"go1.21beta2":              "v1.21.0-beta.2",
		"go1.22.12 X:boringcrypto": "v1.22.12",
		"devel +abc":               "",
		"":                         "",
	} {
		if got := StdlibVersion(in); got != want {
			t.Errorf("StdlibVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPURL(t *testing.T) {
	for _, tt := range []struct{ path, version, want string }{
		{"github.com/google/uuid", "v1.6.0", "pkg:golang/github.com/google/uuid@v1.6.0"},
		{"github.com/BurntSushi/toml", "v1.6.0", "pkg:golang/github.com/BurntSushi/toml@v1.6.0"},
		{"example.com/x", "v2.0.0+incompatible", "pkg:golang/example.com/x@v2.0.0%2Bincompatible"},
		{"example.com/a b", "", "pkg:golang/example.com/a%20b"},
	} {
		if got := purl(tt.path, tt.version); got != tt.want {
			t.Errorf("purl(%q, %q) = %q, want %q", tt.path, tt.version, got, tt.want)
		}
	}
}

func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".heroku", "go", "sbom.cdx.json")
	bom := ForToolchain("go1.22.12", "linux", "amd64", Tool{})
	if err := bom.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := bom.JSON()
	if !bytes.Equal(data, want) {
		t.Errorf("file holds %s, want %s", data, want)
	}
}
