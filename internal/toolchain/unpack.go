package toolchain

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"golang.org/x/mod/module"
)

// unpack reads the toolchain zip once: it writes the files an installed
// toolchain keeps (kept) into root, with their final modes, and returns
// the zip's h1: hash, computed from the same reads. Files are unpacked
// by several workers at once, so the install takes about as long as the
// slowest of reading the zip and writing the files, not their sum. The
// caller checks the hash against the checksum database before anything
// leaves the temporary directory root is in.
//
// The zip must have passed checkZip. The hash is dirhash.Hash1's (what
// dirhash.HashZip gives, and the checksum database holds): the SHA-256 of
// the lines "SHA256(file)  NAME\n" of every file in the zip, by name.
func unpack(zipFile, root string, m module.Version) (hash string, err error) {
	z, err := zip.OpenReader(zipFile)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidZip, err)
	}
	defer z.Close()
	prefix := m.Path + "@" + m.Version + "/"

	// Directories first, so the workers only create files.
	dirs := map[string]bool{root: true}
	for _, f := range z.File {
		rel, ok := strings.CutPrefix(f.Name, prefix)
		if !ok || strings.HasSuffix(f.Name, "/") || !kept(rel) {
			continue
		}
		dirs[filepath.Join(root, filepath.FromSlash(path.Dir(rel)))] = true
	}
	for dir := range dirs {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return "", err
		}
	}

	sums := make([][sha256.Size]byte, len(z.File))
	work := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	// A worker more than there are cores: while one waits on the disk,
	// the others decompress.
	for range runtime.GOMAXPROCS(0) + 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := unpackFile(z.File[i], prefix, root, &sums[i]); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for i, f := range z.File {
		if strings.Contains(f.Name, "\n") {
			err = fmt.Errorf("%w: a file name has a newline", ErrInvalidZip)
			break
		}
		if len(errs) > 0 {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err == nil && len(errs) > 0 {
		err = <-errs
	}
	if err != nil {
		return "", err
	}

	// dirhash.Hash1: the files' hashes, one line each, by name.
	order := make([]int, len(z.File))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return z.File[order[a]].Name < z.File[order[b]].Name })
	h := sha256.New()
	for _, i := range order {
		fmt.Fprintf(h, "%x  %s\n", sums[i], z.File[i].Name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

// unpackFile hashes the zip entry f into sum and, when an installed
// toolchain keeps it, writes it below root: read-only as x/mod/zip
// leaves files, and executable under bin and pkg/tool, which the zip
// format does not record. A damaged entry (its CRC-32 or size not the
// header's) is an ErrInvalidZip.
func unpackFile(f *zip.File, prefix, root string, sum *[sha256.Size]byte) error {
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidZip, f.Name, err)
	}
	defer r.Close()
	h := sha256.New()
	var w io.Writer = h
	var out *os.File
	rel, inModule := strings.CutPrefix(f.Name, prefix)
	if inModule && !strings.HasSuffix(f.Name, "/") && kept(rel) {
		mode := os.FileMode(0o444)
		if strings.HasPrefix(rel, "bin/") || strings.HasPrefix(rel, "pkg/tool/") {
			mode = 0o555
		}
		out, err = os.OpenFile(filepath.Join(root, filepath.FromSlash(rel)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err != nil {
			return err
		}
		w = io.MultiWriter(h, out)
	}
	_, err = io.Copy(w, r)
	if out != nil {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s: %w", ErrInvalidZip, f.Name, err)
	}
	if err != nil {
		return err
	}
	h.Sum(sum[:0])
	return nil
}

// kept reports whether an installed toolchain keeps the file at rel (a
// slash-separated path in the toolchain). It leaves out what building,
// testing and vetting apps never reads, about a fifth of the toolchain:
// the sources of the go command, the compiler and the other tools
// (src/cmd: their binaries are in bin and pkg/tool), and the standard
// library's test data. The cache, which Heroku moves on every build, and
// a slug that keeps the toolchain are that much smaller.
func kept(rel string) bool {
	if strings.HasPrefix(rel, "src/cmd/") {
		return false
	}
	if rest, ok := strings.CutPrefix(rel, "src/"); ok {
		return !strings.Contains("/"+path.Dir(rest)+"/", "/testdata/")
	}
	return true
}
