package goproxy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// ToolchainProxyVar is the config var that says where Go toolchains come
// from when the GOPROXY proxies do not serve them: a proxy URL, or "off".
// Unset, it is DefaultURL.
const ToolchainProxyVar = "GO_TOOLCHAIN_PROXY"

// ParseToolchainProxy reads the GO_TOOLCHAIN_PROXY value: "" means
// DefaultURL, "off" means none (nil), anything else one proxy URL
// (https://, http:// or file:///).
func ParseToolchainProxy(s string) (*Entry, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "off":
		return nil, nil
	case "":
		s = DefaultURL
	}
	if strings.ContainsAny(s, ",|") {
		return nil, fmt.Errorf("invalid %s %q: want one proxy URL, or off", ToolchainProxyVar, redact(s))
	}
	u, err := parseURL(s)
	if err != nil {
		return nil, fmt.Errorf("invalid %s %w", ToolchainProxyVar, err)
	}
	return &Entry{URL: u}, nil
}

// Toolchains fetches Go toolchains (the module golang.org/toolchain) and
// what verifies them: from the GOPROXY proxies, and, when every one of
// them answers "not found" (404 or 410) or lists no version, from the
// GO_TOOLCHAIN_PROXY proxy. A private proxy (Athens, Artifactory, a
// file:// directory of the app's own modules) rarely serves toolchains;
// with the fallback such an app still builds, and the toolchain is still
// verified against the checksum database, read through the proxies that
// serve it (see SumDBProxies). A proxy that cannot be reached is an
// error, not a reason to fall back: it may well serve the toolchain.
//
// It has the methods of *Client that a build uses: List, Download, Get.
type Toolchains struct {
	// Primary holds the GOPROXY proxies; nil when GOPROXY lists only
	// "direct".
	Primary *Client
	// Fallback holds the GO_TOOLCHAIN_PROXY proxy; nil when it is off or
	// already one of the GOPROXY proxies.
	Fallback *Client
	// OnFallback, when set, is called once, before the first request to
	// the fallback, with a line for the build log saying why.
	OnFallback func(msg string)

	once sync.Once
}

// NewToolchains returns the toolchain source for a GOPROXY value and a
// GO_TOOLCHAIN_PROXY value. GOPROXY=off is ErrOff; a GOPROXY of only
// "direct" needs the fallback (ErrNoProxy without it).
func NewToolchains(goproxy, toolchainProxy string) (*Toolchains, error) {
	fb, err := ParseToolchainProxy(toolchainProxy)
	if err != nil {
		return nil, err
	}
	proxies, err := ParseList(goproxy)
	if err != nil && !errors.Is(err, ErrNoProxy) {
		return nil, err
	}
	return ToolchainsFrom(proxies, fb)
}

// ToolchainsFrom returns the toolchain source for the GOPROXY proxies, as
// ParseList returns them (none when GOPROXY lists only "direct"), and the
// GO_TOOLCHAIN_PROXY proxy, as ParseToolchainProxy returns it (nil when
// off). With neither, it is ErrNoProxy.
func ToolchainsFrom(proxies []Entry, fallback *Entry) (*Toolchains, error) {
	if len(proxies) == 0 && fallback == nil {
		return nil, ErrNoProxy
	}
	t := &Toolchains{}
	primary := NewClient(proxies)
	if len(proxies) > 0 {
		t.Primary = primary
	}
	if fallback != nil && !primary.has(fallback.URL.String()) {
		c := *primary
		c.Proxies = []Entry{*fallback}
		t.Fallback = &c
	}
	return t, nil
}

// has reports whether rawURL is one of the client's proxies.
func (c *Client) has(rawURL string) bool {
	for _, e := range c.Proxies {
		if e.URL.String() == rawURL {
			return true
		}
	}
	return false
}

// Clients returns the clients in use, to configure them (Stall, Backoff,
// Credentials) alike.
func (t *Toolchains) Clients() []*Client {
	var out []*Client
	for _, c := range []*Client{t.Primary, t.Fallback} {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

// String names the GOPROXY proxies for messages, passwords hidden:
// "direct" when it lists none.
func (t *Toolchains) String() string {
	if t.Primary == nil {
		return "direct"
	}
	return t.Primary.String()
}

// FallbackURL names the fallback proxy, "" when there is none.
func (t *Toolchains) FallbackURL() string {
	if t.Fallback == nil {
		return ""
	}
	return t.Fallback.String()
}

// SumDBProxies returns the base URLs of the proxies that may serve the
// checksum database (at /sumdb/NAME/), in the order to ask them: the
// GOPROXY proxies, then the fallback. Reading the database through the
// fallback is what lets a toolchain from it be verified where the
// database's own host cannot be reached.
func (t *Toolchains) SumDBProxies() []string {
	var out []string
	for _, c := range t.Clients() {
		for _, e := range c.Proxies {
			out = append(out, e.URL.String())
		}
	}
	return out
}

// List returns the versions of path: the GOPROXY proxies' list, or the
// fallback's when none of them has the module or lists a version.
func (t *Toolchains) List(ctx context.Context, path string) ([]string, error) {
	var primaryErr error
	if t.Primary != nil {
		list, err := t.Primary.List(ctx, path)
		if err != nil && !errors.Is(err, ErrNotFound) || t.Fallback == nil {
			return list, err
		}
		if err == nil && len(list) > 0 {
			return list, nil
		}
		primaryErr = err
		if err == nil {
			primaryErr = fmt.Errorf("list versions of %s: %s lists none", path, t.Primary)
		}
	}
	t.announce(path, primaryErr)
	list, err := t.Fallback.List(ctx, path)
	if err != nil {
		return nil, t.fallbackError(primaryErr, err)
	}
	return list, nil
}

// Download writes the zip of path@version to dst, from the GOPROXY
// proxies or, when none of them has it, from the fallback.
func (t *Toolchains) Download(ctx context.Context, path, version, dst string, progress func(done, total int64)) (int64, error) {
	var primaryErr error
	if t.Primary != nil {
		n, err := t.Primary.Download(ctx, path, version, dst, progress)
		if err == nil || !errors.Is(err, ErrNotFound) || t.Fallback == nil {
			return n, err
		}
		primaryErr = err
	}
	t.announce(path+"@"+version, primaryErr)
	n, err := t.Fallback.Download(ctx, path, version, dst, progress)
	if err != nil {
		return 0, t.fallbackError(primaryErr, err)
	}
	return n, nil
}

// Get returns the body at rawURL (a checksum database URL), with the
// retries of every request.
func (t *Toolchains) Get(ctx context.Context, rawURL string) ([]byte, error) {
	return t.Clients()[0].Get(ctx, rawURL)
}

// announce tells the log, once, that the fallback is used and why.
func (t *Toolchains) announce(what string, primaryErr error) {
	t.once.Do(func() {
		if t.OnFallback == nil {
			return
		}
		why := "GOPROXY lists no proxy (only direct)"
		if t.Primary != nil {
			why = fmt.Sprintf("GOPROXY=%s does not serve %s", t.Primary, what)
		}
		t.OnFallback(fmt.Sprintf("%s: fetching Go toolchains from %s instead (%s=off turns this off)", why, t.Fallback, ToolchainProxyVar))
	})
}

// fallbackError reports a failure of the fallback after the GOPROXY
// proxies did not have the file either.
func (t *Toolchains) fallbackError(primaryErr, err error) error {
	if primaryErr == nil {
		return err
	}
	return &FallbackError{Primary: primaryErr, Err: err}
}

// FallbackError reports that the GOPROXY proxies did not have a file and
// the fallback proxy failed too. It unwraps to the fallback's error only,
// which says whether the file is nowhere to be found (*NotServedError,
// ErrNotFound) or the fallback could not be reached (*UnreachableError).
type FallbackError struct {
	Primary error // the GOPROXY proxies' "not found"
	Err     error // the fallback's error
}

// Error describes both failures.
func (e *FallbackError) Error() string {
	return fmt.Sprintf("%v; then from %s: %v", e.Primary, ToolchainProxyVar, e.Err)
}

// Unwrap returns the fallback's error.
func (e *FallbackError) Unwrap() error { return e.Err }
