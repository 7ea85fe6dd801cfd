package cnb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsable(t *testing.T) {
	amd := Metadata{Schema: Schema, Platform: "linux-amd64", GoVersion: "go1.22.12"}
	tests := []struct {
		name  string
		have  Metadata
		found bool
		want  Metadata
		ok    bool
		why   string
	}{
		{"not restored", Metadata{}, false, Metadata{Schema: Schema}, false, "not restored"},
		{"same", amd, true, amd, true, ""},
		{"version does not matter", amd, true, Metadata{Schema: Schema, Platform: "linux-amd64"}, true, ""},
		{"platform does not matter", amd, true, Metadata{Schema: Schema}, true, ""},
		{"other schema", Metadata{Schema: "0"}, true, Metadata{Schema: Schema}, false, "another version of the buildpack (layout 0, this one uses 1)"},
		{"no schema", Metadata{}, true, Metadata{Schema: Schema}, false, "layout an unknown one"},
		{"other platform", amd, true, Metadata{Schema: Schema, Platform: "linux-arm64"}, false, "made for linux-amd64, this build runs on linux-arm64"},
		{"other go", amd, true, Metadata{Schema: Schema, GoVersion: "go1.23.4"}, false, "made with go1.22.12, this build uses go1.23.4"},
		{"go unknown", Metadata{Schema: Schema}, true, Metadata{Schema: Schema, GoVersion: "go1.23.4"}, false, "made with an unknown one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := Usable(tt.have, tt.found, tt.want)
			if ok != tt.ok || !strings.Contains(why, tt.why) || ok && why != "" {
				t.Errorf("Usable = %v, %q; want %v, %q", ok, why, tt.ok, tt.why)
			}
		})
	}
}

func TestLayerFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	m := Metadata{Schema: Schema, Platform: "linux-amd64", GoVersion: "go1.22.12"}
	if err := WriteLayer(dir, "gocache", Types{Cache: true}, m); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "gocache.toml"))
	for _, want := range []string{"[types]", "cache = true", "launch = false", "[metadata]", `schema = "1"`, `go_version = "go1.22.12"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("gocache.toml lacks %q:\n%s", want, data)
		}
	}
	got, found, err := ReadMetadata(dir, "gocache")
	if err != nil || !found || got != m {
		t.Errorf("ReadMetadata = %+v, %v, %v; want %+v", got, found, err, m)
	}
	// What the lifecycle restores: [metadata] only, through JSON.
	os.WriteFile(filepath.Join(dir, "go.toml"), []byte("[metadata]\n  go_version = \"go1.22.12\"\n  platform = \"linux-amd64\"\n  schema = \"1\"\n"), 0o644)
	if got, found, err := ReadMetadata(dir, "go"); err != nil || !found || got != m {
		t.Errorf("ReadMetadata of a restored layer = %+v, %v, %v; want %+v", got, found, err, m)
	}
	if _, found, err := ReadMetadata(dir, "none"); found || err != nil {
		t.Errorf("ReadMetadata of a missing layer = %v, %v", found, err)
	}
	os.WriteFile(filepath.Join(dir, "bad.toml"), []byte("[metadata]\nschema = 1.0\n"), 0o644)
	if _, _, err := ReadMetadata(dir, "bad"); err == nil || !strings.Contains(err.Error(), "read layer bad") {
		t.Errorf("ReadMetadata of a float schema = %v, want an error naming the layer", err)
	}
}

func TestClear(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "modcache", "example.com", "m@v1.0.0")
	os.MkdirAll(ro, 0o755)
	os.WriteFile(filepath.Join(ro, "go.mod"), []byte("module m\n"), 0o444)
	os.Chmod(ro, 0o555)
	WriteLayer(dir, "modcache", Types{Cache: true}, Metadata{Schema: Schema})
	if err := Clear(dir, "modcache"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"modcache", "modcache.toml"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s still there", p)
		}
	}
	if err := Clear(dir, "modcache"); err != nil {
		t.Errorf("Clear of a missing layer: %v", err)
	}
}

func TestWriteEnv(t *testing.T) {
	layer := t.TempDir()
	os.MkdirAll(filepath.Join(layer, "env"), 0o755)
	os.WriteFile(filepath.Join(layer, "env", "STALE.override"), []byte("x"), 0o644)
	if err := WriteEnv(layer, map[string]string{"GOTOOLCHAIN": "local"}, "/layers/x/go/bin"); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(layer, "env"))
	var names []string
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(layer, "env", e.Name()))
		names = append(names, e.Name()+"="+string(data))
	}
	if got, want := strings.Join(names, " "), "GOTOOLCHAIN.override=local PATH.delim=: PATH.prepend=/layers/x/go/bin"; got != want {
		t.Errorf("env/ holds %s, want %s", got, want)
	}
}
