package gocmd

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// linkGOPATH makes gopath/pkg/mod a symbolic link to the module cache
// dir. Go releases before go1.15 ignore GOMODCACHE and keep modules in
// $GOPATH/pkg/mod (they follow the link, as measured with go1.11 to
// go1.14); with the link they share the module cache of newer releases.
// Whatever was at gopath/pkg/mod before is replaced.
func linkGOPATH(gopath, dir string) error {
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
	// A name of this build's own: builds sharing a cache link at once.
	tmp := fmt.Sprintf("%s.tmp-%d-%d", link, os.Getpid(), rand.Int64())
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
