package toolchain

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
)

// writeZip writes a toolchain zip of the files (names relative to the
// module's prefix) and returns its path, stored uncompressed when store.
func writeZip(t *testing.T, m module.Version, files map[string]string, store bool) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		h := &zip.FileHeader{Name: m.Path + "@" + m.Version + "/" + name, Method: zip.Deflate}
		if store {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "toolchain.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUnpack: one read of the zip gives the hash dirhash.HashZip gives
// (the one the checksum database holds) and the files an installed
// toolchain keeps, with their modes.
func TestUnpack(t *testing.T) {
	m := module.Version{Path: ModulePath, Version: ModuleVersion("go1.22.12", "linux", "amd64")}
	files := map[string]string{
		"bin/go":                            "#!/bin/sh\n",
		"bin/gofmt":                         "gofmt",
		"pkg/tool/linux_amd64/compile":      "compile",
		"src/net/http/server.go":            "package http",
		"src/net/http/testdata/file":        "test data",
		"src/testdata/x":                    "test data at the top",
		"src/go/build/testdata/a/b/c.go":    "deep test data",
		"src/cmd/go/main.go":                "package main",
		"src/cmd/vendor/x/y.go":             "package y",
		"src/os/testdata":                   "a file named testdata",
		"misc/wasm/wasm_exec.js":            "js",
		"VERSION":                           "go1.22.12",
		"lib/time/zoneinfo.zip":             "zones",
		"src/runtime/cgo/gcc_linux_amd64.c": "c",
	}
	kept := []string{"bin/go", "bin/gofmt", "pkg/tool/linux_amd64/compile", "src/net/http/server.go", "src/os/testdata",
		"misc/wasm/wasm_exec.js", "VERSION", "lib/time/zoneinfo.zip", "src/runtime/cgo/gcc_linux_amd64.c"}
	gone := []string{"src/net/http/testdata", "src/testdata", "src/go/build/testdata", "src/cmd"}
	for _, store := range []bool{false, true} {
		zipFile := writeZip(t, m, files, store)
		root := filepath.Join(t.TempDir(), "go")
		hash, err := unpack(zipFile, root, m)
		if err != nil {
			t.Fatalf("unpack: %v", err)
		}
		want, err := dirhash.HashZip(zipFile, dirhash.DefaultHash)
		if err != nil {
			t.Fatal(err)
		}
		if hash != want {
			t.Errorf("unpack hash = %s, dirhash.HashZip = %s", hash, want)
		}
		for _, name := range kept {
			info, err := os.Stat(filepath.Join(root, name))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			wantMode := os.FileMode(0o444)
			if filepath.Dir(name) == "bin" || strings.HasPrefix(name, "pkg/tool/") {
				wantMode = 0o555
			}
			if info.Mode().Perm() != wantMode {
				t.Errorf("%s: mode %v, want %v", name, info.Mode().Perm(), wantMode)
			}
			if data, _ := os.ReadFile(filepath.Join(root, name)); string(data) != files[name] {
				t.Errorf("%s = %q, want %q", name, data, files[name])
			}
		}
		for _, name := range gone {
			if _, err := os.Lstat(filepath.Join(root, name)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s was unpacked (%v); an installed toolchain leaves it out", name, err)
			}
		}
	}
}

// TestUnpackDamaged: an entry whose content is not what its header says
// (its CRC-32) is an invalid zip, not a hash of damaged content.
func TestUnpackDamaged(t *testing.T) {
	m := module.Version{Path: ModulePath, Version: ModuleVersion("go1.22.12", "linux", "amd64")}
	zipFile := writeZip(t, m, map[string]string{"bin/go": "the go command, intact"}, true)
	data, err := os.ReadFile(zipFile)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte("intact"))
	data[i] = 'I'
	if err := os.WriteFile(zipFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = unpack(zipFile, filepath.Join(t.TempDir(), "go"), m)
	if !errors.Is(err, ErrInvalidZip) || !errors.Is(err, zip.ErrChecksum) {
		t.Errorf("unpack of a damaged entry: %v, want ErrInvalidZip and zip.ErrChecksum", err)
	}
}
