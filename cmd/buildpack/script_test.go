package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gobuildpack/heroku-buildpack-go/internal/dyno"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/release"
)

// The fixture tests run the real bin/ shims on copies of the apps in
// testdata/apps, with the scripts in testdata/script. Builds share one
// CACHE_DIR (toolchains, GOCACHE, module cache), set by
// GOBUILDPACK_TEST_CACHE or kept in the user cache dir, so only the first
// run pays for toolchain downloads and standard-library compiles.

var repoRoot = func() string {
	dir, err := filepath.Abs("../..")
	if err != nil {
		panic(err)
	}
	return dir
}()

func sharedCache(t *testing.T) string {
	if dir := os.Getenv("GOBUILDPACK_TEST_CACHE"); dir != "" {
		return dir
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "gobuildpack-test")
}

func TestScript(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short: the fixture scripts run the bin/ shims, which build the program and download toolchains, the lifecycle and modules")
	}
	cache := sharedCache(t)
	if err := os.MkdirAll(cache, 0o777); err != nil {
		t.Fatal(err)
	}
	dev := buildDev(t)
	warmProgram(t, cache)
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join(repoRoot, "testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Values[deployKey{}] = &deploySlot{}
			env.Values[platformKey{}] = &platformSlot{}
			env.Setenv("BUILDPACK", repoRoot)
			env.Setenv("CACHE", cache)
			env.Setenv("APPS", filepath.Join(repoRoot, "testdata", "apps"))
			// The shim builds the buildpack's program with the go on PATH and
			// the developer's Go caches, as it would on a laptop.
			for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPROXY"} {
				env.Setenv(k, goEnv(k))
			}
			env.Setenv("GOFLAGS", "")
			env.Setenv("DEV", dev)
			// The user cache dir of the deploy command (the toolchains local
			// deploys share, the lifecycle) is in the fixtures' own cache.
			env.Setenv("XDG_CACHE_HOME", filepath.Join(cache, "user"))
			env.Setenv("PLATFORM", runtime.GOOS+"-"+runtime.GOARCH)
			// No fixture fetches a prebuilt program from the internet: unless
			// a script serves one, the shims build the program from source.
			env.Setenv(release.URLEnv, "off")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"privateproxy": func(ts *testscript.TestScript, neg bool, args []string) {
				cmdPrivateProxy(t, ts, neg, args)
			},
			"buildpackcopy": cmdBuildpackCopy,
			"fileproxy": func(ts *testscript.TestScript, neg bool, args []string) {
				cmdFileProxy(t, ts, neg, args)
			},
			"app":          cmdApp,
			"configvar":    cmdConfigVar,
			"seedcache":    cmdSeedCache,
			"lscache":      cmdLsCache,
			"serve":        cmdServe,
			"get":          cmdGet,
			"tamperzip":    cmdTamperZip,
			"countproxy":   cmdCountProxy,
			"nogopath":     cmdNoGoPath,
			"bootstrapv":   cmdBootstrapVersion,
			"encode":       cmdEncode,
			"unpin":        cmdUnpin,
			"sourcekey":    cmdSourceKey,
			"servedir":     cmdServeDir,
			"tamperfile":   cmdTamperFile,
			"sbom":         cmdSBOM,
			"cnbplatform":  cmdCNBPlatform,
			"cnblifecycle": cmdCNBLifecycle,
			"cnbbuild":     cmdCNBBuild,
			"cnbserve":     cmdCNBServe,
			"cnbimage":     cmdCNBImage,
			"cnbbuildpack": cmdCNBBuildpack,
			"cnbconfig":    cmdCNBConfig,
			"cnbpackage":   cmdCNBPackage,
			"cnbunpack":    cmdCNBUnpack,
			"packcli":      cmdPackCLI,
			"releasedist":  cmdReleaseDist,
			"deploy": func(ts *testscript.TestScript, neg bool, args []string) {
				cmdDeploy(ts, neg, args, dev)
			},
			"ctrlc":     cmdCtrlC,
			"interrupt": cmdInterrupt,
			"deployout": cmdDeployOut,
			"holdproxy": cmdHoldProxy,
			"badserver": cmdBadServer,
			"sigterm": func(ts *testscript.TestScript, neg bool, args []string) {
				for _, cmd := range ts.BackgroundCmds() {
					cmd.Process.Signal(syscall.SIGTERM)
				}
			},
		},
	})
}

// warmProgram builds the buildpack's program into the shared cache as
// bin/compile would, before the scripts start: the first scripts would
// otherwise each compile it at the same time, and the scripts whose
// caches are their own (CNB layers, deploys) find its packages in the
// developer's GOCACHE.
func warmProgram(t *testing.T, cache string) {
	cmd := exec.Command("bash", "-c", `bp_dir=$1 && source "$1/bin/program.sh" && ensure_program "$2" ""`, "bash", repoRoot, cache)
	cmd.Env = append(os.Environ(), "GOFLAGS=", release.URLEnv+"=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the buildpack's program: %v\n%s", err, out)
	}
}

func goEnv(key string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// app NAME [DIR]: copy testdata/apps/NAME to DIR (default "build").
func cmdApp(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: app NAME [DIR]")
	}
	dst := "build"
	if len(args) == 2 {
		dst = args[1]
	}
	ts.Check(copyTree(filepath.Join(repoRoot, "testdata", "apps", args[0]), ts.MkAbs(dst)))
}

// configvar NAME VALUE: write the config var into $WORK/env, as Heroku's ENV_DIR.
func cmdConfigVar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: configvar NAME VALUE")
	}
	dir := ts.MkAbs("env")
	ts.Check(os.MkdirAll(dir, 0o777))
	ts.Check(os.WriteFile(filepath.Join(dir, args[0]), []byte(args[1]), 0o666))
}

// seedcache [-toolchains] DIR: make DIR a fresh CACHE_DIR that shares the
// shared cache's GOCACHE (a symlink), but has no module cache and, unless
// -toolchains is given, no toolchains of its own. -toolchains hard-links
// the shared cache's toolchains into it (never damage those files).
func cmdSeedCache(ts *testscript.TestScript, neg bool, args []string) {
	withToolchains := len(args) == 2 && args[0] == "-toolchains"
	if withToolchains {
		args = args[1:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: seedcache [-toolchains] DIR")
	}
	dir := ts.MkAbs(args[0])
	shared := filepath.Join(ts.Getenv("CACHE"), "go")
	ts.Check(os.MkdirAll(filepath.Join(dir, "go"), 0o777))
	ts.Check(os.MkdirAll(filepath.Join(shared, "gocache"), 0o777))
	ts.Check(os.Symlink(filepath.Join(shared, "gocache"), filepath.Join(dir, "go", "gocache")))
	if withToolchains {
		// On a new test cache no script may have installed one yet: the
		// seeded cache then starts with none, and its build fetches them.
		ts.Check(os.MkdirAll(filepath.Join(shared, "toolchains"), 0o777))
		out, err := exec.Command("cp", "-al", filepath.Join(shared, "toolchains"), filepath.Join(dir, "go", "toolchains")).CombinedOutput()
		if err != nil {
			ts.Fatalf("seedcache: %v: %s", err, out)
		}
	}
}

// lscache DIR: list what DIR/go, DIR/go/toolchains and DIR/go/bootstrap
// hold, and every file under DIR/go/program, lock files aside.
func cmdLsCache(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: lscache DIR")
	}
	root := filepath.Join(ts.MkAbs(args[0]), "go")
	for _, sub := range []string{"", "toolchains", "bootstrap"} {
		entries, _ := os.ReadDir(filepath.Join(root, sub))
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".lock") {
				continue
			}
			fmt.Fprintln(ts.Stdout(), filepath.Join(sub, e.Name()))
		}
	}
	filepath.WalkDir(filepath.Join(root, "program"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".lock") {
			rel, _ := filepath.Rel(root, path)
			fmt.Fprintln(ts.Stdout(), rel)
		}
		return nil
	})
}

// serve DIR: start the app's web process in DIR the way a dyno does
// (internal/dyno, as the deploy command) and wait until it accepts
// connections. The process is killed when the script ends.
func cmdServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: serve DIR")
	}
	dir := ts.MkAbs(args[0])
	release, err := exec.Command(filepath.Join(repoRoot, "bin", "release"), dir).Output()
	ts.Check(err)
	command, _, err := dyno.Command(dir, "web", release)
	ts.Check(err)
	var out strings.Builder
	p, err := dyno.Start(dyno.Config{Dir: dir, Type: "web", Command: command, Stdout: &out, Stderr: &out})
	ts.Check(err)
	ts.Defer(p.Kill)
	if err := p.WaitListening(context.Background(), 15*time.Second); err != nil {
		ts.Fatalf("%v:\n%s", err, out.String())
	}
	ts.Setenv("APP_URL", p.URL())
}

// get PATH: GET $APP_URL/PATH and print the body.
func cmdGet(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: get PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.Getenv("APP_URL")+args[0], nil)
	ts.Check(err)
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%s", body)
	if ok := resp.StatusCode == http.StatusOK; ok == neg {
		ts.Fatalf("GET %s: %s", args[0], resp.Status)
	}
}

// tamperzip VERSION: start a loopback proxy in front of the real GOPROXY
// that answers the toolchain zip of VERSION with different bits, forwards
// everything else (including the checksum database), and set
// TAMPER_PROXY to its URL.
func cmdTamperZip(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: tamperzip VERSION")
	}
	url := forwardingProxy(ts, func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/@v/v0.0.1-"+args[0]+".linux-amd64.zip") ||
			strings.HasSuffix(r.URL.Path, "/@v/v0.0.1-"+args[0]+".linux-arm64.zip") {
			w.Write(fakeToolchainZip(ts, r.URL.Path))
			return true
		}
		return false
	})
	ts.Setenv("TAMPER_PROXY", url)
}

// countproxy: start a loopback proxy in front of the real GOPROXY that
// records every request, and set COUNT_PROXY to its URL.
// `proxyrequests` prints what it was asked since the last proxyrequests.
func cmdCountProxy(ts *testscript.TestScript, neg bool, args []string) {
	var mu sync.Mutex
	var seen []string
	url := forwardingProxy(ts, func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		seen = append(seen, r.URL.Path)
		mu.Unlock()
		return false
	})
	ts.Setenv("COUNT_PROXY", url)
	ts.SetCmd("proxyrequests", func(ts *testscript.TestScript, neg bool, args []string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(ts.Stdout(), "%d requests\n", len(seen))
		for _, p := range seen {
			fmt.Fprintln(ts.Stdout(), p)
		}
		seen = nil
	})
}

// forwardingProxy starts a loopback HTTP server that forwards to the real
// GOPROXY every request intercept does not answer, and returns its URL.
func forwardingProxy(ts *testscript.TestScript, intercept func(w http.ResponseWriter, r *http.Request) bool) string {
	upstream, err := url.Parse(firstProxy(ts.Getenv("GOPROXY")))
	ts.Check(err)
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(upstream) }}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !intercept(w, r) {
			rp.ServeHTTP(w, r)
		}
	})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	go srv.Serve(l)
	ts.Defer(func() { srv.Close() })
	return "http://" + l.Addr().String()
}

func firstProxy(goproxy string) string {
	for _, p := range strings.FieldsFunc(goproxy, func(r rune) bool { return r == ',' || r == '|' }) {
		if strings.Contains(p, "://") {
			return p
		}
	}
	return "https://proxy.golang.org"
}

// nogopath: set PATH to the system directories only, so no go command is found.
func cmdNoGoPath(ts *testscript.TestScript, neg bool, args []string) {
	var keep []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, "go")); err == nil {
			continue
		}
		keep = append(keep, dir)
	}
	ts.Setenv("PATH", strings.Join(keep, string(os.PathListSeparator)))
}

// bootstrapv: set BOOTSTRAP_GO to the bootstrap version pinned in bin/pins.sh.
func cmdBootstrapVersion(ts *testscript.TestScript, neg bool, args []string) {
	pins, err := release.ReadPins(repoRoot)
	ts.Check(err)
	if pins.BootstrapVersion == "" {
		ts.Fatalf("no bootstrap_version in %s", release.PinsFile)
	}
	ts.Setenv("BOOTSTRAP_GO", pins.BootstrapVersion)
}

func copyTree(src, dst string) error {
	return files.CopyTree(src, dst, nil, false)
}

// fakeToolchainZip returns a well-formed toolchain module zip for the
// version in the request path whose bits differ from the real release.
func fakeToolchainZip(ts *testscript.TestScript, path string) []byte {
	base := filepath.Base(path)
	prefix := "golang.org/toolchain@" + strings.TrimSuffix(base, ".zip") + "/"
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"bin/go":  "#!/bin/sh\necho 'this is not the Go toolchain'\n",
		"VERSION": "tampered\n",
	} {
		w, err := zw.Create(prefix + name)
		ts.Check(err)
		io.WriteString(w, body)
	}
	ts.Check(zw.Close())
	return buf.Bytes()
}

// privateModule is what the private proxy of privateproxy serves.
var privateModule = map[string]string{
	"go.mod":      "module example.com/private/greeting\n\ngo 1.22\n",
	"greeting.go": "// Package greeting is only on the private proxy.\npackage greeting\n\n// Hello greets.\nfunc Hello() string { return \"hello from a private module\" }\n",
}

// privateproxy LOGIN PASSWORD: start a loopback HTTPS module proxy that
// serves example.com/private/greeting@v1.0.0 only to requests with this
// basic-auth login; set PRIVATE_PROXY to its URL, PRIVATE_HOST to its
// host:port, and SSL_CERT_FILE to its certificate so clients trust it.
func cmdPrivateProxy(t *testing.T, ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: privateproxy LOGIN PASSWORD")
	}
	s := proxytest.NewTLS(t)
	s.AddModule("example.com/private/greeting", "v1.0.0", privateModule)
	s.RequireBasicAuth(args[0], args[1])
	cert, err := s.CertFile(ts.MkAbs("."))
	ts.Check(err)
	ts.Setenv("PRIVATE_PROXY", s.URL())
	ts.Setenv("PRIVATE_HOST", strings.TrimPrefix(s.URL(), "https://"))
	ts.Setenv("SSL_CERT_FILE", cert)
}

// fileproxy DIR: write a module proxy tree into DIR, for a file://
// GOPROXY, that serves example.com/private/greeting@v1.0.0 and nothing
// else (no Go toolchain), as a directory of an app's private modules does.
func cmdFileProxy(t *testing.T, ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: fileproxy DIR")
	}
	s := proxytest.New(t)
	s.AddModule("example.com/private/greeting", "v1.0.0", privateModule)
	at := filepath.Join(ts.MkAbs(args[0]), "example.com", "private", "greeting", "@v")
	ts.Check(os.MkdirAll(at, 0o777))
	for _, name := range []string{"list", "v1.0.0.info", "v1.0.0.mod", "v1.0.0.zip"} {
		resp, err := http.Get(s.URL() + "/example.com/private/greeting/@v/" + name)
		ts.Check(err)
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		ts.Check(err)
		if resp.StatusCode != http.StatusOK {
			ts.Fatalf("GET %s: %s", name, resp.Status)
		}
		ts.Check(os.WriteFile(filepath.Join(at, name), data, 0o666))
	}
}

// buildpackcopy [DIR]: copy the buildpack to DIR (default
// $WORK/buildpack) and point BUILDPACK at it, for tests that change the
// buildpack or look at what compile writes into its own directory.
func cmdBuildpackCopy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: buildpackcopy [DIR]")
	}
	dst := ts.MkAbs("buildpack")
	if len(args) == 1 {
		dst = ts.MkAbs(args[0])
	}
	ts.Check(copyBuildpack(dst))
	ts.Setenv("BUILDPACK", dst)
}

// copyBuildpack copies what the buildpack is made of (its scripts, sources
// and descriptor, not its tests' fixtures) to dst.
func copyBuildpack(dst string) error {
	for _, name := range []string{"bin", "cmd", "internal", "go.mod", "go.sum", "buildpack.toml", "README.md"} {
		src := filepath.Join(repoRoot, name)
		info, err := os.Stat(src)
		if err != nil {
			return err
		}
		if info.IsDir() {
			// Without the binaries a release command may have left in bin/.program.
			if err := files.CopyTree(src, filepath.Join(dst, name), func(rel string, d fs.DirEntry) bool {
				return name == "bin" && rel == ".program"
			}, false); err != nil {
				return err
			}
			continue
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

// holdproxy: start a loopback proxy in front of the real GOPROXY that
// holds every toolchain zip request, never answering it, and set
// HOLD_PROXY to its URL. `waitheld` waits until a request is held: a
// build then stands still while it downloads the toolchain, until it is
// stopped.
func cmdHoldProxy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: holdproxy")
	}
	held := make(chan string, 16)
	url := forwardingProxy(ts, func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.URL.Path, "/golang.org/toolchain/@v/") || !strings.HasSuffix(r.URL.Path, ".zip") {
			return false
		}
		held <- r.URL.Path
		<-r.Context().Done() // the client gave up, or the proxy stopped
		return true
	})
	ts.Setenv("HOLD_PROXY", url)
	ts.SetCmd("waitheld", func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 0 {
			ts.Fatalf("usage: waitheld")
		}
		// The deadline only turns a build that never downloads into a
		// failure rather than a hang; a held request ends the wait.
		select {
		case path := <-held:
			fmt.Fprintf(ts.Stdout(), "held %s\n", path)
		case <-time.After(3 * time.Minute):
			ts.Fatalf("no toolchain download reached the proxy within 3 minutes")
		}
	})
}

// unpin: make $BUILDPACK a buildpack whose sources match no pin, as a
// fork's: its program_source is one no sources have.
func cmdUnpin(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: unpin")
	}
	pins, err := release.ReadPins(ts.Getenv("BUILDPACK"))
	ts.Check(err)
	pins.Source = release.Unpinned
	ts.Check(release.WritePins(ts.Getenv("BUILDPACK"), pins))
}

// sourcekey: set SOURCE_KEY to the source key of $BUILDPACK (for the
// runtime packages its pins list), which names a release's program in the
// cache, and BUILD_KEY to its build key, which names a program built from
// source.
func cmdSourceKey(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: sourcekey")
	}
	dir := ts.Getenv("BUILDPACK")
	pins, err := release.ReadPins(dir)
	ts.Check(err)
	key, err := release.SourceKey(dir, pins.Packages)
	ts.Check(err)
	ts.Setenv("SOURCE_KEY", key)
	key, err = release.BuildKey(dir)
	ts.Check(err)
	ts.Setenv("BUILD_KEY", key)
}

// servedir DIR: serve the files in DIR from a loopback HTTP server, as a
// release serves its binaries, and set SERVED to its URL.
// `servedrequests` prints the paths asked for since the last servedrequests.
func cmdServeDir(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: servedir DIR")
	}
	var mu sync.Mutex
	var seen []string
	files := http.FileServer(http.Dir(ts.MkAbs(args[0])))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.Path)
		mu.Unlock()
		files.ServeHTTP(w, r)
	}))
	ts.Defer(srv.Close)
	ts.Setenv("SERVED", srv.URL)
	ts.SetCmd("servedrequests", func(ts *testscript.TestScript, neg bool, args []string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(ts.Stdout(), "%d requests\n", len(seen))
		for _, p := range seen {
			fmt.Fprintln(ts.Stdout(), p)
		}
		seen = nil
	})
}

// tamperfile FILE: change one byte in the middle of FILE, as an attacker
// who replaced a binary would, keeping its size and mode.
func cmdTamperFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: tamperfile FILE")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	if len(data) == 0 {
		ts.Fatalf("tamperfile: %s is empty", args[0])
	}
	data[len(data)/2] ^= 0xff
	info, err := os.Stat(path)
	ts.Check(err)
	ts.Check(os.WriteFile(path, data, info.Mode().Perm()))
}
