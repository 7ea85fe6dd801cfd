package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// The cold path's toolchain install, against unzip: (i) the buildpack's
// install of a toolchain zip already on disk (toolchain.Installer: the
// zip checked, unpacked and hashed in one parallel pass, the hash
// verified, the toolchain moved into place and marked), and (u) `unzip -q`
// of the same zip, alternating, on the same machine. The zip is a real
// toolchain's, fetched once into the release cache; the hash is checked
// against the zip's h1: hash, which is what the checksum database holds
// (the database's round trip is not timed: a build asks it once, and
// caches its tiles).

// installZip returns the toolchain zip of release v, fetched from the
// benchmark's proxy into the release cache unless it is there.
func (b *bench) installZip(ctx context.Context, v string) (string, error) {
	modVersion := toolchain.ModuleVersion(v, runtime.GOOS, runtime.GOARCH)
	dir := filepath.Join(b.ReleaseCache, "bench")
	zipFile := filepath.Join(dir, modVersion+".zip")
	if _, err := os.Stat(zipFile); err == nil {
		return zipFile, nil
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", err
	}
	tmp := zipFile + ".tmp"
	fmt.Fprintf(b.Out, "Fetching %s@%s once, for the install runs\n", toolchain.ModulePath, modVersion)
	if err := download(ctx, b.proxy()+"/"+toolchain.ModulePath+"/@v/"+modVersion+".zip", tmp); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return zipFile, os.Rename(tmp, zipFile)
}

// installRuns times n installs of release v from zipFile by the
// buildpack's installer, each into a fresh cache under work, and n runs
// of `unzip -q` of it, alternating.
func installRuns(ctx context.Context, zipFile, v, work string, n int) (install, unzip []time.Duration, err error) {
	modVersion := toolchain.ModuleVersion(v, runtime.GOOS, runtime.GOARCH)
	hash, err := dirhash.HashZip(zipFile, dirhash.Hash1)
	if err != nil {
		return nil, nil, fmt.Errorf("hash %s: %w", zipFile, err)
	}
	for i := range n {
		dir := filepath.Join(work, fmt.Sprintf("install%d", i))
		inst := &toolchain.Installer{
			Cache:    toolchain.Cache{Dir: dir, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH},
			Download: localZip(zipFile),
			Verify:   knownHash{toolchain.ModulePath + "@" + modVersion: hash},
			Log:      output.New(io.Discard, io.Discard),
		}
		var tc toolchain.Toolchain
		d, err := timed(func() error {
			var err error
			tc, err = inst.Install(ctx, v)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		if tc.Reused {
			return nil, nil, fmt.Errorf("install %s into %s: reused, not installed", v, dir)
		}
		install = append(install, d)
		if err := files.RemoveAll(dir); err != nil {
			return nil, nil, err
		}

		dir = filepath.Join(work, fmt.Sprintf("unzip%d", i))
		d, err = timed(func() error {
			out, err := exec.CommandContext(ctx, "unzip", "-q", zipFile, "-d", dir).CombinedOutput()
			if err != nil {
				return fmt.Errorf("unzip -q %s: %v\n%s", zipFile, err, out)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		unzip = append(unzip, d)
		if err := files.RemoveAll(dir); err != nil {
			return nil, nil, err
		}
	}
	return install, unzip, nil
}

// localZip is a toolchain.Downloader that "downloads" one zip on disk: a
// hard link to it (a copy where links are not possible), so that what is
// timed is the install, not a download.
type localZip string

// Download links the zip to dst and returns its size.
func (z localZip) Download(ctx context.Context, path, version, dst string, progress func(done, total int64)) (int64, error) {
	if err := os.Link(string(z), dst); err != nil {
		if err := files.CopyFile(string(z), dst); err != nil {
			return 0, err
		}
	}
	info, err := os.Stat(dst)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// knownHash is a toolchain.Verifier holding the h1: hash of each
// module@version it vouches for.
type knownHash map[string]string

// Verify checks hash against the one known for path@version.
func (k knownHash) Verify(ctx context.Context, path, version, hash string) error {
	if want, ok := k[path+"@"+version]; !ok || want != hash {
		return fmt.Errorf("verify %s@%s: hash %s, want %s", path, version, hash, want)
	}
	return nil
}
