package release

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/buildpackage"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
)

// The release's packages, one for each channel, each with the prebuilt
// program inside so that a build neither downloads nor compiles it:
//
//   - Tarball, the classic buildpack (Heroku fetches it from a URL), with
//     the binaries of every platform in bin/.program/;
//   - a buildpackage per target of buildpack.toml (CNBName), the Cloud
//     Native Buildpack as `pack buildpack package --format file` writes
//     it, with the binary of that target.
//
// They hold the files the bin/ scripts run and a build of the program
// from source reads (PackageFiles), never what else a checkout holds, so
// that two checkouts of a commit give the same bytes.

// Tarball is the file name of the classic buildpack tarball.
const Tarball = "buildpack.tgz"

// DistDir is where the release command writes its files by default,
// relative to the buildpack's directory.
const DistDir = "dist"

// SumsFile lists the SHA-256 of the files beside it, as sha256sum does.
const SumsFile = "SHA256SUMS"

// CNBName is the file name of the buildpackage for a target: the name
// `pack buildpack package go.cnb --format file` gives it for a buildpack
// with several targets, go-linux-amd64.cnb.
func CNBName(t manifest.Target) string { return buildpackage.Name("go", t) }

// packageTop are the files at the buildpack's root a package holds;
// README.md only when there is one.
var packageTop = []string{"buildpack.toml", "go.mod", "go.sum", "README.md"}

// PackageFiles returns the files of the buildpack in dir that its
// packages hold, sorted by path: buildpack.toml, go.mod, go.sum and
// README.md; the files directly in bin/ whose names do not start with a
// dot (bin/.program/ is the release's to fill); and the non-test Go files
// under cmd/ and internal/ outside testdata directories, every source a
// build of the program from source reads. Each must be a regular file: a
// symlink is an error, as its target would be outside what is pinned.
func PackageFiles(dir string) ([]buildpackage.File, error) {
	var out []buildpackage.File
	add := func(rel string) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		info, err := os.Lstat(p)
		if err != nil {
			return fmt.Errorf("package the buildpack: %w", err)
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("package the buildpack: %s is not a regular file (a %s); a package holds only regular files", rel, info.Mode().Type())
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("package the buildpack: %w", err)
		}
		out = append(out, buildpackage.File{Path: rel, Exec: info.Mode().Perm()&0o111 != 0, Data: data})
		return nil
	}
	for _, name := range packageTop {
		if name == "README.md" {
			if _, err := os.Lstat(filepath.Join(dir, name)); err != nil {
				continue
			}
		}
		if err := add(name); err != nil {
			return nil, err
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "bin"))
	if err != nil {
		return nil, fmt.Errorf("package the buildpack: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			continue
		}
		if err := add("bin/" + e.Name()); err != nil {
			return nil, err
		}
	}
	for _, root := range SourceRoots {
		err := filepath.WalkDir(filepath.Join(dir, root), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(d.Name(), ".go") || strings.HasSuffix(d.Name(), "_test.go") {
				return nil
			}
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			return add(filepath.ToSlash(rel))
		})
		if err != nil {
			return nil, fmt.Errorf("package the buildpack: %w", err)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// packages returns the release's packages of the buildpack in dir by file
// name, with the binaries built (platform -> path) in bin/.program/.
func packages(dir string, built map[string]string) (map[string][]byte, error) {
	m, err := manifest.Read(dir)
	if err != nil {
		return nil, err
	}
	if err := m.CheckCNB(); err != nil {
		return nil, err
	}
	src, err := PackageFiles(dir)
	if err != nil {
		return nil, err
	}
	program := map[string]buildpackage.File{}
	for _, platform := range Platforms {
		data, err := os.ReadFile(built[platform])
		if err != nil {
			return nil, err
		}
		program[platform] = buildpackage.File{Path: path.Join(ShippedDir, BinaryName(platform)), Exec: true, Data: data}
	}
	out := map[string][]byte{}
	all := append([]buildpackage.File(nil), src...)
	for _, platform := range Platforms {
		all = append(all, program[platform])
	}
	var buf bytes.Buffer
	if err := buildpackage.WriteTarball(&buf, all); err != nil {
		return nil, err
	}
	out[Tarball] = buf.Bytes()
	for _, t := range m.Targets {
		bin, ok := program[t.OS+"-"+t.Arch]
		if !ok || t.ArchVariant != "" {
			return nil, fmt.Errorf("buildpack.toml: the target %s/%s has no program in a release, which builds for %s; remove the target, or add its platform to the release (internal/release Platforms)", t.OS, t.Arch, strings.Join(Platforms, ", "))
		}
		var cnb bytes.Buffer
		if err := buildpackage.WriteCNB(&cnb, m, t, append(append([]buildpackage.File(nil), src...), bin)); err != nil {
			return nil, err
		}
		out[CNBName(t)] = cnb.Bytes()
	}
	return out, nil
}

// writeRelease writes the release's files into out: the binaries, the
// packages of the buildpack in dir and SumsFile of them. It returns the
// file names, in the order SumsFile lists them, and their paths.
func writeRelease(out, dir string, built map[string]string) ([]string, map[string]string, error) {
	pkgs, err := packages(dir, built)
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(out, 0o777); err != nil {
		return nil, nil, err
	}
	paths := map[string]string{}
	var names []string
	for _, platform := range Platforms {
		name := BinaryName(platform)
		dst := filepath.Join(out, name)
		if err := files.CopyFile(built[platform], dst); err != nil {
			return nil, nil, err
		}
		if err := os.Chmod(dst, 0o755); err != nil {
			return nil, nil, err
		}
		names, paths[name] = append(names, name), dst
	}
	var pkgNames []string
	for name := range pkgs {
		pkgNames = append(pkgNames, name)
	}
	sort.Strings(pkgNames)
	for _, name := range pkgNames {
		dst := filepath.Join(out, name)
		if err := files.WriteFileAtomic(dst, pkgs[name], 0o644); err != nil {
			return nil, nil, err
		}
		names, paths[name] = append(names, name), dst
	}
	if err := writeSums(out, names); err != nil {
		return nil, nil, err
	}
	return names, paths, nil
}

// writeSums writes SumsFile into dir for the files names there.
func writeSums(dir string, names []string) error {
	var sums strings.Builder
	for _, name := range names {
		sum, err := files.SHA256(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&sums, "%s  %s\n", sum, name)
	}
	return files.WriteFileAtomic(filepath.Join(dir, SumsFile), []byte(sums.String()), 0o644)
}
