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
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/proxytest"
)

func TestParseList(t *testing.T) {
	tests := []struct {
		in   string
		want []string // URL, followed by " |" when AnyError
	}{
		{"", []string{"https://proxy.golang.org"}},
		{"  ", []string{"https://proxy.golang.org"}},
		{"https://a.example", []string{"https://a.example"}},
		{"https://a.example/", []string{"https://a.example"}},
		{"https://a.example/sub/path/", []string{"https://a.example/sub/path"}},
		{"https://a.example,https://b.example", []string{"https://a.example", "https://b.example"}},
		{"https://a.example|https://b.example,https://c.example", []string{"https://a.example |", "https://b.example", "https://c.example"}},
		{" https://a.example , https://b.example ", []string{"https://a.example", "https://b.example"}},
		{"https://a.example,direct", []string{"https://a.example"}},
		{"direct,https://a.example", []string{"https://a.example"}},
		{"https://a.example,,https://b.example", []string{"https://a.example", "https://b.example"}},
		{"https://a.example,off", []string{"https://a.example"}},
		{"https://a.example|off,https://b.example", []string{"https://a.example |"}},
		{"proxy.example.com", []string{"https://proxy.example.com"}},
		{"proxy.example.com/go", []string{"https://proxy.example.com/go"}},
		{"http://localhost:3000", []string{"http://localhost:3000"}},
		{"file:///srv/goproxy", []string{"file:///srv/goproxy"}},
		{"https://user:secret@a.example", []string{"https://xxxxx@a.example"}},
	}
	for _, tt := range tests {
		entries, err := ParseList(tt.in)
		if err != nil {
			t.Errorf("ParseList(%q): %v", tt.in, err)
			continue
		}
		var got []string
		for _, e := range entries {
			s := e.String()
			if e.AnyError {
				s += " |"
			}
			got = append(got, s)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseListErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"off", "GOPROXY=off forbids downloads"},
		{"off,https://a.example", "GOPROXY=off forbids downloads"},
		{"direct", "GOPROXY lists no proxy"},
		{"direct,off", "GOPROXY=off forbids downloads"},
		{"ftp://a.example", `invalid GOPROXY entry "ftp://a.example"`},
		{"https://", `invalid GOPROXY entry`},
		{"https://a.example,:bad", `invalid GOPROXY entry`},
		{"ftp://user:secret@a.example", `invalid GOPROXY entry "ftp://xxxxx@a.example"`},
		{"https://user:secret@a.example:port", `invalid GOPROXY entry "https://xxxxx@a.example:port"`},
	}
	for _, tt := range tests {
		entries, err := ParseList(tt.in)
		if err == nil {
			t.Errorf("ParseList(%q) = %v, want error", tt.in, entries)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseList(%q) error = %q, want it to contain %q and no password", tt.in, err, tt.want)
		}
	}
	if _, err := ParseList("off"); !errors.Is(err, ErrOff) {
		t.Errorf("ParseList(off) = %v, want ErrOff", err)
	}
}

// newClient returns a client for goproxy that retries fast.
func newClient(t *testing.T, goproxy string) *Client {
	t.Helper()
	c, err := New(goproxy)
	if err != nil {
		t.Fatal(err)
	}
	c.Attempts = 3
	c.Backoff = time.Millisecond
	c.Stall = 5 * time.Second
	return c
}

// newServer returns a proxy serving example.com/m at v1.0.0 and v1.1.0.
func newServer(t *testing.T) *proxytest.Server {
	s := proxytest.New(t)
	s.AddModule("example.com/m", "v1.1.0", map[string]string{"m.go": "package m\n\nconst V = 2\n"})
	s.AddModule("example.com/m", "v1.0.0", map[string]string{"m.go": "package m\n\nconst V = 1\n"})
	return s
}

const zipSuffix = "/example.com/m/@v/v1.0.0.zip"

// download fetches example.com/m@v1.0.0 and checks it is the zip s serves.
func download(t *testing.T, c *Client, s *proxytest.Server) error {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "m.zip")
	n, err := c.Download(context.Background(), "example.com/m", "v1.0.0", dst, nil)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if want := s.Zip("example.com/m", "v1.0.0"); string(data) != string(want) || n != int64(len(want)) {
		t.Errorf("Download wrote %d bytes (returned %d), want the %d-byte zip", len(data), n, len(want))
	}
	return nil
}

func TestList(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s.URL())
	got, err := c.List(context.Background(), "example.com/m")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if want := []string{"v1.0.0", "v1.1.0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("List = %q, want %q", got, want)
	}
	got, err = c.List(context.Background(), "example.com/none")
	if !errors.Is(err, ErrNotFound) || len(got) != 0 {
		t.Errorf("List of an unknown module = %q, %v; want ErrNotFound", got, err)
	}
}

func TestGoMod(t *testing.T) {
	s := proxytest.New(t)
	s.AddModule("example.com/Upper", "v1.2.0", map[string]string{"go.mod": "module example.com/Upper\n\ngo 1.26.0\n"})
	c := newClient(t, s.URL())
	got, err := c.GoMod(context.Background(), "example.com/Upper", "v1.2.0")
	if err != nil || string(got) != "module example.com/Upper\n\ngo 1.26.0\n" {
		t.Errorf("GoMod = %q, %v", got, err)
	}
	if reqs := s.Requests(); len(reqs) != 1 || reqs[0] != "/example.com/!upper/@v/v1.2.0.mod" {
		t.Errorf("requests = %q, want the escaped path", reqs)
	}
	if _, err := c.GoMod(context.Background(), "example.com/Upper", "v9.0.0"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GoMod of an unknown version: %v, want ErrNotFound", err)
	}
}

func TestListEscapesPath(t *testing.T) {
	s := proxytest.New(t)
	s.AddModule("example.com/Upper", "v1.0.0", map[string]string{"u.go": "package u\n"})
	c := newClient(t, s.URL())
	got, err := c.List(context.Background(), "example.com/Upper")
	if err != nil || !reflect.DeepEqual(got, []string{"v1.0.0"}) {
		t.Errorf("List = %q, %v; want [v1.0.0]", got, err)
	}
	if reqs := s.Requests(); len(reqs) != 1 || reqs[0] != "/example.com/!upper/@v/list" {
		t.Errorf("requests = %q, want the escaped path", reqs)
	}
	if _, err := c.List(context.Background(), "Bad Path"); err == nil {
		t.Errorf("List of an invalid path: no error")
	}
}

func TestListRetries(t *testing.T) {
	s := newServer(t)
	s.Inject("/@v/list", 2, proxytest.Fault{Status: http.StatusServiceUnavailable})
	c := newClient(t, s.URL())
	got, err := c.List(context.Background(), "example.com/m")
	if err != nil || len(got) != 2 {
		t.Fatalf("List = %q, %v; want two versions", got, err)
	}
	if n := s.RequestCount("/@v/list"); n != 3 {
		t.Errorf("%d list requests, want 3", n)
	}
}

func TestDownload(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s.URL())
	dst := filepath.Join(t.TempDir(), "m.zip")
	var done, total int64
	n, err := c.Download(context.Background(), "example.com/m", "v1.0.0", dst, func(d, t int64) { done, total = d, t })
	if err != nil {
		t.Fatalf("Download: %v", err)
	}
	if size := int64(len(s.Zip("example.com/m", "v1.0.0"))); n != size || done != size || total != size {
		t.Errorf("Download = %d, progress %d of %d; want %d", n, done, total, size)
	}
}

func TestDownloadRetries(t *testing.T) {
	tests := []struct {
		name  string
		fault proxytest.Fault
	}{
		{"503", proxytest.Fault{Status: http.StatusServiceUnavailable}},
		{"500", proxytest.Fault{Status: http.StatusInternalServerError}},
		{"429", proxytest.Fault{Status: http.StatusTooManyRequests}},
		{"truncated", proxytest.Fault{Truncate: true}},
		{"long Content-Length", proxytest.Fault{Length: 1 << 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			s.Inject(".zip", 2, tt.fault)
			c := newClient(t, s.URL())
			if err := download(t, c, s); err != nil {
				t.Fatalf("Download after 2 faults: %v", err)
			}
			if n := s.RequestCount(zipSuffix); n != 3 {
				t.Errorf("%d zip requests, want 3", n)
			}
		})
	}
}

// TestDownloadShortLength serves a body cut short with a Content-Length
// that matches: no client can tell, so the download succeeds with what
// came, and only the checksum or the unpacking can refuse it.
func TestDownloadShortLength(t *testing.T) {
	s := newServer(t)
	whole := s.Zip("example.com/m", "v1.0.0")
	s.Inject(".zip", proxytest.Always, proxytest.Fault{Length: int64(len(whole)) - 100})
	c := newClient(t, s.URL())
	dst := filepath.Join(t.TempDir(), "m.zip")
	n, err := c.Download(context.Background(), "example.com/m", "v1.0.0", dst, nil)
	data, _ := os.ReadFile(dst)
	if err != nil || n != int64(len(whole))-100 || string(data) != string(whole[:len(whole)-100]) {
		t.Errorf("Download = %d, %v, wrote %d bytes; want the %d bytes served", n, err, len(data), len(whole)-100)
	}
	if n := s.RequestCount(zipSuffix); n != 1 {
		t.Errorf("%d zip requests, want 1", n)
	}
}

func TestDownloadGivesUp(t *testing.T) {
	tests := []struct {
		name  string
		fault proxytest.Fault
		want  []string
	}{
		{"503", proxytest.Fault{Status: http.StatusServiceUnavailable}, []string{"503 Service Unavailable: proxytest: injected 503"}},
		{"truncated", proxytest.Fault{Truncate: true}, []string{"reading body after", "unexpected EOF"}},
		{"long Content-Length", proxytest.Fault{Length: 1 << 20}, []string{"reading body after", "unexpected EOF"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			s.Inject(".zip", proxytest.Always, tt.fault)
			c := newClient(t, s.URL())
			err := download(t, c, s)
			if err == nil {
				t.Fatal("Download: no error")
			}
			msg := err.Error()
			prefix := "download example.com/m@v1.0.0: " + s.URL() + zipSuffix + ": "
			if !strings.HasPrefix(msg, prefix) || !strings.HasSuffix(msg, "(gave up after 3 attempts)") {
				t.Errorf("error = %q, want %q...(gave up after 3 attempts)", msg, prefix)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error = %q, want it to contain %q", msg, w)
				}
			}
			if n := s.RequestCount(zipSuffix); n != 3 {
				t.Errorf("%d zip requests, want 3", n)
			}
		})
	}
}

func TestDownloadNoRetry(t *testing.T) {
	for _, code := range []int{http.StatusNotFound, http.StatusGone, http.StatusBadRequest, http.StatusForbidden} {
		s := newServer(t)
		s.Inject(".zip", proxytest.Always, proxytest.Fault{Status: code})
		c := newClient(t, s.URL())
		err := download(t, c, s)
		var se *StatusError
		if !errors.As(err, &se) || se.Code != code {
			t.Errorf("Download with %d = %v, want a *StatusError with that code", code, err)
		}
		if notFound := code == http.StatusNotFound || code == http.StatusGone; errors.Is(err, ErrNotFound) != notFound {
			t.Errorf("Download with %d: errors.Is(err, ErrNotFound) = %v, want %v", code, !notFound, notFound)
		}
		if n := s.RequestCount(zipSuffix); n != 1 {
			t.Errorf("Download with %d made %d requests, want 1", code, n)
		}
	}
}

func TestDownloadNotFound(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s.URL())
	_, err := c.Download(context.Background(), "example.com/m", "v9.9.9", filepath.Join(t.TempDir(), "m.zip"), nil)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Download of a missing version = %v, want ErrNotFound", err)
	}
	if err != nil && !strings.Contains(err.Error(), "404 Not Found: not found: example.com/m@v9.9.9") {
		t.Errorf("error = %q, want the status and the body's first line", err)
	}
}

func TestFallback(t *testing.T) {
	tests := []struct {
		name      string
		fault     proxytest.Fault
		sep       string
		wantErr   string // "" when the second proxy serves the download
		wantFirst int    // requests to the first proxy
	}{
		{"404 then next", proxytest.Fault{Status: http.StatusNotFound}, ",", "", 1},
		{"410 then next", proxytest.Fault{Status: http.StatusGone}, ",", "", 1},
		{"404 then next after pipe", proxytest.Fault{Status: http.StatusNotFound}, "|", "", 1},
		{"500 stops at comma", proxytest.Fault{Status: http.StatusInternalServerError}, ",", "500 Internal Server Error", 3},
		{"403 stops at comma", proxytest.Fault{Status: http.StatusForbidden}, ",", "403 Forbidden", 1},
		{"500 then next after pipe", proxytest.Fault{Status: http.StatusInternalServerError}, "|", "", 3},
		{"403 then next after pipe", proxytest.Fault{Status: http.StatusForbidden}, "|", "", 1},
		{"truncated then next after pipe", proxytest.Fault{Truncate: true}, "|", "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, second := newServer(t), newServer(t)
			first.Inject(".zip", proxytest.Always, tt.fault)
			c := newClient(t, first.URL()+tt.sep+second.URL())
			err := download(t, c, second)
			if tt.wantErr == "" && err != nil {
				t.Errorf("Download: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), first.URL()) || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Download error = %v, want the first proxy's %q", err, tt.wantErr)
			}
			if n := first.RequestCount(zipSuffix); n != tt.wantFirst {
				t.Errorf("%d requests to the first proxy, want %d", n, tt.wantFirst)
			}
			wantSecond := 1
			if tt.wantErr != "" {
				wantSecond = 0
			}
			if n := second.RequestCount(zipSuffix); n != wantSecond {
				t.Errorf("%d requests to the second proxy, want %d", n, wantSecond)
			}
		})
	}
}

func TestFallbackErrors(t *testing.T) {
	first, second := newServer(t), newServer(t)
	first.Inject(".zip", proxytest.Always, proxytest.Fault{Status: http.StatusNotFound})
	second.Inject(".zip", proxytest.Always, proxytest.Fault{Status: http.StatusNotFound})
	c := newClient(t, first.URL()+","+second.URL())
	err := download(t, c, second)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), first.URL()) {
		t.Errorf("Download when no proxy has it = %v, want the first proxy's not found", err)
	}

	// After "|", a later "not found" does not hide a more telling error.
	first, second = newServer(t), newServer(t)
	first.Inject(".zip", proxytest.Always, proxytest.Fault{Status: http.StatusForbidden})
	second.Inject(".zip", proxytest.Always, proxytest.Fault{Status: http.StatusNotFound})
	c = newClient(t, first.URL()+"|"+second.URL())
	err = download(t, c, second)
	if err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "403 Forbidden") {
		t.Errorf("Download = %v, want the first proxy's 403", err)
	}
	// And a "not found" from the first proxy gives way to the second's error.
	first, second = newServer(t), newServer(t)
	first.Inject(".zip", proxytest.Always, proxytest.Fault{Status: http.StatusNotFound})
	second.Inject(".zip", proxytest.Always, proxytest.Fault{Status: http.StatusForbidden})
	c = newClient(t, first.URL()+","+second.URL())
	err = download(t, c, second)
	if err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), second.URL()) {
		t.Errorf("Download = %v, want the second proxy's 403", err)
	}
}

// stall is the stall timeout of the tests that make one fire: a proxy
// that sends nothing more never does, whatever the timeout; the timeout
// is long enough that the request always reaches the proxy before it.
const stall = time.Second

func TestStall(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Inject(".zip", proxytest.Always, proxytest.Fault{Hang: true})
	c := newClient(t, s.URL())
	c.Attempts = 2
	c.Stall = stall
	err := download(t, c, s)
	if err == nil || !strings.Contains(err.Error(), "no data received for 1s") || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Errorf("Download = %v, want a stall error after 2 attempts", err)
	}
	if n := s.RequestCount(zipSuffix); n != 2 {
		t.Errorf("%d zip requests, want 2", n)
	}
}

func TestStallThenSuccess(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Inject(".zip", 1, proxytest.Fault{Hang: true})
	c := newClient(t, s.URL())
	c.Stall = stall
	if err := download(t, c, s); err != nil {
		t.Errorf("Download after one stall: %v", err)
	}
	if n := s.RequestCount(zipSuffix); n != 2 {
		t.Errorf("%d zip requests, want 2: the stalled one and the retry", n)
	}
}

func TestCancel(t *testing.T) {
	s := newServer(t)
	gate := proxytest.NewGate() // never opened
	s.Inject(".zip", proxytest.Always, proxytest.Fault{Gate: gate})
	c := newClient(t, s.URL())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, err := c.Download(ctx, "example.com/m", "v1.0.0", filepath.Join(t.TempDir(), "m.zip"), nil)
		errc <- err
	}()
	<-gate.Reached()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Download cancelled while the proxy holds the request = %v, want context.Canceled", err)
	}
	if n := s.RequestCount(zipSuffix); n != 1 {
		t.Errorf("%d zip requests, want 1: a canceled download is not retried", n)
	}
}

// withPassword returns rawURL with user "user" and password "secret".
func withPassword(rawURL string) string {
	return strings.Replace(rawURL, "://", "://user:secret@", 1)
}

func TestPasswordHidden(t *testing.T) {
	s := proxytest.NewTLS(t)
	s.AddModule("example.com/m", "v1.0.0", map[string]string{"m.go": "package m\n\nconst V = 1\n"})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "https://" + l.Addr().String()
	l.Close()
	trusted := httptest.NewTLSServer(http.NotFoundHandler()) // has the certificate s has
	defer trusted.Close()

	tests := []struct {
		name    string
		goproxy string
		fault   proxytest.Fault
	}{
		{"503", withPassword(s.URL()), proxytest.Fault{Status: http.StatusServiceUnavailable}},
		{"404", withPassword(s.URL()), proxytest.Fault{Status: http.StatusNotFound}},
		{"truncated", withPassword(s.URL()), proxytest.Fault{Truncate: true}},
		{"connection refused", withPassword(closed), proxytest.Fault{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.Inject(".zip", proxytest.Always, tt.fault)
			c := trustingClient(t, tt.goproxy, trusted, "")
			err := download(t, c, s)
			if err == nil {
				t.Fatal("Download: no error")
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "user:") || !strings.Contains(err.Error(), "://xxxxx@") {
				t.Errorf("error = %q, want the URL with its userinfo hidden", err)
			}
			if strings.Contains(c.String(), "secret") {
				t.Errorf("String() = %q shows the password", c.String())
			}
			if _, err := c.List(context.Background(), "example.com/none"); err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("List error = %q shows the password", err)
			}
		})
	}
}

func TestGet(t *testing.T) {
	s := newServer(t)
	s.Inject(".mod", 1, proxytest.Fault{Status: http.StatusBadGateway})
	c := newClient(t, s.URL())
	body, err := c.Get(context.Background(), s.URL()+"/example.com/m/@v/v1.0.0.mod")
	if err != nil || string(body) != "module example.com/m\n" {
		t.Errorf("Get = %q, %v; want the go.mod", body, err)
	}
}

func TestFileProxy(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "example.com/m/@v"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "example.com/m/@v/list"), []byte("v1.0.0\nv1.1.0\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, "file://"+dir)
	got, err := c.List(context.Background(), "example.com/m")
	if err != nil || !reflect.DeepEqual(got, []string{"v1.0.0", "v1.1.0"}) {
		t.Errorf("List = %q, %v", got, err)
	}
	if _, err := c.List(context.Background(), "example.com/none"); !errors.Is(err, ErrNotFound) {
		t.Errorf("List of a missing module = %v, want ErrNotFound", err)
	}
}

func TestStallBeforeHeaders(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	c, err := New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c.Stall, c.Backoff, c.Attempts = stall, time.Millisecond, 2
	_, err = c.List(context.Background(), "example.com/m")
	if err == nil || !strings.Contains(err.Error(), "no data received for 1s") || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Errorf("List from a proxy that sends no headers = %v, want a stall error after 2 attempts", err)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestTypedErrors(t *testing.T) {
	tests := []struct {
		name                   string
		sep                    string
		first, second          proxytest.Fault
		notServed, unreachable bool
	}{
		{"404 everywhere", ",", proxytest.Fault{Status: http.StatusNotFound}, proxytest.Fault{Status: http.StatusGone}, true, false},
		{"404 everywhere after pipe", "|", proxytest.Fault{Status: http.StatusNotFound}, proxytest.Fault{Status: http.StatusNotFound}, true, false},
		{"503 after retries", ",", proxytest.Fault{Status: http.StatusServiceUnavailable}, proxytest.Fault{}, false, true},
		{"429 after retries", ",", proxytest.Fault{Status: http.StatusTooManyRequests}, proxytest.Fault{}, false, true},
		{"404 then 503", ",", proxytest.Fault{Status: http.StatusNotFound}, proxytest.Fault{Status: http.StatusServiceUnavailable}, false, true},
		{"503 then 404 after pipe", "|", proxytest.Fault{Status: http.StatusServiceUnavailable}, proxytest.Fault{Status: http.StatusNotFound}, false, true},
		{"403", ",", proxytest.Fault{Status: http.StatusForbidden}, proxytest.Fault{}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, second := newServer(t), newServer(t)
			first.Inject(".zip", proxytest.Always, tt.first)
			if tt.second != (proxytest.Fault{}) {
				second.Inject(".zip", proxytest.Always, tt.second)
			}
			err := download(t, newClient(t, first.URL()+tt.sep+second.URL()), second)
			var ns *NotServedError
			var ur *UnreachableError
			if errors.As(err, &ns) != tt.notServed || errors.As(err, &ur) != tt.unreachable || errors.Is(err, ErrNotFound) != tt.notServed {
				t.Errorf("Download = %v: not served %v, unreachable %v; want %v, %v", err, errors.As(err, &ns), errors.As(err, &ur), tt.notServed, tt.unreachable)
			}
			if tt.notServed && (len(ns.Errs) != 2 || !strings.Contains(err.Error(), first.URL()) || !strings.Contains(err.Error(), second.URL())) {
				t.Errorf("NotServedError = %q, want both proxies' answers", err)
			}
		})
	}
	// A proxy nothing listens on could not be reached.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	_, err = newClient(t, closed).List(context.Background(), "example.com/m")
	var ur *UnreachableError
	if !errors.As(err, &ur) || ur.Attempts != 3 || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Errorf("List from a closed port = %v, want *UnreachableError after 3 attempts", err)
	}
}

func TestParseListFileURLs(t *testing.T) {
	for in, want := range map[string]string{
		"file:///srv/goproxy/":         "file:///srv/goproxy",
		"file://localhost/srv/goproxy": "file://localhost/srv/goproxy",
		"file:///srv/my%20proxy":       "file:///srv/my%20proxy",
	} {
		entries, err := ParseList(in)
		if err != nil || len(entries) != 1 || entries[0].String() != want {
			t.Errorf("ParseList(%q) = %v, %v; want %q", in, entries, err, want)
		}
	}
	for _, in := range []string{"file://server/share/goproxy", "file://relative/dir"} {
		if entries, err := ParseList(in); err == nil || !strings.Contains(err.Error(), "file:///path/to/proxy") {
			t.Errorf("ParseList(%q) = %v, %v; want an error showing the file:/// form", in, entries, err)
		}
	}
}

func TestFileProxyDownload(t *testing.T) {
	s := newServer(t)
	dir := filepath.Join(t.TempDir(), "my proxy")
	v := filepath.Join(dir, "example.com", "m", "@v")
	if err := os.MkdirAll(v, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(v, "v1.0.0.zip"), s.Zip("example.com/m", "v1.0.0"), 0o666); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, "file://"+strings.ReplaceAll(dir, " ", "%20")+","+s.URL())
	if err := download(t, c, s); err != nil {
		t.Fatalf("Download from a file:// proxy: %v", err)
	}
	if n := s.RequestCount(zipSuffix); n != 0 {
		t.Errorf("%d requests to the second proxy, want none: the file:// proxy has the zip", n)
	}
	// A version the directory lacks is "not found" there, and the next proxy serves it.
	if _, err := c.Download(context.Background(), "example.com/m", "v1.1.0", filepath.Join(t.TempDir(), "m.zip"), nil); err != nil {
		t.Errorf("Download of a version only the second proxy has: %v", err)
	}
}
