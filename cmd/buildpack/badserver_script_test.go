package main

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// badserver MODE: start a loopback server that misbehaves as MODE says,
// for the shim's downloads, and set BAD_URL to a URL of it:
//
//	huge      says its body is 1 GiB (Content-Length), then sends nothing
//	trickle   sends a byte every 100 ms, forever, with no Content-Length
//	silent    accepts the request and never answers
//	insecure  (HTTPS) redirects to a plain-HTTP server
//	otherport (HTTPS) redirects to another HTTPS server on another port
//
// The HTTPS modes set SSL_CERT_FILE and CURL_CA_BUNDLE to the test
// certificate and BAD_HOST to host:port. `badrequests` prints, for each
// request any of the servers received, its path and whether it carried
// an Authorization header.
func cmdBadServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: badserver huge|trickle|silent|insecure|otherport")
	}
	var mu sync.Mutex
	var seen []string
	record := func(name string, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		auth := "no credentials"
		if r.Header.Get("Authorization") != "" {
			auth = "Authorization: " + r.Header.Get("Authorization")
		}
		seen = append(seen, fmt.Sprintf("%s %s %s", name, r.URL.Path, auth))
	}
	ts.SetCmd("badrequests", func(ts *testscript.TestScript, neg bool, args []string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(ts.Stdout(), "%d requests\n", len(seen))
		for _, s := range seen {
			fmt.Fprintln(ts.Stdout(), s)
		}
		seen = nil
	})
	target := func(name string, tls bool) *httptest.Server {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			record(name, r)
			w.Write([]byte("the redirect target's body\n"))
		})
		var s *httptest.Server
		if tls {
			s = httptest.NewTLSServer(h)
		} else {
			s = httptest.NewServer(h)
		}
		ts.Defer(s.Close)
		return s
	}
	var h http.HandlerFunc
	tls := false
	switch args[0] {
	case "huge":
		h = func(w http.ResponseWriter, r *http.Request) {
			record("huge", r)
			w.Header().Set("Content-Length", fmt.Sprint(1<<30))
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}
	case "trickle":
		h = func(w http.ResponseWriter, r *http.Request) {
			record("trickle", r)
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				if _, err := w.Write([]byte{0}); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-tick.C:
				}
			}
		}
	case "silent":
		h = func(w http.ResponseWriter, r *http.Request) {
			record("silent", r)
			<-r.Context().Done()
		}
	case "insecure", "otherport":
		tls = true
		to := target("target", args[0] == "otherport")
		h = func(w http.ResponseWriter, r *http.Request) {
			record("redirector", r)
			http.Redirect(w, r, to.URL+r.URL.Path, http.StatusFound)
		}
	default:
		ts.Fatalf("badserver: unknown mode %q", args[0])
	}
	var s *httptest.Server
	if tls {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	// Defers run last first: the connections are closed, which ends a
	// handler still blocked on its request, then the server.
	ts.Defer(s.Close)
	ts.Defer(s.CloseClientConnections)
	ts.Setenv("BAD_URL", s.URL)
	ts.Setenv("BAD_HOST", strings.TrimPrefix(strings.TrimPrefix(s.URL, "https://"), "http://"))
	if tls {
		// Every TLS server httptest starts has the same certificate.
		path := ts.MkAbs("badserver-cert.pem")
		ts.Check(os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}), 0o644))
		ts.Setenv("SSL_CERT_FILE", path)
		ts.Setenv("CURL_CA_BUNDLE", path)
	}
}
