package gocmd

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestLinkGOPATH(t *testing.T) {
	root := t.TempDir()
	gopath, dir := filepath.Join(root, "gopath"), filepath.Join(root, "modcache")
	// A module cache an old go command left in GOPATH, read-only as it writes them.
	old := filepath.Join(gopath, "pkg", "mod", "example.com", "old@v1.0.0")
	if err := os.MkdirAll(old, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "old.go"), []byte("package old\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	os.Chmod(old, 0o555)
	for i := 0; i < 2; i++ { // the second call finds the link in place
		if err := linkGOPATH(gopath, dir); err != nil {
			t.Fatalf("linkGOPATH: %v", err)
		}
		if target, err := os.Readlink(filepath.Join(gopath, "pkg", "mod")); err != nil || target != dir {
			t.Fatalf("gopath/pkg/mod -> %q, %v; want a link to %s", target, err, dir)
		}
	}
	// What a go command writes into $GOPATH/pkg/mod lands in the module cache.
	zip := filepath.Join(gopath, "pkg", "mod", "cache", "download", "example.com", "m", "@v", "v1.0.0.zip")
	if err := os.MkdirAll(filepath.Dir(zip), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zip, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache", "download", "example.com", "m", "@v", "v1.0.0.zip")); err != nil {
		t.Errorf("the module written through the link is not in the module cache: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(gopath, "pkg")); len(entries) != 1 {
		t.Errorf("gopath/pkg holds %d entries, want only the link", len(entries))
	}
}

// Builds that share a cache link the module cache at the same moment
// (two apps on one old Go release): each succeeds.
func TestLinkGOPATHConcurrent(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "modcache")
	for round := 0; round < 20; round++ {
		gopath := filepath.Join(root, fmt.Sprint("gopath", round))
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		start := make(chan struct{})
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs <- linkGOPATH(gopath, dir)
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: linkGOPATH: %v", round, err)
			}
		}
		if entries, _ := os.ReadDir(filepath.Join(gopath, "pkg")); len(entries) != 1 {
			t.Errorf("round %d: gopath/pkg holds %d entries, want only the link", round, len(entries))
		}
	}
}
