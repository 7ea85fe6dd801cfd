package buildpackage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
)

func testManifest() *manifest.Manifest {
	m := &manifest.Manifest{API: "0.10"}
	m.Buildpack = manifest.Buildpack{ID: "example/go", Version: "1.2.3", Name: "Go", Homepage: "https://example.com/go",
		Description: "Builds Go.", Keywords: []string{"go"}, ClearEnv: true}
	m.Targets = []manifest.Target{{OS: "linux", Arch: "amd64"}, {OS: "linux", Arch: "arm64"}}
	return m
}

var testFiles = []File{
	{Path: "buildpack.toml", Data: []byte("api = \"0.10\"\n")},
	{Path: "bin/detect", Exec: true, Data: []byte("#!/bin/sh\n")},
	{Path: "bin/build", Exec: true, Data: []byte("#!/bin/sh\nexit 0\n")},
	{Path: "bin/.program/buildpack-linux-amd64", Exec: true, Data: []byte("\x7fELF")},
	{Path: "internal/a/a.go", Data: []byte("package a\n")},
}

func writeCNB(t *testing.T, m *manifest.Manifest, tgt manifest.Target, files []File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCNB(&buf, m, tgt, files); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// header is what a test looks at of a tar entry.
type header struct {
	Name string
	Type byte
	Mode int64
}

// entries reads a tar, checking that every entry has the fixed owner and
// time, and returns the headers and the regular files' contents.
func entries(t *testing.T, data []byte) ([]header, map[string][]byte) {
	t.Helper()
	var hs []header
	files := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return hs, files
		}
		if err != nil {
			t.Fatal(err)
		}
		if !h.ModTime.Equal(ModTime) || h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: time %v, owner %d:%d (%q:%q); want %v and 0:0 without names", h.Name, h.ModTime, h.Uid, h.Gid, h.Uname, h.Gname, ModTime)
		}
		hs = append(hs, header{h.Name, h.Typeflag, h.Mode})
		if h.Typeflag == tar.TypeReg {
			b, _ := io.ReadAll(tr)
			files[h.Name] = b
		}
	}
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("gzip header names %q, time %v; want neither", zr.Name, zr.ModTime)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWriteCNBForm holds a buildpackage to the form pack writes with
// `pack buildpack package --format file`: an OCI layout whose one image
// has the target's os and architecture, pack's labels, and one gzipped
// layer with the buildpack under /cnb/buildpacks/ID/VERSION.
func TestWriteCNBForm(t *testing.T) {
	data := writeCNB(t, testManifest(), manifest.Target{OS: "linux", Arch: "arm64"}, testFiles)
	hs, files := entries(t, data)
	var names []string
	for _, h := range hs {
		names = append(names, h.Name)
		if h.Type == tar.TypeReg && h.Mode != 0o644 || h.Type == tar.TypeDir && h.Mode != 0o755 {
			t.Errorf("%s: mode %o", h.Name, h.Mode)
		}
	}
	if len(names) != 7 || names[0] != "blobs" || names[1] != "blobs/sha256" || names[5] != "index.json" || names[6] != "oci-layout" {
		t.Fatalf("entries = %q, want blobs, blobs/sha256, 3 blobs, index.json, oci-layout", names)
	}
	if string(files["oci-layout"]) != `{"imageLayoutVersion":"1.0.0"}` {
		t.Errorf("oci-layout = %s", files["oci-layout"])
	}
	var index imageIndex
	if err := json.Unmarshal(files["index.json"], &index); err != nil || index.MediaType != mediaIndex || len(index.Manifests) != 1 || index.Manifests[0].MediaType != mediaManifest {
		t.Fatalf("index.json = %s (%v)", files["index.json"], err)
	}
	get := func(d descriptor) []byte {
		t.Helper()
		b, err := blob(map[string][]byte{"blobs/sha256/" + strings.TrimPrefix(d.Digest, "sha256:"): files["blobs/sha256/"+strings.TrimPrefix(d.Digest, "sha256:")]}, d)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var mf imageManifest
	if err := json.Unmarshal(get(index.Manifests[0]), &mf); err != nil || mf.Config.MediaType != mediaConfig || len(mf.Layers) != 1 || mf.Layers[0].MediaType != mediaLayer {
		t.Fatalf("manifest = %+v (%v)", mf, err)
	}
	config := get(mf.Config)
	var cfg imageConfig
	if err := json.Unmarshal(config, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.OS != "linux" || cfg.Architecture != "arm64" {
		t.Errorf("target = %s/%s, want linux/arm64", cfg.OS, cfg.Architecture)
	}
	layer := gunzip(t, get(mf.Layers[0]))
	if len(cfg.RootFS.DiffIDs) != 1 || cfg.RootFS.DiffIDs[0] != digest(layer) {
		t.Errorf("diff IDs = %q, want the layer's %s", cfg.RootFS.DiffIDs, digest(layer))
	}
	wantMeta := `{"id":"example/go","name":"Go","version":"1.2.3","description":"Builds Go.","homepage":"https://example.com/go","keywords":["go"],"clear-env":true,"stacks":[{"id":"*"}]}`
	if got := cfg.Config.Labels[MetadataLabel]; got != wantMeta {
		t.Errorf("%s =\n%s\nwant\n%s", MetadataLabel, got, wantMeta)
	}
	wantLayers := `{"example/go":{"1.2.3":{"api":"0.10","targets":[{"os":"linux","arch":"amd64"},{"os":"linux","arch":"arm64"}],"layerDiffID":"` + digest(layer) + `","homepage":"https://example.com/go","name":"Go"}}}`
	if got := cfg.Config.Labels[LayersLabel]; got != wantLayers {
		t.Errorf("%s =\n%s\nwant\n%s", LayersLabel, got, wantLayers)
	}
	if !strings.Contains(string(config), `"created":"0001-01-01T00:00:00Z"`) {
		t.Errorf("config %s: want pack's zero creation time", config)
	}

	lhs, lfiles := entries(t, layer)
	want := []header{
		{"/cnb/buildpacks/example_go", tar.TypeDir, 0o755},
		{"/cnb/buildpacks/example_go/1.2.3", tar.TypeDir, 0o755},
		{"/cnb/buildpacks/example_go/1.2.3/bin", tar.TypeDir, 0o755},
		{"/cnb/buildpacks/example_go/1.2.3/bin/.program", tar.TypeDir, 0o755},
		{"/cnb/buildpacks/example_go/1.2.3/bin/.program/buildpack-linux-amd64", tar.TypeReg, 0o755},
		{"/cnb/buildpacks/example_go/1.2.3/bin/build", tar.TypeReg, 0o755},
		{"/cnb/buildpacks/example_go/1.2.3/bin/detect", tar.TypeReg, 0o755},
		{"/cnb/buildpacks/example_go/1.2.3/buildpack.toml", tar.TypeReg, 0o644},
		{"/cnb/buildpacks/example_go/1.2.3/internal", tar.TypeDir, 0o755},
		{"/cnb/buildpacks/example_go/1.2.3/internal/a", tar.TypeDir, 0o755},
		{"/cnb/buildpacks/example_go/1.2.3/internal/a/a.go", tar.TypeReg, 0o644},
	}
	if !reflect.DeepEqual(lhs, want) {
		t.Errorf("layer entries:\n%v\nwant\n%v", lhs, want)
	}
	if string(lfiles["/cnb/buildpacks/example_go/1.2.3/bin/build"]) != "#!/bin/sh\nexit 0\n" {
		t.Errorf("bin/build = %q", lfiles["/cnb/buildpacks/example_go/1.2.3/bin/build"])
	}
}

// The same files give the same bytes, in whatever order they are given.
func TestWriteReproducible(t *testing.T) {
	m, tgt := testManifest(), manifest.Target{OS: "linux", Arch: "amd64"}
	reversed := make([]File, len(testFiles))
	for i, f := range testFiles {
		reversed[len(testFiles)-1-i] = f
	}
	if a, b := writeCNB(t, m, tgt, testFiles), writeCNB(t, m, tgt, reversed); !bytes.Equal(a, b) {
		t.Error("WriteCNB gave other bytes for the same files in another order")
	}
	var a, b bytes.Buffer
	if err := WriteTarball(&a, testFiles); err != nil {
		t.Fatal(err)
	}
	if err := WriteTarball(&b, reversed); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("WriteTarball gave other bytes for the same files in another order")
	}
	if c := writeCNB(t, m, manifest.Target{OS: "linux", Arch: "arm64"}, testFiles); bytes.Equal(c, writeCNB(t, m, tgt, testFiles)) {
		t.Error("the packages of two targets are the same")
	}
}

func TestWriteTarball(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTarball(&buf, testFiles); err != nil {
		t.Fatal(err)
	}
	hs, files := entries(t, gunzip(t, buf.Bytes()))
	want := []header{
		{"bin", tar.TypeDir, 0o755},
		{"bin/.program", tar.TypeDir, 0o755},
		{"bin/.program/buildpack-linux-amd64", tar.TypeReg, 0o755},
		{"bin/build", tar.TypeReg, 0o755},
		{"bin/detect", tar.TypeReg, 0o755},
		{"buildpack.toml", tar.TypeReg, 0o644},
		{"internal", tar.TypeDir, 0o755},
		{"internal/a", tar.TypeDir, 0o755},
		{"internal/a/a.go", tar.TypeReg, 0o644},
	}
	if !reflect.DeepEqual(hs, want) {
		t.Errorf("entries:\n%v\nwant\n%v", hs, want)
	}
	if string(files["internal/a/a.go"]) != "package a\n" {
		t.Errorf("internal/a/a.go = %q", files["internal/a/a.go"])
	}
}

func TestWriteRefuses(t *testing.T) {
	m := testManifest()
	var buf bytes.Buffer
	if err := WriteCNB(&buf, m, manifest.Target{OS: "linux", Arch: "riscv64"}, testFiles); err == nil || !strings.Contains(err.Error(), "linux/riscv64 is not one of the [[targets]]") {
		t.Errorf("WriteCNB for another target = %v", err)
	}
	for _, bad := range []string{"/etc/passwd", "../x", "a/../../x", "", "a//b"} {
		if err := WriteTarball(&buf, []File{{Path: bad}}); err == nil {
			t.Errorf("WriteTarball of %q succeeded", bad)
		}
	}
	if err := WriteTarball(&buf, []File{{Path: "a"}, {Path: "a"}}); err == nil || !strings.Contains(err.Error(), "a is given twice") {
		t.Errorf("WriteTarball of a path given twice = %v", err)
	}
	m.API = ""
	if err := WriteCNB(&buf, m, m.Targets[0], testFiles); err == nil || !strings.Contains(err.Error(), "api is not set") {
		t.Errorf("WriteCNB without api = %v", err)
	}
}

func TestUnpack(t *testing.T) {
	dir := t.TempDir()
	cnb := filepath.Join(dir, "go-linux-amd64.cnb")
	if err := os.WriteFile(cnb, writeCNB(t, testManifest(), manifest.Target{OS: "linux", Arch: "amd64"}, testFiles), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "builder")
	img, err := Open(cnb)
	if err != nil {
		t.Fatal(err)
	}
	if img.OS != "linux" || img.Arch != "amd64" || img.ID != "example/go" || img.Version != "1.2.3" || len(img.Buildpacks) != 1 ||
		img.Buildpacks[0].ID != "example/go" || img.Buildpacks[0].API != "0.10" || !strings.HasPrefix(img.Buildpacks[0].DiffID, "sha256:") {
		t.Errorf("Open = %+v", img)
	}
	bpDir, err := img.Unpack("example/go", "1.2.3", out)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(out, "cnb", "buildpacks", "example_go", "1.2.3"); bpDir != want {
		t.Errorf("Unpack = %s, want %s", bpDir, want)
	}
	if _, err := img.Unpack("example/other", "1.2.3", out); err == nil {
		t.Error("Unpack of a buildpack not in the package succeeded")
	}
	for _, f := range testFiles {
		path := filepath.Join(bpDir, filepath.FromSlash(f.Path))
		data, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(data, f.Data) {
			t.Errorf("%s = %q, %v; want %q", f.Path, data, err, f.Data)
			continue
		}
		info, _ := os.Stat(path)
		if wantExec := f.Exec; (info.Mode().Perm() == 0o755) != wantExec {
			t.Errorf("%s: mode %v, executable: %v", f.Path, info.Mode(), wantExec)
		}
	}
}

// rewrite returns the archive data with the file name replaced by
// change's result.
func rewrite(t *testing.T, data []byte, change func(name string, b []byte) []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		if h.Typeflag == tar.TypeReg {
			b = change(h.Name, b)
			h.Size = int64(len(b))
		}
		tw.WriteHeader(h)
		tw.Write(b)
	}
	tw.Close()
	return buf.Bytes()
}

func TestUnpackRefuses(t *testing.T) {
	good := writeCNB(t, testManifest(), manifest.Target{OS: "linux", Arch: "amd64"}, testFiles)
	// A layer that leaves /cnb/buildpacks, with its descriptors made to
	// match it, so only the layer's content is wrong.
	escaping := func() []byte {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "/cnb/buildpacks/../../etc/x", Mode: 0o644})
		tw.Close()
		return buf.Bytes()
	}()
	symlink := func() []byte {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "/cnb/buildpacks/example_go/1.2.3/x", Linkname: "/etc/passwd"})
		tw.Close()
		return buf.Bytes()
	}()
	tests := []struct {
		name   string
		data   []byte
		errMsg string
	}{
		{"a blob changed", rewrite(t, good, func(name string, b []byte) []byte {
			if strings.HasPrefix(name, "blobs/sha256/") {
				b = append([]byte(nil), b...)
				b[len(b)/2] ^= 1
			}
			return b
		}), "has another digest or size"},
		{"no oci-layout", rewrite(t, good, func(name string, b []byte) []byte {
			if name == "oci-layout" {
				return nil
			}
			return b
		}), "no oci-layout file"},
		{"a layer outside /cnb/buildpacks", relayer(t, good, escaping), "is outside /cnb/buildpacks"},
		{"a symlink in the layer", relayer(t, good, symlink), "neither a directory nor a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cnb := filepath.Join(dir, "x.cnb")
			os.WriteFile(cnb, tt.data, 0o644)
			img, err := Open(cnb)
			if err == nil {
				_, err = img.Unpack("example/go", "1.2.3", filepath.Join(dir, "out"))
			}
			if err == nil || !strings.Contains(err.Error(), tt.errMsg) {
				t.Errorf("Open and Unpack = %v, want %q", err, tt.errMsg)
			}
			if _, err := os.Stat(filepath.Join(dir, "etc")); err == nil {
				t.Error("Unpack wrote outside its directory")
			}
		})
	}
}

// relayer returns the buildpackage data with its layer replaced by layer
// (uncompressed), and the descriptors, diff ID and labels made to match.
func relayer(t *testing.T, data, layer []byte) []byte {
	t.Helper()
	_, files := entries(t, data)
	var index imageIndex
	json.Unmarshal(files["index.json"], &index)
	var mf imageManifest
	json.Unmarshal(files["blobs/sha256/"+strings.TrimPrefix(index.Manifests[0].Digest, "sha256:")], &mf)
	var cfg imageConfig
	json.Unmarshal(files["blobs/sha256/"+strings.TrimPrefix(mf.Config.Digest, "sha256:")], &cfg)
	gz, _ := gzipped(layer)
	cfg.RootFS.DiffIDs = []string{digest(layer)}
	cfg.Config.Labels[LayersLabel] = `{"example/go":{"1.2.3":{"api":"0.10","layerDiffID":"` + digest(layer) + `"}}}`
	config, _ := json.Marshal(cfg)
	mf.Config, mf.Layers = describe(mediaConfig, config), []descriptor{describe(mediaLayer, gz)}
	m, _ := json.Marshal(mf)
	index.Manifests = []descriptor{describe(mediaManifest, m)}
	idx, _ := json.Marshal(index)
	var out []File
	for _, b := range [][]byte{gz, config, m} {
		out = append(out, File{Path: "blobs/sha256/" + strings.TrimPrefix(digest(b), "sha256:"), Data: b})
	}
	out = append(out, File{Path: "index.json", Data: idx}, File{Path: "oci-layout", Data: files["oci-layout"]})
	archive, err := tarball(tree(out), func(p string) string { return p }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return archive
}

func TestName(t *testing.T) {
	if got := Name("go", manifest.Target{OS: "linux", Arch: "arm64"}); got != "go-linux-arm64.cnb" {
		t.Errorf("Name = %s", got)
	}
	if got := Dir("gobuildpack/go", "0.1.0"); got != "/cnb/buildpacks/gobuildpack_go/0.1.0" {
		t.Errorf("Dir = %s", got)
	}
}
