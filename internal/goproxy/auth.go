package goproxy

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxRequests is how many requests one fetch may make, redirects
// included: the go command's limit (cmd/go/internal/web, "stopped after
// 10 redirects"), which is net/http's default.
const maxRequests = 10

// RefusedError reports a request the client does not make, or a redirect
// it does not follow: credentials over plain http, a redirect from https
// to another scheme, too many redirects. It is never retried.
type RefusedError struct {
	Reason string
}

// Error describes the refusal.
func (e *RefusedError) Error() string { return e.Reason }

// checkHop decides one request of a fetch that began at start (a proxy or
// checksum database URL, with its userinfo if any): the first one (prev
// nil, hops 0) or a redirect from prev after hops requests. It returns
// whether the request may carry the credentials given for start, or a
// *RefusedError when it must not be made.
//
// It follows the go command (cmd/go/internal/web): a URL with a password
// is never fetched over plain http ("refusing to pass credentials to
// insecure URL"); a fetch that began over https never leaves it
// ("redirected from secure URL ... to insecure URL ..."); a fetch stops
// after 10 requests. It is stricter about where credentials go: only to
// the exact origin (scheme, host and port) they were given for, and only
// over https, where net/http would also send them to another port or
// scheme of the same host, or to a subdomain. Like the go command, it
// looks up no credentials for the target of a redirect.
func checkHop(start, prev, next *url.URL, hops int) (withCreds bool, err error) {
	switch {
	case hops == 0 && next.Scheme != "https" && next.User != nil:
		return false, &RefusedError{fmt.Sprintf("refusing to pass credentials to insecure URL: %s", redact(next.String()))}
	case hops >= maxRequests:
		return false, &RefusedError{fmt.Sprintf("stopped after %d redirects", maxRequests)}
	case hops > 0 && start.Scheme == "https" && next.Scheme != "https":
		return false, &RefusedError{fmt.Sprintf("redirected from secure URL %s to insecure URL %s", redact(prev.String()), redact(next.String()))}
	}
	return next.Scheme == "https" && sameOrigin(start, next), nil
}

// sameOrigin reports whether a and b have the same scheme, host and port,
// a port left out being the scheme's default.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		port(a) == port(b)
}

// port returns u's port, or its scheme's default.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// authorize prepares req, one request of a fetch that began at start, as
// checkHop decides: it refuses it, or sets on it the credentials for
// start (its userinfo, else what Credentials gives for its host) when
// they may go there, and none otherwise. A URL's userinfo is taken off
// req, as net/http would send it wherever the URL points. This is the
// one place a request gets credentials, the first one and every redirect.
func (c *Client) authorize(req *http.Request, start, prev *url.URL, hops int) error {
	withCreds, err := checkHop(start, prev, req.URL, hops)
	if err != nil {
		return err
	}
	req.Header.Del("Authorization")
	req.URL.User = nil
	if !withCreds {
		return nil
	}
	if start.User != nil {
		password, _ := start.User.Password()
		req.SetBasicAuth(start.User.Username(), password)
	} else if c.Credentials != nil {
		if login, password, ok := c.Credentials(start.Host); ok {
			req.SetBasicAuth(login, password)
		}
	}
	return nil
}
