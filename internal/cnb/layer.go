// Package cnb is the buildpack's build phase as a Cloud Native Buildpack
// (Buildpack API 0.10): the same compile steps as on classic Heroku, with
// the caches and the binaries in layers instead of CACHE_DIR and the slug.
//
// The layers, in CNB_LAYERS_DIR:
//
//	go/        the Go toolchain (go1.22.12.linux-amd64/): build and cache;
//	           launch too with GO_INSTALL_TOOLS_IN_IMAGE. Its env/ puts go
//	           on PATH for later buildpacks (and at launch when kept).
//	modcache/  GOMODCACHE: cache
//	gocache/   GOCACHE: cache, dropped when the Go release changes
//	cache/     the build's small records, the checksum database's tree
//	           head and the last binaries: cache
//	app/       the binaries, in bin/: launch, with app.sbom.cdx.json
//	program/   this buildpack's own program, built by bin/build: cache
//
// Each <layer>.toml records in [metadata] what the content was made for
// (Metadata); a restored layer is used only when that still holds
// (Usable).
package cnb

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// Layer names.
const (
	ToolchainLayer = "go"
	ModCacheLayer  = "modcache"
	GoCacheLayer   = "gocache"
	StateLayer     = "cache"
	AppLayer       = "app"
)

// Schema is the version of the layers' content layout. A layer written
// with another schema is never reused. It is a string: the lifecycle
// keeps metadata as JSON between builds, which would turn a TOML integer
// into a float.
const Schema = "1"

// Types say where a layer goes: into the build environment of later
// buildpacks, the cache, the app image.
type Types struct {
	Build  bool `toml:"build"`
	Cache  bool `toml:"cache"`
	Launch bool `toml:"launch"`
}

// Metadata is what a layer's content was made for.
type Metadata struct {
	Schema    string `toml:"schema"`
	Platform  string `toml:"platform,omitempty"`   // linux-amd64
	GoVersion string `toml:"go_version,omitempty"` // go1.22.12
}

// layerFile is the content of <layer>.toml.
type layerFile struct {
	Types    Types    `toml:"types"`
	Metadata Metadata `toml:"metadata"`
}

// ReadMetadata reads the [metadata] of layer name in dir, as the lifecycle
// restored it. found is false when there is no <layer>.toml.
func ReadMetadata(dir, name string) (m Metadata, found bool, err error) {
	var f layerFile
	_, err = toml.DecodeFile(filepath.Join(dir, name+".toml"), &f)
	if errors.Is(err, fs.ErrNotExist) {
		return Metadata{}, false, nil
	}
	if err != nil {
		return Metadata{}, false, fmt.Errorf("read layer %s: %w", name, err)
	}
	return f.Metadata, true, nil
}

// WriteLayer writes <layer>.toml for layer name in dir.
func WriteLayer(dir, name string, t Types, m Metadata) error {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(layerFile{Types: t, Metadata: m}); err != nil {
		return fmt.Errorf("write layer %s: %w", name, err)
	}
	if err := files.WriteFileAtomic(filepath.Join(dir, name+".toml"), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write layer %s: %w", name, err)
	}
	return nil
}

// Usable says whether a restored layer's content, made for have, may be
// used by a build that needs want, and if not, why. A want field left
// empty does not matter for the layer.
func Usable(have Metadata, found bool, want Metadata) (ok bool, why string) {
	switch {
	case !found:
		return false, "not restored"
	case have.Schema != want.Schema:
		return false, fmt.Sprintf("written by another version of the buildpack (layout %s, this one uses %s)", orNone(have.Schema), want.Schema)
	case want.Platform != "" && have.Platform != want.Platform:
		return false, fmt.Sprintf("made for %s, this build runs on %s", orNone(have.Platform), want.Platform)
	case want.GoVersion != "" && have.GoVersion != want.GoVersion:
		return false, fmt.Sprintf("made with %s, this build uses %s", orNone(have.GoVersion), want.GoVersion)
	}
	return true, ""
}

func orNone(s string) string {
	if s == "" {
		return "an unknown one"
	}
	return s
}

// Clear empties a layer's directory (read-only module cache files
// included) and removes its <layer>.toml.
func Clear(dir, name string) error {
	if err := files.RemoveAll(filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("clear layer %s: %w", name, err)
	}
	if err := os.Remove(filepath.Join(dir, name+".toml")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("clear layer %s: %w", name, err)
	}
	return nil
}

// WriteEnv replaces a layer's env/ directory with files that set the
// variables of the environment the layer adds to (the build of later
// buildpacks, and the app's processes when it is a launch layer): NAME.
// override for each of set, and PATH.prepend for path.
func WriteEnv(layerDir string, set map[string]string, path string) error {
	dir := filepath.Join(layerDir, "env")
	if err := files.RemoveAll(dir); err != nil {
		return fmt.Errorf("write layer env: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write layer env: %w", err)
	}
	writes := map[string]string{}
	for k, v := range set {
		writes[k+".override"] = v
	}
	if path != "" {
		writes["PATH.prepend"] = path
		writes["PATH.delim"] = string(os.PathListSeparator)
	}
	for name, v := range writes {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(v), 0o644); err != nil {
			return fmt.Errorf("write layer env: %w", err)
		}
	}
	return nil
}
