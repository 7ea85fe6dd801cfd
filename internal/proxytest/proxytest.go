// Package proxytest runs a Go module proxy and checksum database on the
// loopback interface for tests, in the manner of net/http/httptest.
//
// A Server serves the GOPROXY protocol (list, .info, .mod, .zip) for the
// modules a test adds, and a checksum database signed with a key made for
// the server at <URL>/sumdb/<name>/, so a client can find it through the
// proxy as the go command does. Tests can make it misbehave: serve a zip
// other than the one the database records (Tamper), or fail requests with
// a status code, a hang, a truncated body or a false Content-Length
// (Inject).
package proxytest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	pathpkg "path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
	modzip "golang.org/x/mod/zip"
)

// DBName is the name of every Server's checksum database.
const DBName = "sumdb.proxytest"

// Server is a module proxy and checksum database for one test.
type Server struct {
	t      testing.TB
	srv    *httptest.Server
	signer string
	key    string
	closed chan struct{}

	mu       sync.Mutex
	modules  map[module.Version]*mod
	faults   []*fault
	requests []string
	login    string // required basic-auth login, "" for none
	password string
}

// mod is one module version: what the proxy serves and what the
// checksum database records.
type mod struct {
	goMod []byte
	zip   []byte // served by the proxy
	sum   string // h1 hash the database records
	modh  string // go.mod hash the database records
}

// New starts a Server with a new checksum database key. It stops when the
// test ends.
func New(t testing.TB) *Server {
	t.Helper()
	signer, key, err := note.GenerateKey(rand.Reader, DBName)
	if err != nil {
		t.Fatalf("proxytest: generate key: %v", err)
	}
	return start(t, signer, key)
}

// NewTLS is like New but serves HTTPS with a self-signed certificate; the
// go command sends .netrc credentials only over HTTPS. CertFile writes the
// certificate for clients to trust.
func NewTLS(t testing.TB) *Server {
	t.Helper()
	signer, key, err := note.GenerateKey(rand.Reader, DBName)
	if err != nil {
		t.Fatalf("proxytest: generate key: %v", err)
	}
	return startServer(t, signer, key, true)
}

// CertFile writes the server's TLS certificate as PEM into dir and
// returns the file's path, for SSL_CERT_FILE.
func (s *Server) CertFile(dir string) (string, error) {
	cert := s.srv.Certificate()
	if cert == nil {
		return "", fmt.Errorf("proxytest: server does not use TLS")
	}
	path := filepath.Join(dir, "proxytest-cert.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	return path, os.WriteFile(path, data, 0o644)
}

// NewSameKey starts a Server whose checksum database signs with the key of
// other but has its own modules and log. A client that trusted other's log
// sees this one as a fork of it.
func NewSameKey(t testing.TB, other *Server) *Server {
	t.Helper()
	return start(t, other.signer, other.key)
}

func start(t testing.TB, signer, key string) *Server {
	return startServer(t, signer, key, false)
}

func startServer(t testing.TB, signer, key string, tls bool) *Server {
	s := &Server{
		t:       t,
		signer:  signer,
		key:     key,
		closed:  make(chan struct{}),
		modules: map[module.Version]*mod{},
	}
	db := sumdb.NewServer(sumdb.NewTestServer(signer, s.gosum))
	mux := http.NewServeMux()
	prefix := "/sumdb/" + DBName
	mux.HandleFunc(prefix+"/supported", func(w http.ResponseWriter, r *http.Request) {})
	mux.Handle(prefix+"/", http.StripPrefix(prefix, db))
	mux.HandleFunc("/", s.serveProxy)
	if tls {
		s.srv = httptest.NewTLSServer(s.faulty(mux))
	} else {
		s.srv = httptest.NewServer(s.faulty(mux))
	}
	t.Cleanup(func() {
		close(s.closed)
		s.srv.Close()
	})
	return s
}

// RequireBasicAuth makes every request without this login and password
// fail with 401 Unauthorized, as a private proxy does.
func (s *Server) RequireBasicAuth(login, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.login, s.password = login, password
}

// URL returns the proxy's base URL, a GOPROXY value.
func (s *Server) URL() string { return s.srv.URL }

// Name returns the checksum database's name.
func (s *Server) Name() string { return DBName }

// Key returns the checksum database's verifier key, "name+hash+key".
func (s *Server) Key() string { return s.key }

// GOSUMDB returns the GOSUMDB value naming the checksum database with its
// key and URL.
func (s *Server) GOSUMDB() string { return s.key + " " + s.URL() + "/sumdb/" + DBName }

// AddModule adds path@version with the given files (name to content,
// relative to the module root) to the proxy and the checksum database.
// Its go.mod is files["go.mod"], or "module path" when there is none.
// Adding a version again replaces it, except in a database log that
// already recorded it.
func (s *Server) AddModule(path, version string, files map[string]string) {
	s.t.Helper()
	goMod := files["go.mod"]
	if goMod == "" {
		goMod = "module " + path + "\n"
	}
	s.addZip(path, version, goMod, s.zip(path, version, files))
}

// AddToolchain adds the module golang.org/toolchain@v0.0.1-<goVersion>.<goos>-<goarch>
// holding a fake Go toolchain, and returns its module version. Its bin/go
// is a shell script that answers "go version" and "go env GOVERSION" as
// the release would; pkg/tool/<goos>_<goarch>/compile is a script that fails.
func (s *Server) AddToolchain(goVersion, goos, goarch string) string {
	s.t.Helper()
	v := "v0.0.1-" + goVersion + "." + goos + "-" + goarch
	s.AddModule("golang.org/toolchain", v, ToolchainFiles(goVersion, goos, goarch))
	return v
}

// ToolchainFiles returns the files of the fake toolchain AddToolchain adds.
func ToolchainFiles(goVersion, goos, goarch string) map[string]string {
	goScript := "#!/bin/sh\n" +
		"case \"$1 $2\" in\n" +
		"\"version \") echo \"go version " + goVersion + " " + goos + "/" + goarch + "\" ;;\n" +
		"\"env GOVERSION\") echo \"" + goVersion + "\" ;;\n" +
		"*) echo \"fake go " + goVersion + ": unsupported: $*\" >&2; exit 2 ;;\n" +
		"esac\n"
	compileScript := "#!/bin/sh\necho \"fake compile: not a real toolchain\" >&2\nexit 2\n"
	return map[string]string{
		"VERSION":               goVersion + "\ntime 2024-01-01T00:00:00Z\n",
		"bin/go":                goScript,
		"src/fmt/print.go":      "package fmt\n",
		"src/fmt/testdata/x":    "test data of the standard library\n",
		"src/runtime/extern.go": "package runtime\n",
		"src/cmd/go/main.go":    "package main\n",
		"pkg/tool/" + goos + "_" + goarch + "/compile": compileScript,
	}
}

// AddToolchainRunning adds a toolchain module for goVersion whose bin/go
// runs the real go command goCmd: a small download that builds real
// programs, for tests of the whole build pipeline. It returns the module
// version.
func (s *Server) AddToolchainRunning(goVersion, goos, goarch, goCmd string) string {
	s.t.Helper()
	files := ToolchainFiles(goVersion, goos, goarch)
	files["bin/go"] = "#!/bin/sh\nexec '" + strings.ReplaceAll(goCmd, "'", `'\''`) + "' \"$@\"\n"
	v := "v0.0.1-" + goVersion + "." + goos + "-" + goarch
	s.AddModule("golang.org/toolchain", v, files)
	return v
}

// AddRawZip adds path@version served as the given zip bytes, which need
// not be a valid module zip (path traversal, symlinks, duplicate names):
// the checksum database records their hash, so only unpacking can refuse them.
func (s *Server) AddRawZip(path, version string, zipData []byte) {
	s.t.Helper()
	s.addZip(path, version, "module "+path+"\n", zipData)
}

// addZip records path@version as served by zip z with go.mod goMod.
func (s *Server) addZip(path, version, goMod string, z []byte) {
	sum, err := s.hashZip(z)
	if err != nil {
		s.t.Fatalf("proxytest: hash %s@%s: %v", path, version, err)
	}
	modh, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(goMod)), nil
	})
	if err != nil {
		s.t.Fatalf("proxytest: hash %s@%s/go.mod: %v", path, version, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.modules[module.Version{Path: path, Version: version}] = &mod{goMod: []byte(goMod), zip: z, sum: sum, modh: modh}
}

// Tamper makes the proxy serve a zip of files for path@version, while the
// checksum database keeps the hash of the module as it was added.
func (s *Server) Tamper(path, version string, files map[string]string) {
	s.t.Helper()
	z := s.zip(path, version, files)
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.modules[module.Version{Path: path, Version: version}]
	if m == nil {
		s.t.Fatalf("proxytest: tamper with %s@%s: not added", path, version)
	}
	m.zip = z
}

// Sum returns the "h1:" hash the checksum database records for
// path@version, or "" when the module was not added.
func (s *Server) Sum(path, version string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.modules[module.Version{Path: path, Version: version}]; m != nil {
		return m.sum
	}
	return ""
}

// GoSum returns the go.sum lines for path@version, its zip and its
// go.mod, as the checksum database records them; "" when the module was
// not added.
func (s *Server) GoSum(path, version string) string {
	lines, err := s.gosum(path, version)
	if err != nil {
		return ""
	}
	return string(lines)
}

// Zip returns the zip the proxy serves for path@version, or nil when the
// module was not added.
func (s *Server) Zip(path, version string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.modules[module.Version{Path: path, Version: version}]; m != nil {
		return bytes.Clone(m.zip)
	}
	return nil
}

// Fault is a way to answer a request wrongly. Set one field, or Delay or
// Gate with or without another.
type Fault struct {
	// Delay is how long to wait before answering. The wait ends early when
	// the client gives up. To make requests overlap, or to act while a
	// request is in flight, use a Gate: a delay proves nothing on a busy
	// machine.
	Delay time.Duration
	// Gate, when not nil, holds the request, before anything is sent,
	// until the gate is opened; a request the client gives up on first is
	// never answered.
	Gate *Gate
	// Status is a status code answered instead of the file, e.g. 503.
	Status int
	// Hang sends the headers and the first half of the body, then blocks
	// until the client gives up on the request or the server stops.
	Hang bool
	// Truncate sends the headers, with the true Content-Length, and the
	// first half of the body, then drops the connection.
	Truncate bool
	// Length, when not 0, is sent as the Content-Length of the whole body.
	// A Length larger than the body makes the connection end early; with
	// a smaller one only the first Length bytes are sent, a body cut
	// short where a client cannot tell.
	Length int64
}

// Gate holds requests until a test opens it, so the test knows that a
// request is in flight and decides when it is answered, or that it never
// is: a build stopped while it waits for the proxy.
type Gate struct {
	reached chan struct{}
	open    chan struct{}
	mu      sync.Mutex
	n       int
	opened  bool
}

// NewGate returns a closed gate.
func NewGate() *Gate {
	return &Gate{reached: make(chan struct{}), open: make(chan struct{})}
}

// Reached returns a channel that is closed when the first request
// reaches the gate.
func (g *Gate) Reached() <-chan struct{} { return g.reached }

// Held returns how many requests have reached the gate.
func (g *Gate) Held() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}

// Open lets the held requests, and any later ones, through.
func (g *Gate) Open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.opened {
		g.opened = true
		close(g.open)
	}
}

// wait holds a request until the gate opens (true), or the client gives
// up or the server stops (false).
func (g *Gate) wait(r *http.Request, closed <-chan struct{}) bool {
	g.mu.Lock()
	g.n++
	if g.n == 1 {
		close(g.reached)
	}
	g.mu.Unlock()
	select {
	case <-g.open:
		return true
	case <-r.Context().Done():
	case <-closed:
	}
	return false
}

// Always is the count for Inject that applies a fault to every request.
const Always = -1

type fault struct {
	suffix string
	left   int
	f      Fault
}

// Inject makes the next n requests whose URL path ends in suffix (e.g.
// ".zip", "/@v/list", "/latest") fail with f. An n of Always fails every
// such request. Faults apply in the order injected.
func (s *Server) Inject(suffix string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{suffix: suffix, left: n, f: f})
}

// Requests returns the URL paths requested so far, in order.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// RequestCount returns how many requests so far had a URL path ending in suffix.
func (s *Server) RequestCount(suffix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.requests {
		if strings.HasSuffix(p, suffix) {
			n++
		}
	}
	return n
}

// faulty records each request and applies the first fault that matches it.
func (s *Server) faulty(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.Path)
		if s.login != "" {
			if u, p, ok := r.BasicAuth(); !ok || u != s.login || p != s.password {
				s.mu.Unlock()
				w.Header().Set("WWW-Authenticate", `Basic realm="proxytest"`)
				http.Error(w, "proxytest: authentication required", http.StatusUnauthorized)
				return
			}
		}
		var f *Fault
		for _, ft := range s.faults {
			if ft.left != 0 && strings.HasSuffix(r.URL.Path, ft.suffix) {
				if ft.left > 0 {
					ft.left--
				}
				f = &ft.f
				break
			}
		}
		s.mu.Unlock()
		if f == nil {
			h.ServeHTTP(w, r)
			return
		}
		if f.Delay > 0 {
			select {
			case <-time.After(f.Delay):
			case <-r.Context().Done():
				return
			case <-s.closed:
				return
			}
		}
		if f.Gate != nil && !f.Gate.wait(r, s.closed) {
			return
		}
		if f.Status != 0 {
			http.Error(w, fmt.Sprintf("proxytest: injected %d", f.Status), f.Status)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		length := int64(len(body))
		if f.Length != 0 {
			length = f.Length
			if length < int64(len(body)) {
				body = body[:length]
			}
		}
		w.Header().Set("Content-Length", strconv.FormatInt(length, 10))
		w.WriteHeader(rec.Code)
		switch {
		case f.Hang:
			w.Write(body[:len(body)/2])
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
			case <-s.closed:
			}
		case f.Truncate:
			w.Write(body[:len(body)/2])
			http.NewResponseController(w).Flush()
			panic(http.ErrAbortHandler)
		default:
			w.Write(body)
		}
	})
}

// serveProxy serves the GOPROXY protocol.
func (s *Server) serveProxy(w http.ResponseWriter, r *http.Request) {
	escPath, file, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/@v/")
	path, err := module.UnescapePath(escPath)
	if !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	if file == "list" {
		s.mu.Lock()
		var versions []string
		for mv := range s.modules {
			if mv.Path == path {
				versions = append(versions, mv.Version)
			}
		}
		s.mu.Unlock()
		if len(versions) == 0 {
			// Like public proxies, a module the proxy does not know is "not
			// found", so a GOPROXY list falls through to the next proxy.
			http.Error(w, "not found: "+path, http.StatusNotFound)
			return
		}
		sort.Slice(versions, func(i, j int) bool { return semver.Compare(versions[i], versions[j]) < 0 })
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		for _, v := range versions {
			fmt.Fprintln(w, v)
		}
		return
	}
	ext := filepath.Ext(file)
	version, err := module.UnescapeVersion(strings.TrimSuffix(file, ext))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	m := s.modules[module.Version{Path: path, Version: version}]
	s.mu.Unlock()
	if m == nil {
		http.Error(w, "not found: "+path+"@"+version, http.StatusNotFound)
		return
	}
	switch ext {
	case ".info":
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(struct{ Version, Time string }{version, "2024-01-01T00:00:00Z"})
	case ".mod":
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		w.Write(m.goMod)
	case ".zip":
		w.Header().Set("Content-Type", "application/zip")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(m.zip))
	default:
		http.NotFound(w, r)
	}
}

// gosum returns the go.sum lines the checksum database records for path@version.
func (s *Server) gosum(path, version string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.modules[module.Version{Path: path, Version: version}]
	if m == nil {
		return nil, os.ErrNotExist
	}
	return fmt.Appendf(nil, "%s %s %s\n%s %s/go.mod %s\n", path, version, m.sum, path, version, m.modh), nil
}

// zip builds the module zip of files for path@version.
func (s *Server) zip(path, version string, files map[string]string) []byte {
	s.t.Helper()
	var list []modzip.File
	for name, content := range files {
		list = append(list, file{name, content})
	}
	var buf bytes.Buffer
	if err := modzip.Create(&buf, module.Version{Path: path, Version: version}, list); err != nil {
		s.t.Fatalf("proxytest: zip %s@%s: %v", path, version, err)
	}
	return buf.Bytes()
}

// hashZip returns the h1 hash of a module zip, as dirhash.HashZip computes it.
func (s *Server) hashZip(z []byte) (string, error) {
	f := filepath.Join(s.t.TempDir(), "module.zip")
	if err := os.WriteFile(f, z, 0o666); err != nil {
		return "", err
	}
	return dirhash.HashZip(f, dirhash.DefaultHash)
}

// file is an in-memory modzip.File.
type file struct {
	name, content string
}

func (f file) Path() string                 { return f.name }
func (f file) Lstat() (os.FileInfo, error)  { return fileInfo(f), nil }
func (f file) Open() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(f.content)), nil }

type fileInfo file

func (fi fileInfo) Name() string       { return pathpkg.Base(fi.name) }
func (fi fileInfo) Size() int64        { return int64(len(fi.content)) }
func (fi fileInfo) Mode() os.FileMode  { return 0o644 }
func (fi fileInfo) ModTime() time.Time { return time.Time{} }
func (fi fileInfo) IsDir() bool        { return false }
func (fi fileInfo) Sys() any           { return nil }
