// Package modcache reads which modules go.sum lists and which of them the
// module cache already holds.
package modcache

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// SumModules returns the module versions a go.sum lists zips for.
func SumModules(gosum []byte) []module.Version {
	var out []module.Version
	for _, line := range strings.Split(string(gosum), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || strings.HasSuffix(f[1], "/go.mod") {
			continue
		}
		out = append(out, module.Version{Path: f[0], Version: f[1]})
	}
	return out
}

// CachedModules counts the modules whose zips the module cache holds.
func CachedModules(gomodcache string, mods []module.Version) int {
	n := 0
	for _, m := range mods {
		p, err1 := module.EscapePath(m.Path)
		v, err2 := module.EscapeVersion(m.Version)
		if err1 != nil || err2 != nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(gomodcache, "cache", "download", p, "@v", v+".zip")); err == nil {
			n++
		}
	}
	return n
}

// LinkGOPATH makes gopath/pkg/mod a symbolic link to the module cache
// dir. Go releases before go1.15 ignore GOMODCACHE and keep modules in
// $GOPATH/pkg/mod (they follow the link, as measured with go1.11 to
// go1.14); with the link they share the module cache of newer releases.
// Whatever was at gopath/pkg/mod before is replaced.
func LinkGOPATH(gopath, dir string) error {
	link := filepath.Join(gopath, "pkg", "mod")
	if target, err := os.Readlink(link); err == nil && target == dir {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(link), 0o777); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	tmp := link + ".tmp"
	os.Remove(tmp)
	if err := os.Symlink(dir, tmp); err != nil {
		return err
	}
	if info, err := os.Lstat(link); err == nil && info.IsDir() {
		if err := files.RemoveAll(link); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
