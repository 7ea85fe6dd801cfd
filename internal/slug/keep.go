package slug

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/glob"
)

// alwaysKept are the paths a slug needs whatever GO_SLUG_KEEP says.
var alwaysKept = []string{BinDir, AppBinary, ".profile.d", ".heroku", "Procfile", "app.json"}

// ParseKeep splits a GO_SLUG_KEEP value into glob patterns and checks them.
// Patterns are separated by spaces or commas, relative to the app's root,
// use "/" and may use "**" for any number of directories.
func ParseKeep(value string) ([]string, error) {
	pats := strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '\t' })
	for i, p := range pats {
		if strings.HasPrefix(p, "/") {
			return nil, fmt.Errorf("%q must be relative to the app's root and stay inside it", p)
		}
		// "./config" and "config/" name the directory config.
		p = path.Clean(p)
		pats[i] = p
		if p == "." || p == ".." || strings.HasPrefix(p, "../") {
			return nil, fmt.Errorf("%q must be relative to the app's root and stay inside it", p)
		}
		for _, seg := range strings.Split(p, "/") {
			if _, err := path.Match(seg, ""); err != nil {
				return nil, fmt.Errorf("%q is not a valid pattern: %w", p, err)
			}
		}
	}
	return pats, nil
}

// goSourceExts are the extensions of the files the go command builds a
// package from (go/build), which the binaries no longer need.
var goSourceExts = map[string]bool{
	".go": true, ".s": true, ".S": true, ".sx": true,
	".c": true, ".cc": true, ".cpp": true, ".cxx": true, ".h": true, ".hh": true, ".hpp": true, ".hxx": true,
	".m": true, ".f": true, ".F": true, ".for": true, ".f90": true,
	".swig": true, ".swigcxx": true, ".syso": true,
}

// goFiles are the Go module and workspace files.
var goFiles = map[string]bool{"go.mod": true, "go.sum": true, "go.work": true, "go.work.sum": true}

// GoSource reports whether rel (slash-separated, relative to the build
// directory) is a file of the Go app's sources that the slug does not
// need: a Go source file (by extension), or go.mod, go.sum, go.work,
// go.work.sum. Vendored modules are found by Prune.
func GoSource(rel string) bool {
	name := path.Base(rel)
	return goFiles[name] || goSourceExts[path.Ext(name)]
}

// protected reports whether rel (slash-separated, relative to the build
// directory) is never pruned, nor anything under it: what earlier
// buildpacks and the slug itself keep there. Every entry at the root whose
// name starts with a dot (.profile, .profile.d, .heroku, ...), bin/, and
// any node_modules.
func protected(rel string) bool {
	first, _, _ := strings.Cut(rel, "/")
	return strings.HasPrefix(first, ".") || first == BinDir || path.Base(rel) == "node_modules"
}

// Prune removes the Go app's sources from the build directory, which the
// binaries no longer need, and nothing else: Go source files and the
// module files (see GoSource), and in a Go vendor directory (vendor/ with
// a modules.txt, next to a go.mod or go.work) modules.txt and the trees
// of the modules it lists. It never touches what earlier buildpacks or
// the slug keep: entries at the root whose names start with a dot, bin/,
// ./app, node_modules directories, and vendor directories or parts of
// them that are not Go's (vendor/bundle). Files matching a keep pattern,
// or under a directory that does, stay. Directories that removing files
// left empty are removed. It returns how many files it removed and their
// size. Symlinks are removed, never followed.
func Prune(buildDir string, keep []string) (files int, bytes int64, err error) {
	// Find everything first: whether a vendor directory is Go's depends
	// on the go.mod next to it, which is pruned too.
	var doomed []string
	seen := map[string]bool{} // a module tree may hold another's
	add := func(p, rel string) {
		if !seen[p] && !kept(rel, keep) {
			seen[p] = true
			doomed = append(doomed, p)
		}
	}
	err = filepath.WalkDir(buildDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(buildDir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
		case protected(rel) || (d.IsDir() && kept(rel, keep)):
			if d.IsDir() {
				return filepath.SkipDir
			}
		case d.IsDir() && d.Name() == "vendor":
			// Only Go's vendored modules; the rest of a vendor
			// directory is another buildpack's (vendor/bundle).
			for _, sub := range goVendored(buildDir, rel) {
				if err := walkTree(filepath.Join(p, filepath.FromSlash(sub)), buildDir, add); err != nil {
					return err
				}
			}
			return filepath.SkipDir
		case !d.IsDir() && rel != AppBinary && GoSource(rel):
			add(p, rel)
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("prune slug: %w", err)
	}
	emptied := map[string]bool{}
	for _, p := range doomed {
		info, err := os.Lstat(p)
		if err != nil {
			return files, bytes, fmt.Errorf("prune slug: %w", err)
		}
		if err := os.Remove(p); err != nil {
			return files, bytes, fmt.Errorf("prune slug: %w", err)
		}
		files++
		bytes += info.Size()
		for dir := filepath.Dir(p); dir != buildDir && strings.HasPrefix(dir, buildDir); dir = filepath.Dir(dir) {
			emptied[dir] = true
		}
	}
	dirs := make([]string, 0, len(emptied))
	for d := range emptied {
		dirs = append(dirs, d)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		os.Remove(d) // only succeeds when empty
	}
	return files, bytes, nil
}

// goVendored returns what Go put in the vendor directory rel of buildDir
// (slash-separated), relative to it: modules.txt and the module trees it
// lists, when it is a Go vendor directory (it holds modules.txt and its
// parent a go.mod or go.work); else nothing. modules.txt is read through
// files.AppFS: one that is a symlink to outside the app is not read.
func goVendored(buildDir, rel string) []string {
	data, err := files.AppFS(buildDir).ReadFile(path.Join(rel, "modules.txt"))
	if err != nil {
		return nil
	}
	parent := filepath.Dir(filepath.Join(buildDir, filepath.FromSlash(rel)))
	if !isFile(filepath.Join(parent, "go.mod")) && !isFile(filepath.Join(parent, "go.work")) {
		return nil
	}
	out := []string{"modules.txt"}
	for _, line := range strings.Split(string(data), "\n") {
		// "# example.com/m v1.2.3 [=> replacement]" names a module;
		// "## explicit" lines and package lines do not.
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "#" {
			continue
		}
		p := path.Clean(f[1])
		if p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") || p == "modules.txt" {
			continue
		}
		out = append(out, p)
	}
	return out
}

// walkTree calls add for every file and symlink at or under p, which may
// not exist, never following a symlink.
func walkTree(p, buildDir string, add func(p, rel string)) error {
	if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(buildDir, q)
		add(q, filepath.ToSlash(rel))
		return nil
	})
}

func isFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

// kept reports whether rel (slash-separated, relative to the root) is kept.
func kept(rel string, keep []string) bool {
	first, _, _ := strings.Cut(rel, "/")
	for _, k := range alwaysKept {
		if first == k {
			return true
		}
	}
	for _, p := range keep {
		if glob.Match(strings.Split(p, "/"), strings.Split(rel, "/")) {
			return true
		}
	}
	return false
}

// SizeInfo is what the slug holds, before compression.
type SizeInfo struct {
	Total    int64 // bytes, each hard-linked file counted once, as tar stores it
	Binaries int64 // bytes in bin/ and ./app
	Files    int
}

// Size measures the build directory as the slug will hold it.
func Size(buildDir string) SizeInfo {
	var s SizeInfo
	seen := map[uint64]bool{}
	filepath.WalkDir(buildDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
			if seen[st.Ino] {
				return nil
			}
			seen[st.Ino] = true
		}
		s.Total += info.Size()
		s.Files++
		rel, _ := filepath.Rel(buildDir, p)
		if first, _, _ := strings.Cut(filepath.ToSlash(rel), "/"); first == BinDir || first == AppBinary {
			s.Binaries += info.Size()
		}
		return nil
	})
	return s
}
