package bench

import (
	"archive/zip"
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	s := time.Second
	tests := []struct {
		name string
		in   []time.Duration
		want time.Duration
	}{
		{"empty", nil, 0},
		{"one", []time.Duration{3 * s}, 3 * s},
		{"odd", []time.Duration{5 * s, 1 * s, 3 * s}, 3 * s},
		{"odd with repeats", []time.Duration{2 * s, 2 * s, 9 * s, 1 * s, 2 * s}, 2 * s},
		{"even", []time.Duration{4 * s, 1 * s, 3 * s, 2 * s}, 2500 * time.Millisecond},
		{"two", []time.Duration{1, 2}, 1}, // integer halving
		{"even sorted", []time.Duration{1 * s, 2 * s, 4 * s, 8 * s}, 3 * s},
	}
	for _, tt := range tests {
		in := append([]time.Duration(nil), tt.in...)
		if got := median(tt.in); got != tt.want {
			t.Errorf("%s: median(%v) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
		if !reflect.DeepEqual(in, tt.in) {
			t.Errorf("%s: median reordered its input to %v", tt.name, tt.in)
		}
	}
}

func TestRatio(t *testing.T) {
	s := time.Second
	tests := []struct {
		x, y time.Duration
		want float64
	}{
		{2 * s, s, 2},
		{s, 4 * s, 0.25},
		{0, s, 0},
		{s, 0, 0},
		{0, 0, 0},
		{1500 * time.Millisecond, 3 * s, 0.5},
	}
	for _, tt := range tests {
		if got := ratio(tt.x, tt.y); got != tt.want {
			t.Errorf("ratio(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}

func TestSecs(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0.000s"},
		{1234 * time.Millisecond, "1.234s"},
		{90 * time.Second, "90.000s"},
		{1500 * time.Microsecond, "0.002s"},
	}
	for _, tt := range tests {
		if got := secs(tt.d); got != tt.want {
			t.Errorf("secs(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestReport(t *testing.T) {
	r := &Result{
		RawNoop: 100 * time.Millisecond, RawEdit: time.Second,
		Warm: 200 * time.Millisecond, WarmEdit: 1200 * time.Millisecond,
		Slug: 5_000_000, Binary: 4_000_000, GoVersion: "go1.22.5",
	}
	var b bytes.Buffer
	report(&b, r)
	out := b.String()
	for _, want := range []string{"go1.22.5", "b/a  = 2.00", "c/a' = 1.20", "0.100s", "1.200s"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "(d)") || strings.Contains(out, "(e)") {
		t.Errorf("report without cold runs shows them:\n%s", out)
	}
	r.Cold, r.ColdSource, r.RawCold = 10*time.Second, 20*time.Second, 8*time.Second
	r.ColdCPU, r.ColdSourceCPU, r.RawColdCPU = 9*time.Second, 30*time.Second, 10*time.Second
	r.CacheRelease, r.CacheSource = 280<<20, 300<<20+1
	b.Reset()
	report(&b, r)
	out = b.String()
	for _, want := range []string{"d/e  = 1.25", "d'/e = 2.50", "(e)", "cpu 9.000s, 0.90", "cpu 30.000s, 3.00", "280 MiB by (d), 300 MiB by (d')", "classic buildpack leaves 294 MiB"} {
		if !strings.Contains(out, want) {
			t.Errorf("report with cold runs lacks %q:\n%s", want, out)
		}
	}
}

func TestColdEnv(t *testing.T) {
	withGo := t.TempDir()
	if err := os.WriteFile(filepath.Join(withGo, "go"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	without := t.TempDir()
	environ := []string{
		"PATH=" + withGo + ":" + without + ":" + withGo,
		"HOME=/home/u", "GOCACHE=/c", "GOFLAGS=-race", "GOPROXY=https://p", "CGO_ENABLED=1", "GOBUILDPACK_PROGRAM_URL=https://old",
	}
	got := coldEnv(environ, "http://127.0.0.1:1/buildpack-{platform}")
	want := []string{"PATH=" + without, "HOME=/home/u", "GOBUILDPACK_PROGRAM_URL=http://127.0.0.1:1/buildpack-{platform}"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("coldEnv = %q, want %q", got, want)
	}
}

func TestDiskUsage(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("x"), 100_000)
	if err := os.WriteFile(filepath.Join(dir, "a"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	one := diskUsage(dir)
	if one < 100_000 {
		t.Fatalf("diskUsage = %d, want at least the file's 100000 bytes", one)
	}
	// A hard link takes no more space.
	if err := os.Link(filepath.Join(dir, "a"), filepath.Join(dir, "sub", "b")); err != nil {
		t.Fatal(err)
	}
	if got := diskUsage(dir); got != one {
		t.Errorf("diskUsage with a hard link = %d, want %d", got, one)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub", "c"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := diskUsage(dir); got < one+100_000 {
		t.Errorf("diskUsage with a second file = %d, want at least %d", got, one+100_000)
	}
	if got := diskUsage(filepath.Join(dir, "missing")); got != 0 {
		t.Errorf("diskUsage of a missing dir = %d", got)
	}
}

func TestEdit(t *testing.T) {
	const orig = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n"
	tests := []struct {
		name, src string
		base      string // what precedes the benchEdit line
	}{
		{"trailing newline", orig, strings.TrimRight(orig, "\n")},
		{"no trailing newline", strings.TrimRight(orig, "\n"), strings.TrimRight(orig, "\n")},
		{"blank lines at the end", orig + "\n\n", strings.TrimRight(orig, "\n")},
		{"edited before", orig + "\nvar benchEdit = 41\n", strings.TrimRight(orig, "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "main.go")
			if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{0, 1, 1, 17} {
				if err := edit(dir, n); err != nil {
					t.Fatalf("edit(%d): %v", n, err)
				}
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.base + "\nvar benchEdit = " + strconv.Itoa(n) + "\n"
				if string(data) != want {
					t.Errorf("after edit(%d):\n%q\nwant\n%q", n, data, want)
				}
				if c := strings.Count(string(data), "benchEdit"); c != 1 {
					t.Errorf("after edit(%d) benchEdit appears %d times", n, c)
				}
			}
		})
	}
}

func TestEditMissing(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "cmd"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := edit(dir, 1)
	if err == nil || !strings.Contains(err.Error(), "main.go") {
		t.Errorf("edit without main.go = %v, want an error naming main.go", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "main.go")); !os.IsNotExist(err) {
		t.Errorf("edit created main.go: %v", err)
	}
}

// writeZip writes a zip holding the named files; names ending in "/"
// are directory entries.
func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// listTree returns the files under dir as path → content, with the mode.
func listTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(path)
			out[filepath.ToSlash(rel)] = "symlink " + target
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = info.Mode().Perm().String() + " " + string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExtract(t *testing.T) {
	const prefix = "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/"
	dir := t.TempDir()
	zipFile := filepath.Join(dir, "toolchain.zip")
	writeZip(t, zipFile, map[string]string{
		prefix:                                       "",
		prefix + "bin/":                              "",
		prefix + "bin/go":                            "#!/bin/sh\n",
		prefix + "VERSION":                           "go1.22.5\n",
		prefix + "pkg/tool/linux_amd64/link":         "linker",
		prefix + "src/fmt/print.go":                  "package fmt\n",
		"golang.org/toolchain@v0.0.1-go1.21/":        "",
		"golang.org/toolchain@v0.0.1-go1.21/bin/go":  "other version",
		"golang.org/toolchain@v0.0.1-go1.22.5.linux": "prefix of the prefix",
		"README":                 "outside the prefix",
		"x/" + prefix + "bin/go": "prefix not at the start",
	})
	root := filepath.Join(dir, "go")
	if err := extract(zipFile, prefix, root); err != nil {
		t.Fatalf("extract: %v", err)
	}
	want := map[string]string{
		"bin/go":                    "-rwxr-xr-x #!/bin/sh\n",
		"VERSION":                   "-rwxr-xr-x go1.22.5\n",
		"pkg/tool/linux_amd64/link": "-rwxr-xr-x linker",
		"src/fmt/print.go":          "-rwxr-xr-x package fmt\n",
	}
	if got := listTree(t, root); !reflect.DeepEqual(got, want) {
		t.Errorf("extracted:\n%q\nwant\n%q", got, want)
	}
	// Extracting again over the result replaces the files.
	writeZip(t, zipFile, map[string]string{prefix + "bin/go": "v2"})
	if err := extract(zipFile, prefix, root); err != nil {
		t.Fatalf("extract again: %v", err)
	}
	if got := listTree(t, root)["bin/go"]; got != "-rwxr-xr-x v2" {
		t.Errorf("bin/go after a second extract = %q", got)
	}
}

func TestExtractErrors(t *testing.T) {
	dir := t.TempDir()
	if err := extract(filepath.Join(dir, "missing.zip"), "p/", filepath.Join(dir, "out")); err == nil {
		t.Error("extract of a missing zip succeeded")
	}
	notZip := filepath.Join(dir, "not.zip")
	if err := os.WriteFile(notZip, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := extract(notZip, "p/", filepath.Join(dir, "out")); err == nil {
		t.Error("extract of a non-zip succeeded")
	}
	// The destination is a file.
	zipFile := filepath.Join(dir, "ok.zip")
	writeZip(t, zipFile, map[string]string{"p/bin/go": "go"})
	if err := extract(zipFile, "p/", notZip); err == nil {
		t.Error("extract into a file succeeded")
	}
}

func TestCopyApp(t *testing.T) {
	src := t.TempDir()
	for name, content := range map[string]string{
		"main.go":          "package main\n",
		"go.mod":           "module example.com/app\n",
		"static/app.css":   "body {}\n",
		".git/HEAD":        "ref\n",
		".git/objects/x/y": "obj\n",
		".github/ci.yml":   "on: push\n",
		"sub/.git/config":  "nested\n",
	} {
		path := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(src, "main.go"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("main.go", filepath.Join(src, "link.go")); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "copy")
	// A stale file from an earlier copy is gone after copyApp.
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "stale.go"), []byte("package stale\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := copyApp(src, dst); err != nil {
		t.Fatalf("copyApp: %v", err)
	}
	want := map[string]string{
		"main.go":        "-rw------- package main\n",
		"go.mod":         "-rw-r--r-- module example.com/app\n",
		"static/app.css": "-rw-r--r-- body {}\n",
		".github/ci.yml": "-rw-r--r-- on: push\n",
		"link.go":        "symlink main.go", // kept, as Heroku's checkout keeps it
	}
	if got := listTree(t, dst); !reflect.DeepEqual(got, want) {
		t.Errorf("copied:\n%q\nwant\n%q", got, want)
	}
	if err := copyApp(filepath.Join(src, "missing"), filepath.Join(t.TempDir(), "x")); err == nil {
		t.Error("copyApp of a missing app succeeded")
	}
}

func TestGoEnv(t *testing.T) {
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOPATH", "/somewhere")
	t.Setenv("CGO_CFLAGS", "-O0")
	t.Setenv("BENCH_TEST_KEEP", "kept")
	get := func(env []string, key string) (string, int) {
		var v string
		n := 0
		for _, kv := range env {
			if k, val, _ := strings.Cut(kv, "="); k == key {
				v = val
				n++
			}
		}
		return v, n
	}
	env := goEnv("/c/gocache", "/c/modcache", "http://proxy")
	tests := []struct{ key, want string }{
		{"GOCACHE", "/c/gocache"},
		{"GOMODCACHE", "/c/modcache"},
		{"GOTOOLCHAIN", "local"},
		{"GOENV", "off"},
		{"CGO_ENABLED", "0"},
		{"GOFLAGS", ""},
		{"GOPROXY", "http://proxy"},
		{"BENCH_TEST_KEEP", "kept"},
	}
	for _, tt := range tests {
		if v, n := get(env, tt.key); v != tt.want || n != 1 {
			t.Errorf("%s = %q (%d times), want %q once", tt.key, v, n, tt.want)
		}
	}
	for _, key := range []string{"GOPATH", "CGO_CFLAGS"} {
		if _, n := get(env, key); n != 0 {
			t.Errorf("goEnv kept %s", key)
		}
	}
	if _, n := get(goEnv("a", "b", ""), "GOPROXY"); n != 0 {
		t.Error("goEnv with no proxy sets GOPROXY")
	}
}

func TestDownload(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ok.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("zip bytes"))
	}))
	defer srv.Close()
	dir := t.TempDir()
	dst := filepath.Join(dir, "ok.zip")
	if err := download(context.Background(), srv.URL+"/ok.zip", dst); err != nil {
		t.Fatalf("download: %v", err)
	}
	if data, err := os.ReadFile(dst); err != nil || string(data) != "zip bytes" {
		t.Errorf("downloaded %q, %v", data, err)
	}
	err := download(context.Background(), srv.URL+"/missing.zip", filepath.Join(dir, "missing.zip"))
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("download of a missing file = %v, want a 404 error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.zip")); !os.IsNotExist(err) {
		t.Errorf("failed download left a file: %v", err)
	}
}

func TestRunAndTimed(t *testing.T) {
	dir := t.TempDir()
	if err := run(context.Background(), dir, nil, "/bin/sh", "-c", "echo hi > out"); err != nil {
		t.Fatalf("run: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "out")); string(data) != "hi\n" {
		t.Errorf("run in dir wrote %q", data)
	}
	err := run(context.Background(), dir, nil, "/bin/sh", "-c", "echo oops >&2; exit 3")
	if err == nil || !strings.Contains(err.Error(), "oops") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("failing run = %v, want its output and status", err)
	}
	d, err := timed(func() error { time.Sleep(20 * time.Millisecond); return nil })
	if err != nil || d < 20*time.Millisecond {
		t.Errorf("timed = %v, %v", d, err)
	}
	if _, err := timed(func() error { return os.ErrNotExist }); err != os.ErrNotExist {
		t.Errorf("timed lost the error: %v", err)
	}
	// A child that burns CPU for a while shows in cpuTimed; an idle wait does not.
	_, busy, err := cpuTimed(func() error {
		return run(context.Background(), dir, nil, "/bin/sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done")
	})
	if err != nil || busy <= 0 {
		t.Errorf("cpuTimed of a busy child = %v, %v; want some CPU time", busy, err)
	}
	wall, idle, err := cpuTimed(func() error { return run(context.Background(), dir, nil, "/bin/sh", "-c", "sleep 0.3") })
	if err != nil || idle >= wall/2 {
		t.Errorf("cpuTimed of an idle child = cpu %v in %v, %v; want little CPU time", idle, wall, err)
	}
}
