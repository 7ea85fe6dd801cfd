// Package manifest reads buildpack.toml, which pins the buildpack's own
// settings: the default Go version and the bootstrap toolchain the bin/
// shims use when the build machine has no Go.
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
}

// Bootstrap pins the toolchain that builds the buildpack itself.
type Bootstrap struct {
	Version string `toml:"version"`
	// SHA256 and H1 hold the zip's checksums by platform ("linux-amd64").
	SHA256 map[string]string `toml:"sha256"`
	H1     map[string]string `toml:"h1"`
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
