package deploy

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slugignore"
)

// copyApp copies the app into the build directory as Heroku checks it
// out: without .git, with file modes and symbolic links kept, and without
// what its .slugignore names (Heroku removes those before any buildpack
// runs). It returns how many paths .slugignore left out, and warnings
// about the lines it ignored.
func copyApp(src, dst string) (ignored int, warnings []string, err error) {
	ig, warnings, err := slugignore.Read(files.AppFS(src))
	if err != nil {
		return 0, nil, fmt.Errorf("copy the app: %w", err)
	}
	skip := func(rel string, d fs.DirEntry) bool {
		if rel == ".git" {
			return true
		}
		if ig.Match(filepath.ToSlash(rel), d.IsDir()) {
			ignored++
			return true
		}
		return false
	}
	if err := files.CopyTree(src, dst, skip, false); err != nil {
		return 0, nil, fmt.Errorf("copy the app: %w", err)
	}
	return ignored, warnings, nil
}

// writeEnvDir writes the config vars as Heroku hands them to
// bin/compile: one file per variable, readable by the owner only.
func writeEnvDir(dir string, vars map[string]string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write config vars: %w", err)
	}
	for name, value := range vars {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(value), 0o600); err != nil {
			return fmt.Errorf("write config var %s: %w", name, err)
		}
	}
	return nil
}

// names lists the config vars' names, never their values.
func names(vars map[string]string) string {
	if len(vars) == 0 {
		return "none"
	}
	list := make([]string, 0, len(vars))
	for name := range vars {
		list = append(list, name)
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}

// writeSlug packs the build directory as a Heroku slug: a gzipped tar
// with everything under ./app, file modes and symbolic links kept. It
// returns the size of the file.
func writeSlug(buildDir, path string) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, fmt.Errorf("write slug: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".slug-*.tgz")
	if err != nil {
		return 0, fmt.Errorf("write slug: %w", err)
	}
	defer os.Remove(tmp.Name())
	gz := gzip.NewWriter(tmp)
	tw := tar.NewWriter(gz)
	err = filepath.WalkDir(buildDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(buildDir, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		link := ""
		if d.Type()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(p); err != nil {
				return err
			}
		} else if !d.IsDir() && !d.Type().IsRegular() {
			return nil
		}
		hdr, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		hdr.Name = "./app"
		if rel != "." {
			hdr.Name += "/" + filepath.ToSlash(rel)
		}
		if d.IsDir() {
			hdr.Name += "/"
		}
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(tw, f)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = gz.Close()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("write slug: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return 0, fmt.Errorf("write slug: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("write slug: %w", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("write slug: %w", err)
	}
	return info.Size(), nil
}
