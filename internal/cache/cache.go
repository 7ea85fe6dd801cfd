// Package cache lays out and bounds the buildpack's part of CACHE_DIR.
//
//	CACHE_DIR/go/
//	  toolchains/  extracted toolchains, go1.22.12.linux-amd64/, each with a marker
//	  modcache/    GOMODCACHE
//	  gocache/     GOCACHE
//	  sumdb/       the checksum database's verified tree head and tiles
//	  binaries/    the last build's binaries, restored so an unchanged build skips linking
//	  state/       small records: the version list, what was last downloaded and listed
//	  program/     the buildpack's own program, prebuilt or built from source (internal/prebuilt)
//	  bootstrap/   the bin/ shims' build of the program from source, removed after it
//
// Every file is replaced by rename, so a build killed at any point leaves
// either the old or the new content, and a symlink in the cache is
// replaced, never written through; records and markers are read without
// following a symlink.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// Dir is the buildpack's cache directory, CACHE_DIR/go.
type Dir struct {
	Root string
	// ToolchainsDir, ModCacheDir and GoCacheDir, when set, put those three
	// big directories elsewhere than under Root (a Cloud Native Buildpack
	// keeps each in a layer of its own).
	ToolchainsDir, ModCacheDir, GoCacheDir string
}

// New returns the cache inside CACHE_DIR.
func New(cacheDir string) Dir { return Dir{Root: filepath.Join(cacheDir, "go")} }

// Toolchains is where extracted toolchains live.
func (d Dir) Toolchains() string { return d.under(d.ToolchainsDir, "toolchains") }

// GOMODCACHE is the module cache.
func (d Dir) GOMODCACHE() string { return d.under(d.ModCacheDir, "modcache") }

// GOCACHE is the build cache.
func (d Dir) GOCACHE() string { return d.under(d.GoCacheDir, "gocache") }

// under returns dir when set, else Root/name.
func (d Dir) under(dir, name string) string {
	if dir != "" {
		return dir
	}
	return filepath.Join(d.Root, name)
}

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
	data, err := files.ReadNoFollow(d.state(name))
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
	return files.WriteFileAtomic(d.state(name), data, 0o644)
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

// Usable checks that the cache's directories are directories the build
// can write to, creating the missing ones.
func (d Dir) Usable() error {
	for _, dir := range []string{d.Root, d.Toolchains(), d.GOMODCACHE(), d.GOCACHE(), d.SumDB(), filepath.Dir(d.state("x")), d.Binaries()} {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return err
		}
		// A name of its own (os.CreateTemp: O_EXCL, never through a
		// symlink), so that builds sharing the cache never take each
		// other's probe for an unusable cache. What killed builds left,
		// and the one name the probe had before, are removed.
		removeStaleProbes(dir, time.Now())
		f, err := os.CreateTemp(dir, probePrefix+"*")
		if err != nil {
			return err
		}
		f.Close()
		os.Remove(f.Name())
	}
	return nil
}

// probePrefix starts the names of the files Usable writes to check that
// a directory is writable.
const probePrefix = ".probe-usable"

// removeStaleProbes removes the probe files a killed build left in dir:
// those older than an hour, which no running build's is (a probe lives
// for as long as a write takes), and the fixed name earlier versions used.
func removeStaleProbes(dir string, now time.Time) {
	os.Remove(filepath.Join(dir, probePrefix))
	stale, _ := filepath.Glob(filepath.Join(dir, probePrefix+"?*"))
	for _, p := range stale {
		if info, err := os.Lstat(p); err == nil && now.Sub(info.ModTime()) > time.Hour {
			os.Remove(p)
		}
	}
}
