package slug

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
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

// Prune removes from the build directory every file that neither a keep
// pattern nor the slug itself (binaries, .profile.d, .heroku, Procfile,
// app.json) needs, then the directories left empty. It returns how many
// files it removed and their size. Symlinks are removed, never followed.
func Prune(buildDir string, keep []string) (files int, bytes int64, err error) {
	var dirs []string
	err = filepath.WalkDir(buildDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(buildDir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if kept(rel, keep) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		files++
		bytes += info.Size()
		return nil
	})
	if err != nil {
		return files, bytes, fmt.Errorf("prune slug: %w", err)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		os.Remove(d) // only succeeds when empty
	}
	return files, bytes, nil
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
		if match(strings.Split(p, "/"), strings.Split(rel, "/")) {
			return true
		}
	}
	return false
}

// match reports whether the path segments name match the pattern
// segments pat, where "**" matches any number of segments.
func match(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if match(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
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
