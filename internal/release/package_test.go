package release

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/buildpackage"
)

const testDescriptor = `api = "0.10"

[buildpack]
id = "example/go"
version = "1.0.0"

[[targets]]
os = "linux"
arch = "amd64"

[[targets]]
os = "linux"
arch = "arm64"

[metadata.go]
default_version = "1.26"
`

// packageTree is a checkout of a buildpack with what a package holds and
// what it does not.
var packageTree = map[string]string{
	"buildpack.toml":                 testDescriptor,
	"go.mod":                         "module example.com/bp\n",
	"go.sum":                         "",
	"README.md":                      "# Go\n",
	"bin/build":                      "#!/bin/sh\n",
	"bin/pins.sh":                    "# pins\n",
	"bin/.program/buildpack-x":       "an old binary",
	"bin/.hidden":                    "",
	"cmd/buildpack/main.go":          "package main\n",
	"cmd/buildpack/main_test.go":     "package main\n",
	"cmd/dev/main.go":                "package main\n",
	"internal/a/a.go":                "package a\n",
	"internal/a/README":              "not Go\n",
	"internal/a/testdata/x.go":       "package x\n",
	"internal/a/sub/b.go":            "package sub\n",
	"testdata/apps/plain/main.go":    "package main\n",
	".git/HEAD":                      "ref: refs/heads/main\n",
	".github/workflows/release.yml":  "name: release\n",
	"buildpack.toml~":                "an editor's backup",
	"internal/a/a.go.orig":           "package a\n",
	"cmd/buildpack/testdata/s.txtar": "",
}

func TestPackageFiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, packageTree)
	os.Chmod(filepath.Join(dir, "bin", "build"), 0o755)
	got, err := PackageFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range got {
		paths = append(paths, f.Path)
		if f.Exec != (f.Path == "bin/build") {
			t.Errorf("%s: executable %v", f.Path, f.Exec)
		}
		if string(f.Data) != packageTree[f.Path] {
			t.Errorf("%s = %q, want %q", f.Path, f.Data, packageTree[f.Path])
		}
	}
	want := []string{"README.md", "bin/build", "bin/pins.sh", "buildpack.toml", "cmd/buildpack/main.go", "cmd/dev/main.go",
		"go.mod", "go.sum", "internal/a/a.go", "internal/a/sub/b.go"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("PackageFiles =\n%q\nwant\n%q", paths, want)
	}

	if err := os.Symlink("a.go", filepath.Join(dir, "internal", "a", "link.go")); err != nil {
		t.Fatal(err)
	}
	if _, err := PackageFiles(dir); err == nil || !strings.Contains(err.Error(), "internal/a/link.go is not a regular file") {
		t.Errorf("PackageFiles with a symlink = %v", err)
	}
	os.Remove(filepath.Join(dir, "internal", "a", "link.go"))
	os.Remove(filepath.Join(dir, "go.sum"))
	if _, err := PackageFiles(dir); err == nil || !strings.Contains(err.Error(), "go.sum") {
		t.Errorf("PackageFiles without go.sum = %v", err)
	}
}

// fakeBinaries writes a binary for each platform and returns them.
func fakeBinaries(t *testing.T) map[string]string {
	t.Helper()
	built := map[string]string{}
	dir := t.TempDir()
	for _, p := range Platforms {
		built[p] = filepath.Join(dir, p)
		if err := os.WriteFile(built[p], []byte("program for "+p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return built
}

// The classic tarball holds every platform's program, each buildpackage
// its target's only.
func TestPackages(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, packageTree)
	out := filepath.Join(t.TempDir(), "dist")
	names, paths, err := writeRelease(out, dir, fakeBinaries(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"buildpack-linux-amd64", "buildpack-linux-arm64", "buildpack.tgz", "go-linux-amd64.cnb", "go-linux-arm64.cnb"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("names = %q, want %q", names, want)
	}
	sums, _ := os.ReadFile(filepath.Join(out, SumsFile))
	if lines := strings.Split(strings.TrimSpace(string(sums)), "\n"); len(lines) != len(want) || !strings.HasSuffix(lines[2], "  buildpack.tgz") {
		t.Errorf("%s =\n%s", SumsFile, sums)
	}

	f, err := os.Open(paths[Tarball])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	inTarball := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		inTarball[h.Name] = string(data)
	}
	for _, p := range Platforms {
		if got := inTarball["bin/.program/buildpack-"+p]; got != "program for "+p {
			t.Errorf("%s: bin/.program/buildpack-%s = %q", Tarball, p, got)
		}
	}
	if _, ok := inTarball["bin/.program/buildpack-x"]; ok {
		t.Errorf("%s holds the checkout's own bin/.program", Tarball)
	}

	for _, arch := range []string{"amd64", "arm64"} {
		img, err := buildpackage.Open(paths["go-linux-"+arch+".cnb"])
		if err != nil {
			t.Fatal(err)
		}
		if img.OS != "linux" || img.Arch != arch || img.ID != "example/go" || img.Version != "1.0.0" {
			t.Errorf("go-linux-%s.cnb is %+v", arch, img)
		}
		bpDir, err := img.Unpack(img.ID, img.Version, filepath.Join(t.TempDir(), "builder"))
		if err != nil {
			t.Fatal(err)
		}
		programs, _ := os.ReadDir(filepath.Join(bpDir, "bin", ".program"))
		if len(programs) != 1 || programs[0].Name() != "buildpack-linux-"+arch {
			t.Errorf("go-linux-%s.cnb: bin/.program holds %v, want its target's program only", arch, programs)
		}
		if data, _ := os.ReadFile(filepath.Join(bpDir, "cmd", "buildpack", "main.go")); string(data) != "package main\n" {
			t.Errorf("go-linux-%s.cnb: cmd/buildpack/main.go = %q", arch, data)
		}
	}

	// A target the release has no program for is an error, naming it.
	writeTree(t, dir, map[string]string{"buildpack.toml": testDescriptor + "\n[[targets]]\nos = \"linux\"\narch = \"riscv64\"\n"})
	if _, _, err := writeRelease(out, dir, fakeBinaries(t)); err == nil || !strings.Contains(err.Error(), "the target linux/riscv64 has no program in a release") {
		t.Errorf("writeRelease with a target without a program = %v", err)
	}
}
