// Package checksum verifies downloads against a Go checksum database
// (sum.golang.org by default), as the go command does for modules and
// toolchains.
//
// The latest verified tree head is kept in a cache directory, so a
// database that later serves a log inconsistent with it (a fork) is
// detected across builds. Tiles are cached there too.
package checksum

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
)

// DefaultName and DefaultKey identify sum.golang.org, as in cmd/go.
const (
	DefaultName = "sum.golang.org"
	DefaultKey  = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
)

// Getter fetches a URL. goproxy.Client satisfies it.
type Getter interface {
	Get(ctx context.Context, url string) ([]byte, error)
}

// DB is a checksum database reached directly or through module proxies.
type DB struct {
	Name string // e.g. sum.golang.org
	Key  string // verifier key, "name+hash+key"

	mu      sync.Mutex
	url     string   // base URL: named by GOSUMDB or found by base
	proxies []string // proxy base URLs to try for <proxy>/sumdb/<name>/
	dir     string   // cache directory
	get     Getter

	check    Check    // how ForToolchains decided to check; CheckDB from New
	settings Settings // what it decided from
	log      Logger   // nil: no warnings
}

// New returns the database GOSUMDB names, reached through proxies (base
// URLs from GOPROXY) when they support it, caching state in dir.
//
// GOSUMDB may be "", "off", "sum.golang.org", "name+key" or "name+key url";
// errors never repeat it, as a URL may hold a password;
// "off" gives the default database. ForToolchains decides whether a
// toolchain is checked at all.
func New(gosumdb string, proxies []string, dir string, get Getter) (*DB, error) {
	db := &DB{proxies: proxies, dir: dir, get: get}
	fields := strings.Fields(gosumdb)
	switch {
	case len(fields) > 2:
		return nil, errors.New("invalid GOSUMDB: too many fields (want \"name+key [url]\")")
	case len(fields) == 0 || fields[0] == "off":
		db.Name, db.Key = DefaultName, DefaultKey
	case fields[0] == DefaultName || fields[0] == "sum.golang.google.cn":
		// sum.golang.google.cn serves the same database under another host.
		db.Name, db.Key = DefaultName, DefaultKey
		if fields[0] != DefaultName {
			db.url = "https://" + fields[0]
		}
		if len(fields) > 1 {
			db.url = strings.TrimRight(fields[1], "/")
		}
	case strings.Contains(fields[0], "+"):
		if _, err := note.NewVerifier(fields[0]); err != nil {
			return nil, fmt.Errorf("invalid GOSUMDB: malformed key: %w", err)
		}
		db.Key = fields[0]
		db.Name, _, _ = strings.Cut(fields[0], "+")
		if len(fields) == 2 {
			db.url = strings.TrimRight(fields[1], "/")
		}
	default:
		return nil, errors.New("invalid GOSUMDB: want a known database (sum.golang.org) or \"name+key [url]\"")
	}
	if db.url != "" && !strings.Contains(db.url, "://") {
		db.url = "https://" + db.url
	}
	return db, nil
}

// Verify checks that the database records hash (an "h1:" hash) for
// path@version. A different hash or an inconsistent log is a
// *SecurityError; a database that cannot be reached is an ordinary error.
// Either way the download must not be used.
//
// With CheckNone (see ForToolchains) it asks nothing and returns nil.
func (db *DB) Verify(ctx context.Context, path, version, hash string) error {
	if db.check == CheckNone {
		return nil
	}
	ops := &ops{db: db, ctx: ctx}
	client := sumdb.NewClient(ops)
	lines, err := client.Lookup(path, version)
	if ops.security != "" {
		return &SecurityError{Module: path + "@" + version, Detail: ops.security, Fork: true}
	}
	if err != nil {
		if ops.writeErr != nil {
			// sumdb keeps only the text of its ops' errors: a full disk
			// must still be one (errors.Is(err, syscall.ENOSPC)).
			return fmt.Errorf("verify %s@%s: record the tree head of checksum database %s: %w", path, version, db.Name, ops.writeErr)
		}
		if ops.unreachable {
			return fmt.Errorf("verify %s@%s: %w", path, version, &UnreachableError{Name: db.Name, Err: err})
		}
		return fmt.Errorf("verify %s@%s: checksum database %s: %w", path, version, db.Name, err)
	}
	want := path + " " + version + " "
	for _, line := range lines {
		if line == want+hash {
			return nil
		}
	}
	for _, line := range lines {
		if recorded, ok := strings.CutPrefix(line, want); ok {
			return &SecurityError{
				Module: path + "@" + version,
				Detail: fmt.Sprintf("checksum mismatch\n\tdownloaded: %s\n\t%s: %s", hash, db.Name, recorded),
			}
		}
	}
	return fmt.Errorf("verify %s@%s: checksum database %s has no record of it", path, version, db.Name)
}

// UnreachableError reports a checksum database that could not be read
// (an answer other than "not found"): nothing it should vouch for is used.
type UnreachableError struct {
	Name string
	Err  error
}

// Error describes the failure.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("checksum database %s could not be reached: %v", e.Name, e.Err)
}

// Unwrap returns the underlying error.
func (e *UnreachableError) Unwrap() error { return e.Err }

// SecurityError reports a download or database answer that must not be trusted.
type SecurityError struct {
	Module string
	Detail string
	Fork   bool // the database's log is inconsistent with the cached tree head
}

// Error describes the failure.
func (e *SecurityError) Error() string {
	if e.Fork {
		header := "\n\nSECURITY ERROR\n"
		if strings.Contains(e.Detail, "SECURITY ERROR") {
			header = "\n\n"
		}
		return fmt.Sprintf("verifying %s: %s"+header+
			"The checksum database served a log that is inconsistent with the one\n"+
			"this cache verified in an earlier build: the database, or something\n"+
			"between it and this build, is misbehaving. Nothing was installed or cached.", e.Module, e.Detail)
	}
	return fmt.Sprintf("verifying %s: %s\n\nSECURITY ERROR\n"+
		"This download does NOT match the one reported by the checksum server.\n"+
		"The bits may have been replaced on the origin server, or an attacker may\n"+
		"have intercepted the download attempt. Nothing was installed or cached.", e.Module, e.Detail)
}

// base returns the URL the database is read from. Like the go command, it
// asks each proxy whether it serves the database and goes to the database
// directly only when every proxy answers "not found".
func (db *DB) base(ctx context.Context) (string, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.url != "" {
		return db.url, nil
	}
	for _, p := range db.proxies {
		u := p + "/sumdb/" + db.Name
		_, err := db.get.Get(ctx, u+"/supported")
		if err == nil {
			db.url = u
			return u, nil
		}
		if !errors.Is(err, goproxy.ErrNotFound) {
			return "", fmt.Errorf("ask proxy for checksum database %s: %w", db.Name, err)
		}
	}
	db.url = "https://" + db.Name
	return db.url, nil
}

// ops implements sumdb.ClientOps for one Verify call.
type ops struct {
	db  *DB
	ctx context.Context

	mu          sync.Mutex
	security    string
	unreachable bool  // a read failed other than with "not found"
	writeErr    error // the tree head could not be written
}

func (o *ops) ReadRemote(path string) ([]byte, error) {
	base, err := o.db.base(o.ctx)
	var data []byte
	if err == nil {
		data, err = o.db.get.Get(o.ctx, base+path)
	}
	if err != nil && !errors.Is(err, goproxy.ErrNotFound) {
		o.mu.Lock()
		o.unreachable = true
		o.mu.Unlock()
	}
	return data, err
}

func (o *ops) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.db.Key), nil
	}
	path := o.db.configPath(file)
	data, err := files.ReadNoFollow(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if errors.Is(err, fs.ErrInvalid) {
		// A symlink (or any other file than the regular one WriteConfig
		// writes) is not the buildpack's tree head: it is not followed,
		// and the client starts afresh. WriteConfig replaces it.
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// A tree head that no longer verifies (a damaged cache, or GOSUMDB now
	// naming another key) is dropped: the client then starts afresh
	// instead of failing every build until the cache is purged. It is the
	// anchor of fork detection, so the build log says so.
	if verifier, verr := note.NewVerifier(o.db.Key); verr == nil {
		if _, nerr := note.Open(data, note.VerifierList(verifier)); nerr != nil {
			os.Remove(path)
			if o.db.log != nil {
				o.db.log.Warn("the cached tree head of the checksum database %s did not verify and was reset: "+
					"this build starts the record that later builds check the database's log against. "+
					"If this repeats, purge the build cache (heroku builds:cache:purge).", o.db.Name)
			}
			return nil, nil
		}
	}
	return data, nil
}

// WriteConfig replaces a config file (the latest tree head) if it still
// holds old. A lock makes the compare-and-swap safe across processes.
func (o *ops) WriteConfig(file string, old, new []byte) error {
	err := o.writeConfig(file, old, new)
	if err != nil && err != sumdb.ErrWriteConflict {
		o.mu.Lock()
		o.writeErr = err
		o.mu.Unlock()
	}
	return err
}

func (o *ops) writeConfig(file string, old, new []byte) error {
	path := o.db.configPath(file)
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	unlock, err := files.Lock(path+".lock", nil)
	if err != nil {
		return err
	}
	defer unlock()
	// A build killed while it wrote here left its temp file; every writer
	// holds the lock, so none is being written now.
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*"))
	for _, f := range leftovers {
		os.Remove(f)
	}
	cur, err := files.ReadNoFollow(path)
	if errors.Is(err, fs.ErrInvalid) {
		cur, err = nil, nil // as ReadConfig read it
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if !bytes.Equal(cur, old) {
		return sumdb.ErrWriteConflict
	}
	return files.WriteFileAtomic(path, new, 0o644)
}

func (o *ops) ReadCache(file string) ([]byte, error) {
	return files.ReadNoFollow(filepath.Join(o.db.dir, "cache", filepath.FromSlash(file)))
}

func (o *ops) WriteCache(file string, data []byte) {
	path := filepath.Join(o.db.dir, "cache", filepath.FromSlash(file))
	if os.MkdirAll(filepath.Dir(path), 0o777) == nil {
		files.WriteFileAtomic(path, data, 0o644) // a cache: failure only costs a refetch
	}
}

func (o *ops) Log(msg string) {}

func (o *ops) SecurityError(msg string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.security = msg
}

// configPath maps a sumdb config file name ("sum.golang.org/latest") into the cache dir.
func (db *DB) configPath(file string) string {
	return filepath.Join(db.dir, "config", filepath.FromSlash(file))
}
