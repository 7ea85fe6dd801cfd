package compile_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output/outputtest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// RunWith runs the shared steps with the cache's big directories where
// Options.Cache puts them, tells Installed which toolchain it installed
// before building, and hands the result to the layout instead of writing
// a slug.
func TestRunWithLayout(t *testing.T) {
	f := newFixture(t)
	layers := t.TempDir()
	d := newDirs(t, f.cacheDir, f.vars, nil)
	var stdout, stderr outputtest.Log
	o := d.options(output.New(&stdout, &stderr))
	o.Cache = &cache.Dir{
		Root:          filepath.Join(layers, "state"),
		ToolchainsDir: filepath.Join(layers, "toolchain"),
		ModCacheDir:   filepath.Join(layers, "modcache"),
		GoCacheDir:    sharedGOCACHE,
	}
	var events []string
	o.Installed = func(tc toolchain.Toolchain) error {
		events = append(events, "installed "+tc.Version)
		if _, err := os.Stat(filepath.Join(d.BuildDir, "bin", "fault")); err == nil {
			t.Errorf("Installed called after the build")
		}
		return nil
	}
	err := compile.RunWith(context.Background(), o, func(l *compile.Layout) error {
		events = append(events, "layout "+l.Toolchain.Version)
		if got := l.Binaries.Names(); len(got) != 1 || got[0] != "fault" {
			t.Errorf("binaries = %v, want [fault]", got)
		}
		if _, err := os.Stat(filepath.Join(d.BuildDir, "bin", "fault")); err != nil {
			t.Errorf("the layout does not find the binary in bin/: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("RunWith: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	if len(events) != 2 || events[0] != "installed "+goVersion || events[1] != "layout "+goVersion {
		t.Errorf("events = %q, want the install, then the layout", events)
	}
	if _, err := os.Stat(filepath.Join(layers, "toolchain", toolchainName(goVersion), "bin", "go")); err != nil {
		t.Errorf("toolchain not installed where Options.Cache says: %v", err)
	}
	for _, slugFile := range []string{".heroku/go/release.yml", ".profile.d/go.sh", ".heroku/go/sbom.cdx.json"} {
		if _, err := os.Stat(filepath.Join(d.BuildDir, slugFile)); err == nil {
			t.Errorf("%s written: the classic slug was laid out too", slugFile)
		}
	}
	if _, err := os.Stat(filepath.Join(f.cacheDir, "go", "toolchains")); err == nil {
		t.Errorf("CACHE_DIR used although Options.Cache is set")
	}
}
