package cnb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/sbom"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// Options are the inputs of bin/build.
type Options struct {
	AppDir       string // the working directory: the app, /workspace
	LayersDir    string // CNB_LAYERS_DIR: this buildpack's layers
	PlatformDir  string // CNB_PLATFORM_DIR: config vars are in its env/
	BuildpackDir string // CNB_BUILDPACK_DIR: buildpack.toml
	Log          *output.Log
}

// platform is the platform this build runs on and builds for.
var platform = runtime.GOOS + "-" + runtime.GOARCH

// cacheLayers are the cache layers and what they must have been made for
// before the build starts; the Go release is checked once it is chosen.
var cacheLayers = []struct {
	name string
	want Metadata
}{
	{ToolchainLayer, Metadata{Schema: Schema, Platform: platform}},
	{ModCacheLayer, Metadata{Schema: Schema}},
	{GoCacheLayer, Metadata{Schema: Schema, Platform: platform}},
	{StateLayer, Metadata{Schema: Schema, Platform: platform}},
}

// Build compiles the app in o.AppDir with the compile pipeline, caching
// in layers, and lays out the binaries in a launch layer with their bill
// of materials and the launch processes.
func Build(ctx context.Context, o Options) error {
	log := o.Log
	restored, err := restore(o.LayersDir, log)
	if err != nil {
		return err
	}
	layer := func(name string) string { return filepath.Join(o.LayersDir, name) }
	co := compile.Options{
		BuildDir:     o.AppDir,
		EnvDir:       filepath.Join(o.PlatformDir, "env"),
		BuildpackDir: o.BuildpackDir,
		Log:          log,
		// The config vars are the platform's env/ files, and so may be
		// SOURCE_VERSION (see settings.Platform).
		Phase: settings.CNB,
		Cache: &cache.Dir{
			Root:          layer(StateLayer),
			ToolchainsDir: layer(ToolchainLayer),
			ModCacheDir:   layer(ModCacheLayer),
			GoCacheDir:    layer(GoCacheLayer),
		},
	}
	co.Installed = func(tc toolchain.Toolchain) error {
		return installed(o.LayersDir, tc, restored[GoCacheLayer], log)
	}
	return compile.RunWith(ctx, co, func(l *compile.Layout) error {
		return layOut(o, l)
	})
}

// restore checks the cache layers the lifecycle restored and empties the
// ones this build cannot use. It returns the metadata of each restored
// layer.
func restore(dir string, log *output.Log) (map[string]Metadata, error) {
	restored := map[string]Metadata{}
	var kept []string
	dropped := false
	for _, l := range cacheLayers {
		have, found, err := ReadMetadata(dir, l.name)
		if err != nil {
			log.Warn("%v: the layer is not used", err)
		}
		if ok, why := Usable(have, found, l.want); !ok {
			if found {
				log.Detail("Not using the cached %s layer: %s", l.name, why)
				dropped = true
			}
			if err := Clear(dir, l.name); err != nil {
				return nil, err
			}
			continue
		}
		restored[l.name] = have
		desc := l.name
		if have.GoVersion != "" {
			desc += " (" + have.GoVersion + ")"
		}
		kept = append(kept, desc)
	}
	switch {
	case len(kept) == 0 && !dropped:
		log.Step("No cache layers restored: this is the first build, or the cache was cleared")
	case len(kept) == 0:
		log.Step("No cache layers reused")
	default:
		log.Step("Restored cache layers: %s", strings.Join(kept, ", "))
	}
	return restored, nil
}

// installed runs once the toolchain is installed: the toolchain layer
// keeps only that release, and a build cache made with another one is
// dropped.
func installed(dir string, tc toolchain.Toolchain, gocache Metadata, log *output.Log) error {
	tcCache := toolchain.Cache{Dir: filepath.Join(dir, ToolchainLayer), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
	if removed := tcCache.Prune(0, tc.Version); len(removed) > 0 {
		log.Detail("Removed %s from the toolchain layer", strings.Join(removed, ", "))
	}
	if gocache.Schema == "" {
		return nil // not restored: already empty
	}
	if ok, why := Usable(gocache, true, Metadata{Schema: Schema, Platform: platform, GoVersion: tc.Version}); !ok {
		log.Detail("Not using the cached GOCACHE: %s", why)
		if err := Clear(dir, GoCacheLayer); err != nil {
			return err
		}
	}
	return nil
}

// layOut moves the binaries into the app layer, leaving symlinks where the
// classic slug has them (bin/NAME and ./app, so Procfiles written for
// Heroku run unchanged), and writes the layers' metadata, environment and
// bills of materials, and launch.toml.
func layOut(o Options, l *compile.Layout) error {
	if err := writeLayers(o, l); err != nil {
		return compile.Failed("layers", err)
	}
	if err := l.PruneSources("the app image"); err != nil {
		return err
	}
	procs := Processes(filepath.Join(o.LayersDir, AppLayer, "bin"), l.Binaries.Web.Name, l.Binaries.Others(), l.Procfile.Commands())
	if err := WriteLaunch(o.LayersDir, procs); err != nil {
		return err
	}
	done := l.Timed("release", "Launch processes: %s", Describe(procs))
	done()
	return nil
}

// writeLayers moves the binaries into the app layer and writes the
// layers' metadata, environment and bills of materials.
func writeLayers(o Options, l *compile.Layout) error {
	done := l.Timed("layers", "Writing the layers")
	appBin := filepath.Join(o.LayersDir, AppLayer, "bin")
	if err := files.RemoveAll(filepath.Join(o.LayersDir, AppLayer)); err != nil {
		return err
	}
	if err := os.MkdirAll(appBin, 0o755); err != nil {
		return err
	}
	for _, name := range l.Binaries.Names() {
		if err := moveBinary(filepath.Join(o.AppDir, slug.BinDir, name), filepath.Join(appBin, name)); err != nil {
			return err
		}
	}
	if err := relink(filepath.Join(o.AppDir, slug.AppBinary), filepath.Join(appBin, l.Binaries.Web.Name)); err != nil {
		return err
	}
	o.Log.Detail("bin/ of the app layer: %s", strings.Join(l.Binaries.Names(), ", "))

	tc := l.Toolchain
	bom, err := l.BOM(appBin)
	if err != nil {
		return err
	}
	if err := bom.WriteFile(filepath.Join(o.LayersDir, AppLayer+".sbom.cdx.json")); err != nil {
		return err
	}
	goos, goarch, _ := strings.Cut(platform, "-")
	if err := sbom.ForToolchain(tc.Version, goos, goarch, l.Tool()).WriteFile(filepath.Join(o.LayersDir, ToolchainLayer+".sbom.cdx.json")); err != nil {
		return err
	}
	// Later buildpacks (and, when kept, the app's processes) find go on
	// PATH, as the classic export file gives it to later buildpacks.
	if err := WriteEnv(filepath.Join(o.LayersDir, ToolchainLayer), map[string]string{"GOROOT": tc.Root, "GOTOOLCHAIN": "local"}, filepath.Join(tc.Root, "bin")); err != nil {
		return err
	}
	keep := l.Settings.KeepToolchain
	with := Metadata{Schema: Schema, Platform: platform, GoVersion: tc.Version}
	for _, w := range []struct {
		name string
		t    Types
		m    Metadata
	}{
		{ToolchainLayer, Types{Build: true, Cache: true, Launch: keep}, with},
		{ModCacheLayer, Types{Cache: true}, Metadata{Schema: Schema}},
		{GoCacheLayer, Types{Cache: true}, with},
		{StateLayer, Types{Cache: true}, with},
		{AppLayer, Types{Launch: true}, with},
	} {
		if err := WriteLayer(o.LayersDir, w.name, w.t, w.m); err != nil {
			return err
		}
	}
	if keep {
		o.Log.Detail("%s is in the app image (GO_INSTALL_TOOLS_IN_IMAGE): go is on PATH at launch", tc.Version)
	}
	done()
	return nil
}

// moveBinary moves a binary from the app's bin/ into the app layer and
// leaves a symlink to it.
func moveBinary(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		if !errors.Is(err, syscall.EXDEV) {
			return fmt.Errorf("move %s into the app layer: %w", filepath.Base(from), err)
		}
		// The layers and the app are on different file systems.
		if err := files.CopyFile(from, to); err != nil {
			return fmt.Errorf("move %s into the app layer: %w", filepath.Base(from), err)
		}
	}
	return relink(from, to)
}

// relink replaces the file at path, if any, with a symlink to target.
func relink(path, target string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("link %s: %w", path, err)
	}
	if err := os.Symlink(target, path); err != nil {
		return fmt.Errorf("link %s: %w", path, err)
	}
	return nil
}
