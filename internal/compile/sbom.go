package compile

import (
	"path/filepath"

	"github.com/gobuildpack/heroku-buildpack-go/internal/sbom"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
)

// BOM returns the bill of materials of the binaries the build compiled,
// read from binDir (the build directory's bin/, or where a layout moved
// them).
func (res *Result) BOM(binDir string) (*sbom.BOM, error) {
	var bins []sbom.Binary
	for _, m := range res.Binaries.Mains {
		bins = append(bins, sbom.Binary{Name: m.Name, Path: filepath.Join(binDir, m.Name), ImportPath: m.ImportPath})
	}
	return sbom.ForApp(sbom.App{Name: res.AppName(), Binaries: bins, Tool: res.Tool(), GoVersion: res.Toolchain.Version})
}

// AppName names the app in a bill of materials: its module path, or its
// workspace.
func (res *Result) AppName() string {
	if res.App.Mod != nil {
		return res.App.Mod.Module
	}
	return res.App.Name()
}

// Tool names this buildpack as the tool that wrote a bill of materials.
func (res *Result) Tool() sbom.Tool {
	b := res.Settings.Buildpack
	name := b.ID
	if name == "" {
		name = b.Name
	}
	return sbom.Tool{Name: name, Version: b.Version}
}

// writeSBOM writes the bill of materials into the slug.
func (r *run) writeSBOM(res *Result) error {
	bom, err := res.BOM(filepath.Join(r.BuildDir, slug.BinDir))
	if err != nil {
		return err
	}
	return bom.WriteFile(filepath.Join(r.BuildDir, sbom.SlugFile))
}
