package filestest

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestSmallFS(t *testing.T) {
	t.Parallel()
	dir := SmallFS(t, 1<<20)
	if dir == "" {
		return
	}
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, make([]byte, 512<<10), 0o644); err != nil {
		t.Fatalf("write half the file system: %v", err)
	}
	err := os.WriteFile(path+"2", make([]byte, 1<<20), 0o644)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("write more than the file system holds: %v, want ENOSPC", err)
	}
}
