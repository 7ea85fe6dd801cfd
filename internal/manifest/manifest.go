// Package manifest reads buildpack.toml, the buildpack's Cloud Native
// Buildpack descriptor (api, [buildpack], [[targets]]), which holds the
// buildpack's own settings (the default Go version) where the Buildpack
// API puts them, in [metadata]. The pins of the buildpack's program and of
// its bootstrap toolchain are in bin/pins.sh (internal/release).
package manifest

import (
	"fmt"
	"path/filepath"
	"regexp"

	"github.com/BurntSushi/toml"
)

// Manifest is the content of buildpack.toml.
type Manifest struct {
	// API is the Buildpack API version of the Cloud Native Buildpack
	// descriptor, e.g. "0.10".
	API       string    `toml:"api"`
	Buildpack Buildpack `toml:"buildpack"`
	// Targets are the platforms the buildpack runs on as a Cloud Native
	// Buildpack.
	Targets []Target `toml:"targets"`
	// Metadata is the [metadata] table: the buildpack's own settings.
	Metadata Metadata `toml:"metadata"`
}

// Metadata is the buildpack's own settings.
type Metadata struct {
	Go struct {
		// DefaultVersion is used when go.mod has no go directive.
		DefaultVersion string `toml:"default_version"`
	} `toml:"go"`
}

// Buildpack is the [buildpack] table: who the buildpack is.
type Buildpack struct {
	ID          string   `toml:"id"`
	Version     string   `toml:"version"`
	Name        string   `toml:"name"`
	Homepage    string   `toml:"homepage"`
	Description string   `toml:"description"`
	Keywords    []string `toml:"keywords"`
	// ClearEnv tells the lifecycle not to export the platform's config
	// vars into the buildpack's environment.
	ClearEnv bool `toml:"clear-env"`
	// SBOMFormats are the media types of the bills of materials the
	// buildpack writes.
	SBOMFormats []string `toml:"sbom-formats"`
}

// Target is a [[targets]] entry: an OS and architecture the buildpack
// supports.
type Target struct {
	OS          string   `toml:"os"`
	Arch        string   `toml:"arch"`
	ArchVariant string   `toml:"arch-variant"`
	Distros     []Distro `toml:"distros"`
}

// Distro is an operating system distribution a target is limited to.
type Distro struct {
	Name    string `toml:"name"`
	Version string `toml:"version"`
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
		for _, k := range keys {
			// A buildpack.toml from before the settings moved: refused
			// rather than read with a warning, so that the setting has one
			// place, and pack, which warns of it, never sees it.
			if k[0] == "go" {
				return nil, fmt.Errorf("read buildpack.toml: [go] is no longer read: the Buildpack API puts a buildpack's own settings in [metadata] (pack warns of any other table); rename [go] to [metadata.go]")
			}
		}
		if table := keys[0][0]; table == "program" || table == "bootstrap" {
			return nil, fmt.Errorf("read buildpack.toml: [%s] is no longer read: the pins of the buildpack's program and bootstrap toolchain are in bin/pins.sh, written by `go run ./cmd/dev release`; remove [%s] from buildpack.toml", table, table)
		}
		return nil, fmt.Errorf("read buildpack.toml: unknown key %s", keys[0])
	}
	if m.Metadata.Go.DefaultVersion == "" {
		return nil, fmt.Errorf("read buildpack.toml: [metadata.go] default_version is not set")
	}
	return &m, nil
}

// ID rules of the Buildpack API: lowercase letters, digits, dots, dashes
// and slashes, and none of the names the lifecycle reserves.
var (
	validID  = regexp.MustCompile(`^[a-z0-9./-]+$`)
	semver   = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	reserved = map[string]bool{"app": true, "config": true, "sbom": true}
)

// CheckCNB reports what keeps the manifest from being a Cloud Native
// Buildpack descriptor: a missing api, id, version or target, or an id or
// version the spec does not allow.
func (m *Manifest) CheckCNB() error {
	switch {
	case m.API == "":
		return fmt.Errorf("buildpack.toml: api is not set (want a Buildpack API version such as \"0.10\")")
	case !validID.MatchString(m.Buildpack.ID) || reserved[m.Buildpack.ID]:
		return fmt.Errorf("buildpack.toml: [buildpack] id %q is not a buildpack id (lowercase letters, digits, '.', '/', '-')", m.Buildpack.ID)
	case !semver.MatchString(m.Buildpack.Version):
		return fmt.Errorf("buildpack.toml: [buildpack] version %q is not a semantic version such as 1.2.3", m.Buildpack.Version)
	case len(m.Targets) == 0:
		return fmt.Errorf("buildpack.toml: no [[targets]]")
	}
	for i, t := range m.Targets {
		if t.OS == "" || t.Arch == "" {
			return fmt.Errorf("buildpack.toml: [[targets]] %d names no os and arch", i+1)
		}
	}
	return nil
}
