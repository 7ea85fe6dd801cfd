package manifest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestReadBuildpackToml(t *testing.T) {
	m, err := Read(filepath.Join("..", ".."))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if m.Buildpack.Name == "" || m.Buildpack.Homepage == "" {
		t.Errorf("[buildpack] = %+v, want name and homepage", m.Buildpack)
	}
	if !regexp.MustCompile(`^1\.[0-9]+(\.[0-9]+)?$`).MatchString(m.Metadata.Go.DefaultVersion) {
		t.Errorf("default_version = %q, want a Go version like 1.22", m.Metadata.Go.DefaultVersion)
	}
}

func TestRead(t *testing.T) {
	const valid = "[buildpack]\nname = \"Go\"\n\n[metadata.go]\ndefault_version = \"1.22\"\n"
	tests := []struct {
		name string
		data string
		want string // in the error; "" for success
	}{
		{"valid", valid, ""},
		{"minimal", "[metadata.go]\ndefault_version = \"1.23\"\n", ""},
		{"cnb descriptor", "api = \"0.10\"\n[buildpack]\nid = \"x/go\"\nversion = \"1.0.0\"\nclear-env = true\nsbom-formats = [\"application/vnd.cyclonedx+json\"]\n" +
			"[[targets]]\nos = \"linux\"\narch = \"arm64\"\n[[targets.distros]]\nname = \"ubuntu\"\nversion = \"24.04\"\n[metadata.go]\ndefault_version = \"1.22\"\n", ""},
		{"unknown buildpack key", "[buildpack]\nidd = \"x\"\n[metadata.go]\ndefault_version = \"1.22\"\n", "unknown key buildpack.idd"},
		{"unknown key", valid + "[metadata.go.extra]\nx = 1\n", "unknown key metadata.go.extra"},
		{"the program pins moved", valid + "[program]\nsource = \"k\"\n[program.sha256]\nlinux-amd64 = \"abc\"\n",
			"[program] is no longer read: the pins of the buildpack's program and bootstrap toolchain are in bin/pins.sh, written by `go run ./cmd/dev release`; remove [program] from buildpack.toml"},
		{"the bootstrap pins moved", valid + "[bootstrap]\nversion = \"go1.22.5\"\n", "[bootstrap] is no longer read"},
		{"unknown table", "[metadata.go]\ndefault_version = \"1.22\"\n[toolchain]\nversion = \"1\"\n", "unknown key toolchain"},
		{"unknown top-level key", "stack = \"heroku-24\"\n[metadata.go]\ndefault_version = \"1.22\"\n", "unknown key stack"},
		{"missing default_version", "[buildpack]\nname = \"Go\"\n", "default_version is not set"},
		{"empty default_version", "[metadata.go]\ndefault_version = \"\"\n", "default_version is not set"},
		{"wrong type", "[metadata.go]\ndefault_version = 1.22\n", "read buildpack.toml: "},
		{"syntax error", "[go\n", "read buildpack.toml: "},
		{"the settings in the old [go] table", "[buildpack]\nname = \"Go\"\n\n[go]\ndefault_version = \"1.22\"\n",
			"buildpack.toml: [go] is no longer read: the Buildpack API puts a buildpack's own settings in [metadata] (pack warns of any other table); rename [go] to [metadata.go]"},
		{"both tables", "[go]\ndefault_version = \"1.22\"\n[metadata.go]\ndefault_version = \"1.22\"\n", "rename [go] to [metadata.go]"},
		{"another table of metadata", "[metadata.go]\ndefault_version = \"1.22\"\n[metadata.other]\nx = 1\n", "unknown key metadata.other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "buildpack.toml"), []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := Read(dir)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Read: %v", err)
			case tt.want == "":
				if m.Metadata.Go.DefaultVersion == "" {
					t.Errorf("Read = %+v, want default_version", m)
				}
			case err == nil || !strings.Contains(err.Error(), tt.want):
				t.Errorf("Read error = %v, want %q in it", err, tt.want)
			}
		})
	}
	if _, err := Read(t.TempDir()); err == nil || !strings.HasPrefix(err.Error(), "read buildpack.toml: ") {
		t.Errorf("Read without buildpack.toml = %v, want error", err)
	}
}

func TestBuildpackTomlIsCNBDescriptor(t *testing.T) {
	m, err := Read(filepath.Join("..", ".."))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if err := m.CheckCNB(); err != nil {
		t.Fatal(err)
	}
	if m.API != "0.10" {
		t.Errorf("api = %q, want 0.10", m.API)
	}
	if !m.Buildpack.ClearEnv {
		t.Errorf("clear-env = false: the lifecycle would export config vars the buildpack must filter itself")
	}
	cdx := false
	for _, f := range m.Buildpack.SBOMFormats {
		cdx = cdx || f == "application/vnd.cyclonedx+json"
	}
	if !cdx {
		t.Errorf("sbom-formats = %q, want application/vnd.cyclonedx+json", m.Buildpack.SBOMFormats)
	}
	for _, want := range []string{"amd64", "arm64"} {
		found := false
		for _, tg := range m.Targets {
			found = found || tg.OS == "linux" && tg.Arch == want
		}
		if !found {
			t.Errorf("no [[targets]] entry for linux/%s", want)
		}
	}
}

func TestCheckCNB(t *testing.T) {
	valid := func() *Manifest {
		m := &Manifest{API: "0.10", Targets: []Target{{OS: "linux", Arch: "amd64"}}}
		m.Buildpack.ID, m.Buildpack.Version = "gobuildpack/go", "1.2.3"
		return m
	}
	tests := []struct {
		name   string
		change func(m *Manifest)
		want   string // in the error; "" for none
	}{
		{"valid", func(m *Manifest) {}, ""},
		{"prerelease version", func(m *Manifest) { m.Buildpack.Version = "1.0.0-rc.1" }, ""},
		{"no api", func(m *Manifest) { m.API = "" }, "api is not set"},
		{"no id", func(m *Manifest) { m.Buildpack.ID = "" }, "is not a buildpack id"},
		{"uppercase id", func(m *Manifest) { m.Buildpack.ID = "Go" }, `id "Go" is not a buildpack id`},
		{"reserved id", func(m *Manifest) { m.Buildpack.ID = "config" }, `id "config"`},
		{"version not semver", func(m *Manifest) { m.Buildpack.Version = "1.2" }, `version "1.2" is not a semantic version`},
		{"no targets", func(m *Manifest) { m.Targets = nil }, "no [[targets]]"},
		{"target without arch", func(m *Manifest) { m.Targets = append(m.Targets, Target{OS: "linux"}) }, "[[targets]] 2 names no os and arch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.change(m)
			err := m.CheckCNB()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("CheckCNB = %v, want %q", err, tt.want)
			}
		})
	}
}
