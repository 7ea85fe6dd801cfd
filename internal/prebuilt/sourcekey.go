// Package prebuilt makes the buildpack's own program a release: built
// reproducibly for the platforms Heroku runs, pinned in buildpack.toml by
// SHA-256 and tied to the exact sources it was built from, so bin/compile
// can run a prebuilt binary instead of compiling the buildpack.
//
// The bin/ shims compute the same source key in bash (bin/program.sh) and
// check a prebuilt binary against its pin before it runs.
package prebuilt

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// SourceKey returns the key of the sources the program is built from: the
// non-test Go files under cmd/ and internal/, go.mod and go.sum of the
// buildpack in dir. It is the first 32 hex digits of the SHA-256 of the
// lines `sha256sum` prints for those files, sorted bytewise by path, so
// the shim computes the same value with find, sort and sha256sum.
func SourceKey(dir string) (string, error) {
	names, err := sourceFiles(dir)
	if err != nil {
		return "", fmt.Errorf("source key of %s: %w", dir, err)
	}
	sums := make([]string, len(names))
	for i, f := range names {
		if sums[i], err = files.SHA256(filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			return "", fmt.Errorf("source key of %s: %w", dir, err)
		}
	}
	return keyOf(names, sums), nil
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

// sourceFiles lists the files of the source key as slash paths relative
// to dir, sorted bytewise.
func sourceFiles(dir string) ([]string, error) {
	files := []string{"go.mod", "go.sum"}
	for _, root := range []string{"cmd", "internal"} {
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
