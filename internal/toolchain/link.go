package toolchain

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// LinkFrom makes release v, complete in src, complete in c as well, and
// reports whether it did: false when c had it already. Its files are
// hard links to src's (copies where the file system allows no link),
// in directories of c's own, and its marker is linked last, as Install
// writes it last: the toolchain is taken as src verified it, and not
// hashed again.
//
// A hard link is safe because nothing writes into an installed
// toolchain's files (they are read-only); removing the toolchain from
// either cache (Prune, Remove, RemoveLeftovers) only unlinks them, which
// leaves the other's intact. Both releases' locks are held, taken in the
// order of their paths, so neither cache removes or installs it meanwhile.
func (c Cache) LinkFrom(src Cache, v string) (bool, error) {
	if _, ok := c.Lookup(v); ok {
		return false, nil
	}
	if err := os.MkdirAll(c.Dir, 0o777); err != nil {
		return false, fmt.Errorf("link %s: %w", v, err)
	}
	name := c.name(v)
	locks := []string{c.lockPath(name), src.lockPath(src.name(v))}
	if locks[1] < locks[0] {
		locks[0], locks[1] = locks[1], locks[0]
	}
	for _, l := range locks {
		unlock, err := files.Lock(l, nil)
		if err != nil {
			return false, fmt.Errorf("link %s: %w", v, err)
		}
		defer unlock()
	}
	if _, ok := c.Lookup(v); ok {
		return false, nil
	}
	from, ok := src.Lookup(v)
	if !ok {
		return false, fmt.Errorf("link %s: %s holds no complete %s", v, src.Dir, v)
	}
	c.removeLeftovers(name)
	final := filepath.Join(c.Dir, name)
	if err := files.RemoveAll(final); err != nil {
		return false, fmt.Errorf("link %s: remove incomplete %s: %w", v, final, err)
	}
	tmp, err := os.MkdirTemp(c.Dir, ".tmp-"+name+"-")
	if err != nil {
		return false, fmt.Errorf("link %s: %w", v, err)
	}
	defer files.RemoveAll(tmp)
	root := filepath.Join(tmp, "go")
	skipMarker := func(rel string, d fs.DirEntry) bool { return rel == markerName }
	if err := files.CopyTree(from.Root, root, skipMarker, true); err != nil {
		return false, fmt.Errorf("link %s: %w", v, err)
	}
	if err := os.Rename(root, final); err != nil {
		return false, fmt.Errorf("link %s: %w", v, err)
	}
	marker := filepath.Join(final, markerName)
	if err := os.Link(filepath.Join(from.Root, markerName), marker); err != nil {
		data, err := files.ReadNoFollow(filepath.Join(from.Root, markerName))
		if err == nil {
			err = files.WriteFileAtomic(marker, data, 0o444)
		}
		if err != nil {
			files.RemoveAll(final)
			return false, fmt.Errorf("link %s: write marker: %w", v, err)
		}
	}
	if _, ok := c.Lookup(v); !ok {
		files.RemoveAll(final)
		return false, fmt.Errorf("link %s: the linked toolchain in %s is not complete", v, final)
	}
	return true, nil
}
