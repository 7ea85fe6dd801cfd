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
	if !regexp.MustCompile(`^1\.[0-9]+(\.[0-9]+)?$`).MatchString(m.Go.DefaultVersion) {
		t.Errorf("default_version = %q, want a Go version like 1.22", m.Go.DefaultVersion)
	}
	b := m.Bootstrap
	if !regexp.MustCompile(`^go1\.[0-9]+\.[0-9]+$`).MatchString(b.Version) {
		t.Errorf("bootstrap version = %q, want a release like go1.22.5", b.Version)
	}
	sha := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, platform := range []string{"linux-amd64", "linux-arm64"} {
		if !sha.MatchString(b.SHA256[platform]) {
			t.Errorf("bootstrap sha256 %s = %q", platform, b.SHA256[platform])
		}
	}
	p := m.Program
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(p.Source) {
		t.Errorf("program source = %q, want a source key of 32 hex digits", p.Source)
	}
	if !regexp.MustCompile(`^go1\.[0-9]+\.[0-9]+$`).MatchString(p.Toolchain) {
		t.Errorf("program toolchain = %q, want a release like go1.26.11", p.Toolchain)
	}
	if !strings.HasPrefix(p.URL, "https://") || !strings.Contains(p.URL, "{source}") || !strings.Contains(p.URL, "{platform}") {
		t.Errorf("program url = %q, want an https URL template with {source} and {platform}", p.URL)
	}
	for _, platform := range []string{"linux-amd64", "linux-arm64"} {
		if !sha.MatchString(p.SHA256[platform]) {
			t.Errorf("program sha256 %s = %q", platform, p.SHA256[platform])
		}
	}
}

func TestRead(t *testing.T) {
	const valid = "[buildpack]\nname = \"Go\"\n\n[go]\ndefault_version = \"1.22\"\n\n" +
		"[bootstrap]\nversion = \"go1.22.5\"\n[bootstrap.sha256]\nlinux-amd64 = \"abc\"\n" +
		"[program]\nsource = \"k\"\ntoolchain = \"go1.22.5\"\nurl = \"https://x/{source}/{platform}\"\n[program.sha256]\nlinux-amd64 = \"abc\"\n"
	tests := []struct {
		name string
		data string
		want string // in the error; "" for success
	}{
		{"valid", valid, ""},
		{"minimal", "[go]\ndefault_version = \"1.23\"\n", ""},
		{"unknown key", valid + "[go.extra]\nx = 1\n", "unknown key go.extra"},
		{"h1 pins are no longer read", valid + "[bootstrap.h1]\nlinux-amd64 = \"h1:x\"\n", "unknown key bootstrap.h1"},
		{"unknown program key", valid + "[program.extra]\nx = 1\n", "unknown key program.extra"},
		{"unknown table", "[go]\ndefault_version = \"1.22\"\n[toolchain]\nversion = \"1\"\n", "unknown key toolchain"},
		{"unknown top-level key", "stack = \"heroku-24\"\n[go]\ndefault_version = \"1.22\"\n", "unknown key stack"},
		{"missing default_version", "[buildpack]\nname = \"Go\"\n", "default_version is not set"},
		{"empty default_version", "[go]\ndefault_version = \"\"\n", "default_version is not set"},
		{"wrong type", "[go]\ndefault_version = 1.22\n", "read buildpack.toml: "},
		{"syntax error", "[go\n", "read buildpack.toml: "},
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
				if m.Go.DefaultVersion == "" {
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
