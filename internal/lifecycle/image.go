package lifecycle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// OCI image layout media types.
const (
	mediaManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaConfig   = "application/vnd.oci.image.config.v1+json"
	mediaLayer    = "application/vnd.oci.image.layer.v1.tar"
)

// ErrNotFound says a file is not in an image.
var ErrNotFound = errors.New("not in the image")

// isNotExist is errors.Is(err, fs.ErrNotExist).
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// Config is the part of an image's config a launch needs.
type Config struct {
	Env        []string          `json:"Env"`
	Entrypoint []string          `json:"Entrypoint"`
	WorkingDir string            `json:"WorkingDir"`
	User       string            `json:"User"`
	Labels     map[string]string `json:"Labels"`
}

// Image is an image in an OCI image layout directory.
type Image struct {
	Dir    string
	Config Config
	// layers are the blob paths of the layers, bottom first, with whether
	// each is gzipped.
	layers []layerBlob
}

type layerBlob struct {
	path string
	gzip bool
}

type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
}

// blobPath is where the blob with digest ("sha256:...") is in layout dir.
func blobPath(dir, digest string) (string, error) {
	alg, hexSum, ok := strings.Cut(digest, ":")
	if !ok || alg != "sha256" || len(hexSum) != 64 || strings.ContainsAny(hexSum, "/.") {
		return "", fmt.Errorf("read image %s: bad digest %q", dir, digest)
	}
	return filepath.Join(dir, "blobs", alg, hexSum), nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// ReadImage reads the image in the OCI image layout at dir.
func ReadImage(dir string) (*Image, error) {
	var index struct {
		Manifests []descriptor `json:"manifests"`
	}
	if err := readJSON(filepath.Join(dir, "index.json"), &index); err != nil {
		return nil, fmt.Errorf("read image %s: %w", dir, err)
	}
	if len(index.Manifests) != 1 {
		return nil, fmt.Errorf("read image %s: %d manifests in index.json, want 1", dir, len(index.Manifests))
	}
	mp, err := blobPath(dir, index.Manifests[0].Digest)
	if err != nil {
		return nil, err
	}
	var manifest struct {
		Config descriptor   `json:"config"`
		Layers []descriptor `json:"layers"`
	}
	if err := readJSON(mp, &manifest); err != nil {
		return nil, fmt.Errorf("read image %s: manifest: %w", dir, err)
	}
	cp, err := blobPath(dir, manifest.Config.Digest)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		Config Config `json:"config"`
	}
	if err := readJSON(cp, &cfg); err != nil {
		return nil, fmt.Errorf("read image %s: config: %w", dir, err)
	}
	img := &Image{Dir: dir, Config: cfg.Config}
	for _, l := range manifest.Layers {
		p, err := blobPath(dir, l.Digest)
		if err != nil {
			return nil, err
		}
		img.layers = append(img.layers, layerBlob{path: p, gzip: strings.HasSuffix(l.MediaType, "gzip")})
	}
	return img, nil
}

// File returns the content of the regular file at path (absolute, as in
// the image) from the topmost layer that has it.
func (img *Image) File(path string) ([]byte, error) {
	name := strings.TrimPrefix(filepath.Clean(path), "/")
	for i := len(img.layers) - 1; i >= 0; i-- {
		data, found, err := img.layers[i].file(name)
		if err != nil {
			return nil, fmt.Errorf("read %s from image %s: %w", path, img.Dir, err)
		}
		if found {
			return data, nil
		}
	}
	return nil, fmt.Errorf("read %s from image %s: %w", path, img.Dir, ErrNotFound)
}

// file looks for the file name in the layer.
func (l layerBlob) file(name string) ([]byte, bool, error) {
	f, err := os.Open(l.path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	var r io.Reader = f
	if l.gzip {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, false, err
		}
		r = zr
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		if strings.TrimPrefix(filepath.Clean(h.Name), "/") == name && h.Typeflag == tar.TypeReg {
			data, err := io.ReadAll(tr)
			return data, err == nil, err
		}
	}
}

// PruneBlobs removes the blobs of the OCI image layout at dir that its
// index does not reach (what the images exported before it left), so the
// layout holds one image.
func PruneBlobs(dir string) error {
	keep := map[string]bool{}
	var index struct {
		Manifests []descriptor `json:"manifests"`
	}
	if err := readJSON(filepath.Join(dir, "index.json"), &index); err != nil {
		return fmt.Errorf("prune image %s: %w", dir, err)
	}
	for _, m := range index.Manifests {
		mp, err := blobPath(dir, m.Digest)
		if err != nil {
			return err
		}
		var manifest struct {
			Config descriptor   `json:"config"`
			Layers []descriptor `json:"layers"`
		}
		if err := readJSON(mp, &manifest); err != nil {
			return fmt.Errorf("prune image %s: manifest: %w", dir, err)
		}
		keep[m.Digest] = true
		keep[manifest.Config.Digest] = true
		for _, l := range manifest.Layers {
			keep[l.Digest] = true
		}
	}
	blobs := filepath.Join(dir, "blobs", "sha256")
	entries, err := os.ReadDir(blobs)
	if err != nil {
		return fmt.Errorf("prune image %s: %w", dir, err)
	}
	for _, e := range entries {
		if !keep["sha256:"+e.Name()] {
			if err := os.Remove(filepath.Join(blobs, e.Name())); err != nil {
				return fmt.Errorf("prune image %s: %w", dir, err)
			}
		}
	}
	return nil
}

// WriteRunImage writes the run image into the OCI image layout at dir: a
// stand-in for a stack's run image that carries what the lifecycle reads
// from one, the target (linux and this machine's architecture), the user
// the app runs as and the stack's PATH, with a single layer holding /tmp.
// The app's processes run with this machine's operating system.
func WriteRunImage(dir string, uid, gid int) error {
	if err := os.MkdirAll(filepath.Join(dir, "blobs", "sha256"), 0o755); err != nil {
		return fmt.Errorf("write run image: %w", err)
	}
	blob := func(data []byte) (descriptor, error) {
		sum := sha256.Sum256(data)
		d := descriptor{Digest: "sha256:" + hex.EncodeToString(sum[:]), Size: int64(len(data))}
		return d, os.WriteFile(filepath.Join(dir, "blobs", "sha256", hex.EncodeToString(sum[:])), data, 0o644)
	}
	var layer bytes.Buffer
	tw := tar.NewWriter(&layer)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: "tmp/", Mode: 0o1777}); err != nil {
		return fmt.Errorf("write run image: %w", err)
	}
	tw.Close()
	ld, err := blob(layer.Bytes())
	if err != nil {
		return fmt.Errorf("write run image: %w", err)
	}
	ld.MediaType = mediaLayer
	config, _ := json.Marshal(map[string]any{
		"architecture": runtime.GOARCH,
		"os":           "linux",
		"config": map[string]any{
			"Env":  []string{"PATH=/usr/local/bin:/usr/bin:/bin"},
			"User": fmt.Sprintf("%d:%d", uid, gid),
		},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{ld.Digest}},
	})
	cd, err := blob(config)
	if err != nil {
		return fmt.Errorf("write run image: %w", err)
	}
	cd.MediaType = mediaConfig
	manifest, _ := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": mediaManifest, "config": cd, "layers": []descriptor{ld}})
	md, err := blob(manifest)
	if err != nil {
		return fmt.Errorf("write run image: %w", err)
	}
	md.MediaType = mediaManifest
	index, _ := json.Marshal(map[string]any{"schemaVersion": 2, "manifests": []descriptor{md}})
	if err := os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644); err != nil {
		return fmt.Errorf("write run image: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.json"), index, 0o644); err != nil {
		return fmt.Errorf("write run image: %w", err)
	}
	return nil
}
