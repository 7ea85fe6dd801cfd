package tap

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// tapParser is the npm package TestTapParser reads TAP with: the parser
// of node-tap, the reference TAP producer and consumer.
const tapParser = "tap-parser@18.3.4"

// TestTapParser reads the TAP Write makes of hostile output with the
// tap-parser npm package in strict mode: it sees every test point, with
// its name and its output, and no line it cannot read.
func TestTapParser(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short: it installs the tap-parser package with npm")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node on PATH: the TAP is checked with the tap-parser npm package only where node and npm are")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("no npm on PATH: the TAP is checked with the tap-parser npm package only where node and npm are")
	}
	modules := installNPM(t, npm, tapParser)

	results := hostileResults()
	var tap bytes.Buffer
	if err := Write(&tap, results); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "testdata/tap-parser.cjs")
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	cmd.Stdin = bytes.NewReader(tap.Bytes())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node testdata/tap-parser.cjs: %v\n%s", err, stderr.String())
	}
	type parsedPoint struct {
		ID      int
		OK      bool
		Name    string
		Skip    bool
		Package string
		Output  string
	}
	var got struct {
		Points            []parsedPoint
		Extra             []string
		OK, Bailout       bool
		Count, Pass, Fail int
		Skip              int
		Plan              struct{ Start, End int }
		TapErrors         []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("tap-parser's results: %v\n%s", err, out)
	}
	passed, failed, skipped := Tally(results)
	if got.Count != len(results) || got.Pass != passed+skipped || got.Fail != failed || got.Skip != skipped ||
		got.Plan.Start != 1 || got.Plan.End != len(results) || got.Bailout || len(got.Extra) > 0 || len(got.TapErrors) > 0 {
		t.Errorf("tap-parser read %d test points (%d pass, %d fail, %d skip), plan %d..%d, bailout %v, %d lines not TAP %q, errors %q;\n"+
			"want %d (%d pass, %d fail, %d skip), plan 1..%d, no bailout, every line TAP\nTAP:\n%s",
			got.Count, got.Pass, got.Fail, got.Skip, got.Plan.Start, got.Plan.End, got.Bailout, len(got.Extra), got.Extra, got.TapErrors,
			len(results), passed+skipped, failed, skipped, len(results), tap.String())
	}
	if len(got.Points) != len(results) {
		t.Fatalf("tap-parser saw %d test points, want %d", len(got.Points), len(results))
	}
	for i, r := range results {
		want := parsedPoint{ID: i + 1, OK: r.Status != Fail, Name: output.Escape(r.Name()), Skip: r.Status == Skip}
		if r.Status == Fail {
			want.Package, want.Output = r.Package, wantOutput(r.Output)
		}
		if got.Points[i] != want {
			t.Errorf("test point %d:\n got %+v\nwant %+v", i+1, got.Points[i], want)
		}
	}
}

// installNPM installs an npm package once into the tests' shared cache
// (as the fixture scripts' cache: $GOBUILDPACK_TEST_CACHE, else
// gobuildpack-test in the user's cache directory) and returns its
// node_modules directory.
func installNPM(t *testing.T, npm, pkg string) string {
	t.Helper()
	cache := os.Getenv("GOBUILDPACK_TEST_CACHE")
	if cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		cache = filepath.Join(base, "gobuildpack-test")
	}
	dir := filepath.Join(cache, "npm", strings.ReplaceAll(pkg, "/", "_"))
	modules := filepath.Join(dir, "node_modules")
	if err := os.MkdirAll(filepath.Dir(dir), 0o777); err != nil {
		t.Fatal(err)
	}
	// Test binaries of several packages may install at once.
	lock, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(modules); err == nil {
		return modules
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".install-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(npm, "install", "--prefix", tmp, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts", pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("npm install %s failed, so the TAP is not checked with it: %v\n%s", pkg, err, out)
	}
	// Renamed into place whole: a stopped install leaves nothing half done.
	if err := os.Rename(tmp, dir); err != nil {
		t.Fatal(err)
	}
	return modules
}
