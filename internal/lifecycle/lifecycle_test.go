package lifecycle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func TestRunImageRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), layoutPath(RunImage))
	if err := WriteRunImage(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	img, err := ReadImage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if img.Config.User != "65534:65534" || len(img.Config.Env) != 1 || img.Config.Env[0] != "PATH=/usr/local/bin:/usr/bin:/bin" {
		t.Errorf("config = %+v", img.Config)
	}
	var cfg struct {
		Architecture, OS string
	}
	var manifest struct{ Config descriptor }
	var index struct{ Manifests []descriptor }
	readJSON(filepath.Join(dir, "index.json"), &index)
	mp, _ := blobPath(dir, index.Manifests[0].Digest)
	readJSON(mp, &manifest)
	cp, _ := blobPath(dir, manifest.Config.Digest)
	readJSON(cp, &cfg)
	if cfg.OS != "linux" || cfg.Architecture != runtime.GOARCH {
		t.Errorf("target = %s/%s, want linux/%s", cfg.OS, cfg.Architecture, runtime.GOARCH)
	}
	// Every blob is named by its digest.
	blobs, _ := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	for _, b := range blobs {
		data, _ := os.ReadFile(filepath.Join(dir, "blobs", "sha256", b.Name()))
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != b.Name() {
			t.Errorf("blob %s has another digest", b.Name())
		}
	}
	if _, err := img.File("/tmp"); err == nil {
		t.Errorf("File of a directory succeeded")
	}
}

// addLayer appends a gzipped layer holding files to the image in dir.
func addLayer(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(body))})
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	sum := sha256.Sum256(buf.Bytes())
	digest := "sha256:" + hex.EncodeToString(sum[:])
	os.WriteFile(filepath.Join(dir, "blobs", "sha256", hex.EncodeToString(sum[:])), buf.Bytes(), 0o644)

	var index struct {
		SchemaVersion int          `json:"schemaVersion"`
		Manifests     []descriptor `json:"manifests"`
	}
	readJSON(filepath.Join(dir, "index.json"), &index)
	mp, _ := blobPath(dir, index.Manifests[0].Digest)
	var manifest map[string]any
	readJSON(mp, &manifest)
	manifest["layers"] = append(manifest["layers"].([]any), map[string]any{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "digest": digest, "size": buf.Len()})
	data, _ := json.Marshal(manifest)
	msum := sha256.Sum256(data)
	os.WriteFile(filepath.Join(dir, "blobs", "sha256", hex.EncodeToString(msum[:])), data, 0o644)
	index.Manifests[0].Digest = "sha256:" + hex.EncodeToString(msum[:])
	data, _ = json.Marshal(index)
	os.WriteFile(filepath.Join(dir, "index.json"), data, 0o644)
}

func TestImageFile(t *testing.T) {
	dir := t.TempDir()
	if err := WriteRunImage(dir, 1, 1); err != nil {
		t.Fatal(err)
	}
	addLayer(t, dir, map[string]string{"/layers/sbom/launch/a/sbom.cdx.json": "old", "workspace/x": "x"})
	addLayer(t, dir, map[string]string{"layers/sbom/launch/a/sbom.cdx.json": "new"})
	img, err := ReadImage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := img.File("/layers/sbom/launch/a/sbom.cdx.json"); err != nil || string(data) != "new" {
		t.Errorf("File = %q, %v; want the top layer's", data, err)
	}
	if data, err := img.File("/workspace/x"); err != nil || string(data) != "x" {
		t.Errorf("File of a lower layer = %q, %v", data, err)
	}
	if _, err := img.File("/nothing"); err == nil || !strings.Contains(err.Error(), "not in the image") {
		t.Errorf("File of a missing path = %v", err)
	}
}

// PruneBlobs removes what the index no longer reaches, and keeps the image.
func TestPruneBlobs(t *testing.T) {
	dir := t.TempDir()
	if err := WriteRunImage(dir, 1, 1); err != nil {
		t.Fatal(err)
	}
	addLayer(t, dir, map[string]string{"a": "1"})
	before, _ := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err := PruneBlobs(dir); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	// The run image's manifest was replaced by addLayer's.
	if len(before) != 5 || len(after) != 4 {
		t.Errorf("%d blobs before, %d after; want 5 and 4", len(before), len(after))
	}
	img, err := ReadImage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := img.File("/a"); err != nil || string(data) != "1" {
		t.Errorf("File after pruning = %q, %v", data, err)
	}
}

func TestReadImageRefusesBadLayouts(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadImage(dir); err == nil {
		t.Errorf("ReadImage of an empty directory succeeded")
	}
	os.WriteFile(filepath.Join(dir, "index.json"), []byte(`{"manifests":[{"digest":"sha256:../../etc/passwd"}]}`), 0o644)
	if _, err := ReadImage(dir); err == nil || !strings.Contains(err.Error(), "bad digest") {
		t.Errorf("ReadImage of a digest leaving the layout = %v", err)
	}
}

func TestLayoutPath(t *testing.T) {
	if got, want := layoutPath(AppImage), filepath.Join("gobuildpack.local", "app", "latest"); got != want {
		t.Errorf("layoutPath(%s) = %s, want %s", AppImage, got, want)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if _, err := Find(dir); err == nil {
		t.Errorf("Find of an empty directory succeeded")
	}
	for _, name := range []string{"lifecycle", "launcher"} {
		os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755)
	}
	b, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Phases {
		if target, err := os.Readlink(b.Phase(p)); err != nil || target != "lifecycle" {
			t.Errorf("%s -> %q (%v), want a symlink to lifecycle", p, target, err)
		}
	}
	if b.Launcher() != filepath.Join(dir, "launcher") {
		t.Errorf("Launcher = %s", b.Launcher())
	}
}

func TestReachable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make directories of other owners")
	}
	base, err := os.MkdirTemp("", "reachable-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	os.Chmod(base, 0o755)
	if err := Reachable(base, Nobody); err != nil {
		t.Skipf("the temporary directory is not reachable: %v", err)
	}
	open := filepath.Join(base, "open", "root")
	closed := filepath.Join(base, "closed", "root")
	os.MkdirAll(open, 0o755)
	os.MkdirAll(closed, 0o755)
	os.Chmod(filepath.Dir(closed), 0o700)
	owned := filepath.Join(base, "owned", "root")
	os.MkdirAll(owned, 0o755)
	os.Chmod(filepath.Dir(owned), 0o700)
	os.Chown(filepath.Dir(owned), 65534, 65534)
	if err := Reachable(open, Nobody); err != nil {
		t.Errorf("Reachable(open) = %v", err)
	}
	if err := Reachable(filepath.Join(closed, "not", "yet"), Nobody); err == nil || !strings.Contains(err.Error(), filepath.Dir(closed)+" is not searchable") {
		t.Errorf("Reachable(closed) = %v, want it to name %s", err, filepath.Dir(closed))
	}
	if err := Reachable(owned, &syscall.Credential{Uid: 65534, Gid: 65534}); err != nil {
		t.Errorf("Reachable(owned by the user) = %v", err)
	}
}
