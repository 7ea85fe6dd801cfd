// Package sbom writes the bill of materials of a build as CycloneDX JSON:
// the Go release and every module compiled into the app's binaries, read
// from the binaries' own build info (debug/buildinfo), so it names what was
// linked, not what go.mod lists.
//
// The same document is written into the slug on classic Heroku
// (SlugFile) and next to the launch layer of the binaries as a Cloud
// Native Buildpack (<layer>.sbom.cdx.json). It carries no timestamp or
// random serial number: two builds of the same source give the same bytes.
package sbom

import (
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/version"
	"runtime/debug"
	"sort"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// MediaType is the media type of the documents, as buildpack.toml's
// sbom-formats names it.
const MediaType = "application/vnd.cyclonedx+json"

// SpecVersion is the CycloneDX version of the documents.
const SpecVersion = "1.5"

// SlugFile is where a classic build writes the document, relative to the
// build directory.
const SlugFile = ".heroku/go/sbom.cdx.json"

// BOM is a CycloneDX document, with the fields this package writes.
type BOM struct {
	BOMFormat    string       `json:"bomFormat"`
	SpecVersion  string       `json:"specVersion"`
	Version      int          `json:"version"`
	Metadata     Metadata     `json:"metadata"`
	Components   []Component  `json:"components"`
	Dependencies []Dependency `json:"dependencies,omitempty"`
}

// Metadata says what the document describes and what wrote it.
type Metadata struct {
	Tools     *Tools     `json:"tools,omitempty"`
	Component *Component `json:"component,omitempty"`
}

// Tools lists the programs that wrote the document.
type Tools struct {
	Components []Component `json:"components"`
}

// Component is a piece of software: the app, a binary, a module, the Go
// standard library or a toolchain.
type Component struct {
	Type        string     `json:"type"`
	BOMRef      string     `json:"bom-ref,omitempty"`
	Name        string     `json:"name"`
	Version     string     `json:"version,omitempty"`
	Description string     `json:"description,omitempty"`
	Hashes      []Hash     `json:"hashes,omitempty"`
	PURL        string     `json:"purl,omitempty"`
	CPE         string     `json:"cpe,omitempty"`
	Properties  []Property `json:"properties,omitempty"`
}

// Hash is a checksum of a component.
type Hash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

// Property is a name-value pair about a component. Names in the cdx:gomod
// namespace follow CycloneDX's property taxonomy for Go.
type Property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Dependency says which components one component is made of.
type Dependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn,omitempty"`
}

// Tool names the program that writes the document: the buildpack.
type Tool struct {
	Name    string
	Version string
}

// Binary is a built binary: its name (bin/NAME), where it is now, and
// the import path of its main package.
type Binary struct {
	Name       string
	Path       string
	ImportPath string
}

// App describes what to list: the app's name (its module path, or the
// directory of its workspace), its binaries and the Go release that built
// them (go1.22.12).
type App struct {
	Name      string
	Binaries  []Binary
	Tool      Tool
	GoVersion string
}

// appRef is the bom-ref of the app as a whole.
const appRef = "app"

// ForApp reads the build info of the app's binaries and returns their
// bill of materials.
func ForApp(a App) (*BOM, error) {
	infos := make([]binaryInfo, 0, len(a.Binaries))
	for _, b := range a.Binaries {
		bi, err := buildinfo.ReadFile(b.Path)
		if err != nil && a.GoVersion != "" && version.Compare(a.GoVersion, "go1.13") < 0 {
			// Releases before go1.13 write no build info: the document
			// lists the main module, and the standard library, only.
			bi, err = &debug.BuildInfo{GoVersion: a.GoVersion, Path: b.ImportPath, Main: debug.Module{Path: a.Name}}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read build info of bin/%s: %w", b.Name, err)
		}
		sum, err := files.SHA256(b.Path)
		if err != nil {
			return nil, fmt.Errorf("read build info of bin/%s: %w", b.Name, err)
		}
		infos = append(infos, binaryInfo{name: b.Name, sha256: sum, info: bi})
	}
	return fromBuildInfo(a, infos), nil
}

// binaryInfo is what the document says about one binary.
type binaryInfo struct {
	name   string
	sha256 string
	info   *debug.BuildInfo
}

// fromBuildInfo assembles the document from the binaries' build info.
func fromBuildInfo(a App, bins []binaryInfo) *BOM {
	b := newBOM(a.Tool)
	b.Metadata.Component = &Component{Type: "application", BOMRef: appRef, Name: a.Name}
	components := map[string]Component{}
	add := func(c Component) string {
		if _, ok := components[c.BOMRef]; !ok {
			components[c.BOMRef] = c
		}
		return c.BOMRef
	}
	app := Dependency{Ref: appRef}
	var deps []Dependency
	for _, bin := range bins {
		bi := bin.info
		ref := "binary:" + bin.name
		props := []Property{{Name: "cdx:gomod:binary:name", Value: bin.name}, {Name: "cdx:gomod:package", Value: bi.Path}}
		for _, s := range bi.Settings {
			switch s.Key {
			case "GOOS", "GOARCH", "CGO_ENABLED", "GOAMD64", "GOARM64", "GOEXPERIMENT", "-tags":
				props = append(props, Property{Name: "cdx:gomod:build:env:" + strings.TrimPrefix(s.Key, "-"), Value: s.Value})
			}
		}
		add(Component{
			Type:       "application",
			BOMRef:     ref,
			Name:       bin.name,
			Hashes:     []Hash{{Alg: "SHA-256", Content: bin.sha256}},
			Properties: props,
		})
		app.DependsOn = append(app.DependsOn, ref)
		d := Dependency{Ref: ref}
		d.DependsOn = append(d.DependsOn, add(stdlib(bi.GoVersion)))
		if bi.Main.Path != "" {
			d.DependsOn = append(d.DependsOn, add(module(bi.Main, "application")))
		}
		for _, m := range bi.Deps {
			d.DependsOn = append(d.DependsOn, add(module(*m, "library")))
		}
		sort.Strings(d.DependsOn)
		d.DependsOn = unique(d.DependsOn)
		deps = append(deps, d)
	}
	sort.Strings(app.DependsOn)
	b.Dependencies = append([]Dependency{app}, deps...)
	for _, c := range components {
		b.Components = append(b.Components, c)
	}
	sort.Slice(b.Components, func(i, j int) bool { return b.Components[i].BOMRef < b.Components[j].BOMRef })
	return b
}

// ForToolchain returns the bill of materials of an installed Go
// toolchain: the release, as the module the buildpack downloaded.
func ForToolchain(goVersion, goos, goarch string, tool Tool) *BOM {
	b := newBOM(tool)
	modVersion := "v0.0.1-" + goVersion + "." + goos + "-" + goarch
	c := Component{
		Type:        "application",
		BOMRef:      "toolchain",
		Name:        "go",
		Version:     goVersion,
		Description: "The Go toolchain " + goVersion + " for " + goos + "/" + goarch + ", from the module golang.org/toolchain@" + modVersion,
		PURL:        purl("golang.org/toolchain", modVersion),
		CPE:         cpe(goVersion),
	}
	b.Metadata.Component = &c
	b.Components = []Component{stdlib(goVersion)}
	b.Dependencies = []Dependency{{Ref: c.BOMRef, DependsOn: []string{b.Components[0].BOMRef}}}
	return b
}

func newBOM(tool Tool) *BOM {
	b := &BOM{BOMFormat: "CycloneDX", SpecVersion: SpecVersion, Version: 1, Components: []Component{}}
	if tool.Name != "" {
		b.Metadata.Tools = &Tools{Components: []Component{{Type: "application", Name: tool.Name, Version: tool.Version}}}
	}
	return b
}

// stdlib is the Go standard library and runtime of release goVersion
// (go1.22.12), named as vulnerability scanners look it up: stdlib, with
// the release as a semantic version.
func stdlib(goVersion string) Component {
	v := StdlibVersion(goVersion)
	return Component{
		Type:        "library",
		BOMRef:      purl("stdlib", v),
		Name:        "stdlib",
		Version:     v,
		Description: "The Go standard library and runtime of " + goVersion,
		PURL:        purl("stdlib", v),
		CPE:         cpe(goVersion),
		Properties:  []Property{{Name: "cdx:gomod:toolchain", Value: goVersion}},
	}
}

// module describes a module compiled into a binary. A replaced module is
// listed as its replacement, which is what was compiled, with the module
// it replaces as a property.
func module(m debug.Module, typ string) Component {
	c := Component{Type: typ, Name: m.Path, Version: m.Version}
	sum := m.Sum
	if r := m.Replace; r != nil {
		c.Properties = append(c.Properties, Property{Name: "cdx:gomod:replaces", Value: m.Path + "@" + m.Version})
		if r.Version == "" {
			// A directory replacement: no module version identifies
			// what was compiled.
			c.Version = ""
			c.BOMRef = "dir:" + r.Path
			c.Properties = append(c.Properties, Property{Name: "cdx:gomod:replacement:dir", Value: r.Path})
			return c
		}
		c.Name, c.Version, sum = r.Path, r.Version, r.Sum
	}
	if c.Version == "(devel)" {
		c.Version = ""
	}
	c.PURL = purl(c.Name, c.Version)
	c.BOMRef = c.PURL
	if h, ok := h1SHA256(sum); ok {
		c.Hashes = []Hash{{Alg: "SHA-256", Content: h}}
	}
	return c
}

// StdlibVersion turns a Go release into the semantic version of its
// standard library: go1.22.12 is v1.22.12, go1.22 is v1.22.0 and go1.23rc1
// is v1.23.0-rc.1. It returns "" for a string that is not a release.
func StdlibVersion(goVersion string) string {
	v := strings.TrimPrefix(goVersion, "go")
	v, _, _ = strings.Cut(v, " ") // "go1.22.12 X:boringcrypto"
	pre := ""
	for _, tag := range []string{"rc", "beta"} {
		if base, n, ok := strings.Cut(v, tag); ok {
			v, pre = base, "-"+tag+"."+n
			break
		}
	}
	if strings.Count(v, ".") == 1 {
		v += ".0"
	}
	out := "v" + v + pre
	if !semver.IsValid(out) {
		return ""
	}
	return out
}

// purl is the package URL of a Go module version (version "" for none).
func purl(path, version string) string {
	var segs []string
	for _, s := range strings.Split(path, "/") {
		segs = append(segs, purlEscape(s))
	}
	p := "pkg:golang/" + strings.Join(segs, "/")
	if version != "" {
		p += "@" + purlEscape(version)
	}
	return p
}

// purlEscape percent-encodes what a purl segment may not hold as is.
func purlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(".-_~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// cpe is the NVD's name of a Go release, go1.22.12, for scanners that
// match by CPE.
func cpe(goVersion string) string {
	v := strings.TrimPrefix(goVersion, "go")
	v, _, _ = strings.Cut(v, " ")
	return "cpe:2.3:a:golang:go:" + v + ":*:*:*:*:*:*:*"
}

// h1SHA256 turns a go.sum hash (h1:base64) into the hex SHA-256 it encodes.
func h1SHA256(sum string) (string, bool) {
	b64, ok := strings.CutPrefix(sum, "h1:")
	if !ok {
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != sha256.Size {
		return "", false
	}
	return hex.EncodeToString(raw), true
}

func unique(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// JSON encodes the document, indented, with a final newline.
func (b *BOM) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFile writes the document to path, replacing it by rename.
func (b *BOM) WriteFile(path string) error {
	data, err := b.JSON()
	if err != nil {
		return fmt.Errorf("write bill of materials: %w", err)
	}
	if err := files.WriteFileAtomic(path, data, 0o644); err != nil {
		return fmt.Errorf("write bill of materials: %w", err)
	}
	return nil
}
