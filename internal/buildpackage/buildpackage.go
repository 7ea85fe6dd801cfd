// Package buildpackage writes the buildpack as a release ships it: a
// buildpackage, the OCI image that `pack buildpack package --format file`
// writes for a target (a .cnb file), and the classic buildpack tarball
// (buildpack.tgz); and it unpacks a buildpackage as a platform does when
// it puts the buildpack into a builder.
//
// The bytes depend only on the files given and the descriptor: entries
// are sorted by path, every entry has the same modification time
// (ModTime) and owner (root, 0:0, no names), files are 0755 when they
// were executable and 0644 otherwise, directories 0755, and the gzip
// streams have no name or time in their header. The gzip streams are
// Go's compress/gzip at its default level, whose output has not changed
// since Go 1.7.
package buildpackage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
)

// File is a file of the buildpack.
type File struct {
	// Path is slash-separated and relative to the buildpack's root:
	// "bin/build".
	Path string
	Exec bool
	Data []byte
}

// ModTime is the modification time of every entry: pack's, the first
// second of 1980, which tools that cannot store an earlier time (zip)
// keep as it is.
var ModTime = time.Date(1980, time.January, 1, 0, 0, 1, 0, time.UTC)

// Labels of a buildpackage's image config, which platforms read.
const (
	// MetadataLabel describes the package's buildpack.
	MetadataLabel = "io.buildpacks.buildpackage.metadata"
	// LayersLabel maps each buildpack id and version in the package to
	// its layer (by diff ID), Buildpack API and targets.
	LayersLabel = "io.buildpacks.buildpack.layers"
)

// Media types, those pack writes: a Docker image manifest and a gzipped
// layer, in an OCI image index.
const (
	mediaIndex    = "application/vnd.oci.image.index.v1+json"
	mediaManifest = "application/vnd.docker.distribution.manifest.v2+json"
	mediaConfig   = "application/vnd.docker.container.image.v1+json"
	mediaLayer    = "application/vnd.docker.image.rootfs.diff.tar.gzip"
)

// Root is the directory of a platform's builder that holds the buildpacks:
// a buildpackage's layer has the buildpack in Root/ID/VERSION, with the
// id's slashes replaced by underscores (Dir).
const Root = "/cnb/buildpacks"

// Dir is where the buildpack id at version is in a builder image and in
// a buildpackage's layer: /cnb/buildpacks/gobuildpack_go/0.1.0.
func Dir(id, version string) string {
	return path.Join(Root, strings.ReplaceAll(id, "/", "_"), version)
}

// Name is the file name of the buildpackage for target, as `pack
// buildpack package NAME.cnb --format file` names it for a buildpack
// with several targets: go-linux-amd64.cnb for the name "go".
func Name(name string, t manifest.Target) string {
	n := name + "-" + t.OS
	if t.Arch != "" {
		n += "-" + t.Arch
	}
	return n + ".cnb"
}

// descriptor is an OCI content descriptor.
type descriptor struct {
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	Digest    string `json:"digest"`
}

// moduleInfo is the buildpackage metadata label, as pack writes it.
type moduleInfo struct {
	ID          string   `json:"id"`
	Name        string   `json:"name,omitempty"`
	Version     string   `json:"version"`
	Description string   `json:"description,omitempty"`
	Homepage    string   `json:"homepage,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
	ClearEnv    bool     `json:"clear-env,omitempty"`
	// Stacks is "*", any: pack's value for a buildpack that declares
	// targets and no stacks, which builders made with stacks check.
	Stacks []stack `json:"stacks"`
}

type stack struct {
	ID string `json:"id"`
}

// layerInfo is a buildpack's entry in the layers label.
type layerInfo struct {
	API         string   `json:"api"`
	Targets     []target `json:"targets,omitempty"`
	LayerDiffID string   `json:"layerDiffID"`
	Homepage    string   `json:"homepage,omitempty"`
	Name        string   `json:"name,omitempty"`
}

type target struct {
	OS      string   `json:"os"`
	Arch    string   `json:"arch"`
	Variant string   `json:"variant,omitempty"`
	Distros []distro `json:"distros,omitempty"`
}

type distro struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// imageConfig is the part of an image config a buildpackage has.
type imageConfig struct {
	Architecture string    `json:"architecture"`
	Created      time.Time `json:"created"`
	History      []history `json:"history"`
	OS           string    `json:"os"`
	Variant      string    `json:"variant,omitempty"`
	RootFS       rootFS    `json:"rootfs"`
	Config       struct {
		Labels map[string]string `json:"Labels"`
	} `json:"config"`
}

type history struct {
	Created time.Time `json:"created"`
}

type rootFS struct {
	Type    string   `json:"type"`
	DiffIDs []string `json:"diff_ids"`
}

type imageManifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Config        descriptor   `json:"config"`
	Layers        []descriptor `json:"layers"`
}

type imageIndex struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Manifests     []descriptor `json:"manifests"`
}

// ociLayout is the content of the oci-layout file.
const ociLayout = `{"imageLayoutVersion":"1.0.0"}`

// WriteCNB writes the buildpackage of the buildpack described by m, made
// of files, for target t (one of m's targets) to w: a tar of an OCI image
// layout holding one image for t's os and architecture, whose one layer
// has the files in Dir(id, version), with the labels a platform reads.
func WriteCNB(w io.Writer, m *manifest.Manifest, t manifest.Target, files []File) error {
	if err := m.CheckCNB(); err != nil {
		return fmt.Errorf("write buildpackage: %w", err)
	}
	if !hasTarget(m, t) {
		return fmt.Errorf("write buildpackage: %s/%s is not one of the [[targets]] of buildpack.toml", t.OS, t.Arch)
	}
	bp := m.Buildpack
	base := Dir(bp.ID, bp.Version)
	// The layer begins as pack's does: the id's directory, then the
	// version's (no /cnb or /cnb/buildpacks entries; pack looks for the id
	// in the first entry under /cnb/buildpacks/).
	layer, err := tarball(tree(files), func(p string) string { return path.Join(base, p) },
		[]string{path.Dir(base), base})
	if err != nil {
		return fmt.Errorf("write buildpackage: %w", err)
	}
	diffID := digest(layer)
	gzLayer, err := gzipped(layer)
	if err != nil {
		return fmt.Errorf("write buildpackage: %w", err)
	}

	var targets []target
	for _, mt := range m.Targets {
		tt := target{OS: mt.OS, Arch: mt.Arch, Variant: mt.ArchVariant}
		for _, d := range mt.Distros {
			tt.Distros = append(tt.Distros, distro{Name: d.Name, Version: d.Version})
		}
		targets = append(targets, tt)
	}
	meta, err := json.Marshal(moduleInfo{ID: bp.ID, Name: bp.Name, Version: bp.Version, Description: bp.Description,
		Homepage: bp.Homepage, Keywords: bp.Keywords, ClearEnv: bp.ClearEnv, Stacks: []stack{{ID: "*"}}})
	if err != nil {
		return err
	}
	layers, err := json.Marshal(map[string]map[string]layerInfo{bp.ID: {bp.Version: {
		API: m.API, Targets: targets, LayerDiffID: diffID, Homepage: bp.Homepage, Name: bp.Name}}})
	if err != nil {
		return err
	}
	var cfg imageConfig
	cfg.Architecture, cfg.OS, cfg.Variant = t.Arch, t.OS, t.ArchVariant
	// The zero time, as pack writes it: the image was not made at any
	// particular moment.
	cfg.History = []history{{}}
	cfg.RootFS = rootFS{Type: "layers", DiffIDs: []string{diffID}}
	cfg.Config.Labels = map[string]string{MetadataLabel: string(meta), LayersLabel: string(layers)}
	config, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	mf, err := json.Marshal(imageManifest{SchemaVersion: 2, MediaType: mediaManifest,
		Config: describe(mediaConfig, config), Layers: []descriptor{describe(mediaLayer, gzLayer)}})
	if err != nil {
		return err
	}
	index, err := json.Marshal(imageIndex{SchemaVersion: 2, MediaType: mediaIndex, Manifests: []descriptor{describe(mediaManifest, mf)}})
	if err != nil {
		return err
	}

	var layout []File
	for _, blob := range [][]byte{gzLayer, config, mf} {
		layout = append(layout, File{Path: "blobs/sha256/" + strings.TrimPrefix(digest(blob), "sha256:"), Data: blob})
	}
	layout = append(layout, File{Path: "index.json", Data: index}, File{Path: "oci-layout", Data: []byte(ociLayout)})
	archive, err := tarball(tree(layout), func(p string) string { return p }, nil)
	if err != nil {
		return fmt.Errorf("write buildpackage: %w", err)
	}
	_, err = w.Write(archive)
	return err
}

// WriteTarball writes the classic buildpack tarball of files to w: a
// gzipped tar with the buildpack's files at its root, as Heroku fetches
// a buildpack from a URL.
func WriteTarball(w io.Writer, files []File) error {
	data, err := tarball(tree(files), func(p string) string { return p }, nil)
	if err != nil {
		return fmt.Errorf("write buildpack tarball: %w", err)
	}
	gz, err := gzipped(data)
	if err != nil {
		return fmt.Errorf("write buildpack tarball: %w", err)
	}
	_, err = w.Write(gz)
	return err
}

func hasTarget(m *manifest.Manifest, t manifest.Target) bool {
	for _, mt := range m.Targets {
		if mt.OS == t.OS && mt.Arch == t.Arch && mt.ArchVariant == t.ArchVariant {
			return true
		}
	}
	return false
}

// entry is a directory (File.Data nil and dir set) or a file of a tree.
type entry struct {
	File
	dir bool
}

// tree returns files with their parent directories, sorted by path: a
// directory comes before what it holds, as its path is a prefix of theirs.
func tree(files []File) []entry {
	dirs := map[string]bool{}
	var out []entry
	for _, f := range files {
		out = append(out, entry{File: f})
		for d := path.Dir(f.Path); d != "." && d != "/" && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
			out = append(out, entry{File: File{Path: d}, dir: true})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// tarball writes the entries into a tar, each named by name(path), after
// a directory entry for each of first.
func tarball(entries []entry, name func(string) string, first []string) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	header := func(h *tar.Header) error {
		h.ModTime, h.Uid, h.Gid = ModTime, 0, 0
		return tw.WriteHeader(h)
	}
	for _, d := range first {
		if err := header(&tar.Header{Typeflag: tar.TypeDir, Name: d, Mode: 0o755}); err != nil {
			return nil, err
		}
	}
	for i, e := range entries {
		if i > 0 && entries[i-1].Path == e.Path {
			return nil, fmt.Errorf("%s is given twice", e.Path)
		}
		if !validPath(e.Path) {
			return nil, fmt.Errorf("%q is not a relative slash-separated path", e.Path)
		}
		if e.dir {
			if err := header(&tar.Header{Typeflag: tar.TypeDir, Name: name(e.Path), Mode: 0o755}); err != nil {
				return nil, err
			}
			continue
		}
		mode := int64(0o644)
		if e.Exec {
			mode = 0o755
		}
		if err := header(&tar.Header{Typeflag: tar.TypeReg, Name: name(e.Path), Mode: mode, Size: int64(len(e.Data))}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.Data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// validPath reports whether p is a clean relative slash-separated path.
func validPath(p string) bool {
	return p != "" && p != "." && !strings.HasPrefix(p, "/") && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../")
}

// gzipped compresses data with a header that names no file and no time.
func gzipped(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// digest is the OCI digest of data: "sha256:" and its SHA-256 in hex.
func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func describe(mediaType string, data []byte) descriptor {
	return descriptor{MediaType: mediaType, Size: int64(len(data)), Digest: digest(data)}
}
