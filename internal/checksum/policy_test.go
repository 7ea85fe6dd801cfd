package checksum

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
)

func TestToolchainCheck(t *testing.T) {
	tests := []struct {
		name string
		s    Settings
		want Check
	}{
		{"defaults", Settings{}, CheckDB},
		{"a database", Settings{GOSUMDB: testKey}, CheckDB},
		// The go command requires the database for toolchains whatever
		// GONOSUMDB and GOPRIVATE say.
		{"GONOSUMDB matches", Settings{GONOSUMDB: "golang.org"}, CheckDB},
		{"GOPRIVATE matches", Settings{GOPRIVATE: "golang.org/toolchain"}, CheckDB},
		// With GOSUMDB=off the go command fails; the buildpack asks sum.golang.org.
		{"off", Settings{GOSUMDB: "off"}, CheckDefaultDB},
		{"off with a proxy list", Settings{GOSUMDB: "off", GOPROXY: "https://a.example,https://b.example"}, CheckDefaultDB},
		{"off with file and another proxy", Settings{GOSUMDB: "off", GOPROXY: "file:///p,https://proxy.golang.org"}, CheckDefaultDB},
		{"off with file and direct", Settings{GOSUMDB: "off", GOPROXY: "file:///p|direct"}, CheckDefaultDB},
		// A single file:// GOPROXY: the normal module rules apply.
		{"file, off", Settings{GOSUMDB: "off", GOPROXY: "file:///srv/proxy"}, CheckNone},
		{"file, GONOSUMDB matches", Settings{GONOSUMDB: "example.com,golang.org", GOPROXY: "file:///srv/proxy"}, CheckNone},
		{"file, GOPRIVATE matches", Settings{GOPRIVATE: "golang.org/*", GOPROXY: "file:///srv/proxy"}, CheckNone},
		{"file, GONOSUMDB beats GOPRIVATE", Settings{GONOSUMDB: "example.com", GOPRIVATE: "golang.org", GOPROXY: "file:///srv/proxy"}, CheckDB},
		{"file, no match", Settings{GONOSUMDB: "golang.org/x", GOPROXY: "file:///srv/proxy"}, CheckDB},
		{"file, database on", Settings{GOSUMDB: testKey, GOPROXY: "file:///srv/proxy"}, CheckDB},
		{"file, defaults", Settings{GOPROXY: "file:///srv/proxy"}, CheckDB},
	}
	for _, tt := range tests {
		if got := ToolchainCheck(tt.s); got != tt.want {
			t.Errorf("%s: ToolchainCheck(%+v) = %v, want %v", tt.name, tt.s, got, tt.want)
		}
	}
}

// TestForToolchainsOff: with GOSUMDB=off a toolchain is still looked up
// in sum.golang.org (here served by the proxy), and the log says so in
// one line.
func TestForToolchainsOff(t *testing.T) {
	f := newFixture(t)
	var log bytes.Buffer
	db, err := ForToolchains(Settings{GOSUMDB: "off"}, []string{f.s.URL()}, f.dir, f.client, output.New(&log, &log))
	if err != nil {
		t.Fatal(err)
	}
	if db.Name != DefaultName || db.Key != DefaultKey {
		t.Errorf("ForToolchains(off) = %q %q, want sum.golang.org", db.Name, db.Key)
	}
	line := db.Describe("h1:abc=")
	if !strings.HasPrefix(line, "Verified h1:abc= against sum.golang.org: GOSUMDB=off turns the checksum database off for modules only") || strings.Contains(line, "\n") {
		t.Errorf("Describe = %q", line)
	}
	f.s.Inject("/sumdb/sum.golang.org/supported", proxytest.Always, proxytest.Fault{Status: http.StatusServiceUnavailable})
	if err := db.Verify(context.Background(), modPath, modVer, f.s.Sum(modPath, modVer)); err == nil {
		t.Errorf("Verify with GOSUMDB=off asked no database")
	}
	if n := f.s.RequestCount("/sumdb/sum.golang.org/supported"); n == 0 {
		t.Errorf("requests = %q, want sum.golang.org asked for", f.s.Requests())
	}
}

// TestForToolchainsFileProxy: a single file:// GOPROXY with the database
// off for golang.org/toolchain checks nothing, as the go command does,
// and says so.
func TestForToolchainsFileProxy(t *testing.T) {
	var log bytes.Buffer
	db, err := ForToolchains(Settings{GOSUMDB: "off", GOPROXY: "file:///nowhere"}, []string{"file:///nowhere"}, t.TempDir(), nil, output.New(&log, &log))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(context.Background(), "golang.org/toolchain", "v0.0.1-go1.22.5.linux-amd64", "h1:abc="); err != nil {
		t.Errorf("Verify = %v, want nil without a lookup", err)
	}
	if line := db.Describe("h1:abc="); !strings.HasPrefix(line, "Not verified against a checksum database (hash h1:abc=): GOPROXY is a single file:// URL and GOSUMDB=off, as the go command allows") {
		t.Errorf("Describe = %q", line)
	}
	db, err = ForToolchains(Settings{GONOSUMDB: "golang.org", GOPROXY: "file:///nowhere"}, nil, t.TempDir(), nil, output.New(&log, &log))
	if err != nil {
		t.Fatal(err)
	}
	if line := db.Describe("h1:abc="); !strings.Contains(line, "GONOSUMDB matches golang.org/toolchain") {
		t.Errorf("Describe = %q", line)
	}
}

func TestForToolchainsDescribe(t *testing.T) {
	db, err := ForToolchains(Settings{GONOSUMDB: "golang.org"}, nil, t.TempDir(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if line := db.Describe("h1:abc="); line != "Verified h1:abc= against the checksum database sum.golang.org" {
		t.Errorf("Describe = %q", line)
	}
	if _, err := ForToolchains(Settings{GOSUMDB: "bogus"}, nil, t.TempDir(), nil, nil); err == nil || !strings.HasPrefix(err.Error(), "invalid GOSUMDB") {
		t.Errorf("ForToolchains(bogus) = %v, want invalid GOSUMDB", err)
	}
}

// TestVerifyWarnsOfDamagedTreeHead: the cached tree head anchors fork
// detection, so resetting it is a warning in the build log.
func TestVerifyWarnsOfDamagedTreeHead(t *testing.T) {
	f := newFixture(t)
	sum := f.s.Sum(modPath, modVer)
	var log bytes.Buffer
	db, err := ForToolchains(Settings{GOSUMDB: f.s.GOSUMDB()}, nil, f.dir, f.client, output.New(&log, &log))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(context.Background(), modPath, modVer, sum); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if log.Len() != 0 {
		t.Errorf("log after a clean Verify = %q", log.String())
	}
	if err := os.WriteFile(db.configPath(db.Name+"/latest"), []byte("damaged\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = ForToolchains(Settings{GOSUMDB: f.s.GOSUMDB()}, nil, f.dir, f.client, output.New(&log, &log))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(context.Background(), modPath, modVer, sum); err != nil {
		t.Fatalf("Verify with a damaged tree head: %v", err)
	}
	if want := "WARNING: the cached tree head of the checksum database " + f.s.Name() + " did not verify and was reset"; !strings.Contains(log.String(), want) {
		t.Errorf("log = %q, want %q", log.String(), want)
	}
}
