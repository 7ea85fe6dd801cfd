package cache

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

func TestLayout(t *testing.T) {
	d := New("/cache")
	tests := []struct{ got, want string }{
		{d.Root, "/cache/go"},
		{d.Toolchains(), "/cache/go/toolchains"},
		{d.GOMODCACHE(), "/cache/go/modcache"},
		{d.GOCACHE(), "/cache/go/gocache"},
		{d.SumDB(), "/cache/go/sumdb"},
		{d.GOPATH(), "/cache/go/gopath"},
		{d.Binaries(), "/cache/go/binaries"},
		{d.state("x"), "/cache/go/state/x"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestLayoutLayers(t *testing.T) {
	d := Dir{Root: "/layers/state", ToolchainsDir: "/layers/go", ModCacheDir: "/layers/mod", GoCacheDir: "/layers/build"}
	tests := []struct{ got, want string }{
		{d.Toolchains(), "/layers/go"},
		{d.GOMODCACHE(), "/layers/mod"},
		{d.GOCACHE(), "/layers/build"},
		{d.SumDB(), "/layers/state/sumdb"},
		{d.state("x"), "/layers/state/state/x"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

type testValue struct {
	Names []string
	N     int
}

func TestSaveLoad(t *testing.T) {
	d := New(t.TempDir())
	want := testValue{Names: []string{"web", "worker"}, N: 3}
	before := time.Now().Add(-time.Second)
	if err := d.Save("packages", "k1", want); err != nil {
		t.Fatalf("Save: %v", err)
	}
	tests := []struct {
		name, key string
		found     bool
	}{
		{"packages", "k1", true},
		{"packages", "", true}, // "" matches any key
		{"packages", "k2", false},
		{"packages", "k", false},
		{"other", "k1", false},
		{"other", "", false},
	}
	for _, tt := range tests {
		var got testValue
		written, ok := d.Load(tt.name, tt.key, &got)
		if ok != tt.found {
			t.Errorf("Load(%q, %q) found = %v, want %v", tt.name, tt.key, ok, tt.found)
			continue
		}
		if !ok {
			if !written.IsZero() || !reflect.DeepEqual(got, testValue{}) {
				t.Errorf("Load(%q, %q) not found but returned %v, %+v", tt.name, tt.key, written, got)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Load(%q, %q) = %+v, want %+v", tt.name, tt.key, got, want)
		}
		if written.Before(before) || written.After(time.Now().Add(time.Second)) {
			t.Errorf("Load(%q, %q) written = %v, want about now", tt.name, tt.key, written)
		}
	}

	// Saving again replaces the record, key and value.
	if err := d.Save("packages", "k2", testValue{N: 7}); err != nil {
		t.Fatalf("Save: %v", err)
	}
	var got testValue
	if _, ok := d.Load("packages", "k1", &got); ok {
		t.Error("Load with the old key found the replaced record")
	}
	if _, ok := d.Load("packages", "k2", &got); !ok || got.N != 7 {
		t.Errorf("Load with the new key = %+v, %v", got, ok)
	}

	// A record saved with key "" is found only by Load with "".
	if err := d.Save("nokey", "", 5); err != nil {
		t.Fatal(err)
	}
	var n int
	if _, ok := d.Load("nokey", "k", &n); ok {
		t.Error("Load with a key found a record saved without one")
	}
	if _, ok := d.Load("nokey", "", &n); !ok || n != 5 {
		t.Errorf("Load(nokey) = %d, %v; want 5, true", n, ok)
	}

	d.Forget("packages")
	if _, ok := d.Load("packages", "", &got); ok {
		t.Error("Load found a forgotten record")
	}
	d.Forget("packages") // forgetting twice is fine
	d.Forget("never-saved")

	entries, err := os.ReadDir(filepath.Join(d.Root, "state"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("state holds temp file %s", e.Name())
		}
	}
}

func TestLoadCorrupt(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"empty", ""},
		{"not json", "not json"},
		{"truncated", `{"key":"k","written":"2024-01-01T00:00:00Z","value":{"N":`},
		{"wrong value type", `{"key":"k","written":"2024-01-01T00:00:00Z","value":"a string"}`},
		{"bad time", `{"key":"k","written":"yesterday","value":{"N":1}}`},
		{"array", `[1,2,3]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(t.TempDir())
			if err := files.WriteFileAtomic(d.state("rec"), []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{"k", ""} {
				var v testValue
				if _, ok := d.Load("rec", key, &v); ok {
					t.Errorf("Load(%q) of %q found %+v", key, tt.data, v)
				}
			}
		})
	}

	// A well-formed record by hand, to show the corrupt cases differ only
	// in their corruption.
	d := New(t.TempDir())
	good := `{"key":"k","written":"2024-01-01T00:00:00Z","value":{"N":1}}`
	if err := files.WriteFileAtomic(d.state("rec"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	var v testValue
	written, ok := d.Load("rec", "k", &v)
	if !ok || v.N != 1 || !written.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Load of a hand-written record = %v, %+v, %v", written, v, ok)
	}
}

func TestSaveUnmarshalable(t *testing.T) {
	d := New(t.TempDir())
	if err := d.Save("bad", "k", func() {}); err == nil {
		t.Error("Save of a func succeeded")
	}
	if _, err := os.Stat(d.state("bad")); !os.IsNotExist(err) {
		t.Errorf("Save of a func left a record: %v", err)
	}
}

func TestSaveRecordFormat(t *testing.T) {
	d := New(t.TempDir())
	if err := d.Save("rec", "key1", []string{"a"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(d.state("rec"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Key     string
		Written time.Time
		Value   []string
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("record is not JSON: %v\n%s", err, data)
	}
	if r.Key != "key1" || !reflect.DeepEqual(r.Value, []string{"a"}) || r.Written.Location() != time.UTC {
		t.Errorf("record = %+v", r)
	}
}

func TestHash(t *testing.T) {
	b := func(s ...string) [][]byte {
		var out [][]byte
		for _, p := range s {
			out = append(out, []byte(p))
		}
		return out
	}
	// Each pair must hash differently.
	pairs := []struct{ x, y [][]byte }{
		{b("ab", "c"), b("a", "bc")},
		{b("abc"), b("ab", "c")},
		{b(""), nil},
		{b("", ""), b("")},
		{b("a", ""), b("", "a")},
		{b("a"), b("b")},
		{b(strings.Repeat("x", 256)), b(strings.Repeat("x", 255), "x")},
		{b("\x01\x00\x00\x00\x00\x00\x00\x00a"), b("a", "a")},
	}
	for _, p := range pairs {
		hx, hy := Hash(p.x...), Hash(p.y...)
		if hx == hy {
			t.Errorf("Hash(%q) = Hash(%q) = %s", p.x, p.y, hx)
		}
	}
	for _, parts := range [][][]byte{nil, b(""), b("a", "bc"), b(strings.Repeat("y", 70000))} {
		h := Hash(parts...)
		if len(h) != 32 || strings.Trim(h, "0123456789abcdef") != "" {
			t.Errorf("Hash(%.20q) = %q, want 32 hex digits", parts, h)
		}
		if h2 := Hash(parts...); h2 != h {
			t.Errorf("Hash is not deterministic: %s, %s", h, h2)
		}
	}
}

func TestUsable(t *testing.T) {
	d := New(filepath.Join(t.TempDir(), "cache"))
	if err := d.Usable(); err != nil {
		t.Fatalf("Usable of a new cache: %v", err)
	}
	for _, dir := range []string{d.Root, d.Toolchains(), d.GOMODCACHE(), d.GOCACHE(), d.SumDB(), filepath.Join(d.Root, "state"), d.Binaries()} {
		info, err := os.Stat(dir)
		if err != nil || !info.IsDir() {
			t.Errorf("Usable did not create %s: %v", dir, err)
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".probe-") {
				t.Errorf("Usable left %s in %s", e.Name(), dir)
			}
		}
	}
	if err := d.Usable(); err != nil {
		t.Errorf("Usable a second time: %v", err)
	}

	// A cache whose parts are files is not usable.
	for _, part := range []string{"", "toolchains", "modcache", "gocache", "sumdb", "state", "binaries"} {
		t.Run("file "+part, func(t *testing.T) {
			d := New(t.TempDir())
			path := filepath.Join(d.Root, part)
			if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte("not a directory"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := d.Usable(); err == nil {
				t.Errorf("Usable with %s a file succeeded", path)
			}
		})
	}
}

// TestRecordSymlink plants a record that is a symlink to a valid record
// outside the cache: Load does not follow it, and Save replaces the link
// without writing through it.
func TestRecordSymlink(t *testing.T) {
	outside := New(t.TempDir())
	if err := outside.Save("versions", "k", []string{"go1.99.0"}); err != nil {
		t.Fatal(err)
	}
	target := outside.state("versions")
	before, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	d := New(t.TempDir())
	if err := os.MkdirAll(filepath.Dir(d.state("versions")), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, d.state("versions")); err != nil {
		t.Fatal(err)
	}
	var got []string
	if _, ok := d.Load("versions", "k", &got); ok {
		t.Errorf("Load followed a symlinked record: %q", got)
	}
	if err := d.Save("versions", "k", []string{"go1.22.12"}); err != nil {
		t.Fatalf("Save: %v", err)
	}
	if after, _ := os.ReadFile(target); !bytes.Equal(after, before) {
		t.Errorf("Save wrote through the symlink: %s", after)
	}
	if info, err := os.Lstat(d.state("versions")); err != nil || !info.Mode().IsRegular() {
		t.Errorf("the record after Save is not a regular file (%v)", err)
	}
	if _, ok := d.Load("versions", "k", &got); !ok || len(got) != 1 || got[0] != "go1.22.12" {
		t.Errorf("Load after Save = %q, %v", got, ok)
	}
}

// TestUsableProbeSymlink: a probe file that is a symlink to outside the
// cache creates nothing there; what killed builds left is removed, a
// running build's probe is not.
func TestUsableProbeSymlink(t *testing.T) {
	d := New(t.TempDir())
	if err := os.MkdirAll(d.Root, 0o777); err != nil {
		t.Fatal(err)
	}
	victims := t.TempDir()
	if err := os.Symlink(filepath.Join(victims, "victim"), filepath.Join(d.Root, ".probe-usable")); err != nil {
		t.Fatal(err)
	}
	old, running := filepath.Join(d.Root, ".probe-usable123"), filepath.Join(d.Root, ".probe-usable456")
	for _, p := range []string{old, running} {
		if err := os.WriteFile(p, nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	then := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(old, then, then); err != nil {
		t.Fatal(err)
	}
	if err := d.Usable(); err != nil {
		t.Fatalf("Usable: %v", err)
	}
	if got, _ := os.ReadDir(victims); len(got) != 0 {
		t.Errorf("Usable created %v through the symlinked probe", got)
	}
	for p, want := range map[string]bool{filepath.Join(d.Root, ".probe-usable"): false, old: false, running: true} {
		if _, err := os.Lstat(p); (err == nil) != want {
			t.Errorf("%s there after Usable: %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}
