// Package manifest reads buildpack.toml, which pins the buildpack's own
// settings: the default Go version, the prebuilt program of a release and
// the bootstrap toolchain the bin/ shims build the program with otherwise.
package manifest

import (
	"fmt"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// Manifest is the content of buildpack.toml.
type Manifest struct {
	Buildpack struct {
		Name     string `toml:"name"`
		Homepage string `toml:"homepage"`
	} `toml:"buildpack"`
	Go struct {
		// DefaultVersion is used when go.mod has no go directive.
		DefaultVersion string `toml:"default_version"`
	} `toml:"go"`
	Bootstrap Bootstrap `toml:"bootstrap"`
	Program   Program   `toml:"program"`
}

// Bootstrap pins the toolchain that builds the buildpack itself.
type Bootstrap struct {
	Version string `toml:"version"`
	// SHA256 holds the zip's SHA-256 by platform ("linux-amd64"), checked
	// by the shim before it unpacks the zip.
	SHA256 map[string]string `toml:"sha256"`
}

// Program pins the prebuilt program of a release (internal/prebuilt): the
// key of the sources it was built from, the toolchain that built it, the
// URL template of its binaries and their SHA-256 by platform.
type Program struct {
	Source    string            `toml:"source"`
	Toolchain string            `toml:"toolchain"`
	URL       string            `toml:"url"`
	SHA256    map[string]string `toml:"sha256"`
}

// Read parses dir/buildpack.toml.
func Read(dir string) (*Manifest, error) {
	path := filepath.Join(dir, "buildpack.toml")
	var m Manifest
	md, err := toml.DecodeFile(path, &m)
	if err != nil {
		return nil, fmt.Errorf("read buildpack.toml: %w", err)
	}
	if keys := md.Undecoded(); len(keys) > 0 {
		return nil, fmt.Errorf("read buildpack.toml: unknown key %s", keys[0])
	}
	if m.Go.DefaultVersion == "" {
		return nil, fmt.Errorf("read buildpack.toml: [go] default_version is not set")
	}
	return &m, nil
}
