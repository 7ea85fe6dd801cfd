package cnb

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// layerWith makes layer name in dir with a file in it and the metadata.
func layerWith(t *testing.T, dir, name string, m Metadata) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name, "content"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteLayer(dir, name, Types{Cache: true}, m); err != nil {
		t.Fatal(err)
	}
}

func has(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, name, "content"))
	return err == nil
}

// The restored cache layers are kept when they were made for this
// platform by this layout, and emptied otherwise, saying why.
func TestRestore(t *testing.T) {
	dir := t.TempDir()
	here := Metadata{Schema: Schema, Platform: platform, GoVersion: "go1.22.12"}
	layerWith(t, dir, ToolchainLayer, here)
	layerWith(t, dir, ModCacheLayer, Metadata{Schema: Schema})
	layerWith(t, dir, GoCacheLayer, Metadata{Schema: Schema, Platform: "linux-s390x", GoVersion: "go1.22.12"})
	layerWith(t, dir, StateLayer, Metadata{Schema: "0", Platform: platform})
	var out bytes.Buffer
	restored, err := restore(dir, output.New(&out, &out))
	if err != nil {
		t.Fatal(err)
	}
	if !has(dir, ToolchainLayer) || !has(dir, ModCacheLayer) {
		t.Errorf("a usable layer was emptied")
	}
	if has(dir, GoCacheLayer) || has(dir, StateLayer) {
		t.Errorf("an unusable layer was kept")
	}
	if _, ok := restored[GoCacheLayer]; ok || restored[ToolchainLayer] != here {
		t.Errorf("restored = %+v", restored)
	}
	for _, want := range []string{
		"Not using the cached gocache layer: made for linux-s390x, this build runs on " + platform,
		"Not using the cached cache layer: written by another version of the buildpack (layout 0, this one uses 1)",
		"-----> Restored cache layers: go (go1.22.12), modcache\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if _, err := restore(t.TempDir(), output.New(&out, &out)); err != nil || !strings.Contains(out.String(), "No cache layers restored") {
		t.Errorf("restore of nothing: %v\n%s", err, out.String())
	}
}

// Once the Go release is known, a GOCACHE made with another one is
// dropped, and the toolchain layer keeps only the release in use.
func TestInstalled(t *testing.T) {
	dir := t.TempDir()
	tcDir := filepath.Join(dir, ToolchainLayer)
	for _, v := range []string{"go1.22.11", "go1.22.12"} {
		root := filepath.Join(tcDir, v+"."+runtime.GOOS+"-"+runtime.GOARCH)
		os.MkdirAll(filepath.Join(root, "bin"), 0o755)
		os.WriteFile(filepath.Join(root, "bin", "go"), []byte("#!/bin/sh\n"), 0o755)
		os.WriteFile(filepath.Join(root, ".installed"), []byte("version v0.0.1-"+v+"\nhash h1:AAAA\ngo-size 10\n"), 0o644)
	}
	tcCache := toolchain.Cache{Dir: tcDir, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
	if n := len(tcCache.Installed()); n != 2 {
		t.Fatalf("%d toolchains installed for the test, want 2", n)
	}
	old := Metadata{Schema: Schema, Platform: platform, GoVersion: "go1.22.11"}
	layerWith(t, dir, GoCacheLayer, old)
	tc, ok := tcCache.Lookup("go1.22.12")
	if !ok {
		t.Fatal("fake toolchain not found")
	}

	var out bytes.Buffer
	if err := installed(dir, tc, old, output.New(&out, &out)); err != nil {
		t.Fatal(err)
	}
	if has(dir, GoCacheLayer) {
		t.Errorf("GOCACHE of go1.22.11 kept for a go1.22.12 build")
	}
	if got := tcCache.Installed(); len(got) != 1 || got[0] != "go1.22.12" {
		t.Errorf("toolchain layer holds %v, want only go1.22.12", got)
	}
	for _, want := range []string{"Removed go1.22.11 from the toolchain layer", "Not using the cached GOCACHE: made with go1.22.11, this build uses go1.22.12"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, out.String())
		}
	}

	// The same release keeps it.
	same := Metadata{Schema: Schema, Platform: platform, GoVersion: "go1.22.12"}
	layerWith(t, dir, GoCacheLayer, same)
	if err := installed(dir, tc, same, output.New(&out, &out)); err != nil || !has(dir, GoCacheLayer) {
		t.Errorf("GOCACHE of the same release dropped (%v)", err)
	}
}

// The log follows the build: the toolchain step's own lines (which
// restored layer the release lets the build use) come before the warning
// that the release is past its end of life, whose fix is the last word
// on the release.
func TestBuildLogOrder(t *testing.T) {
	srv := proxytest.New(t)
	srv.AddToolchain("go1.22.12", runtime.GOOS, runtime.GOARCH)
	// Two newer lines: go1.22 is no longer supported.
	srv.AddToolchain("go1.98.0", runtime.GOOS, runtime.GOARCH)
	srv.AddToolchain("go1.99.0", runtime.GOOS, runtime.GOARCH)
	layers, platformDir, app := t.TempDir(), t.TempDir(), t.TempDir()
	layerWith(t, layers, GoCacheLayer, Metadata{Schema: Schema, Platform: platform, GoVersion: "go1.22.11"})
	for name, content := range map[string]string{
		filepath.Join(app, "go.mod"):                   "module example.com/order\n\ngo 1.22\n",
		filepath.Join(app, "main.go"):                  "package main\n\nfunc main() {}\n",
		filepath.Join(platformDir, "env", "GOPROXY"):   srv.URL(),
		filepath.Join(platformDir, "env", "GOSUMDB"):   srv.GOSUMDB(),
		filepath.Join(platformDir, "env", "GOVERSION"): "go1.22.12",
	} {
		os.MkdirAll(filepath.Dir(name), 0o755)
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The fake toolchain cannot build: the build fails after the step.
	var log bytes.Buffer
	Build(context.Background(), Options{AppDir: app, LayersDir: layers, PlatformDir: platformDir,
		BuildpackDir: filepath.Join("..", ".."), Log: output.New(&log, &log)})
	out := log.String()
	restoreLine := strings.Index(out, "Not using the cached GOCACHE: made with go1.22.11, this build uses go1.22.12")
	warning := strings.Index(out, "WARNING: go1.22.12 is no longer supported")
	if restoreLine < 0 || warning < 0 || warning < restoreLine {
		t.Errorf("the end-of-life warning (at %d) comes before the line that says the cached GOCACHE is not used (at %d):\n%s", warning, restoreLine, out)
	}
}
