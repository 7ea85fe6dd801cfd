package release

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// The sources have two keys, each the first 32 hex digits of the SHA-256
// of the lines `sha256sum` prints for its files, sorted bytewise by path,
// so that bin/program.sh computes the same values with find, sort and
// sha256sum:
//
//   - the source key, which a release is pinned by (program_source): go.mod,
//     go.sum and the non-test Go files of the runtime program's packages,
//     the directories bin/pins.sh lists (program_packages). Tooling
//     (cmd/dev and what only it links) is not part of it: editing the
//     benchmark leaves the release as it is.
//   - the build key, which names a program built from source in the cache
//     (CACHE_DIR/go/program/source-KEY): go.mod, go.sum and every non-test
//     Go file under cmd/ and internal/. It is always complete, even when a
//     fork adds a package to the program without pinning it again.
//
// A package's files are those directly in its directory, build
// constraints aside: a superset of what the go command compiles.

// SourceKey returns the source key of the buildpack in dir for the runtime
// program's package directories pkgs.
func SourceKey(dir string, pkgs []string) (string, error) {
	names, sums, err := hashSources(dir)
	if err != nil {
		return "", err
	}
	listed := map[string]bool{}
	for _, p := range pkgs {
		listed[p] = true
	}
	var keepNames, keepSums []string
	for i, name := range names {
		if d := path.Dir(name); d == "." || listed[d] {
			keepNames, keepSums = append(keepNames, name), append(keepSums, sums[i])
		}
	}
	return keyOf(keepNames, keepSums), nil
}

// BuildKey returns the build key of the buildpack in dir.
func BuildKey(dir string) (string, error) {
	names, sums, err := hashSources(dir)
	if err != nil {
		return "", err
	}
	return keyOf(names, sums), nil
}

// hashSources returns the files of the build key, sorted, with their
// SHA-256 sums.
func hashSources(dir string) (names, sums []string, err error) {
	names, err = sourceFiles(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("source key of %s: %w", dir, err)
	}
	sums = make([]string, len(names))
	for i, f := range names {
		if sums[i], err = files.SHA256(filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			return nil, nil, fmt.Errorf("source key of %s: %w", dir, err)
		}
	}
	return names, sums, nil
}

// keyOf hashes the sha256sum lines of the files (their hex SHA-256 sums
// and names), in the order given.
func keyOf(names, sums []string) string {
	h := sha256.New()
	for i, f := range names {
		fmt.Fprintf(h, "%s  %s\n", sums[i], f)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// SourceRoots are the directories whose Go files the build key covers,
// and where every runtime package must be.
var SourceRoots = []string{"cmd", "internal"}

// sourceFiles lists the files of the build key as slash paths relative
// to dir, sorted bytewise. Symlinks are not followed, as find -type f.
func sourceFiles(dir string) ([]string, error) {
	files := []string{"go.mod", "go.sum"}
	for _, root := range SourceRoots {
		err := filepath.WalkDir(filepath.Join(dir, root), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() || !isSource(d.Name()) {
				return nil
			}
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			if strings.ContainsAny(rel, "\\\n") {
				// sha256sum escapes such names; no buildpack source has one.
				return fmt.Errorf("%q: a source file name with a backslash or a newline", rel)
			}
			files = append(files, rel)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

// isSource reports whether a file name is a non-test Go source file.
func isSource(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
}
