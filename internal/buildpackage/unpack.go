package buildpackage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Image is a buildpackage: what its image config says of it.
type Image struct {
	// OS and Arch are the image's target.
	OS, Arch string
	// ID and Version name the package's buildpack (the metadata label).
	ID, Version string
	// Buildpacks are the buildpacks whose layers the image has (the
	// layers label), sorted by id and version: the package's buildpack
	// and, for a composite one, those of its order.
	Buildpacks []Buildpack

	blobs  map[string][]byte
	layers []descriptor
	diffs  []string
}

// Buildpack is a buildpack in a buildpackage.
type Buildpack struct {
	ID, Version string
	// API is its Buildpack API version.
	API string
	// DiffID is the digest of its layer, uncompressed.
	DiffID string
}

// maxArchive bounds what Open and Unpack read.
const maxArchive = 1 << 30

// Open reads the buildpackage in the file at cnb as a platform does: the
// image of index.json and its config's labels. Every blob it reads is
// checked against its digest and size.
func Open(cnb string) (*Image, error) {
	blobs, err := readArchive(cnb)
	if err != nil {
		return nil, fmt.Errorf("read buildpackage %s: %w", cnb, err)
	}
	img, err := open(blobs)
	if err != nil {
		return nil, fmt.Errorf("read buildpackage %s: %w", cnb, err)
	}
	return img, nil
}

// readArchive reads the regular files of the tar at name, by their clean
// relative path.
func readArchive(name string) (map[string][]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][]byte{}
	tr := tar.NewReader(io.LimitReader(f, maxArchive))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		out[strings.TrimPrefix(path.Clean("/"+h.Name), "/")] = data
	}
}

// blob returns the blob d describes, checked against its digest and size.
func blob(blobs map[string][]byte, d descriptor) ([]byte, error) {
	alg, hexSum, ok := strings.Cut(d.Digest, ":")
	if !ok || alg != "sha256" || len(hexSum) != 64 || strings.Trim(hexSum, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("bad digest %q", d.Digest)
	}
	data, ok := blobs["blobs/sha256/"+hexSum]
	if !ok {
		return nil, fmt.Errorf("no blob %s", d.Digest)
	}
	if digest(data) != d.Digest || int64(len(data)) != d.Size {
		return nil, fmt.Errorf("blob %s has another digest or size", d.Digest)
	}
	return data, nil
}

func open(blobs map[string][]byte) (*Image, error) {
	if string(blobs["oci-layout"]) == "" {
		return nil, errors.New("not an OCI image layout: no oci-layout file")
	}
	var index imageIndex
	if err := json.Unmarshal(blobs["index.json"], &index); err != nil {
		return nil, fmt.Errorf("index.json: %w", err)
	}
	if len(index.Manifests) != 1 {
		return nil, fmt.Errorf("index.json has %d manifests, want 1", len(index.Manifests))
	}
	data, err := blob(blobs, index.Manifests[0])
	if err != nil {
		return nil, err
	}
	var mf imageManifest
	if err := json.Unmarshal(data, &mf); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if data, err = blob(blobs, mf.Config); err != nil {
		return nil, err
	}
	var cfg imageConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var meta moduleInfo
	if err := json.Unmarshal([]byte(cfg.Config.Labels[MetadataLabel]), &meta); err != nil {
		return nil, fmt.Errorf("label %s: %w", MetadataLabel, err)
	}
	var layers map[string]map[string]layerInfo
	if err := json.Unmarshal([]byte(cfg.Config.Labels[LayersLabel]), &layers); err != nil {
		return nil, fmt.Errorf("label %s: %w", LayersLabel, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(mf.Layers) {
		return nil, fmt.Errorf("the config lists %d layers, the manifest %d", len(cfg.RootFS.DiffIDs), len(mf.Layers))
	}
	img := &Image{OS: cfg.OS, Arch: cfg.Architecture, ID: meta.ID, Version: meta.Version,
		blobs: blobs, layers: mf.Layers, diffs: cfg.RootFS.DiffIDs}
	for id, versions := range layers {
		for v, info := range versions {
			img.Buildpacks = append(img.Buildpacks, Buildpack{ID: id, Version: v, API: info.API, DiffID: info.LayerDiffID})
		}
	}
	sort.Slice(img.Buildpacks, func(i, j int) bool {
		a, b := img.Buildpacks[i], img.Buildpacks[j]
		return a.ID < b.ID || a.ID == b.ID && a.Version < b.Version
	})
	if _, ok := img.buildpack(meta.ID, meta.Version); !ok {
		return nil, fmt.Errorf("label %s has no layer for %s@%s, the package's buildpack", LayersLabel, meta.ID, meta.Version)
	}
	return img, nil
}

func (img *Image) buildpack(id, version string) (Buildpack, bool) {
	for _, bp := range img.Buildpacks {
		if bp.ID == id && bp.Version == version {
			return bp, true
		}
	}
	return Buildpack{}, false
}

// Unpack writes the layer of buildpack id at version into dir, as a
// platform writes it into a builder image, and returns where the
// buildpack is then: dir/cnb/buildpacks/ID/VERSION (Dir). The layer is
// checked against its diff ID, and may hold only directories and regular
// files under /cnb/buildpacks.
func (img *Image) Unpack(id, version, dir string) (string, error) {
	bp, ok := img.buildpack(id, version)
	if !ok {
		return "", fmt.Errorf("unpack %s@%s: not in the buildpackage", id, version)
	}
	at := -1
	for i, d := range img.diffs {
		if d == bp.DiffID {
			at = i
		}
	}
	if at < 0 {
		return "", fmt.Errorf("unpack %s@%s: its layer %s is not in the image", id, version, bp.DiffID)
	}
	data, err := blob(img.blobs, img.layers[at])
	if err != nil {
		return "", fmt.Errorf("unpack %s@%s: %w", id, version, err)
	}
	if strings.HasSuffix(img.layers[at].MediaType, "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return "", fmt.Errorf("unpack %s@%s: layer: %w", id, version, err)
		}
		if data, err = io.ReadAll(io.LimitReader(zr, maxArchive)); err != nil {
			return "", fmt.Errorf("unpack %s@%s: layer: %w", id, version, err)
		}
	}
	if digest(data) != bp.DiffID {
		return "", fmt.Errorf("unpack %s@%s: its layer does not match its diff ID %s", id, version, bp.DiffID)
	}
	if err := extract(data, dir); err != nil {
		return "", fmt.Errorf("unpack %s@%s: %w", id, version, err)
	}
	return filepath.Join(dir, filepath.FromSlash(Dir(id, version))), nil
}

// extract writes the directories and regular files of the layer tar into
// dir, refusing anything else and anything outside /cnb/buildpacks.
func extract(layer []byte, dir string) error {
	tr := tar.NewReader(bytes.NewReader(layer))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("layer: %w", err)
		}
		name := path.Clean("/" + h.Name)
		if !strings.HasPrefix(name, Root+"/") {
			return fmt.Errorf("layer: %s is outside %s", h.Name, Root)
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, os.FileMode(h.Mode).Perm())
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				// Exactly the layer's mode, whatever the umask.
				err = os.Chmod(dst, os.FileMode(h.Mode).Perm())
			}
			if err != nil {
				return err
			}
		default:
			return fmt.Errorf("layer: %s is neither a directory nor a regular file", h.Name)
		}
	}
}
