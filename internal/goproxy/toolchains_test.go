package goproxy

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
)

const toolchainPath = "golang.org/toolchain"

func TestParseToolchainProxy(t *testing.T) {
	tests := []struct {
		in, want string // want "" for off
	}{
		{"", "https://proxy.golang.org"},
		{"  ", "https://proxy.golang.org"},
		{"off", ""},
		{"https://mirror.example.com/go/", "https://mirror.example.com/go"},
		{"mirror.example.com", "https://mirror.example.com"},
		{"file:///srv/toolchains", "file:///srv/toolchains"},
		{"https://u:secret@mirror.example.com", "https://xxxxx@mirror.example.com"},
	}
	for _, tt := range tests {
		e, err := ParseToolchainProxy(tt.in)
		if err != nil {
			t.Errorf("ParseToolchainProxy(%q): %v", tt.in, err)
			continue
		}
		got := ""
		if e != nil {
			got = e.String()
		}
		if got != tt.want {
			t.Errorf("ParseToolchainProxy(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"https://a.example,https://b.example", "https://a.example|https://b.example", "ftp://a.example", "file://server/share", "file://relative/dir", "https://u:secret@a.example,x"} {
		e, err := ParseToolchainProxy(in)
		if err == nil {
			t.Errorf("ParseToolchainProxy(%q) = %v, want error", in, e)
			continue
		}
		if !strings.HasPrefix(err.Error(), "invalid GO_TOOLCHAIN_PROXY") || strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseToolchainProxy(%q) error = %q, want it to name GO_TOOLCHAIN_PROXY and hide the password", in, err)
		}
	}
}

func TestNewToolchains(t *testing.T) {
	tests := []struct {
		goproxy, toolchainProxy string
		primary, fallback       string // "" for none
	}{
		{"", "", "https://proxy.golang.org", ""},
		{"https://proxy.golang.org,direct", "", "https://proxy.golang.org", ""},
		{"https://athens.example.com", "", "https://athens.example.com", "https://proxy.golang.org"},
		{"https://athens.example.com,https://proxy.golang.org", "", "https://athens.example.com,https://proxy.golang.org", ""},
		{"https://athens.example.com", "off", "https://athens.example.com", ""},
		{"https://athens.example.com", "https://mirror.example.com", "https://athens.example.com", "https://mirror.example.com"},
		{"direct", "", "", "https://proxy.golang.org"},
		{"file:///srv/mods,direct", "", "file:///srv/mods", "https://proxy.golang.org"},
	}
	for _, tt := range tests {
		tc, err := NewToolchains(tt.goproxy, tt.toolchainProxy)
		if err != nil {
			t.Errorf("NewToolchains(%q, %q): %v", tt.goproxy, tt.toolchainProxy, err)
			continue
		}
		primary := ""
		if tc.Primary != nil {
			primary = tc.Primary.String()
		}
		if primary != tt.primary || tc.FallbackURL() != tt.fallback {
			t.Errorf("NewToolchains(%q, %q) = %q then %q, want %q then %q", tt.goproxy, tt.toolchainProxy, primary, tc.FallbackURL(), tt.primary, tt.fallback)
		}
		if want := len(strings.Split(tt.primary+","+tt.fallback, ",")) - strings.Count(","+tt.primary+","+tt.fallback+",", ",,"); len(tc.SumDBProxies()) != want {
			t.Errorf("SumDBProxies() = %q, want the %d proxies", tc.SumDBProxies(), want)
		}
	}
	if _, err := NewToolchains("direct", "off"); !errors.Is(err, ErrNoProxy) {
		t.Errorf("NewToolchains(direct, off) = %v, want ErrNoProxy", err)
	}
	if _, err := NewToolchains("off", ""); !errors.Is(err, ErrOff) {
		t.Errorf("NewToolchains(off, \"\") = %v, want ErrOff", err)
	}
	if _, err := NewToolchains("", "a,b"); err == nil {
		t.Errorf("NewToolchains with two fallback proxies: want an error")
	}
}

// toolchains returns a fast-retrying Toolchains for GOPROXY=goproxy with
// fallback fb, recording what it logs.
func toolchains(t *testing.T, goproxy, fb string) (*Toolchains, *[]string) {
	t.Helper()
	tc, err := NewToolchains(goproxy, fb)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range tc.Clients() {
		c.Attempts, c.Backoff = 2, 0
	}
	var mu sync.Mutex
	var logs []string
	tc.OnFallback = func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		logs = append(logs, msg)
	}
	return tc, &logs
}

// privateAndPublic returns a private proxy serving only the app's module
// and a public one serving a toolchain, whose module version it returns.
func privateAndPublic(t *testing.T) (private, public *proxytest.Server, tcVersion string) {
	private = proxytest.New(t)
	private.AddModule("git.example.com/app/lib", "v1.0.0", map[string]string{"lib.go": "package lib\n"})
	public = proxytest.New(t)
	tcVersion = public.AddToolchain("go1.12.17", "linux", "amd64")
	return private, public, tcVersion
}

func TestToolchainsFallBackWhenNotServed(t *testing.T) {
	private, public, v := privateAndPublic(t)
	tc, logs := toolchains(t, private.URL(), public.URL())

	list, err := tc.List(context.Background(), toolchainPath)
	if err != nil || !reflect.DeepEqual(list, []string{v}) {
		t.Fatalf("List = %q, %v; want the public proxy's %q", list, err, v)
	}
	dst := filepath.Join(t.TempDir(), "tc.zip")
	if _, err := tc.Download(context.Background(), toolchainPath, v, dst, nil); err != nil {
		t.Fatalf("Download: %v", err)
	}
	if data, _ := os.ReadFile(dst); string(data) != string(public.Zip(toolchainPath, v)) {
		t.Errorf("Download wrote %d bytes, not the public proxy's zip", len(data))
	}
	if n := private.RequestCount("/golang.org/toolchain/@v/list"); n != 1 {
		t.Errorf("%d list requests to GOPROXY, want 1 (a 404 is not retried)", n)
	}
	if n := private.RequestCount(".zip"); n != 1 {
		t.Errorf("%d zip requests to GOPROXY, want 1: GOPROXY is asked first", n)
	}
	want := "GOPROXY=" + private.URL() + " does not serve golang.org/toolchain: fetching Go toolchains from " + public.URL() + " instead (GO_TOOLCHAIN_PROXY=off turns this off)"
	if !reflect.DeepEqual(*logs, []string{want}) {
		t.Errorf("logged %q, want once %q", *logs, want)
	}
	// The checksum database is looked for on GOPROXY first, then on the fallback.
	if got, want := tc.SumDBProxies(), []string{private.URL(), public.URL()}; !reflect.DeepEqual(got, want) {
		t.Errorf("SumDBProxies() = %q, want %q", got, want)
	}
}

func TestToolchainsPrimaryServes(t *testing.T) {
	private, public, _ := privateAndPublic(t)
	v := private.AddToolchain("go1.13.15", "linux", "amd64")
	tc, logs := toolchains(t, private.URL(), public.URL())
	list, err := tc.List(context.Background(), toolchainPath)
	if err != nil || !reflect.DeepEqual(list, []string{v}) {
		t.Errorf("List = %q, %v; want GOPROXY's %q", list, err, v)
	}
	if _, err := tc.Download(context.Background(), toolchainPath, v, filepath.Join(t.TempDir(), "tc.zip"), nil); err != nil {
		t.Errorf("Download: %v", err)
	}
	if n := len(public.Requests()); n != 0 || len(*logs) != 0 {
		t.Errorf("%d requests to the fallback and logs %q, want none when GOPROXY serves toolchains", n, *logs)
	}
}

func TestToolchainsEmptyListFallsBack(t *testing.T) {
	_, public, v := privateAndPublic(t)
	// A proxy that answers every list with 200 OK and no versions.
	empty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer empty.Close()
	tc, logs := toolchains(t, empty.URL, public.URL())
	list, err := tc.List(context.Background(), toolchainPath)
	if err != nil || !reflect.DeepEqual(list, []string{v}) || len(*logs) != 1 {
		t.Errorf("List = %q, %v (logs %q); want the fallback's %q, logged", list, err, *logs, v)
	}
}

func TestToolchainsNoFallbackWhenUnreachable(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault proxytest.Fault
	}{
		{"503", proxytest.Fault{Status: http.StatusServiceUnavailable}},
		{"truncated", proxytest.Fault{Truncate: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			private, public, v := privateAndPublic(t)
			private.AddToolchain("go1.12.17", "linux", "amd64")
			private.Inject(".zip", proxytest.Always, tt.fault)
			tc, logs := toolchains(t, private.URL(), public.URL())
			_, err := tc.Download(context.Background(), toolchainPath, v, filepath.Join(t.TempDir(), "tc.zip"), nil)
			var unreachable *UnreachableError
			if !errors.As(err, &unreachable) || errors.Is(err, ErrNotFound) {
				t.Errorf("Download = %v, want *UnreachableError", err)
			}
			if len(public.Requests()) != 0 || len(*logs) != 0 {
				t.Errorf("the fallback was asked (%q, logs %q) although GOPROXY only failed to answer", public.Requests(), *logs)
			}
		})
	}
}

func TestToolchainsNotServedAnywhere(t *testing.T) {
	private, public, _ := privateAndPublic(t)
	tc, _ := toolchains(t, private.URL(), public.URL())
	_, err := tc.Download(context.Background(), toolchainPath, "v0.0.1-go1.16rc1.linux-amd64", filepath.Join(t.TempDir(), "tc.zip"), nil)
	var fe *FallbackError
	var ns *NotServedError
	var se *StatusError
	if !errors.As(err, &fe) || !errors.As(err, &ns) || !errors.Is(err, ErrNotFound) || !errors.As(err, &se) || se.Code != http.StatusNotFound {
		t.Fatalf("Download = %v, want a *FallbackError wrapping the fallback's 404", err)
	}
	if !strings.Contains(err.Error(), private.URL()) || !strings.Contains(err.Error(), "then from GO_TOOLCHAIN_PROXY: ") || !strings.Contains(err.Error(), public.URL()) {
		t.Errorf("error = %q, want both proxies named", err)
	}
}

func TestToolchainsFallbackUnreachable(t *testing.T) {
	private, _, v := privateAndPublic(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	tc, _ := toolchains(t, private.URL(), closed)
	_, err = tc.Download(context.Background(), toolchainPath, v, filepath.Join(t.TempDir(), "tc.zip"), nil)
	var unreachable *UnreachableError
	if !errors.As(err, &unreachable) || errors.Is(err, ErrNotFound) {
		t.Errorf("Download = %v, want the fallback's *UnreachableError, not a not-found", err)
	}
}

func TestToolchainsOff(t *testing.T) {
	private, public, v := privateAndPublic(t)
	tc, _ := toolchains(t, private.URL(), "off")
	_, err := tc.Download(context.Background(), toolchainPath, v, filepath.Join(t.TempDir(), "tc.zip"), nil)
	var ns *NotServedError
	if !errors.As(err, &ns) || len(public.Requests()) != 0 {
		t.Errorf("Download with GO_TOOLCHAIN_PROXY=off = %v, want GOPROXY's *NotServedError and no fallback", err)
	}
}

func TestToolchainsDirectOnly(t *testing.T) {
	_, public, v := privateAndPublic(t)
	tc, logs := toolchains(t, "direct", public.URL())
	if _, err := tc.Download(context.Background(), toolchainPath, v, filepath.Join(t.TempDir(), "tc.zip"), nil); err != nil {
		t.Fatalf("Download: %v", err)
	}
	want := "GOPROXY lists no proxy (only direct): fetching Go toolchains from " + public.URL() + " instead (GO_TOOLCHAIN_PROXY=off turns this off)"
	if !reflect.DeepEqual(*logs, []string{want}) || tc.String() != "direct" {
		t.Errorf("logged %q (String %q), want %q", *logs, tc.String(), want)
	}
}

// writeFileProxy writes path@version of s into a file:// proxy tree at dir.
func writeFileProxy(t *testing.T, dir string, s *proxytest.Server, path, version string) {
	t.Helper()
	v := filepath.Join(dir, filepath.FromSlash(path), "@v")
	if err := os.MkdirAll(v, 0o777); err != nil {
		t.Fatal(err)
	}
	list, _ := os.ReadFile(filepath.Join(v, "list"))
	files := map[string]string{
		"list":            string(list) + version + "\n",
		version + ".info": `{"Version":"` + version + `"}`,
		version + ".mod":  "module " + path + "\n",
		version + ".zip":  string(s.Zip(path, version)),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(v, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

func TestToolchainsFileProxies(t *testing.T) {
	private, public, v := privateAndPublic(t)
	// GOPROXY is a directory holding only the app's private module; the
	// fallback a directory (with a space in its name) holding a toolchain.
	mods := t.TempDir()
	writeFileProxy(t, mods, private, "git.example.com/app/lib", "v1.0.0")
	tcs := filepath.Join(t.TempDir(), "tool chains")
	writeFileProxy(t, tcs, public, toolchainPath, v)
	tc, logs := toolchains(t, "file://"+mods+",direct", "file://"+strings.ReplaceAll(tcs, " ", "%20"))

	if list, err := tc.Primary.List(context.Background(), "git.example.com/app/lib"); err != nil || !reflect.DeepEqual(list, []string{"v1.0.0"}) {
		t.Errorf("List of the private module = %q, %v", list, err)
	}
	list, err := tc.List(context.Background(), toolchainPath)
	if err != nil || !reflect.DeepEqual(list, []string{v}) {
		t.Fatalf("List = %q, %v; want %q from the file:// fallback", list, err, v)
	}
	dst := filepath.Join(t.TempDir(), "tc.zip")
	if _, err := tc.Download(context.Background(), toolchainPath, v, dst, nil); err != nil {
		t.Fatalf("Download: %v", err)
	}
	if data, _ := os.ReadFile(dst); string(data) != string(public.Zip(toolchainPath, v)) {
		t.Errorf("Download wrote %d bytes, not the toolchain zip", len(data))
	}
	if len(*logs) != 1 {
		t.Errorf("logs = %q, want one line", *logs)
	}
	// A file:// proxy without a checksum database says "not found" for
	// /sumdb/.../supported, so the database is looked for further on.
	_, err = tc.Get(context.Background(), "file://"+mods+"/sumdb/sum.golang.org/supported")
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Get of /sumdb/ from a file:// proxy = %v, want ErrNotFound", err)
	}
}
