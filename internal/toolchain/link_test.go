package toolchain

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLinkFrom links a toolchain installed in one cache into another: the
// files are the same inodes, the directories are the new cache's own, the
// toolchain runs, and removing it from either cache (as Prune does)
// leaves the other's whole.
func TestLinkFrom(t *testing.T) {
	e := newEnv(t)
	if _, err := e.i.Install(context.Background(), goVer); err != nil {
		t.Fatal(err)
	}
	src := e.i.Cache
	dst := Cache{Dir: t.TempDir(), GOOS: "linux", GOARCH: "amd64"}
	linked, err := dst.LinkFrom(src, goVer)
	if err != nil || !linked {
		t.Fatalf("LinkFrom = %v, %v; want linked", linked, err)
	}
	tc, ok := dst.Lookup(goVer)
	if !ok {
		t.Fatal("Lookup after LinkFrom: not complete")
	}
	for _, rel := range []string{"bin/go", "VERSION", markerName} {
		a, err := os.Stat(filepath.Join(src.Dir, dirName, rel))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.Stat(filepath.Join(tc.Root, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(a, b) {
			t.Errorf("%s is not a hard link to the source cache's", rel)
		}
		if b.Mode().Perm()&0o222 != 0 {
			t.Errorf("%s is writable (%v)", rel, b.Mode())
		}
	}
	for _, dir := range []string{"", "bin"} {
		a, _ := os.Stat(filepath.Join(src.Dir, dirName, dir))
		b, _ := os.Stat(filepath.Join(tc.Root, dir))
		if os.SameFile(a, b) {
			t.Errorf("directory %q is shared", dir)
		}
	}
	if out, err := exec.Command(tc.Go(), "env", "GOVERSION").Output(); err != nil || string(out) != goVer+"\n" {
		t.Errorf("linked go env GOVERSION = %q, %v", out, err)
	}
	if linked, err := dst.LinkFrom(src, goVer); err != nil || linked {
		t.Errorf("second LinkFrom = %v, %v; want nothing to do", linked, err)
	}

	// Removing it from one cache leaves the other's files in place, with
	// their modes and one link fewer.
	if err := dst.Remove(goVer); err != nil {
		t.Fatal(err)
	}
	if _, ok := src.Lookup(goVer); !ok {
		t.Fatal("removing the linked copy damaged the source")
	}
	info, err := os.Stat(filepath.Join(src.Dir, dirName, "bin", "go"))
	if err != nil {
		t.Fatal(err)
	}
	if n := info.Sys().(*syscall.Stat_t).Nlink; n != 1 {
		t.Errorf("bin/go has %d links after the copy was removed, want 1", n)
	}
	// And back: linked into dst again, then the source removed.
	if _, err := dst.LinkFrom(src, goVer); err != nil {
		t.Fatal(err)
	}
	if err := src.Remove(goVer); err != nil {
		t.Fatal(err)
	}
	if _, ok := dst.Lookup(goVer); !ok {
		t.Fatal("removing the source damaged the linked copy")
	}
}

// TestLinkFromIncomplete refuses to link a toolchain that is not complete
// in the source (no marker: an install that did not finish), and leaves
// nothing behind but the lock.
func TestLinkFromIncomplete(t *testing.T) {
	e := newEnv(t)
	if _, err := e.i.Install(context.Background(), goVer); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(e.i.Cache.Dir, dirName, markerName)); err != nil {
		t.Fatal(err)
	}
	dst := Cache{Dir: t.TempDir(), GOOS: "linux", GOARCH: "amd64"}
	if linked, err := dst.LinkFrom(e.i.Cache, goVer); err == nil || linked {
		t.Fatalf("LinkFrom of an incomplete toolchain = %v, %v; want an error", linked, err)
	}
	onlyLocks(t, dst.Dir)
}
