// Package bench measures the buildpack against the go command doing the
// same work by hand, side by side in one run on one machine.
//
// The buildpack runs as a release: a copy whose program the release
// command built (internal/release), served from a loopback HTTP server.
//
// Install runs alternate (i) the buildpack's install of a real toolchain
// zip on disk (verify and unpack) and (u) `unzip -q` of the same zip,
// reported with the ratio i/u.
//
// Warm runs alternate (a') a raw `go build` after a one-line change, (a)
// the same with nothing to do, (c) bin/compile of a fresh copy of the app
// with that change, and (b) bin/compile of another fresh copy with no
// change since. Cold runs, with no Go on PATH and an empty cache,
// alternate (d) bin/compile of the release, (d') bin/compile of a copy
// whose sources match no pin, which builds its program from source, and
// (e) what a raw build costs from nothing: fetching the toolchain zip,
// extracting it and a `go build` with an empty GOCACHE. Medians are
// reported with the ratios b/a, c/a', d/e and d'/e, and the size of the
// cache each cold build leaves behind.
package bench

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/release"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// Options configure a benchmark run.
type Options struct {
	BuildpackDir string
	App          string // app directory to build
	WarmRuns     int
	ColdRuns     int
	// InstallRuns is how many times the toolchain install and unzip of
	// the same zip are timed (0 skips them).
	InstallRuns int
	GOPROXY     string
	// ReleaseCache is the release command's cache (toolchain, GOCACHE).
	ReleaseCache string
	Out          io.Writer
}

// Result holds the medians and the sizes measured.
type Result struct {
	RawNoop, RawEdit, Warm, WarmEdit time.Duration
	Cold, ColdSource, RawCold        time.Duration
	// Install is the buildpack's install of a toolchain zip on disk
	// (verify and unpack), Unzip is `unzip -q` of the same zip.
	Install, Unzip time.Duration
	// The CPU time (user and system, the benchmark's and its children's)
	// of the cold builds: steadier than wall time on a busy machine.
	ColdCPU, ColdSourceCPU, RawColdCPU time.Duration
	// CacheRelease and CacheSource are the bytes a cold build of the
	// release, and one that builds the program from source, leave in
	// CACHE_DIR.
	CacheRelease, CacheSource int64
	Slug, Binary              int64
	GoVersion                 string
}

// ClassicCache is what the classic heroku-buildpack-go leaves in its cache
// after a cold build of testdata/apps/plain (toolchain, GOCACHE, module
// cache), measured once for comparison.
const ClassicCache = 294 << 20

// buildArgs are the go build flags both sides use, as bin/compile does.
var buildArgs = []string{"build", "-trimpath", "-buildvcs=false", "-tags=heroku", "-ldflags=-s -w", "-o", "bin/", "./..."}

// Run runs the benchmark and prints its report.
func Run(ctx context.Context, o Options) (*Result, error) {
	work, err := os.MkdirTemp("", "gobuildpack-bench-")
	if err != nil {
		return nil, err
	}
	defer files.RemoveAll(work)
	b := &bench{Options: o, work: work, warmCache: filepath.Join(work, "cache")}
	fmt.Fprintf(o.Out, "Benchmarking %s: %d warm and %d cold runs, medians\n", o.App, o.WarmRuns, o.ColdRuns)

	// The buildpack as a release, and as a fork that builds its program.
	stop, err := b.prepareBuildpacks(ctx)
	if err != nil {
		return nil, err
	}
	defer stop()

	// Warm up: one compile fills the cache (toolchain, modules, GOCACHE,
	// the buildpack's own program).
	first := filepath.Join(work, "first")
	if err := b.compile(ctx, b.release, os.Environ(), first, b.warmCache, -1); err != nil {
		return nil, fmt.Errorf("first compile: %w", err)
	}
	r := &Result{}
	r.Slug = slug.Size(first).Total
	if info, err := os.Stat(filepath.Join(first, slug.AppBinary)); err == nil {
		r.Binary = info.Size()
	}
	installed := (toolchain.Cache{Dir: cache.New(b.warmCache).Toolchains(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}).Installed()
	if len(installed) != 1 {
		return nil, fmt.Errorf("want one toolchain in the cache after the first compile, found %v", installed)
	}
	r.GoVersion = installed[0]
	goCmd := filepath.Join(cache.New(b.warmCache).Toolchains(), r.GoVersion+"."+runtime.GOOS+"-"+runtime.GOARCH, "bin", "go")

	raw := filepath.Join(work, "raw")
	if err := copyApp(o.App, raw); err != nil {
		return nil, err
	}
	rawEnv := goEnv(cache.New(b.warmCache).GOCACHE(), cache.New(b.warmCache).GOMODCACHE(), o.GOPROXY)
	if err := run(ctx, raw, rawEnv, goCmd, buildArgs...); err != nil {
		return nil, fmt.Errorf("raw go build: %w", err)
	}

	var a, a2, bb, c []time.Duration
	for i := range o.WarmRuns {
		if err := edit(raw, i); err != nil {
			return nil, err
		}
		d, err := timed(func() error { return run(ctx, raw, rawEnv, goCmd, buildArgs...) })
		if err != nil {
			return nil, fmt.Errorf("raw go build after a change: %w", err)
		}
		a2 = append(a2, d)
		d, err = timed(func() error { return run(ctx, raw, rawEnv, goCmd, buildArgs...) })
		if err != nil {
			return nil, fmt.Errorf("raw go build: %w", err)
		}
		a = append(a, d)
		d, err = timed(func() error {
			return b.compile(ctx, b.release, os.Environ(), filepath.Join(work, fmt.Sprintf("edit%d", i)), b.warmCache, i)
		})
		if err != nil {
			return nil, fmt.Errorf("compile after a change: %w", err)
		}
		c = append(c, d)
		d, err = timed(func() error {
			return b.compile(ctx, b.release, os.Environ(), filepath.Join(work, fmt.Sprintf("same%d", i)), b.warmCache, i)
		})
		if err != nil {
			return nil, fmt.Errorf("compile with no change: %w", err)
		}
		bb = append(bb, d)
		fmt.Fprintf(o.Out, "  warm run %d: a'=%s a=%s c=%s b=%s\n", i+1, secs(a2[i]), secs(a[i]), secs(c[i]), secs(bb[i]))
	}

	if o.InstallRuns > 0 {
		zipFile, err := b.installZip(ctx, r.GoVersion)
		if err != nil {
			return nil, err
		}
		install, unzip, err := installRuns(ctx, zipFile, r.GoVersion, work, o.InstallRuns)
		if err != nil {
			return nil, err
		}
		for i := range install {
			fmt.Fprintf(o.Out, "  install run %d: i=%s u=%s\n", i+1, secs(install[i]), secs(unzip[i]))
		}
		r.Install, r.Unzip = median(install), median(unzip)
	}

	// Cold: no Go on PATH, none of the machine's Go settings, an empty cache.
	env := coldEnv(os.Environ(), b.programURL)
	var dd, ds, e, ddCPU, dsCPU, eCPU []time.Duration
	var sizes, sourceSizes []int64
	for i := range o.ColdRuns {
		for _, k := range []struct {
			bp         string
			name       string
			times, cpu *[]time.Duration
			sizes      *[]int64
		}{{b.release, "release", &dd, &ddCPU, &sizes}, {b.source, "source", &ds, &dsCPU, &sourceSizes}} {
			coldCache := filepath.Join(work, fmt.Sprintf("cold-%s%d", k.name, i))
			d, cpu, err := cpuTimed(func() error {
				return b.compile(ctx, k.bp, env, filepath.Join(work, fmt.Sprintf("coldapp-%s%d", k.name, i)), coldCache, -1)
			})
			if err != nil {
				return nil, fmt.Errorf("cold compile (%s): %w", k.name, err)
			}
			*k.times, *k.cpu = append(*k.times, d), append(*k.cpu, cpu)
			*k.sizes = append(*k.sizes, diskUsage(coldCache))
			files.RemoveAll(coldCache)
		}
		d, cpu, err := cpuTimed(func() error { return b.rawCold(ctx, i, r.GoVersion) })
		if err != nil {
			return nil, fmt.Errorf("raw cold build: %w", err)
		}
		e, eCPU = append(e, d), append(eCPU, cpu)
		fmt.Fprintf(o.Out, "  cold run %d: d=%s (cpu %s) d'=%s (cpu %s) e=%s (cpu %s)\n", i+1,
			secs(dd[i]), secs(ddCPU[i]), secs(ds[i]), secs(dsCPU[i]), secs(e[i]), secs(eCPU[i]))
	}
	r.RawNoop, r.RawEdit, r.Warm, r.WarmEdit = median(a), median(a2), median(bb), median(c)
	r.Cold, r.ColdSource, r.RawCold = median(dd), median(ds), median(e)
	r.ColdCPU, r.ColdSourceCPU, r.RawColdCPU = median(ddCPU), median(dsCPU), median(eCPU)
	r.CacheRelease, r.CacheSource = medianSize(sizes), medianSize(sourceSizes)
	report(o.Out, r)
	return r, nil
}

type bench struct {
	Options
	work       string
	warmCache  string
	release    string // the buildpack as a release
	source     string // the buildpack with sources that match no pin
	programURL string // where the release's binaries are served
}

// prepareBuildpacks makes the release and source copies of the buildpack,
// builds the release's binaries with the release command and serves them
// on loopback. stop ends the server.
func (b *bench) prepareBuildpacks(ctx context.Context) (stop func(), err error) {
	b.release = filepath.Join(b.work, "buildpack-release")
	b.source = filepath.Join(b.work, "buildpack-source")
	for _, dst := range []string{b.release, b.source} {
		if err := copyBuildpack(b.BuildpackDir, dst); err != nil {
			return nil, err
		}
	}
	dist := filepath.Join(b.work, "dist")
	fmt.Fprintf(b.Out, "Building the release's program (go run ./cmd/dev release)\n")
	log := output.New(io.Discard, b.Out)
	res, err := release.Release(ctx, release.Options{BuildpackDir: b.release, OutDir: dist, CacheDir: b.ReleaseCache, GOPROXY: b.GOPROXY, Log: log})
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	pins := *res.Pins
	pins.Source = release.Unpinned
	if err := release.WritePins(b.source, &pins); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dist))}
	go srv.Serve(l)
	b.programURL = "http://" + l.Addr().String() + "/" + release.BinaryName("{platform}")
	return func() { srv.Close() }, nil
}

// copyBuildpack copies what bin/compile needs of the buildpack in src to dst.
func copyBuildpack(src, dst string) error {
	for _, name := range []string{"bin", "cmd", "internal", "go.mod", "go.sum", "buildpack.toml"} {
		info, err := os.Stat(filepath.Join(src, name))
		if err != nil {
			return fmt.Errorf("copy the buildpack: %w", err)
		}
		if info.IsDir() {
			err = copyTree(filepath.Join(src, name), filepath.Join(dst, name))
		} else {
			err = files.CopyFile(filepath.Join(src, name), filepath.Join(dst, name))
		}
		if err != nil {
			return fmt.Errorf("copy the buildpack: %w", err)
		}
	}
	// A release's own binaries are fetched, not shipped, in the benchmark.
	return files.RemoveAll(filepath.Join(dst, filepath.FromSlash(release.ShippedDir)))
}

// coldEnv returns the environment of a build on a machine with no Go:
// environ without a PATH directory holding a go command and without Go
// or cgo settings, with the release's binaries served at programURL.
func coldEnv(environ []string, programURL string) []string {
	var env []string
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case k == "PATH":
			var keep []string
			for _, dir := range filepath.SplitList(v) {
				if _, err := os.Stat(filepath.Join(dir, "go")); err != nil {
					keep = append(keep, dir)
				}
			}
			env = append(env, "PATH="+strings.Join(keep, string(os.PathListSeparator)))
		case strings.HasPrefix(k, "GO") || strings.HasPrefix(k, "CGO_"):
		default:
			env = append(env, kv)
		}
	}
	return append(env, release.URLEnv+"="+programURL)
}

// diskUsage returns the bytes the files under dir take on disk, each file
// counted once however many links it has.
func diskUsage(dir string) int64 {
	var total int64
	seen := map[[2]uint64]bool{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		if !ok {
			total += info.Size()
			return nil
		}
		id := [2]uint64{uint64(st.Dev), st.Ino}
		if !seen[id] {
			seen[id] = true
			total += st.Blocks * 512
		}
		return nil
	})
	return total
}

func medianSize(s []int64) int64 {
	if len(s) == 0 {
		return 0
	}
	s = append([]int64(nil), s...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// compile copies the app to dir, applies edit n (none when n < 0) and
// runs bin/compile of the buildpack in bp on it with cacheDir and env, as
// Heroku does for a deploy.
func (b *bench) compile(ctx context.Context, bp string, env []string, dir, cacheDir string, n int) error {
	if err := copyApp(b.App, dir); err != nil {
		return err
	}
	if n >= 0 {
		if err := edit(dir, n); err != nil {
			return err
		}
	}
	envDir := filepath.Join(b.work, "env")
	if err := os.MkdirAll(envDir, 0o777); err != nil {
		return err
	}
	if b.GOPROXY != "" {
		if err := os.WriteFile(filepath.Join(envDir, "GOPROXY"), []byte(b.GOPROXY), 0o644); err != nil {
			return err
		}
	}
	if env != nil && !hasKey(env, release.URLEnv) {
		env = append(env, release.URLEnv+"="+b.programURL)
	}
	return run(ctx, dir, env, filepath.Join(bp, "bin", "compile"), dir, cacheDir, envDir)
}

func hasKey(env []string, key string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, key+"=") {
			return true
		}
	}
	return false
}

// rawCold fetches the toolchain zip, extracts it with archive/zip and
// builds the app with an empty GOCACHE: the least work a build from
// nothing can do.
func (b *bench) rawCold(ctx context.Context, n int, goVersion string) error {
	dir := filepath.Join(b.work, fmt.Sprintf("rawcold%d", n))
	defer files.RemoveAll(dir)
	modVersion := toolchain.ModuleVersion(goVersion, runtime.GOOS, runtime.GOARCH)
	url := b.proxy() + "/" + toolchain.ModulePath + "/@v/" + modVersion + ".zip"
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	zipFile := filepath.Join(dir, "toolchain.zip")
	if err := download(ctx, url, zipFile); err != nil {
		return err
	}
	root := filepath.Join(dir, "go")
	if err := extract(zipFile, toolchain.ModulePath+"@"+modVersion+"/", root); err != nil {
		return err
	}
	app := filepath.Join(dir, "app")
	if err := copyApp(b.App, app); err != nil {
		return err
	}
	env := goEnv(filepath.Join(dir, "gocache"), cache.New(b.warmCache).GOMODCACHE(), b.GOPROXY)
	return run(ctx, app, env, filepath.Join(root, "bin", "go"), buildArgs...)
}

// proxy is the first proxy of GOPROXY, the default one when it names none.
func (b *bench) proxy() string {
	proxy := strings.TrimRight(strings.Split(strings.Split(b.GOPROXY+",", ",")[0], "|")[0], "/")
	if proxy == "" {
		proxy = goproxy.DefaultURL
	}
	return proxy
}

func download(ctx context.Context, url, dst string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// extract unpacks the files under prefix in the zip into dir, executable.
func extract(zipFile, prefix, dir string) error {
	zr, err := zip.OpenReader(zipFile)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, prefix)
		if !ok || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if !filepath.IsLocal(name) {
			return fmt.Errorf("extract %s: %q leaves the directory", zipFile, f.Name)
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
		if err == nil {
			_, err = io.Copy(out, rc)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// edit makes a one-line change to the app's main.go: a declaration whose
// value differs with n, so the package is compiled and linked again.
func edit(dir string, n int) error {
	path := filepath.Join(dir, "main.go")
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("edit the app: %w (the benchmark changes main.go in the app's root)", err)
	}
	base, _, _ := strings.Cut(string(src), "\nvar benchEdit = ")
	return os.WriteFile(path, []byte(fmt.Sprintf("%s\nvar benchEdit = %d\n", strings.TrimRight(base, "\n"), n)), 0o644)
}

func goEnv(gocache, gomodcache, goproxy string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "GO") && !strings.HasPrefix(k, "CGO_") {
			env = append(env, kv)
		}
	}
	env = append(env, "GOCACHE="+gocache, "GOMODCACHE="+gomodcache, "GOTOOLCHAIN=local", "GOENV=off", "CGO_ENABLED=0", "GOFLAGS=")
	if goproxy != "" {
		env = append(env, "GOPROXY="+goproxy)
	}
	return env
}

func run(ctx context.Context, dir string, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return nil
}

func timed(f func() error) (time.Duration, error) {
	start := time.Now()
	err := f()
	return time.Since(start), err
}

// cpuTimed runs f and returns its wall time and the CPU time (user and
// system) this process and the children it waited for used meanwhile.
func cpuTimed(f func() error) (wall, cpu time.Duration, err error) {
	before := cpuUsed()
	wall, err = timed(f)
	return wall, cpuUsed() - before, err
}

// cpuUsed is the CPU time used so far by this process and its waited-for children.
func cpuUsed() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }

func ratio(x, y time.Duration) float64 {
	if y == 0 {
		return 0
	}
	return x.Seconds() / y.Seconds()
}

// report prints the medians and ratios.
func report(w io.Writer, r *Result) {
	fmt.Fprintf(w, "\nResults (%s, medians):\n", r.GoVersion)
	fmt.Fprintf(w, "  (a)  raw go build, nothing to do             %9s\n", secs(r.RawNoop))
	fmt.Fprintf(w, "  (a') raw go build after a one-line change    %9s\n", secs(r.RawEdit))
	fmt.Fprintf(w, "  (b)  bin/compile, warm cache, no change      %9s   b/a  = %.2f (target <= 3, and b < 0.5s)\n", secs(r.Warm), ratio(r.Warm, r.RawNoop))
	fmt.Fprintf(w, "  (c)  bin/compile after a one-line change     %9s   c/a' = %.2f (target <= 1.3)\n", secs(r.WarmEdit), ratio(r.WarmEdit, r.RawEdit))
	if r.Install > 0 {
		fmt.Fprintf(w, "  the same %s toolchain zip, on disk:\n", r.GoVersion)
		fmt.Fprintf(w, "  (i)  toolchain install: verify + unpack      %9s   i/u  = %.2f (target <= 1)\n", secs(r.Install), ratio(r.Install, r.Unzip))
		fmt.Fprintf(w, "  (u)  unzip -q                                %9s\n", secs(r.Unzip))
	}
	if r.Cold > 0 {
		fmt.Fprintf(w, "  no Go on PATH, empty cache:\n")
		fmt.Fprintf(w, "  (d)  bin/compile of a release                %9s   d/e  = %.2f (target <= 1.05); cpu %s, %.2f\n",
			secs(r.Cold), ratio(r.Cold, r.RawCold), secs(r.ColdCPU), ratio(r.ColdCPU, r.RawColdCPU))
		fmt.Fprintf(w, "  (d') bin/compile, program built from source  %9s   d'/e = %.2f; cpu %s, %.2f\n",
			secs(r.ColdSource), ratio(r.ColdSource, r.RawCold), secs(r.ColdSourceCPU), ratio(r.ColdSourceCPU, r.RawColdCPU))
		fmt.Fprintf(w, "  (e)  raw: fetch + extract + cold go build    %9s   cpu %s\n", secs(r.RawCold), secs(r.RawColdCPU))
		fmt.Fprintf(w, "  cache left behind: %s by (d), %s by (d'); the classic buildpack leaves %s (target <= about 300 MiB)\n",
			mib(r.CacheRelease), mib(r.CacheSource), mib(ClassicCache))
	}
	fmt.Fprintf(w, "  slug %s before compression, binary %s\n", output.Size(r.Slug), output.Size(r.Binary))
}

func mib(n int64) string { return fmt.Sprintf("%d MiB", (n+1<<19)>>20) }

func copyApp(src, dst string) error {
	if err := files.RemoveAll(dst); err != nil {
		return err
	}
	return copyTree(src, dst)
}

func copyTree(src, dst string) error {
	return files.CopyTree(src, dst, func(rel string, d fs.DirEntry) bool { return d.Name() == ".git" }, false)
}
