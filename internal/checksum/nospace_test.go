package checksum

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files/filestest"
)

// TestVerifyNoSpace: a tree head that cannot be recorded because the disk
// is full fails the check with the disk's error, which says so, rather
// than with the checksum database's.
func TestVerifyNoSpace(t *testing.T) {
	t.Parallel()
	fs := filestest.SmallFS(t, 64<<10)
	if fs == "" {
		return
	}
	f := newFixture(t)
	f.dir = filepath.Join(fs, "sumdb")
	// Fill the file system.
	filler, err := os.Create(filepath.Join(fs, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = filler.Write(make([]byte, 4096))
	}
	filler.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("fill the file system: %v", err)
	}
	db := f.db(t, f.s.GOSUMDB())
	err = db.Verify(context.Background(), modPath, modVer, f.s.Sum(modPath, modVer))
	var unreachable *UnreachableError
	if !errors.Is(err, syscall.ENOSPC) || errors.As(err, &unreachable) {
		t.Errorf("Verify with a full disk = %v, want ENOSPC, not an unreachable database", err)
	}
}
