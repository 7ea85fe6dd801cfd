// Package cache lays out and bounds the buildpack's part of CACHE_DIR.
//
//	CACHE_DIR/go/
//	  toolchains/  extracted toolchains, go1.22.12.linux-amd64/, each with a marker
//	  modcache/    GOMODCACHE
//	  gocache/     GOCACHE
//	  sumdb/       the checksum database's verified tree head and tiles
//	  binaries/    the last build's binaries, restored so an unchanged build skips linking
//	  state/       small records: the version list, what was last downloaded and listed
//	  program/     the buildpack's own compiled program
//
// Every file is replaced by rename, so a build killed at any point leaves
// either the old or the new content.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Dir is the buildpack's cache directory, CACHE_DIR/go.
type Dir struct {
	Root string
}

// New returns the cache inside CACHE_DIR.
func New(cacheDir string) Dir { return Dir{Root: filepath.Join(cacheDir, "go")} }

// Toolchains is where extracted toolchains live.
func (d Dir) Toolchains() string { return filepath.Join(d.Root, "toolchains") }

// GOMODCACHE is the module cache.
func (d Dir) GOMODCACHE() string { return filepath.Join(d.Root, "modcache") }

// GOCACHE is the build cache.
func (d Dir) GOCACHE() string { return filepath.Join(d.Root, "gocache") }

// SumDB holds the checksum database's verified tree head and tiles.
func (d Dir) SumDB() string { return filepath.Join(d.Root, "sumdb") }

// GOPATH is an otherwise empty GOPATH for the go command.
func (d Dir) GOPATH() string { return filepath.Join(d.Root, "gopath") }

// Binaries holds the last build's binaries.
func (d Dir) Binaries() string { return filepath.Join(d.Root, "binaries") }

// state is where small records live.
func (d Dir) state(name string) string { return filepath.Join(d.Root, "state", name) }

// Record is a small JSON file in the cache, written with the key of the
// inputs it was computed from.
type record struct {
	Key     string          `json:"key"`
	Written time.Time       `json:"written"`
	Value   json.RawMessage `json:"value"`
}

// Load reads the record name into v when it was saved with key (any key
// when key is ""). It returns when the record was written, and false when
// there is no such record.
func (d Dir) Load(name, key string, v any) (time.Time, bool) {
	data, err := os.ReadFile(d.state(name))
	if err != nil {
		return time.Time{}, false
	}
	var r record
	if json.Unmarshal(data, &r) != nil || (key != "" && r.Key != key) {
		return time.Time{}, false
	}
	if json.Unmarshal(r.Value, v) != nil {
		return time.Time{}, false
	}
	return r.Written, true
}

// Save writes v as the record name, with key.
func (d Dir) Save(name, key string, v any) error {
	value, err := json.Marshal(v)
	if err != nil {
		return err
	}
	data, err := json.Marshal(record{Key: key, Written: time.Now().UTC(), Value: value})
	if err != nil {
		return err
	}
	return WriteFileAtomic(d.state(name), data, 0o644)
}

// Forget removes the record name.
func (d Dir) Forget(name string) {
	os.Remove(d.state(name))
}

// Hash returns a short hex key for the given parts.
func Hash(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		var n [8]byte
		for i, l := 0, len(p); i < 8; i, l = i+1, l>>8 {
			n[i] = byte(l)
		}
		h.Write(n[:])
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// WriteFileAtomic writes data to a temp file beside path, then renames it into place.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), perm)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// CopyFile copies src to dst (through a temp file and rename), keeping
// the permission bits.
func CopyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return errors.New("copy " + src + ": not a regular file")
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
		return err
	}
	out, err := os.CreateTemp(filepath.Dir(dst), ".tmp-"+filepath.Base(dst)+"-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(out.Name(), info.Mode().Perm())
	}
	if err == nil {
		err = os.Chtimes(out.Name(), info.ModTime(), info.ModTime())
	}
	if err == nil {
		err = os.Rename(out.Name(), dst)
	}
	if err != nil {
		os.Remove(out.Name())
	}
	return err
}

// Usable checks that the cache's directories are directories the build
// can write to, creating the missing ones.
func (d Dir) Usable() error {
	for _, dir := range []string{d.Root, d.Toolchains(), d.GOMODCACHE(), d.GOCACHE(), d.SumDB(), filepath.Dir(d.state("x")), d.Binaries()} {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return err
		}
		// One name, not a temp name: a build killed here leaves a file
		// the next build reuses and removes.
		probe := filepath.Join(dir, ".probe-usable")
		f, err := os.OpenFile(probe, os.O_CREATE|os.O_WRONLY, 0o666)
		if err != nil {
			return err
		}
		f.Close()
		os.Remove(probe)
	}
	return nil
}

// CopyTree copies the tree at src to dst, keeping permission bits and
// symbolic links (never following them). skip, when not nil, leaves out
// an entry (and, for a directory, all below it). With link, regular files
// are hard-linked where the file system allows, else copied.
func CopyTree(src, dst string, skip func(rel string, d fs.DirEntry) bool, link bool) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if rel != "." && skip != nil && skip(rel, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			info, err := d.Info()
			if err != nil {
				return err
			}
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(to, target)
		case d.Type().IsRegular():
			if link && os.Link(path, target) == nil {
				return nil
			}
			return CopyFile(path, target)
		}
		return nil // sockets, devices: not part of an app or a toolchain
	})
}
