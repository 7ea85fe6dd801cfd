package checksum

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
)

// A private GOPROXY (here a file:// directory of the app's modules) serves
// neither toolchains nor the checksum database: the toolchain comes from
// the fallback proxy and is verified against the database read through
// that proxy's /sumdb/, since the database's own host is not asked when a
// proxy serves it.
func TestVerifyToolchainFromFallback(t *testing.T) {
	public := proxytest.New(t)
	v := public.AddToolchain("go1.12.17", "linux", "amd64")
	private := t.TempDir()
	if err := os.MkdirAll(filepath.Join(private, "git.example.com", "app", "@v"), 0o777); err != nil {
		t.Fatal(err)
	}
	tc, err := goproxy.NewToolchains("file://"+private+",direct", public.URL())
	if err != nil {
		t.Fatal(err)
	}
	var logged []string
	tc.OnFallback = func(msg string) { logged = append(logged, msg) }

	zip := filepath.Join(t.TempDir(), "tc.zip")
	if _, err := tc.Download(context.Background(), "golang.org/toolchain", v, zip, nil); err != nil {
		t.Fatalf("Download: %v", err)
	}
	hash, err := dirhash.HashZip(zip, dirhash.DefaultHash)
	if err != nil {
		t.Fatal(err)
	}
	db, err := New(public.Key(), tc.SumDBProxies(), t.TempDir(), tc)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(context.Background(), "golang.org/toolchain", v, hash); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	prefix := "/sumdb/" + public.Name()
	if public.RequestCount(prefix+"/supported") != 1 || public.RequestCount(prefix+"/lookup/golang.org/toolchain@"+v) != 1 {
		t.Errorf("requests to the fallback = %q, want the database found and read there", public.Requests())
	}
	if len(logged) != 1 {
		t.Errorf("logged %q, want one line about the fallback", logged)
	}
	// A tampered download from the fallback is still caught.
	if err := db.Verify(context.Background(), "golang.org/toolchain", v, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="); err == nil {
		t.Errorf("Verify of another hash succeeded")
	}
}
