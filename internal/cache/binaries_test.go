package cache

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

// writeFiles writes name → content files into dir, executable.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// readFiles returns the regular files under dir as name → content,
// skipping nothing, so that temp files show up.
func readFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if e.Type()&os.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name()] = "-> " + target
			continue
		}
		if e.IsDir() {
			out[e.Name()+"/"] = ""
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(data)
	}
	return out
}

func TestRestoreBinaries(t *testing.T) {
	tests := []struct {
		name   string
		cached map[string]string
		bin    map[string]string // already in bin/
		names  []string
		want   map[string]string // bin/ afterwards
		n      int
	}{
		{
			name:   "empty bin",
			cached: map[string]string{"web": "cached web", "worker": "cached worker"},
			names:  []string{"web", "worker"},
			want:   map[string]string{"web": "cached web", "worker": "cached worker"},
			n:      2,
		},
		{
			name:   "only the names asked for",
			cached: map[string]string{"web": "cached web", "old": "cached old"},
			names:  []string{"web"},
			want:   map[string]string{"web": "cached web"},
			n:      1,
		},
		{
			name:   "never overwrites",
			cached: map[string]string{"web": "cached web", "worker": "cached worker"},
			bin:    map[string]string{"web": "built web"},
			names:  []string{"web", "worker"},
			want:   map[string]string{"web": "built web", "worker": "cached worker"},
			n:      1,
		},
		{
			name:   "names not cached are skipped",
			cached: map[string]string{"web": "cached web"},
			names:  []string{"new", "web"},
			want:   map[string]string{"web": "cached web"},
			n:      1,
		},
		{
			name:  "no cache",
			names: []string{"web"},
			want:  map[string]string{},
			n:     0,
		},
		{
			name:   "no names",
			cached: map[string]string{"web": "cached web"},
			want:   map[string]string{},
			n:      0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(t.TempDir())
			if tt.cached != nil {
				writeFiles(t, d.Binaries(), tt.cached)
			}
			binDir := filepath.Join(t.TempDir(), "bin")
			if err := os.Mkdir(binDir, 0o777); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, binDir, tt.bin)
			if n := d.RestoreBinaries(binDir, tt.names).Len(); n != tt.n {
				t.Errorf("RestoreBinaries = %d, want %d", n, tt.n)
			}
			if got := readFiles(t, binDir); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("bin/ = %q, want %q", got, tt.want)
			}
			for name := range tt.want {
				if tt.bin[name] != "" {
					continue
				}
				info, err := os.Stat(filepath.Join(binDir, name))
				if err != nil {
					t.Fatal(err)
				}
				if info.Mode().Perm() != 0o755 {
					t.Errorf("restored %s has mode %v, want 0755", name, info.Mode())
				}
			}
			if tt.cached != nil {
				if got := readFiles(t, d.Binaries()); !reflect.DeepEqual(got, tt.cached) {
					t.Errorf("RestoreBinaries changed the cache to %q", got)
				}
			}
		})
	}
}

func TestRestoreBinariesKeepsLinksAndDirs(t *testing.T) {
	d := New(t.TempDir())
	writeFiles(t, d.Binaries(), map[string]string{"web": "cached web", "tool": "cached tool", "dir": "cached dir"})
	// A cached name that is a directory is not restored.
	if err := os.MkdirAll(filepath.Join(d.Binaries(), "sub"), 0o777); err != nil {
		t.Fatal(err)
	}
	binDir := t.TempDir()
	// A dangling symlink and a directory already in bin/ are left alone.
	if err := os.Symlink("missing-target", filepath.Join(binDir, "web")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(binDir, "dir"), 0o777); err != nil {
		t.Fatal(err)
	}
	n := d.RestoreBinaries(binDir, []string{"web", "tool", "dir", "sub"}).Len()
	if n != 1 {
		t.Errorf("RestoreBinaries = %d, want 1", n)
	}
	want := map[string]string{"web": "-> missing-target", "tool": "cached tool", "dir/": ""}
	if got := readFiles(t, binDir); !reflect.DeepEqual(got, want) {
		t.Errorf("bin/ = %q, want %q", got, want)
	}
}

// Reused counts the restored binaries the build left as they were, not
// those it linked again with other bytes (the go command replaces the
// file, or rewrites it), nor those it removed.
func TestRestoredReused(t *testing.T) {
	d := New(t.TempDir())
	writeFiles(t, d.Binaries(), map[string]string{"web": "cached web", "worker": "cached worker", "tool": "cached tool", "gone": "cached gone"})
	binDir := t.TempDir()
	writeFiles(t, binDir, map[string]string{"built": "built before"})
	r := d.RestoreBinaries(binDir, []string{"web", "worker", "tool", "gone", "built"})
	if r.Len() != 4 || r.Reused() != 4 {
		t.Fatalf("restored %d, reused %d before the build; want 4 and 4", r.Len(), r.Reused())
	}
	// The build: worker linked again into a new file renamed into place
	// (as the go command does on one file system), tool rewritten in
	// place with other bytes (as it does across file systems), gone
	// removed, web and built left alone.
	tmp := filepath.Join(binDir, ".worker.tmp")
	if err := os.WriteFile(tmp, []byte("linked worker"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(binDir, "worker")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(binDir, "tool"), []byte("linked tool"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(binDir, "gone")); err != nil {
		t.Fatal(err)
	}
	if n := r.Reused(); n != 1 {
		t.Errorf("Reused after the build = %d, want 1 (web)", n)
	}
	if n := (Restored{}).Reused(); n != 0 {
		t.Errorf("Reused of nothing restored = %d", n)
	}
}

func TestSaveBinaries(t *testing.T) {
	tests := []struct {
		name   string
		cached map[string]string
		bin    map[string]string
		names  []string
		want   map[string]string // the cache afterwards
	}{
		{
			name:  "first save",
			bin:   map[string]string{"web": "web v1", "worker": "worker v1", "script.sh": "not built"},
			names: []string{"web", "worker"},
			want:  map[string]string{"web": "web v1", "worker": "worker v1"},
		},
		{
			name:   "replaces content",
			cached: map[string]string{"web": "web v1, longer than v2"},
			bin:    map[string]string{"web": "web v2"},
			names:  []string{"web"},
			want:   map[string]string{"web": "web v2"},
		},
		{
			name:   "removes names no longer built",
			cached: map[string]string{"web": "web v1", "old": "old v1", ".tmp-web-123": "leftover"},
			bin:    map[string]string{"web": "web v2", "old": "in bin but not built"},
			names:  []string{"web"},
			want:   map[string]string{"web": "web v2"},
		},
		{
			name:   "no names empties the cache",
			cached: map[string]string{"web": "web v1"},
			want:   map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(t.TempDir())
			if tt.cached != nil {
				writeFiles(t, d.Binaries(), tt.cached)
			}
			binDir := t.TempDir()
			writeFiles(t, binDir, tt.bin)
			if err := d.SaveBinaries(binDir, tt.names); err != nil {
				t.Fatalf("SaveBinaries: %v", err)
			}
			if got := readFiles(t, d.Binaries()); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("cache = %q, want %q", got, tt.want)
			}
			// Saved then restored into an empty bin/, the binaries come back.
			restored := t.TempDir()
			if n := d.RestoreBinaries(restored, tt.names).Len(); n != len(tt.names) {
				t.Errorf("RestoreBinaries after SaveBinaries = %d, want %d", n, len(tt.names))
			}
			var names []string
			for name := range readFiles(t, restored) {
				names = append(names, name)
			}
			sort.Strings(names)
			want := append([]string(nil), tt.names...)
			sort.Strings(want)
			if len(want) == 0 {
				want = nil
			}
			if !reflect.DeepEqual(names, want) {
				t.Errorf("restored %q, want %q", names, want)
			}
		})
	}
}

func TestSaveBinariesMissing(t *testing.T) {
	d := New(t.TempDir())
	writeFiles(t, d.Binaries(), map[string]string{"web": "web v1"})
	binDir := t.TempDir()
	if err := d.SaveBinaries(binDir, []string{"web"}); err == nil {
		t.Error("SaveBinaries of a binary missing from bin/ succeeded")
	}
	// The cached binary is not lost to a failed save.
	if got := readFiles(t, d.Binaries()); !reflect.DeepEqual(got, map[string]string{"web": "web v1"}) {
		t.Errorf("cache after a failed save = %q", got)
	}
}
