package checksum

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
)

const (
	modPath = "example.com/m"
	modVer  = "v1.0.0"
)

func TestNew(t *testing.T) {
	tests := []struct {
		gosumdb, name, key, url string
	}{
		{"", DefaultName, DefaultKey, ""},
		{"off", DefaultName, DefaultKey, ""},
		{"sum.golang.org", DefaultName, DefaultKey, ""},
		{"sum.golang.org https://sum.example/db/", DefaultName, DefaultKey, "https://sum.example/db"},
		{"sum.golang.org sum.example", DefaultName, DefaultKey, "https://sum.example"},
		{"sum.golang.google.cn", DefaultName, DefaultKey, "https://sum.golang.google.cn"},
		{testKey, "sum.example", testKey, ""},
		{"  " + testKey + "   http://127.0.0.1:8080/sumdb ", "sum.example", testKey, "http://127.0.0.1:8080/sumdb"},
	}
	for _, tt := range tests {
		db, err := New(tt.gosumdb, nil, t.TempDir(), nil)
		if err != nil {
			t.Errorf("New(%q): %v", tt.gosumdb, err)
			continue
		}
		if db.Name != tt.name || db.Key != tt.key || db.url != tt.url {
			t.Errorf("New(%q) = name %q, key %q, url %q; want %q, %q, %q", tt.gosumdb, db.Name, db.Key, db.url, tt.name, tt.key, tt.url)
		}
	}
}

// testKey is a well-formed verifier key for a database named sum.example.
const testKey = "sum.example+8d65d62c+AbkyghmF7YXi/7eEMdBGtTM5NsAv5SHPdnul/i5ht1Tn"

func TestNewInvalid(t *testing.T) {
	for _, gosumdb := range []string{"sum.example", "on", "a+b url extra", "sum.golang.org https://u:pw@db.example extra", "sum.example+abcd1234+AAAA"} {
		db, err := New(gosumdb, nil, t.TempDir(), nil)
		if err == nil {
			t.Errorf("New(%q) = %+v, want error", gosumdb, db)
			continue
		}
		if !strings.HasPrefix(err.Error(), "invalid GOSUMDB: ") {
			t.Errorf("New(%q) error = %q", gosumdb, err)
		}
		// A GOSUMDB URL may hold a password: the error never repeats it.
		if strings.Contains(err.Error(), gosumdb) {
			t.Errorf("New(%q) error %q repeats the value", gosumdb, err)
		}
	}
}

// fixture is a proxy with one module and a client for it.
type fixture struct {
	s      *proxytest.Server
	client *goproxy.Client
	dir    string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := proxytest.New(t)
	s.AddModule(modPath, modVer, map[string]string{"m.go": "package m\n"})
	return &fixture{s: s, client: newClient(t, s.URL()), dir: t.TempDir()}
}

func newClient(t *testing.T, proxyURL string) *goproxy.Client {
	t.Helper()
	c, err := goproxy.New(proxyURL)
	if err != nil {
		t.Fatal(err)
	}
	c.Attempts = 2
	c.Backoff = time.Millisecond
	return c
}

func (f *fixture) db(t *testing.T, gosumdb string, proxies ...string) *DB {
	t.Helper()
	db, err := New(gosumdb, proxies, f.dir, f.client)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestVerifyThroughProxy(t *testing.T) {
	f := newFixture(t)
	db := f.db(t, f.s.Key(), f.s.URL())
	if err := db.Verify(context.Background(), modPath, modVer, f.s.Sum(modPath, modVer)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	prefix := "/sumdb/" + f.s.Name()
	if f.s.RequestCount(prefix+"/supported") != 1 || f.s.RequestCount(prefix+"/lookup/example.com/m@v1.0.0") != 1 {
		t.Errorf("requests = %q, want a discovery and a lookup", f.s.Requests())
	}
	latest := filepath.Join(f.dir, "config", f.s.Name(), "latest")
	data, err := os.ReadFile(latest)
	if err != nil || !strings.HasPrefix(string(data), "go.sum database tree\n1\n") {
		t.Errorf("tree head in %s = %q, %v; want a signed tree of size 1", latest, data, err)
	}
}

func TestVerifyExplicitURL(t *testing.T) {
	f := newFixture(t)
	db := f.db(t, f.s.GOSUMDB(), "http://127.0.0.1:1")
	if err := db.Verify(context.Background(), modPath, modVer, f.s.Sum(modPath, modVer)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if n := f.s.RequestCount("/supported"); n != 0 {
		t.Errorf("%d discovery requests with an explicit URL, want 0", n)
	}
}

func TestVerifyDiscoverySkipsProxies(t *testing.T) {
	other := proxytest.New(t)
	other.Inject("/supported", proxytest.Always, proxytest.Fault{Status: http.StatusNotFound})
	f := newFixture(t)
	db := f.db(t, f.s.Key(), other.URL(), f.s.URL())
	if err := db.Verify(context.Background(), modPath, modVer, f.s.Sum(modPath, modVer)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if other.RequestCount("/supported") != 1 || len(other.Requests()) != 1 {
		t.Errorf("requests to the proxy without the database = %q, want one discovery", other.Requests())
	}
	// The discovered URL is kept: a second lookup asks no proxy again.
	f.s.AddModule(modPath, "v1.1.0", map[string]string{"m.go": "package m\n"})
	if err := db.Verify(context.Background(), modPath, "v1.1.0", f.s.Sum(modPath, "v1.1.0")); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if other.RequestCount("/supported") != 1 || f.s.RequestCount("/supported") != 1 {
		t.Errorf("discovery repeated: %q", f.s.Requests())
	}
}

func TestVerifyCached(t *testing.T) {
	f := newFixture(t)
	sum := f.s.Sum(modPath, modVer)
	if err := f.db(t, f.s.GOSUMDB()).Verify(context.Background(), modPath, modVer, sum); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	n := len(f.s.Requests())
	if err := f.db(t, f.s.GOSUMDB()).Verify(context.Background(), modPath, modVer, sum); err != nil {
		t.Fatalf("second Verify: %v", err)
	}
	if reqs := f.s.Requests(); len(reqs) != n {
		t.Errorf("second Verify made requests %q, want none", reqs[n:])
	}
}

func TestVerifyMismatch(t *testing.T) {
	f := newFixture(t)
	want := f.s.Sum(modPath, modVer)
	const bad = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	err := f.db(t, f.s.GOSUMDB()).Verify(context.Background(), modPath, modVer, bad)
	var se *SecurityError
	if !errors.As(err, &se) {
		t.Fatalf("Verify = %v, want a *SecurityError", err)
	}
	if se.Module != modPath+"@"+modVer {
		t.Errorf("SecurityError.Module = %q", se.Module)
	}
	for _, s := range []string{"SECURITY ERROR", "checksum mismatch", "downloaded: " + bad, f.s.Name() + ": " + want, "verifying example.com/m@v1.0.0: "} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error = %q\nwant it to contain %q", err, s)
		}
	}
}

func TestVerifyFork(t *testing.T) {
	a := proxytest.New(t)
	a.AddModule(modPath, modVer, map[string]string{"m.go": "package m\n"})
	dir := t.TempDir()
	dbA, err := New(a.GOSUMDB(), nil, dir, newClient(t, a.URL()))
	if err != nil {
		t.Fatal(err)
	}
	if err := dbA.Verify(context.Background(), modPath, modVer, a.Sum(modPath, modVer)); err != nil {
		t.Fatalf("Verify with the first server: %v", err)
	}

	// b signs with a's key, but its log holds other records.
	b := proxytest.NewSameKey(t, a)
	b.AddModule("example.com/other", modVer, map[string]string{"o.go": "package other\n"})
	b.AddModule(modPath, "v1.1.0", map[string]string{"m.go": "package m // changed\n"})
	dbB, err := New(b.GOSUMDB(), nil, dir, newClient(t, b.URL()))
	if err != nil {
		t.Fatal(err)
	}
	if err := dbB.Verify(context.Background(), "example.com/other", modVer, b.Sum("example.com/other", modVer)); err == nil {
		t.Fatal("Verify against a forked log: no error")
	} else {
		var se *SecurityError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "SECURITY ERROR") || !strings.Contains(err.Error(), "misbehavior") || !se.Fork || !strings.Contains(err.Error(), "inconsistent with the one") {
			t.Errorf("Verify against a forked log = %v, want a *SecurityError about the database", err)
		}
	}
	// The fork also shows when the new log is longer than the cached one.
	if err := dbB.Verify(context.Background(), modPath, "v1.1.0", b.Sum(modPath, "v1.1.0")); err == nil {
		t.Error("second Verify against a forked log: no error")
	}
	// A fresh cache trusts b.
	dbFresh, err := New(b.GOSUMDB(), nil, t.TempDir(), newClient(t, b.URL()))
	if err != nil {
		t.Fatal(err)
	}
	if err := dbFresh.Verify(context.Background(), "example.com/other", modVer, b.Sum("example.com/other", modVer)); err != nil {
		t.Errorf("Verify with a fresh cache: %v", err)
	}
}

func TestVerifyNotInDB(t *testing.T) {
	f := newFixture(t)
	err := f.db(t, f.s.GOSUMDB()).Verify(context.Background(), "example.com/absent", modVer, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	var se *SecurityError
	if err == nil || errors.As(err, &se) {
		t.Fatalf("Verify of a module the database lacks = %v, want an ordinary error", err)
	}
	if !strings.HasPrefix(err.Error(), "verify example.com/absent@v1.0.0: checksum database "+f.s.Name()+": ") || !strings.Contains(err.Error(), "404") {
		t.Errorf("error = %q", err)
	}
}

func TestVerifyWrongKey(t *testing.T) {
	f := newFixture(t)
	other := proxytest.New(t) // same database name, another key
	gosumdb := other.Key() + " " + f.s.URL() + "/sumdb/" + f.s.Name()
	err := f.db(t, gosumdb).Verify(context.Background(), modPath, modVer, f.s.Sum(modPath, modVer))
	if err == nil {
		t.Fatal("Verify of a log signed with another key: no error")
	}
	if !strings.HasPrefix(err.Error(), "verify example.com/m@v1.0.0: ") {
		t.Errorf("error = %q", err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "config", f.s.Name(), "latest")); err == nil {
		t.Error("a tree head with a bad signature was saved")
	}
}

func TestVerifyUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := proxytest.New(t)
	db, err := New(s.Key()+" http://"+addr, nil, t.TempDir(), newClient(t, s.URL()))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Verify(context.Background(), modPath, modVer, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	var se *SecurityError
	if err == nil || errors.As(err, &se) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("Verify with the database down = %v, want an ordinary connection error", err)
	}
}

func TestOffUsesDefaultDB(t *testing.T) {
	s := proxytest.New(t)
	s.Inject("/supported", proxytest.Always, proxytest.Fault{Status: http.StatusNotFound})
	f := &fixture{s: s, client: newClient(t, s.URL()), dir: t.TempDir()}
	db := f.db(t, "off", s.URL())
	if db.Name != DefaultName || db.Key != DefaultKey {
		t.Fatalf("New(off) = %q %q, want sum.golang.org", db.Name, db.Key)
	}
	// The proxy is asked for sum.golang.org, not skipped.
	if got, err := db.base(context.Background()); err != nil || got != "https://sum.golang.org" {
		t.Errorf("base = %q, %v; want the database itself when the proxy does not serve it", got, err)
	}
	if n := s.RequestCount("/sumdb/sum.golang.org/supported"); n != 1 {
		t.Errorf("requests = %q, want one discovery of sum.golang.org", s.Requests())
	}
}

func TestVerifyProxyFailsDiscovery(t *testing.T) {
	f := newFixture(t)
	f.s.Inject("/supported", proxytest.Always, proxytest.Fault{Status: http.StatusServiceUnavailable})
	db := f.db(t, f.s.Key(), f.s.URL())
	err := db.Verify(context.Background(), modPath, modVer, f.s.Sum(modPath, modVer))
	if err == nil || !strings.Contains(err.Error(), "ask proxy for checksum database") || !strings.Contains(err.Error(), "503") {
		t.Errorf("Verify with the proxy failing /supported = %v, want the proxy's error, not a silent switch to the database's own host", err)
	}
}

func TestVerifyRepairsCorruptTreeHead(t *testing.T) {
	f := newFixture(t)
	sum := f.s.Sum(modPath, modVer)
	db := f.db(t, f.s.GOSUMDB())
	if err := db.Verify(context.Background(), modPath, modVer, sum); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	head := db.configPath(db.Name + "/latest")
	if err := os.WriteFile(head, []byte("damaged\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.db(t, f.s.GOSUMDB()).Verify(context.Background(), modPath, modVer, sum); err != nil {
		t.Fatalf("Verify with a damaged tree head: %v", err)
	}
	if data, err := os.ReadFile(head); err != nil || !strings.Contains(string(data), f.s.Name()) {
		t.Errorf("tree head after repair = %q, %v; want a signed note from %s", data, err, f.s.Name())
	}
}

// TestVerifyRemovesKilledWrite finds the temp file a build killed while it
// saved the tree head left behind: the next build that saves one removes it.
func TestVerifyRemovesKilledWrite(t *testing.T) {
	f := newFixture(t)
	db := f.db(t, f.s.GOSUMDB())
	leftover := filepath.Join(filepath.Dir(db.configPath(db.Name+"/latest")), ".tmp-latest-123456")
	if err := os.MkdirAll(filepath.Dir(leftover), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(leftover, []byte("go.sum database tree\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(context.Background(), modPath, modVer, f.s.Sum(modPath, modVer)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if _, err := os.Stat(db.configPath(db.Name + "/latest")); err != nil {
		t.Fatalf("no tree head saved: %v", err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the killed build's temp file is still there: %v", err)
	}
}

// TestVerifySymlinkedTreeHead plants the cached tree head as a symlink to
// the head another cache holds for a log the server then forks from, and
// its lock as a symlink to a file that does not exist: neither is
// followed, so the build trusts the server afresh, the other cache's head
// is unchanged and nothing is created outside the cache.
func TestVerifySymlinkedTreeHead(t *testing.T) {
	a := proxytest.New(t)
	a.AddModule(modPath, modVer, map[string]string{"m.go": "package m\n"})
	other := t.TempDir()
	dbA, err := New(a.GOSUMDB(), nil, other, newClient(t, a.URL()))
	if err != nil {
		t.Fatal(err)
	}
	if err := dbA.Verify(context.Background(), modPath, modVer, a.Sum(modPath, modVer)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	otherHead := dbA.configPath(dbA.Name + "/latest")
	before, err := os.ReadFile(otherHead)
	if err != nil {
		t.Fatal(err)
	}

	b := proxytest.NewSameKey(t, a)
	b.AddModule("example.com/other", modVer, map[string]string{"o.go": "package other\n"})
	dbB, err := New(b.GOSUMDB(), nil, t.TempDir(), newClient(t, b.URL()))
	if err != nil {
		t.Fatal(err)
	}
	head := dbB.configPath(dbB.Name + "/latest")
	absent := filepath.Join(t.TempDir(), "absent")
	if err := os.MkdirAll(filepath.Dir(head), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(otherHead, head); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(absent, head+".lock"); err != nil {
		t.Fatal(err)
	}
	if err := dbB.Verify(context.Background(), "example.com/other", modVer, b.Sum("example.com/other", modVer)); err != nil {
		t.Fatalf("Verify with a symlinked tree head: %v", err)
	}
	if after, _ := os.ReadFile(otherHead); !bytes.Equal(after, before) {
		t.Errorf("the tree head the symlink pointed at changed:\n%s", after)
	}
	if _, err := os.Lstat(absent); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock created %s outside the cache: %v", absent, err)
	}
	for _, p := range []string{head, head + ".lock"} {
		if info, err := os.Lstat(p); err != nil || !info.Mode().IsRegular() {
			t.Errorf("%s is not a regular file after Verify (%v)", p, err)
		}
	}
}
