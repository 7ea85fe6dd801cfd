package report

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	b := &Build{
		Outcome:            "success",
		Module:             "example.com/myapp",
		GoVersion:          "go1.22.12",
		GoVersionOrigin:    "go_directive",
		GoVersionRequested: "go1.22",
		Platform:           "linux-amd64",
		ToolchainCacheHit:  true,
		ModulesRequired:    2,
		BuildCacheWarm:     true,
		Binaries:           []string{"app"},
		BinaryBytes:        map[string]int64{"app": 7340032},
		ProcessTypes:       []string{"web"},
		SlugBytes:          7400000,
		SlugFiles:          5,
		ProcfileWarnings:   1,
		MissingConfigVars:  []string{"API_KEY", "DATABASE_URL"},
		Steps:              []Step{{"go_version", 0.312}, {"build", 1.5}, {"total", 2.25}},
	}
	var out strings.Builder
	if err := Write(&out, b); err != nil {
		t.Fatal(err)
	}
	want := `outcome: "success"
module: "example.com/myapp"
go_version: "go1.22.12"
go_version_origin: "go_directive"
go_version_requested: "go1.22"
platform: "linux-amd64"
toolchain_cache_hit: true
toolchain_kept: false
modules_required: 2
module_cache_warm: false
build_cache_warm: true
binaries: "app"
binary_app_bytes: 7340032
process_types: "web"
slug_bytes: 7400000
slug_files: 5
procfile_warnings: 1
missing_config_vars_count: 2
missing_config_vars: "API_KEY,DATABASE_URL"
go_version_duration_seconds: 0.312
build_duration_seconds: 1.500
total_duration_seconds: 2.250
`
	if out.String() != want {
		t.Errorf("Write =\n%s\nwant\n%s", out.String(), want)
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	b := &Build{Outcome: "failure", FailedStep: "build", ErrorDoc: "build-errors", GoVersion: "go1.26.11",
		Steps: []Step{{"detect", 0.001}, {"toolchain", 0.5}, {"total", 1.25}}}
	if err := Save(dir, b); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Errorf("Load = %+v, want %+v", got, b)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Errorf("Load without a report did not fail")
	}
}

// TestSaveSymlink: an app that commits the report as a symlink to a file
// outside it gets a report of its own; the outside file is unchanged, and
// Load reads the report, never the file the link pointed to.
func TestSaveSymlink(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(outside, []byte(`{"outcome": "keep"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, File)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, path); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil {
		t.Error("Load followed a symlinked report")
	}
	if err := Save(dir, &Build{Outcome: "success"}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(outside); string(data) != `{"outcome": "keep"}` {
		t.Errorf("Save wrote through the symlink: %s", data)
	}
	if got, err := Load(dir); err != nil || got.Outcome != "success" {
		t.Errorf("Load = %+v, %v", got, err)
	}
}
