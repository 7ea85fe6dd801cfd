// Package toolchain installs Go toolchains into a cache directory the way
// the go command does: the module golang.org/toolchain is fetched from a
// module proxy, its hash is checked against the checksum database, it is
// unpacked with golang.org/x/mod/zip into a temp dir, made executable,
// renamed into place, and marked done last.
package toolchain

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// ModulePath is the module that holds Go toolchains on module proxies.
const ModulePath = "golang.org/toolchain"

// markerName is written into an installed toolchain last: a toolchain
// directory without it is incomplete.
const markerName = ".installed"

// ModuleVersion returns the module version of a Go release for a platform,
// e.g. ModuleVersion("go1.22.12", "linux", "amd64") = "v0.0.1-go1.22.12.linux-amd64".
func ModuleVersion(goVersion, goos, goarch string) string {
	return "v0.0.1-" + goVersion + "." + goos + "-" + goarch
}

// ReleaseOf returns the Go release named by a toolchain module version for
// the platform, or "" when the version is for another platform.
func ReleaseOf(modVersion, goos, goarch string) string {
	v, ok := strings.CutPrefix(modVersion, "v0.0.1-")
	if !ok {
		return ""
	}
	v, ok = strings.CutSuffix(v, "."+goos+"-"+goarch)
	if !ok {
		return ""
	}
	return v
}

// Downloader fetches a module zip into a file.
type Downloader interface {
	Download(ctx context.Context, path, version, dst string, progress func(done, total int64)) (int64, error)
}

// Verifier checks a module hash against a checksum database.
type Verifier interface {
	Verify(ctx context.Context, path, version, hash string) error
}

// Describer is a Verifier that says, for the build log, what it checked
// a hash against, or why it asked no database.
type Describer interface {
	Describe(hash string) string
}

// Logger receives detail lines about the install.
type Logger interface {
	Detail(format string, args ...any)
}

// Cache is a directory of installed toolchains for one platform.
type Cache struct {
	Dir    string
	GOOS   string
	GOARCH string
}

// Toolchain is an installed Go toolchain.
type Toolchain struct {
	Version string // go1.22.12
	Root    string // GOROOT: the directory holding bin/go
	Reused  bool   // found in the cache rather than fetched
	// Temporary is true for a toolchain installed outside the cache, for
	// one build, because the cache's disk was full: it is removed when the
	// build ends. The caller that installed it there sets it.
	Temporary bool
}

// ReleaseAt returns the Go release of the toolchain at root ("go1.22.12"),
// from the VERSION file every Go distribution has at its root.
func ReleaseAt(root string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		return "", fmt.Errorf("read the toolchain's release: %w", err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if v := strings.TrimSpace(first); strings.HasPrefix(v, "go") {
		return v, nil
	}
	return "", fmt.Errorf("read the toolchain's release: %s/VERSION does not start with a Go release", root)
}

// Go returns the path of the toolchain's go command.
func (t Toolchain) Go() string { return filepath.Join(t.Root, "bin", "go") }

// name is the cache directory name of a release: go1.22.12.linux-amd64.
func (c Cache) name(v string) string { return v + "." + c.GOOS + "-" + c.GOARCH }

// Lookup returns the installed toolchain for release v, if the cache holds
// a complete one: its marker is present, records the h1 hash the checksum
// database vouched for, and its go command has the size recorded at
// install time.
func (c Cache) Lookup(v string) (Toolchain, bool) {
	root := filepath.Join(c.Dir, c.name(v))
	data, err := files.ReadNoFollow(filepath.Join(root, markerName))
	if err != nil || !verifiedMarker(string(data)) {
		return Toolchain{}, false
	}
	want, err := strconv.ParseInt(markerField(string(data), "go-size"), 10, 64)
	if err != nil {
		return Toolchain{}, false
	}
	info, err := os.Stat(filepath.Join(root, "bin", "go"))
	if err != nil || info.Size() != want || info.Mode()&0o111 == 0 {
		return Toolchain{}, false
	}
	return Toolchain{Version: v, Root: root, Reused: true}, true
}

// verifiedMarker reports whether a marker records an h1 hash, the only
// kind Install writes after the checksum database vouched for it. Older
// versions of the buildpack's shim installed its bootstrap toolchain here
// with a SHA-256 marker: such a toolchain is not reused.
func verifiedMarker(marker string) bool {
	return strings.HasPrefix(markerField(marker, "hash"), "h1:")
}

// RemoveUnverified removes the toolchains whose marker records no hash
// the checksum database vouched for, and returns their releases.
func (c Cache) RemoveUnverified() []string {
	entries, _ := os.ReadDir(c.Dir)
	suffix := "." + c.GOOS + "-" + c.GOARCH
	var removed []string
	for _, e := range entries {
		v, ok := strings.CutSuffix(e.Name(), suffix)
		if !ok || !e.IsDir() || strings.HasPrefix(v, ".") {
			continue
		}
		data, err := files.ReadNoFollow(filepath.Join(c.Dir, e.Name(), markerName))
		if err != nil || verifiedMarker(string(data)) {
			continue // incomplete ones are Install's to clean
		}
		if c.Remove(v) == nil {
			removed = append(removed, v)
		}
	}
	return removed
}

// Installed returns the releases with a complete toolchain in the cache.
func (c Cache) Installed() []string {
	entries, _ := os.ReadDir(c.Dir)
	var out []string
	suffix := "." + c.GOOS + "-" + c.GOARCH
	for _, e := range entries {
		if v, ok := strings.CutSuffix(e.Name(), suffix); ok && e.IsDir() && !strings.HasPrefix(v, ".") {
			if _, ok := c.Lookup(v); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// Installer installs toolchains into a Cache.
type Installer struct {
	Cache    Cache
	Download Downloader
	Verify   Verifier
	Log      Logger
}

// Install returns the toolchain for release v, from the cache when it is
// complete there, else fetched, verified and unpacked. Concurrent installs
// of the same release into one cache wait for each other and unpack once.
// On any failure nothing is left in the cache but the lock file. A disk
// that is full, or a quota that is used up, is a *NoSpaceError.
func (i *Installer) Install(ctx context.Context, v string) (Toolchain, error) {
	sz := &sizes{}
	t, err := i.install(ctx, v, sz)
	if noSpace(err) {
		return Toolchain{}, i.noSpaceError(v, sz, err)
	}
	return t, err
}

// sizes are what an install learns of its toolchain's size as it goes.
type sizes struct {
	zip      int64 // the zip: its Content-Length, then what was fetched
	unpacked int64 // its files, from the zip's directory
}

// install is Install, noting the sizes it learns in sz.
func (i *Installer) install(ctx context.Context, v string, sz *sizes) (Toolchain, error) {
	if t, ok := i.Cache.Lookup(v); ok {
		return t, nil
	}
	if err := os.MkdirAll(i.Cache.Dir, 0o777); err != nil {
		return Toolchain{}, fmt.Errorf("install %s: %w", v, err)
	}
	name := i.Cache.name(v)
	unlock, err := files.Lock(i.Cache.lockPath(name), func() {
		i.Log.Detail("Waiting for another build to finish installing %s", v)
	})
	if err != nil {
		return Toolchain{}, fmt.Errorf("install %s: %w", v, err)
	}
	defer unlock()
	// Another build may have installed it while we waited.
	if t, ok := i.Cache.Lookup(v); ok {
		return t, nil
	}
	i.clean(name)

	tmp, err := os.MkdirTemp(i.Cache.Dir, ".tmp-"+name+"-")
	if err != nil {
		return Toolchain{}, fmt.Errorf("install %s: %w", v, err)
	}
	defer files.RemoveAll(tmp)

	// Fetch.
	modVersion := ModuleVersion(v, i.Cache.GOOS, i.Cache.GOARCH)
	zipFile := filepath.Join(tmp, "toolchain.zip")
	i.Log.Detail("Fetching %s@%s", ModulePath, modVersion)
	start := time.Now()
	logProgress := newProgress(i.Log)
	progress := func(done, total int64) {
		if total > 0 {
			sz.zip = total
		}
		logProgress(done, total)
	}
	size, err := i.Download.Download(ctx, ModulePath, modVersion, zipFile, progress)
	if err != nil {
		return Toolchain{}, fmt.Errorf("install %s: %w", v, err)
	}
	sz.zip = size
	sz.unpacked = unpackedSize(zipFile)
	i.Log.Detail("Fetched %s in %s", output.Size(size), output.Duration(time.Since(start)))

	// Unpack into the temp dir, hashing the files as they are read, then
	// verify the hash. Nothing leaves the temp dir before it is verified.
	start = time.Now()
	root := filepath.Join(tmp, "go")
	m := module.Version{Path: ModulePath, Version: modVersion}
	if err := checkZip(zipFile, m); err != nil {
		return Toolchain{}, fmt.Errorf("install %s: unpack: %w: %w", v, ErrInvalidZip, err)
	}
	hash, err := unpack(zipFile, root, m)
	if errors.Is(err, ErrInvalidZip) {
		return Toolchain{}, fmt.Errorf("install %s: hash %s: %w", v, modVersion, err)
	}
	if err != nil {
		return Toolchain{}, fmt.Errorf("install %s: unpack: %w", v, err)
	}
	if err := i.Verify.Verify(ctx, ModulePath, modVersion, hash); err != nil {
		return Toolchain{}, fmt.Errorf("install %s: %w", v, err)
	}
	line := fmt.Sprintf("Verified %s against the checksum database", hash)
	if d, ok := i.Verify.(Describer); ok {
		line = d.Describe(hash)
	}
	i.Log.Detail("%s", line)
	if err := os.Remove(zipFile); err != nil {
		return Toolchain{}, fmt.Errorf("install %s: %w", v, err)
	}
	goInfo, err := os.Stat(filepath.Join(root, "bin", "go"))
	if err != nil {
		return Toolchain{}, fmt.Errorf("install %s: toolchain has no bin/go: %w", v, err)
	}

	// Move into place, then mark done.
	final := filepath.Join(i.Cache.Dir, name)
	if err := files.RemoveAll(final); err != nil {
		return Toolchain{}, fmt.Errorf("install %s: remove incomplete %s: %w", v, final, err)
	}
	if err := os.Rename(root, final); err != nil {
		return Toolchain{}, fmt.Errorf("install %s: %w", v, err)
	}
	marker := fmt.Sprintf("version %s\nhash %s\ngo-size %d\n", modVersion, hash, goInfo.Size())
	if err := files.WriteFileAtomic(filepath.Join(final, markerName), []byte(marker), 0o444); err != nil {
		files.RemoveAll(final)
		return Toolchain{}, fmt.Errorf("install %s: write marker: %w", v, err)
	}
	i.Log.Detail("Unpacked in %s", output.Duration(time.Since(start)))
	return Toolchain{Version: v, Root: final}, nil
}

// NoSpaceError reports an install that ran out of disk space (ENOSPC) or
// of quota (EDQUOT). Nothing was installed, and the download is not
// retried: it cannot succeed until space is freed.
type NoSpaceError struct {
	Release  string
	Dir      string // on the full file system: the cache's directory, unless what failed was written elsewhere
	Zip      int64  // the zip's size; 0 when unknown
	Unpacked int64  // what the zip's files take unpacked; 0 when unknown
	Free     int64  // bytes free in Dir after the failed install was cleaned up; -1 when unknown
	Err      error
}

// Error says what failed, where, and how much space the install needs.
func (e *NoSpaceError) Error() string {
	full := "is full"
	if errors.Is(e.Err, syscall.EDQUOT) {
		full = "is over its quota"
	}
	need := ""
	switch {
	case e.Zip > 0 && e.Unpacked > 0:
		need = fmt.Sprintf("; installing %s needs about %s there (the %s zip, and %s unpacked)", e.Release,
			output.Size(e.Zip+e.Unpacked), output.Size(e.Zip), output.Size(e.Unpacked))
	case e.Zip > 0:
		need = fmt.Sprintf("; installing %s needs more than %s there (the zip, then its files unpacked)", e.Release, output.Size(e.Zip))
	}
	free := ""
	if e.Free >= 0 {
		free = fmt.Sprintf(", and %s is free", output.Size(e.Free))
	}
	return fmt.Sprintf("%v: the file system of %s %s%s%s", e.Err, e.Dir, full, need, free)
}

// Unwrap returns the install's error.
func (e *NoSpaceError) Unwrap() error { return e.Err }

// noSpace reports whether err is a full disk or a used-up quota.
func noSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// noSpaceError describes err, a full disk met installing release v.
func (i *Installer) noSpaceError(v string, sz *sizes, err error) *NoSpaceError {
	dir := i.Cache.Dir
	var pe *fs.PathError
	if errors.As(err, &pe) && !within(pe.Path, dir) {
		dir = filepath.Dir(pe.Path)
	}
	free := int64(-1)
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) == nil {
		free = int64(st.Bavail) * int64(st.Bsize)
	}
	return &NoSpaceError{Release: v, Dir: dir, Zip: sz.zip, Unpacked: sz.unpacked, Free: free, Err: err}
}

// within reports whether path is dir or under it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// unpackedSize returns what the files of a zip take unpacked, 0 when it
// cannot be read (the install then says why).
func unpackedSize(zipFile string) int64 {
	z, err := zip.OpenReader(zipFile)
	if err != nil {
		return 0
	}
	defer z.Close()
	var n uint64
	for _, f := range z.File {
		n += f.UncompressedSize64
	}
	return int64(min(n, 1<<62))
}

// ErrInvalidZip marks a toolchain zip refused for what it holds: not a zip,
// or a file name or kind that a module zip may not have.
var ErrInvalidZip = errors.New("not a valid module zip")

// checkZip refuses a zip that golang.org/x/mod/zip would not unpack (path
// traversal, duplicate or colliding names, too large), or that holds
// anything but regular files and directories: x/mod/zip would unpack a
// symlink entry as a regular file, and module zips never hold one.
func checkZip(zipFile string, m module.Version) error {
	cf, err := modzip.CheckZip(m, zipFile)
	if err == nil {
		err = cf.Err()
	}
	if err != nil {
		return err
	}
	z, err := zip.OpenReader(zipFile)
	if err != nil {
		return err
	}
	defer z.Close()
	for _, f := range z.File {
		if mode := f.Mode(); !mode.IsRegular() && !mode.IsDir() {
			return fmt.Errorf("%s: not a regular file (mode %v)", f.Name, mode)
		}
	}
	return nil
}

// clean removes what killed builds left for release name, whose lock the
// caller holds, and for the other releases whose lock is free.
func (i *Installer) clean(name string) {
	i.Cache.removeLeftovers(name)
	files.RemoveAll(filepath.Join(i.Cache.Dir, name))
}

// RemoveLeftovers removes what killed builds left in the cache, and
// returns it (names of entries of the cache directory): the temp dirs of
// installs, with the part of a toolchain they hold, and toolchain dirs of
// this platform that never got their marker. Only the remains of a
// release whose lock is free are removed: an install running now holds
// its release's lock, so its temp dir is never taken for a killed one,
// whatever process (or container) runs it.
func (c Cache) RemoveLeftovers() []string { return c.removeLeftovers("") }

// removeLeftovers is RemoveLeftovers, for a caller that holds the lock of
// release held already ("" for none).
func (c Cache) removeLeftovers(held string) []string {
	entries, _ := os.ReadDir(c.Dir)
	suffix := "." + c.GOOS + "-" + c.GOARCH
	byRelease := map[string][]string{}
	var names []string
	for _, e := range entries {
		name, ok := leftoverOf(e.Name(), suffix)
		if !ok {
			continue
		}
		if !strings.HasPrefix(e.Name(), ".tmp-") {
			// A toolchain dir without its marker: incomplete, unless
			// it is being installed (checked under the lock below).
			if !e.IsDir() || c.hasMarker(e.Name()) {
				continue
			}
		}
		if byRelease[name] == nil {
			names = append(names, name)
		}
		byRelease[name] = append(byRelease[name], e.Name())
	}
	var removed []string
	for _, name := range names {
		removed = append(removed, c.removeLocked(name, name == held, byRelease[name])...)
	}
	sort.Strings(removed)
	return removed
}

// removeLocked removes the entries of release name under its lock, which
// it takes unless held, and returns those it removed. It removes nothing
// when another process holds the lock.
func (c Cache) removeLocked(name string, held bool, entries []string) []string {
	if !held {
		unlock, ok, err := files.TryLock(c.lockPath(name))
		if err != nil || !ok {
			return nil // being installed, or no lock to be had
		}
		defer unlock()
	}
	var removed []string
	for _, entry := range entries {
		if !strings.HasPrefix(entry, ".tmp-") && c.hasMarker(entry) {
			continue // completed before the lock was taken
		}
		if files.RemoveAll(filepath.Join(c.Dir, entry)) == nil {
			removed = append(removed, entry)
		}
	}
	return removed
}

// leftoverOf returns the release directory name (go1.22.12.linux-amd64)
// that the cache entry belongs to, when it may be a killed build's
// remains: a temp dir ".tmp-NAME-RANDOM" of an install of any platform,
// or NAME itself for this platform (whose suffix is ".linux-amd64").
func leftoverOf(entry, suffix string) (name string, ok bool) {
	if rest, ok := strings.CutPrefix(entry, ".tmp-"); ok {
		i := strings.LastIndex(rest, "-")
		if i <= 0 || !strings.HasPrefix(rest, "go") {
			return "", false
		}
		return rest[:i], true
	}
	if strings.HasPrefix(entry, "go") && strings.HasSuffix(entry, suffix) {
		return entry, true
	}
	return "", false
}

// hasMarker reports whether the toolchain dir name has its marker, of
// whatever kind (RemoveUnverified removes those of another kind).
func (c Cache) hasMarker(name string) bool {
	info, err := os.Lstat(filepath.Join(c.Dir, name, markerName))
	return err == nil && info.Mode().IsRegular()
}

// Remove deletes release v from the cache.
func (c Cache) Remove(v string) error {
	name := c.name(v)
	unlock, err := files.Lock(c.lockPath(name), nil)
	if err != nil {
		return err
	}
	defer unlock()
	return files.RemoveAll(filepath.Join(c.Dir, name))
}

// RemoveLocks removes the lock files of the cache's releases
// (.go1.22.12.linux-amd64.lock, of any platform), for a cache that no
// other process uses once this one is done with it: a Cloud Native
// Buildpack's toolchain layer at the end of its build, so that the layer,
// and the image that keeps it, hold only toolchains. A shared cache keeps
// its lock files: removing one that another process holds or waits for
// would let a third take "the" lock while it is held.
func (c Cache) RemoveLocks() error {
	entries, err := os.ReadDir(c.Dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".go") && strings.HasSuffix(e.Name(), ".lock") && e.Type().IsRegular() {
			if err := os.Remove(filepath.Join(c.Dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// lockPath is the lock file that installs and removals of the release
// named name (go1.22.12.linux-amd64) hold.
func (c Cache) lockPath(name string) string { return filepath.Join(c.Dir, "."+name+".lock") }

func markerField(marker, key string) string {
	for _, line := range strings.Split(marker, "\n") {
		if v, ok := strings.CutPrefix(line, key+" "); ok {
			return v
		}
	}
	return ""
}

// newProgress returns a download progress callback that logs a line at
// every fifth of the download: log-friendly, no terminal control codes.
func newProgress(log Logger) func(done, total int64) {
	next := int64(20)
	return func(done, total int64) {
		if total <= 0 {
			return
		}
		pct := done * 100 / total
		if pct < next || done == total {
			return
		}
		log.Detail("Downloaded %d%% (%s of %s)", pct, output.Size(done), output.Size(total))
		next = (pct/20 + 1) * 20
	}
}

// Touch records that release v was used now, for Prune.
func (c Cache) Touch(v string) {
	now := time.Now()
	os.Chtimes(filepath.Join(c.Dir, c.name(v)), now, now)
}

// Prune removes the least recently used toolchains beyond the keep most
// recent ones, never the release in use. It returns the releases removed.
func (c Cache) Prune(keep int, inUse string) []string {
	type used struct {
		v    string
		when time.Time
	}
	var all []used
	for _, v := range c.Installed() {
		if info, err := os.Stat(filepath.Join(c.Dir, c.name(v))); err == nil {
			all = append(all, used{v, info.ModTime()})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].when.After(all[j].when) })
	others := keep // how many besides the one in use may stay
	for _, u := range all {
		if u.v == inUse {
			others--
		}
	}
	var removed []string
	kept := 0
	for _, u := range all {
		if u.v == inUse || kept < others {
			if u.v != inUse {
				kept++
			}
			continue
		}
		if c.Remove(u.v) == nil {
			removed = append(removed, u.v)
		}
	}
	return removed
}
