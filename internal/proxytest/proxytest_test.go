package proxytest

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

func getBody(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

func TestProxy(t *testing.T) {
	s := New(t)
	s.AddModule("example.com/Upper", "v1.10.0", map[string]string{"a.go": "package a\n"})
	s.AddModule("example.com/Upper", "v1.2.0", map[string]string{"go.mod": "module example.com/Upper\n\ngo 1.22\n"})

	tests := []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/example.com/!upper/@v/list", 200, "v1.2.0\nv1.10.0\n"},
		{"/example.com/!upper/@v/v1.10.0.info", 200, `{"Version":"v1.10.0","Time":"2024-01-01T00:00:00Z"}` + "\n"},
		{"/example.com/!upper/@v/v1.10.0.mod", 200, "module example.com/Upper\n"},
		{"/example.com/!upper/@v/v1.2.0.mod", 200, "module example.com/Upper\n\ngo 1.22\n"},
		{"/example.com/!upper/@v/v1.3.0.zip", 404, ""},
		{"/example.com/other/@v/list", 404, ""},
		{"/example.com/!upper/@latest", 404, ""},
		{"/sumdb/" + DBName + "/supported", 200, ""},
		{"/sumdb/other.example/supported", 404, ""},
	}
	for _, tt := range tests {
		status, body := get(t, s.URL()+tt.path)
		if status != tt.wantStatus || (tt.wantStatus == 200 && body != tt.wantBody) {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, status, body, tt.wantStatus, tt.wantBody)
		}
	}
}

func TestZipMatchesSum(t *testing.T) {
	s := New(t)
	files := map[string]string{"a.go": "package a\n", "sub/b.go": "package sub\n"}
	s.AddModule("example.com/m", "v1.0.0", files)
	status, body := get(t, s.URL()+"/example.com/m/@v/v1.0.0.zip")
	if status != 200 || body != string(s.Zip("example.com/m", "v1.0.0")) {
		t.Fatalf("GET zip = %d, %d bytes; want the module zip", status, len(body))
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); !strings.Contains(got, "example.com/m@v1.0.0/a.go") || !strings.Contains(got, "example.com/m@v1.0.0/sub/b.go") {
		t.Errorf("zip holds %s, want files under example.com/m@v1.0.0/", got)
	}
	zipFile := filepath.Join(t.TempDir(), "m.zip")
	if err := os.WriteFile(zipFile, []byte(body), 0o666); err != nil {
		t.Fatal(err)
	}
	h, err := dirhash.HashZip(zipFile, dirhash.DefaultHash)
	if err != nil || h != s.Sum("example.com/m", "v1.0.0") {
		t.Errorf("HashZip = %q, %v; want Sum %q", h, err, s.Sum("example.com/m", "v1.0.0"))
	}

	s.Tamper("example.com/m", "v1.0.0", map[string]string{"a.go": "package evil\n"})
	if _, tampered := get(t, s.URL()+"/example.com/m/@v/v1.0.0.zip"); tampered == body {
		t.Errorf("Tamper did not change the zip served")
	}
	if s.Sum("example.com/m", "v1.0.0") != h {
		t.Errorf("Tamper changed the recorded hash")
	}
}

func TestToolchain(t *testing.T) {
	s := New(t)
	v := s.AddToolchain("go1.22.5", "linux", "amd64")
	if v != "v0.0.1-go1.22.5.linux-amd64" {
		t.Errorf("AddToolchain = %q", v)
	}
	body := s.Zip("golang.org/toolchain", v)
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"golang.org/toolchain@" + v + "/bin/go":                       true,
		"golang.org/toolchain@" + v + "/pkg/tool/linux_amd64/compile": true,
		"golang.org/toolchain@" + v + "/VERSION":                      true,
	}
	for _, f := range zr.File {
		delete(want, f.Name)
	}
	if len(want) > 0 {
		t.Errorf("toolchain zip lacks %v", want)
	}
}

// dbOps is a minimal sumdb.ClientOps over HTTP, in memory.
type dbOps struct {
	url, key string
	config   map[string][]byte
	security string
}

func (o *dbOps) ReadRemote(path string) ([]byte, error) {
	resp, err := http.Get(o.url + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, os.ErrNotExist
	}
	return io.ReadAll(resp.Body)
}

func (o *dbOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.key), nil
	}
	return o.config[file], nil
}

func (o *dbOps) WriteConfig(file string, old, new []byte) error {
	o.config[file] = new
	return nil
}

func (o *dbOps) ReadCache(file string) ([]byte, error) { return nil, os.ErrNotExist }
func (o *dbOps) WriteCache(file string, data []byte)   {}
func (o *dbOps) Log(msg string)                        {}
func (o *dbOps) SecurityError(msg string)              { o.security = msg }

func TestSumDB(t *testing.T) {
	s := New(t)
	s.AddModule("example.com/m", "v1.0.0", map[string]string{"a.go": "package a\n"})
	key, url, ok := strings.Cut(s.GOSUMDB(), " ")
	if !ok || key != s.Key() || url != s.URL()+"/sumdb/"+s.Name() || !strings.HasPrefix(key, s.Name()+"+") {
		t.Fatalf("GOSUMDB = %q, Key = %q, Name = %q", s.GOSUMDB(), s.Key(), s.Name())
	}
	c := sumdb.NewClient(&dbOps{url: url, key: key, config: map[string][]byte{}})
	lines, err := c.Lookup("example.com/m", "v1.0.0")
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if want := "example.com/m v1.0.0 " + s.Sum("example.com/m", "v1.0.0"); len(lines) != 1 || lines[0] != want {
		t.Errorf("Lookup = %q, want %q", lines, want)
	}
	if _, err := c.Lookup("example.com/m", "v1.0.0/go.mod"); err != nil {
		t.Errorf("Lookup go.mod: %v", err)
	}
	if lines, err := c.Lookup("example.com/absent", "v1.0.0"); err == nil {
		t.Errorf("Lookup of a module not added = %q, want error", lines)
	}
}

func TestInject(t *testing.T) {
	s := New(t)
	s.AddModule("example.com/m", "v1.0.0", map[string]string{"a.go": "package a\n"})
	zipURL := s.URL() + "/example.com/m/@v/v1.0.0.zip"
	want := string(s.Zip("example.com/m", "v1.0.0"))

	s.Inject(".zip", 2, Fault{Status: http.StatusServiceUnavailable})
	for range 2 {
		if status, _ := get(t, zipURL); status != http.StatusServiceUnavailable {
			t.Errorf("GET with a fault = %d, want 503", status)
		}
	}
	if status, body := get(t, zipURL); status != 200 || body != want {
		t.Errorf("GET after the faults = %d, want 200 and the zip", status)
	}

	s.Inject(".zip", 1, Fault{Truncate: true})
	if body, err := getBody(zipURL); err != io.ErrUnexpectedEOF || body != want[:len(want)/2] {
		t.Errorf("reading a truncated body: %d bytes, %v; want half the zip and unexpected EOF", len(body), err)
	}

	s.Inject(".zip", 1, Fault{Length: int64(len(want)) + 10})
	if body, err := getBody(zipURL); err != io.ErrUnexpectedEOF || body != want {
		t.Errorf("reading a body with a false length: %d bytes, %v; want the whole zip and unexpected EOF", len(body), err)
	}

	s.Inject(".zip", 1, Fault{Length: int64(len(want)) - 10})
	if body, err := getBody(zipURL); err != nil || body != want[:len(want)-10] {
		t.Errorf("reading a body with a short length: %d bytes, %v; want all but the last 10 bytes and no error", len(body), err)
	}

	s.Inject(".zip", 1, Fault{Delay: 50 * time.Millisecond})
	start := time.Now()
	if body, err := getBody(zipURL); err != nil || body != want || time.Since(start) < 50*time.Millisecond {
		t.Errorf("delayed GET = %d bytes, %v after %s; want the zip after 50ms", len(body), err, time.Since(start))
	}

	s.Inject(".zip", Always, Fault{Hang: true})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, zipURL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	half := make([]byte, len(want)/2)
	if _, err := io.ReadFull(resp.Body, half); err != nil || string(half) != want[:len(half)] {
		t.Errorf("hanging response sent %q, %v; want the first half of the zip", half, err)
	}
	cancel()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Errorf("reading a hanging body after cancel: no error")
	}
	resp.Body.Close()

	if got := s.RequestCount(".zip"); got != 8 {
		t.Errorf("RequestCount(.zip) = %d, want 8 (requests: %q)", got, s.Requests())
	}
	if got := s.RequestCount("/list"); got != 0 {
		t.Errorf("RequestCount(/list) = %d, want 0", got)
	}
}

func TestGate(t *testing.T) {
	s := New(t)
	s.AddModule("example.com/m", "v1.0.0", map[string]string{"a.go": "package a\n"})
	zipURL := s.URL() + "/example.com/m/@v/v1.0.0.zip"
	want := string(s.Zip("example.com/m", "v1.0.0"))

	// A request the client gives up on is never answered.
	g := NewGate()
	s.Inject(".zip", 1, Fault{Gate: g})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, zipURL, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-g.Reached()
	cancel()
	if err := <-errc; err == nil {
		t.Errorf("GET held at a closed gate and cancelled: no error")
	}

	// A held request is answered once the gate opens, with the fault's
	// other fields; later ones pass at once.
	g = NewGate()
	s.Inject(".zip", 2, Fault{Gate: g, Status: http.StatusServiceUnavailable})
	status := make(chan int, 1)
	go func() {
		resp, err := http.Get(zipURL)
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	<-g.Reached()
	if code, _ := get(t, s.URL()+"/example.com/m/@v/list"); code != 200 { // the server answers others meanwhile
		t.Errorf("GET of the list while a zip request is held = %d", code)
	}
	select {
	case code := <-status:
		t.Fatalf("a GET held at a closed gate was answered: %d", code)
	default:
	}
	g.Open()
	if code := <-status; code != http.StatusServiceUnavailable {
		t.Errorf("GET through the opened gate = %d, want the fault's 503", code)
	}
	if code, _ := get(t, zipURL); code != http.StatusServiceUnavailable {
		t.Errorf("second GET through the open gate = %d, want the fault's 503", code)
	}
	if code, body := get(t, zipURL); code != 200 || body != want {
		t.Errorf("GET after the faults = %d, want the zip", code)
	}
	if n := g.Held(); n != 2 {
		t.Errorf("Held = %d, want 2", n)
	}
}

func TestGoSum(t *testing.T) {
	s := New(t)
	s.AddModule("example.com/m", "v1.0.0", map[string]string{"a.go": "package a\n"})
	lines := strings.Split(strings.TrimSuffix(s.GoSum("example.com/m", "v1.0.0"), "\n"), "\n")
	if len(lines) != 2 || lines[0] != "example.com/m v1.0.0 "+s.Sum("example.com/m", "v1.0.0") || !strings.HasPrefix(lines[1], "example.com/m v1.0.0/go.mod h1:") {
		t.Errorf("GoSum = %q, want the zip's and the go.mod's lines", lines)
	}
	if got := s.GoSum("example.com/absent", "v1.0.0"); got != "" {
		t.Errorf("GoSum of a module not added = %q", got)
	}
}

func TestRequireBasicAuth(t *testing.T) {
	s := New(t)
	s.AddModule("example.com/private", "v1.0.0", map[string]string{"p.go": "package p\n"})
	s.RequireBasicAuth("user", "secret")
	url := s.URL() + "/example.com/private/@v/list"
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET without credentials: %s, want 401", resp.Status)
	}
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.SetBasicAuth("user", "secret")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET with credentials: %s, want 200", resp.Status)
	}
}
