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
			if err := WriteFileAtomic(d.state("rec"), []byte(tt.data), 0o644); err != nil {
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
	if err := WriteFileAtomic(d.state("rec"), []byte(good), 0o644); err != nil {
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

// tempFiles returns the names of the temp files in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestWriteFileAtomic(t *testing.T) {
	tests := []struct {
		name string
		data string
		perm os.FileMode
	}{
		{"file", "hello", 0o644},
		{"exec", "#!/bin/sh\n", 0o755},
		{"private", "secret", 0o600},
		{"readonly", "ro", 0o444},
		{"empty", "", 0o640},
	}
	dir := filepath.Join(t.TempDir(), "new", "dir") // created as needed
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		if err := WriteFileAtomic(path, []byte("an older, longer content"), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := WriteFileAtomic(path, []byte(tt.data), tt.perm); err != nil {
			t.Fatalf("WriteFileAtomic(%s): %v", tt.name, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != tt.data {
			t.Errorf("%s holds %q, want %q", tt.name, data, tt.data)
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode() != tt.perm {
			t.Errorf("%s mode = %v, want %v", tt.name, info.Mode(), tt.perm)
		}
	}
	if tmp := tempFiles(t, dir); len(tmp) != 0 {
		t.Errorf("temp files left: %q", tmp)
	}
}

func TestWriteFileAtomicErrors(t *testing.T) {
	dir := t.TempDir()
	// The target is a non-empty directory: the rename fails.
	target := filepath.Join(dir, "target")
	if err := os.MkdirAll(filepath.Join(target, "x"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(target, []byte("data"), 0o644); err == nil {
		t.Error("WriteFileAtomic over a directory succeeded")
	}
	// The parent is a file.
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(filepath.Join(file, "x"), []byte("data"), 0o644); err == nil {
		t.Error("WriteFileAtomic under a file succeeded")
	}
	if tmp := tempFiles(t, dir); len(tmp) != 0 {
		t.Errorf("temp files left after failures: %q", tmp)
	}
}

func TestCopyFile(t *testing.T) {
	mtime := time.Date(2020, 5, 17, 12, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		data     string
		perm     os.FileMode
		existing string // content of dst before the copy; "" for none
	}{
		{"new", "binary content", 0o755, ""},
		{"overwrite longer", "short", 0o644, strings.Repeat("long old content ", 100)},
		{"overwrite shorter", strings.Repeat("z", 10000), 0o600, "old"},
		{"readonly", "ro", 0o444, ""},
		{"empty", "", 0o644, "was not empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			if err := os.WriteFile(src, []byte(tt.data), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(src, tt.perm); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(src, mtime, mtime); err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(dir, "out", "sub", "dst")
			if tt.existing != "" {
				if err := WriteFileAtomic(dst, []byte(tt.existing), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			if err := CopyFile(src, dst); err != nil {
				t.Fatalf("CopyFile: %v", err)
			}
			data, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, []byte(tt.data)) {
				t.Errorf("dst holds %d bytes %.20q, want %d bytes %.20q", len(data), data, len(tt.data), tt.data)
			}
			info, err := os.Stat(dst)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode() != tt.perm {
				t.Errorf("dst mode = %v, want %v", info.Mode(), tt.perm)
			}
			if !info.ModTime().Equal(mtime) {
				t.Errorf("dst mtime = %v, want %v", info.ModTime(), mtime)
			}
			if tmp := tempFiles(t, filepath.Dir(dst)); len(tmp) != 0 {
				t.Errorf("temp files left: %q", tmp)
			}
			// The source is untouched.
			if data, _ := os.ReadFile(src); string(data) != tt.data {
				t.Errorf("src changed to %q", data)
			}
		})
	}
}

func TestCopyFileErrors(t *testing.T) {
	dir := t.TempDir()
	srcDir := filepath.Join(dir, "srcdir")
	if err := os.Mkdir(srcDir, 0o777); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	dstDir := filepath.Join(dir, "dstdir")
	if err := os.MkdirAll(filepath.Join(dstDir, "child"), 0o777); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, src, dst, errContains string
	}{
		{"source is a directory", srcDir, filepath.Join(dir, "out"), "not a regular file"},
		{"source missing", filepath.Join(dir, "missing"), filepath.Join(dir, "out"), "no such file"},
		{"destination is a directory", file, dstDir, ""},
		{"destination parent is a file", file, filepath.Join(file, "x"), ""},
	}
	for _, tt := range tests {
		err := CopyFile(tt.src, tt.dst)
		if err == nil {
			t.Errorf("%s: CopyFile succeeded", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.errContains) {
			t.Errorf("%s: error %q does not mention %q", tt.name, err, tt.errContains)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("failed copies created out: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dstDir, "child")); err != nil {
		t.Errorf("a failed copy onto a directory changed it: %v", err)
	}
	for _, d := range []string{dir, dstDir} {
		if tmp := tempFiles(t, d); len(tmp) != 0 {
			t.Errorf("temp files left in %s: %q", d, tmp)
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
