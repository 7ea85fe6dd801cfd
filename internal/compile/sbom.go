package compile

import (
	"path/filepath"

	"github.com/gobuildpack/heroku-buildpack-go/internal/sbom"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
)

// writeSBOM writes the bill of materials of the binaries built into
// bin/ to path.
func (c *compilation) writeSBOM(path string) error {
	var bins []sbom.Binary
	for _, m := range c.mains {
		bins = append(bins, sbom.Binary{Name: m.Name, Path: filepath.Join(c.BuildDir, slug.BinDir, m.Name)})
	}
	bom, err := sbom.ForApp(sbom.App{Name: appName(c), Binaries: bins, Tool: buildpackTool(c)})
	if err != nil {
		return err
	}
	return bom.WriteFile(path)
}

// appName names the app in the bill of materials: its module path, or
// its workspace.
func appName(c *compilation) string {
	if c.app.Mod != nil {
		return c.app.Mod.Module
	}
	return c.app.Name()
}

// buildpackTool names this buildpack as the tool that wrote a bill of
// materials.
func buildpackTool(c *compilation) sbom.Tool {
	name := c.manifest.Buildpack.ID
	if name == "" {
		name = c.manifest.Buildpack.Name
	}
	return sbom.Tool{Name: name, Version: c.manifest.Buildpack.Version}
}
