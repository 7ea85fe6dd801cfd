package prebuilt

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestStalePrograms(t *testing.T) {
	now := time.Now()
	type entry struct {
		name string
		age  time.Duration
	}
	tests := []struct {
		name    string
		entries []entry
		running string // entry name holding the running program, "" for none
		want    []string
	}{
		{"few", []entry{{"release-a.linux-amd64", time.Hour}, {"source-b.linux-amd64", 2 * time.Hour}}, "release-a.linux-amd64", nil},
		{"running is old", []entry{
			{"release-a.linux-amd64", 10 * time.Hour}, {"b", time.Hour}, {"c", 2 * time.Hour}, {"d", 3 * time.Hour},
		}, "release-a.linux-amd64", []string{"d"}},
		{"running elsewhere", []entry{{"a", time.Hour}, {"b", 2 * time.Hour}, {"c", 3 * time.Hour}, {"d", 4 * time.Hour}}, "", []string{"d"}},
		{"temp dirs", []entry{{".tmp-old", 2 * time.Hour}, {".tmp-new", time.Minute}, {"a", time.Hour}}, "a", []string{".tmp-old"}},
		{"old format", []entry{{"7de9f84cff541ffd", time.Hour}, {"9acb9c3096275453", 2 * time.Hour}, {"x", 3 * time.Hour}, {"y", time.Minute}}, "y", []string{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, e := range tt.entries {
				path := filepath.Join(dir, e.name)
				if err := os.Mkdir(path, 0o777); err != nil {
					t.Fatal(err)
				}
				when := now.Add(-e.age)
				os.Chtimes(path, when, when)
			}
			os.WriteFile(filepath.Join(dir, ".lock"), nil, 0o644)
			running := "/usr/local/bin/buildpack"
			if tt.running != "" {
				running = filepath.Join(dir, tt.running, "buildpack")
			}
			if got := stalePrograms(dir, running, now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("stalePrograms = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTrimCache(t *testing.T) {
	cacheDir := t.TempDir()
	root := filepath.Join(cacheDir, "go")
	for _, dir := range []string{"program/release-k1.linux-amd64", "program/release-k2.linux-amd64", "program/source-k3.linux-amd64",
		"program/source-k4.linux-amd64", "bootstrap/tmp-123/go/bin", "toolchains"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o777); err != nil {
			t.Fatal(err)
		}
	}
	for i, name := range []string{"release-k1.linux-amd64", "release-k2.linux-amd64", "source-k3.linux-amd64", "source-k4.linux-amd64"} {
		when := time.Now().Add(-time.Duration(i+1) * time.Hour)
		os.Chtimes(filepath.Join(root, "program", name), when, when)
	}
	running := filepath.Join(root, "program", "source-k4.linux-amd64", "buildpack")
	got := TrimCache(cacheDir, running)
	want := []string{"program/source-k3.linux-amd64", "bootstrap"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TrimCache removed %q, want %q", got, want)
	}
	for _, name := range []string{"release-k1.linux-amd64", "release-k2.linux-amd64", "source-k4.linux-amd64"} {
		if _, err := os.Stat(filepath.Join(root, "program", name)); err != nil {
			t.Errorf("%s was removed: %v", name, err)
		}
	}
}
