package files

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files/filestest"
)

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

func TestRemoveAllReadOnly(t *testing.T) {
	if dir := os.Getenv(removeAllChildEnv); dir != "" {
		// Run by the parent as an unprivileged user: permissions apply.
		removeAllReadOnly(t, dir, true)
		return
	}
	removeAllReadOnly(t, t.TempDir(), false)
	if os.Geteuid() != 0 {
		return
	}
	// Root ignores permissions, so the read-only case above passes
	// without RemoveAll's fallback. Run the test again as nobody.
	shared, err := os.MkdirTemp("", "cache-removeall-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { RemoveAll(shared) })
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The test binary lives in a private directory: copy it out.
	testBin := filepath.Join(shared, "cache.test")
	if err := CopyFile(exe, testBin); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(testBin, 0o755); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(shared, "work")
	if err := os.Mkdir(work, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(work, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testBin, "-test.run=^TestRemoveAllReadOnly$", "-test.v")
	cmd.Dir = shared
	cmd.Env = append(os.Environ(), removeAllChildEnv+"="+work, "TMPDIR="+shared, "GOCOVERDIR=")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			t.Skipf("cannot run the test as nobody: %v", err)
		}
		t.Errorf("as nobody: %v\n%s", err, out)
	} else if !strings.Contains(string(out), "--- PASS: TestRemoveAllReadOnly") {
		t.Errorf("as nobody, the test did not pass:\n%s", out)
	} else {
		t.Logf("as nobody:\n%s", out)
	}
}

// buildReadOnlyTree makes a tree like the module cache's: read-only
// directories, some nested, with read-only files and a symlink.
func buildReadOnlyTree(t *testing.T, root string) {
	t.Helper()
	filestest.WriteSized(t, root, time.Now(), []filestest.SizedFile{
		{Name: "example.com/a@v1.0.0/go.mod", Size: 10, Age: 0},
		{Name: "example.com/a@v1.0.0/sub/deep/x.go", Size: 10, Age: 0},
		{Name: "example.com/b@v1.2.0/b.go", Size: 10, Age: 0},
		{Name: "cache/download/example.com/a/@v/v1.0.0.zip", Size: 10, Age: 0},
	})
	if err := os.Mkdir(filepath.Join(root, "example.com", "empty"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../a@v1.0.0/go.mod", filepath.Join(root, "example.com", "b@v1.2.0", "link")); err != nil {
		t.Fatal(err)
	}
	filestest.ReadOnly(t, root)
}

// removeAllReadOnly checks RemoveAll on read-only trees made under dir.
// When permissions apply, it also checks that os.RemoveAll alone fails on
// the trees that need RemoveAll's fallback.
func removeAllReadOnly(t *testing.T, dir string, permissionsApply bool) {
	tests := []struct {
		name     string
		fallback bool // os.RemoveAll alone fails when permissions apply
		build    func(t *testing.T, path string)
	}{
		{"read-only tree", true, buildReadOnlyTree},
		{"read-only root", true, func(t *testing.T, path string) {
			filestest.WriteSized(t, path, time.Now(), []filestest.SizedFile{{Name: "f", Size: 1, Age: 0}})
			filestest.ReadOnly(t, path)
		}},
		{"unreadable directory", true, func(t *testing.T, path string) {
			filestest.WriteSized(t, path, time.Now(), []filestest.SizedFile{{Name: "d/f", Size: 1, Age: 0}})
			if err := os.Chmod(filepath.Join(path, "d"), 0o000); err != nil {
				t.Fatal(err)
			}
		}},
		{"writable tree", false, func(t *testing.T, path string) {
			filestest.WriteSized(t, path, time.Now(), []filestest.SizedFile{{Name: "a/b/c", Size: 1, Age: 0}})
		}},
		{"single read-only file", false, func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("x"), 0o444); err != nil {
				t.Fatal(err)
			}
		}},
		{"missing", false, func(t *testing.T, path string) {}},
	}
	parent := filepath.Join(dir, "tree")
	if err := os.MkdirAll(parent, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { filestest.MakeWritable(parent) })
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(parent, fmt.Sprint(i))
			if permissionsApply && tt.fallback {
				other := path + "-plain"
				tt.build(t, other)
				if err := os.RemoveAll(other); err == nil {
					t.Errorf("os.RemoveAll of %s succeeded as uid %d: the test does not need the fallback", tt.name, os.Geteuid())
				}
				filestest.MakeWritable(other)
				os.RemoveAll(other)
			}
			tt.build(t, path)
			if err := RemoveAll(path); err != nil {
				t.Fatalf("RemoveAll: %v", err)
			}
			if _, err := os.Lstat(path); !os.IsNotExist(err) {
				t.Errorf("%s still exists: %v", path, err)
			}
		})
	}
	// The parent directory is left, and empty.
	entries, err := os.ReadDir(parent)
	if err != nil || len(entries) != 0 {
		t.Errorf("parent after RemoveAll: %v, %v", entries, err)
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

const removeAllChildEnv = "FILES_TEST_REMOVEALL_DIR"
