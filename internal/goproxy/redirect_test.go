package goproxy

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// recorder is a loopback server that records the Authorization header of
// every request it gets and answers "ok".
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	auth []string // one per request; "" for none
}

func newRecorder(t *testing.T, tls bool) *recorder {
	t.Helper()
	r := &recorder{}
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.auth = append(r.auth, req.Header.Get("Authorization"))
		r.mu.Unlock()
		fmt.Fprint(w, "ok")
	})
	if tls {
		r.srv = httptest.NewTLSServer(h)
	} else {
		r.srv = httptest.NewServer(h)
	}
	t.Cleanup(r.srv.Close)
	return r
}

// requests returns the Authorization headers received so far.
func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.auth...)
}

// newRedirector starts an HTTPS server that answers every request with a
// 302 to where(the request), and counts the requests.
func newRedirector(t *testing.T, where func(r *http.Request) string) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.auth = append(rec.auth, r.Header.Get("Authorization"))
		rec.mu.Unlock()
		http.Redirect(w, r, where(r), http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	rec.srv = srv
	return srv, rec
}

// trustingClient returns a client for goproxy that trusts the loopback
// test certificate (httptest's TLS servers all use the same one), with
// netrc credentials for netrcHost when it is not "".
func trustingClient(t *testing.T, goproxy string, srv *httptest.Server, netrcHost string) *Client {
	t.Helper()
	c := newClient(t, goproxy)
	c.HTTP.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}
	if netrcHost != "" {
		c.Credentials = func(host string) (string, string, bool) {
			if host == netrcHost {
				return "deploy", "netrc-secret", true
			}
			return "", "", false
		}
	}
	return c
}

// TestRedirectCredentials: credentials from a .netrc entry or the proxy
// URL go only to the scheme, host and port they were given for. A
// redirect from https to http is refused before the request is made, as
// the go command refuses it; one to another port of the same host is
// followed without them.
func TestRedirectCredentials(t *testing.T) {
	plain := newRecorder(t, false)
	otherTLS := newRecorder(t, true)
	tests := []struct {
		name     string
		target   func(redirector *httptest.Server, r *http.Request) string
		userinfo bool      // credentials in the GOPROXY URL rather than a .netrc
		at       *recorder // where the redirect leads; nil for the redirector itself
		wantErr  string
		wantAuth bool // the target gets the credentials
	}{
		{"https to http on another port, netrc", func(_ *httptest.Server, r *http.Request) string { return plain.srv.URL + r.URL.Path }, false, plain,
			"redirected from secure URL", false},
		{"https to http on another port, userinfo", func(_ *httptest.Server, r *http.Request) string { return plain.srv.URL + r.URL.Path }, true, plain,
			"redirected from secure URL", false},
		{"https to https on another port, netrc", func(_ *httptest.Server, r *http.Request) string { return otherTLS.srv.URL + r.URL.Path }, false, otherTLS,
			"", false},
		{"https to https on another port, userinfo", func(_ *httptest.Server, r *http.Request) string { return otherTLS.srv.URL + r.URL.Path }, true, otherTLS,
			"", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(tt.at.requests())
			var redirector *httptest.Server
			redirector, hits := newRedirector(t, func(r *http.Request) string { return tt.target(redirector, r) })
			u, _ := url.Parse(redirector.URL)
			goproxy, netrcHost := redirector.URL, u.Host
			if tt.userinfo {
				goproxy, netrcHost = strings.Replace(redirector.URL, "://", "://deploy:url-secret@", 1), ""
			}
			c := trustingClient(t, goproxy, redirector, netrcHost)
			_, err := c.List(context.Background(), "example.com/m")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("List: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("List = %v, want an error saying %q", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), "secret"):
				t.Errorf("the error shows a password: %v", err)
			}
			if got := hits.requests(); len(got) != 1 || got[0] == "" {
				t.Errorf("the proxy got %d requests with Authorization %q, want 1 request, with credentials", len(got), got)
			}
			got := tt.at.requests()[before:]
			if tt.wantErr != "" {
				if len(got) != 0 {
					t.Errorf("the redirect target got %d requests (Authorization %q), want none", len(got), got)
				}
				return
			}
			if len(got) != 1 || (got[0] != "") != tt.wantAuth {
				t.Errorf("the redirect target got Authorization %q, want credentials: %v", got, tt.wantAuth)
			}
		})
	}
}

// TestRedirectSameOrigin: a redirect within the proxy's own origin keeps
// the credentials, whether it names the origin or only a path.
func TestRedirectSameOrigin(t *testing.T) {
	for _, userinfo := range []bool{false, true} {
		t.Run(fmt.Sprintf("userinfo=%v", userinfo), func(t *testing.T) {
			var mu sync.Mutex
			var auth []string
			var srv *httptest.Server
			srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				auth = append(auth, r.Header.Get("Authorization"))
				mu.Unlock()
				switch {
				case strings.HasPrefix(r.URL.Path, "/moved/"):
					fmt.Fprint(w, "v1.0.0\n")
				case strings.HasPrefix(r.URL.Path, "/abs/"):
					http.Redirect(w, r, srv.URL+"/moved"+r.URL.Path, http.StatusFound)
				default:
					http.Redirect(w, r, "/abs"+r.URL.Path, http.StatusFound)
				}
			}))
			defer srv.Close()
			u, _ := url.Parse(srv.URL)
			goproxy, netrcHost := srv.URL, u.Host
			if userinfo {
				goproxy, netrcHost = strings.Replace(srv.URL, "://", "://deploy:url-secret@", 1), ""
			}
			c := trustingClient(t, goproxy, srv, netrcHost)
			list, err := c.List(context.Background(), "example.com/m")
			if err != nil || len(list) != 1 {
				t.Fatalf("List = %q, %v", list, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(auth) != 3 {
				t.Fatalf("%d requests, want 3", len(auth))
			}
			for i, a := range auth {
				if a == "" {
					t.Errorf("request %d has no credentials, want them on every request to the proxy's origin", i+1)
				}
			}
		})
	}
}

// TestRedirectLimit: a fetch makes at most 10 requests, as the go command
// does: 9 redirects are followed, the 10th is refused, and not retried.
func TestRedirectLimit(t *testing.T) {
	for _, tt := range []struct {
		redirects int
		wantErr   bool
	}{{9, false}, {10, true}} {
		t.Run(fmt.Sprint(tt.redirects), func(t *testing.T) {
			var mu sync.Mutex
			requests := 0
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				requests++
				n := requests
				mu.Unlock()
				if n <= tt.redirects {
					http.Redirect(w, r, fmt.Sprintf("%s?hop=%d", r.URL.Path, n), http.StatusFound)
					return
				}
				fmt.Fprint(w, "v1.0.0\n")
			}))
			defer srv.Close()
			c := trustingClient(t, srv.URL, srv, "")
			_, err := c.List(context.Background(), "example.com/m")
			if tt.wantErr != (err != nil) || tt.wantErr && !strings.Contains(err.Error(), "stopped after 10 redirects") {
				t.Errorf("List after %d redirects = %v, want error %v (stopped after 10 redirects)", tt.redirects, err, tt.wantErr)
			}
			mu.Lock()
			defer mu.Unlock()
			if want := min(tt.redirects+1, 10); requests != want {
				t.Errorf("%d requests, want %d: a refused redirect is not retried", requests, want)
			}
		})
	}
}

// TestInsecureCredentials: a proxy URL with a password over plain http is
// refused before any request, as the go command refuses it; a .netrc
// entry for a plain-http proxy is never sent.
func TestInsecureCredentials(t *testing.T) {
	plain := newRecorder(t, false)
	goproxy := strings.Replace(plain.srv.URL, "://", "://deploy:url-secret@", 1)
	_, err := New(goproxy)
	if err == nil || !strings.Contains(err.Error(), "refusing to pass credentials to insecure URL") || strings.Contains(err.Error(), "url-secret") {
		t.Errorf("New(%q) = %v, want a refusal that hides the password", goproxy, err)
	}
	if _, err := ParseToolchainProxy(goproxy); err == nil || !strings.Contains(err.Error(), "refusing to pass credentials to insecure URL") {
		t.Errorf("ParseToolchainProxy(%q) = %v, want a refusal", goproxy, err)
	}
	// A client built by hand still refuses, before the request.
	c := newClient(t, plain.srv.URL)
	u, _ := url.Parse(goproxy)
	c.Proxies[0].URL = u
	if _, err := c.List(context.Background(), "example.com/m"); err == nil || !strings.Contains(err.Error(), "refusing to pass credentials to insecure URL") {
		t.Errorf("List through %s = %v, want a refusal", goproxy, err)
	}
	// .netrc credentials for the plain-http host are not sent.
	c = newClient(t, plain.srv.URL)
	c.Credentials = func(string) (string, string, bool) { return "deploy", "netrc-secret", true }
	if _, err := c.Get(context.Background(), plain.srv.URL+"/x"); err != nil {
		t.Fatal(err)
	}
	if got := plain.requests(); len(got) != 1 || got[0] != "" {
		t.Errorf("the plain-http proxy got Authorization %q, want one request without credentials", got)
	}
}

func TestCheckHop(t *testing.T) {
	const (
		refuseInsecure = "refusing to pass credentials to insecure URL: http://xxxxx@proxy.example/x"
		tooMany        = "stopped after 10 redirects"
	)
	tests := []struct {
		start, prev, next string // prev "" for the first request
		hops              int
		creds             bool
		err               string
	}{
		// The first request.
		{"https://proxy.example/x", "", "https://proxy.example/x", 0, true, ""},
		{"https://u:p@proxy.example/x", "", "https://u:p@proxy.example/x", 0, true, ""},
		{"http://proxy.example/x", "", "http://proxy.example/x", 0, false, ""},
		{"http://u:p@proxy.example/x", "", "http://u:p@proxy.example/x", 0, false, refuseInsecure},
		// Redirects within the origin keep the credentials; a port left
		// out is the scheme's default; host names are case-insensitive.
		{"https://proxy.example/x", "https://proxy.example/x", "https://proxy.example/y", 1, true, ""},
		{"https://proxy.example/x", "https://proxy.example/x", "https://PROXY.example:443/y", 1, true, ""},
		{"https://proxy.example:8443/x", "https://proxy.example:8443/x", "https://proxy.example:8443/y", 9, true, ""},
		// Anywhere else, they are not sent.
		{"https://proxy.example/x", "https://proxy.example/x", "https://proxy.example:8443/y", 1, false, ""},
		{"https://proxy.example:8443/x", "https://proxy.example:8443/x", "https://proxy.example/y", 1, false, ""},
		{"https://proxy.example/x", "https://proxy.example/x", "https://cdn.proxy.example/y", 1, false, ""},
		{"https://proxy.example/x", "https://proxy.example/x", "https://example/y", 1, false, ""},
		{"https://proxy.example/x", "https://cdn.example/x", "https://proxy.example/y", 2, true, ""},
		{"http://proxy.example/x", "http://proxy.example/x", "http://proxy.example/y", 1, false, ""},
		{"http://proxy.example/x", "http://proxy.example/x", "https://proxy.example/y", 1, false, ""},
		// https never leads to http, whatever the host.
		{"https://proxy.example/x", "https://proxy.example/x", "http://proxy.example/y", 1, false, "redirected from secure URL https://proxy.example/x to insecure URL http://proxy.example/y"},
		{"https://u:p@proxy.example/x", "https://u:p@proxy.example/x", "http://127.0.0.1:8080/y", 1, false, "redirected from secure URL https://xxxxx@proxy.example/x to insecure URL http://127.0.0.1:8080/y"},
		{"https://proxy.example/x", "https://cdn.example/x", "http://cdn.example/y", 3, false, "redirected from secure URL https://cdn.example/x to insecure URL http://cdn.example/y"},
		// A fetch that began over http may move between schemes, as the
		// go command's may, with no credentials.
		{"http://proxy.example/x", "https://proxy.example/x", "http://proxy.example/y", 2, false, ""},
		// At most 10 requests.
		{"https://proxy.example/x", "https://proxy.example/x", "https://proxy.example/y", 10, false, tooMany},
		{"http://proxy.example/x", "http://proxy.example/x", "http://proxy.example/y", 10, false, tooMany},
	}
	parse := func(s string) *url.URL {
		if s == "" {
			return nil
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	for _, tt := range tests {
		creds, err := checkHop(parse(tt.start), parse(tt.prev), parse(tt.next), tt.hops)
		var refused *RefusedError
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("checkHop(%s, %s -> %s, %d): %v", tt.start, tt.prev, tt.next, tt.hops, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err || !errors.As(err, &refused)):
			t.Errorf("checkHop(%s, %s -> %s, %d) = %v, want *RefusedError %q", tt.start, tt.prev, tt.next, tt.hops, err, tt.err)
		case creds != tt.creds:
			t.Errorf("checkHop(%s, %s -> %s, %d) credentials = %v, want %v", tt.start, tt.prev, tt.next, tt.hops, creds, tt.creds)
		}
	}
}
