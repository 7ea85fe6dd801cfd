package files

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockSymlink: a lock file that is a symlink, to a file outside or to
// none, is replaced by a regular file; what it pointed to is unchanged and
// nothing is created there.
func TestLockSymlink(t *testing.T) {
	for _, lock := range []struct {
		name string
		take func(path string) (func(), error)
	}{
		{"Lock", func(path string) (func(), error) { return Lock(path, nil) }},
		{"TryLock", func(path string) (func(), error) {
			unlock, ok, err := TryLock(path)
			if err == nil && !ok {
				t.Fatal("TryLock of a free lock: not taken")
			}
			return unlock, err
		}},
	} {
		t.Run(lock.name, func(t *testing.T) {
			outside := t.TempDir()
			victim := filepath.Join(outside, "victim")
			if err := os.WriteFile(victim, []byte("keep\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for name, target := range map[string]string{"a.lock": victim, "b.lock": filepath.Join(outside, "absent"), "c.lock": outside} {
				path := filepath.Join(dir, name)
				if err := os.Symlink(target, path); err != nil {
					t.Fatal(err)
				}
				unlock, err := lock.take(path)
				if err != nil {
					t.Fatalf("lock %s: %v", name, err)
				}
				unlock()
				if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() {
					t.Errorf("%s after the lock is not a regular file (%v)", name, err)
				}
			}
			if data, err := os.ReadFile(victim); err != nil || string(data) != "keep\n" {
				t.Errorf("the file a lock linked to holds %q, %v", data, err)
			}
			if entries, _ := os.ReadDir(outside); len(entries) != 1 {
				t.Errorf("outside the lock's directory: %d entries, want only the victim", len(entries))
			}
		})
	}
}

// TestLockExcludes: a held lock is not taken again, by another open of the
// same file (as another process would), nor through a directory lock;
// once released, it is.
func TestLockExcludes(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "x.lock"), filepath.Join(dir, "home")} {
		if strings.HasSuffix(path, "home") {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}
		unlock, err := Lock(path, nil)
		if err != nil {
			t.Fatalf("Lock(%s): %v", path, err)
		}
		if _, ok, err := TryLock(path); ok || err != nil {
			t.Errorf("TryLock(%s) of a held lock = %v, %v; want not taken", path, ok, err)
		}
		waited := make(chan bool, 1)
		done := make(chan func())
		go func() {
			u, err := Lock(path, func() { waited <- true })
			if err != nil {
				t.Error(err)
			}
			done <- u
		}()
		<-waited // the second Lock says it waits before it waits
		unlock()
		(<-done)()
		u, ok, err := TryLock(path)
		if !ok || err != nil {
			t.Fatalf("TryLock(%s) of a released lock = %v, %v", path, ok, err)
		}
		u()
		if info, err := os.Lstat(path); err != nil || info.IsDir() != strings.HasSuffix(path, "home") {
			t.Errorf("%s changed kind: %v", path, err)
		}
	}
}

// TestLockNotInherited: a process the lock holder starts does not hold
// the lock: once the holder unlocks (or dies), the lock is free, however
// long the child runs.
func TestLockNotInherited(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := Lock(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command("cat") // runs until its stdin closes
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); child.Wait() }()
	unlock()
	u, ok, err := TryLock(path)
	if !ok || err != nil {
		t.Fatalf("TryLock while a child of the holder runs = %v, %v; want taken", ok, err)
	}
	u()
}

func TestLockErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Lock(filepath.Join(dir, "missing", "x.lock"), nil); !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "lock "+dir) {
		t.Errorf("Lock in a missing directory = %v", err)
	}
}

func TestReadNoFollow(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "record")
	if err := os.WriteFile(file, []byte("value"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadNoFollow(file); err != nil || string(data) != "value" {
		t.Errorf("ReadNoFollow(file) = %q, %v", data, err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadNoFollow(link); !errors.Is(err, fs.ErrInvalid) || data != nil {
		t.Errorf("ReadNoFollow(symlink) = %q, %v; want fs.ErrInvalid", data, err)
	}
	if _, err := ReadNoFollow(dir); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("ReadNoFollow(dir) = %v; want fs.ErrInvalid", err)
	}
	if _, err := ReadNoFollow(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadNoFollow(missing) = %v; want fs.ErrNotExist", err)
	}
}

func TestSHA256(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a")
	if err := os.WriteFile(path, []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	// printf a | sha256sum
	if got, err := SHA256(path); err != nil || got != "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" {
		t.Errorf("SHA256 = %q, %v", got, err)
	}
	if _, err := SHA256(path + "x"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("SHA256 of a missing file = %v", err)
	}
}
