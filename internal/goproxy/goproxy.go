// Package goproxy is a client for the Go module proxy protocol
// (https://go.dev/ref/mod#goproxy-protocol), limited to what a build needs:
// version lists, zips and raw GETs, with retries, timeouts and the
// GOPROXY list semantics of the go command.
package goproxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/module"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/secret"
)

// DefaultURL is the proxy used when GOPROXY is unset.
const DefaultURL = "https://proxy.golang.org"

// Entry is one proxy in a GOPROXY list.
type Entry struct {
	URL *url.URL
	// AnyError is true when the entry was followed by "|": the next proxy is
	// tried after any error, not only after "not found".
	AnyError bool
}

// String returns the proxy URL with its userinfo hidden.
func (e Entry) String() string { return secret.Redact(e.URL.String()) }

// ErrNotFound reports that no proxy has the requested file.
var ErrNotFound = errors.New("not found")

// ErrOff reports that GOPROXY forbids downloads.
var ErrOff = errors.New("GOPROXY=off forbids downloads")

// ParseList parses a GOPROXY value. "direct" entries are skipped: the
// files a build fetches (toolchains, checksum database) come from proxies.
// "off" ends the list. An empty value means the public proxy.
func ParseList(s string) ([]Entry, error) {
	if strings.TrimSpace(s) == "" {
		s = DefaultURL
	}
	var out []Entry
	for s != "" {
		i := strings.IndexAny(s, ",|")
		item, anyErr := s, false
		if i >= 0 {
			item, anyErr, s = s[:i], s[i] == '|', s[i+1:]
		} else {
			s = ""
		}
		item = strings.TrimSpace(item)
		switch item {
		case "":
			continue
		case "direct", "noproxy":
			continue
		case "off":
			if len(out) == 0 {
				return nil, ErrOff
			}
			return out, nil
		}
		u, err := parseURL(item)
		if err != nil {
			return nil, fmt.Errorf("invalid GOPROXY entry %w", err)
		}
		out = append(out, Entry{URL: u, AnyError: anyErr})
	}
	if len(out) == 0 {
		return nil, ErrNoProxy
	}
	return out, nil
}

// ErrNoProxy reports a GOPROXY that lists no proxy, only "direct".
var ErrNoProxy = errors.New("GOPROXY lists no proxy (only direct): a Go toolchain can only be fetched from a module proxy")

// parseURL reads one proxy URL: https://, http://, or file:// with an
// absolute path on this machine, as the go command accepts them. A URL
// without a scheme is https. An http:// URL with a password is refused,
// as the go command refuses to fetch it.
func parseURL(item string) (*url.URL, error) {
	if !strings.Contains(item, "://") {
		item = "https://" + item
	}
	u, err := url.Parse(item)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "file") || (u.Scheme != "file" && u.Host == ""):
		return nil, fmt.Errorf("%q: want an https:// or http:// URL", redact(item))
	case u.Scheme == "file" && u.Host != "" && u.Host != "localhost":
		return nil, fmt.Errorf("%q: a file:// URL names a directory on this machine, file:///path/to/proxy", redact(item))
	case u.Scheme == "file" && !strings.HasPrefix(u.Path, "/"):
		return nil, fmt.Errorf("%q: a file:// URL needs an absolute path, file:///path/to/proxy", redact(item))
	case u.Scheme == "http" && u.User != nil:
		return nil, fmt.Errorf("%q: %w: use https://, or drop the user and password", redact(item),
			&RefusedError{"refusing to pass credentials to insecure URL"})
	}
	u.Path = strings.TrimRight(u.Path, "/")
	if u.RawPath != "" {
		u.RawPath = strings.TrimRight(u.RawPath, "/")
	}
	return u, nil
}

// Client fetches from a list of proxies.
type Client struct {
	Proxies []Entry
	HTTP    *http.Client
	// Attempts is how many times a request is tried against one proxy
	// when it fails in a way that may pass (network error, 5xx, 429).
	Attempts int
	// Backoff is the wait before the second attempt; it doubles after each.
	Backoff time.Duration
	// Stall is how long a response body may send nothing before the
	// request is abandoned.
	Stall time.Duration
	// Credentials, when set, returns the basic-auth login for a proxy host
	// ("host" or "host:port") whose URL carries none (from a .netrc, for
	// private proxies). Like the go command, it is used over HTTPS only;
	// credentials go only to the origin they are for (see checkHop).
	Credentials func(host string) (login, password string, ok bool)

	// MaxZip caps the size of a module zip (a Go toolchain's is about
	// 70 MB), MaxSmall that of everything else: version lists, checksum
	// database answers. A Content-Length above the cap is refused before
	// the body is read, a body that grows past it is cut off, and neither
	// is retried. Zero means no cap.
	MaxZip, MaxSmall int64
	// MinDeadline, MinRate and MaxDeadline bound each attempt as a whole,
	// where Stall only catches a proxy that stops sending: an attempt may
	// take MinDeadline plus the time its body takes at MinRate bytes a
	// second, but no more than MaxDeadline. The body's size is its
	// Content-Length; until the headers arrive, or without one, the cap.
	// An attempt that runs out of time is not retried: a link that slow
	// would take as long again. A zero MinDeadline means no deadline.
	MinDeadline, MaxDeadline time.Duration
	MinRate                  int64
}

// The defaults of New for the caps and the deadline. 256 KiB/s is a slow
// but working link (2 Mbit/s): a 70 MB toolchain gets 1 min + 4.5 min.
// 15 minutes is as long as a Heroku build may run.
const (
	DefaultMaxZip      = 1 << 30
	DefaultMaxSmall    = 8 << 20
	DefaultMinDeadline = time.Minute
	DefaultMaxDeadline = 15 * time.Minute
	DefaultMinRate     = 256 << 10
)

// New returns a client for the proxies listed in goproxy (a GOPROXY value).
func New(goproxy string) (*Client, error) {
	entries, err := ParseList(goproxy)
	if err != nil {
		return nil, err
	}
	return NewClient(entries), nil
}

// NewClient returns a client for proxies (as ParseList returns them),
// with the default retries, caps and deadlines.
func NewClient(proxies []Entry) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = 15 * time.Second
	tr.ResponseHeaderTimeout = 60 * time.Second
	return &Client{
		Proxies:     proxies,
		HTTP:        &http.Client{Transport: tr},
		Attempts:    4,
		Backoff:     500 * time.Millisecond,
		Stall:       60 * time.Second,
		MaxZip:      DefaultMaxZip,
		MaxSmall:    DefaultMaxSmall,
		MinDeadline: DefaultMinDeadline,
		MaxDeadline: DefaultMaxDeadline,
		MinRate:     DefaultMinRate,
	}
}

// limit is what a fetch may receive: what it is, for messages, and the
// most bytes it may have.
type limit struct {
	what string
	max  int64 // 0: no cap
}

// deadline returns how long one attempt may take for a body of size
// bytes, 0 for no deadline: see MinDeadline.
func (c *Client) deadline(size int64) time.Duration {
	if c.MinDeadline <= 0 {
		return 0
	}
	d := c.MinDeadline
	if c.MinRate > 0 && size > 0 {
		secs := float64(size) / float64(c.MinRate)
		if secs > float64(math.MaxInt64/2)/float64(time.Second) {
			secs = float64(math.MaxInt64/2) / float64(time.Second)
		}
		d += time.Duration(secs * float64(time.Second))
	}
	if c.MaxDeadline > 0 && d > c.MaxDeadline {
		d = c.MaxDeadline
	}
	return d
}

// String names the proxies for messages, passwords hidden.
func (c *Client) String() string {
	s := make([]string, len(c.Proxies))
	for i, e := range c.Proxies {
		s[i] = e.String()
	}
	return strings.Join(s, ",")
}

// List returns the versions the proxies list for module path, in the
// order served.
func (c *Client) List(ctx context.Context, path string) ([]string, error) {
	esc, err := module.EscapePath(path)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", path, err)
	}
	var data []byte
	err = c.each(ctx, "/"+esc+"/@v/list", func(e Entry, u string) error {
		var buf strings.Builder
		if _, err := c.fetch(ctx, u, &buf, nil, limit{"version list", c.MaxSmall}); err != nil {
			return err
		}
		data = []byte(buf.String())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list versions of %s: %w", path, err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out, nil
}

// GoMod returns the go.mod file of module path at version, as the proxies
// serve it (the go command checks it against go.sum and the checksum
// database when it downloads the module; a caller that only reads it to
// decide what to ask for need not).
func (c *Client) GoMod(ctx context.Context, path, version string) ([]byte, error) {
	escPath, err := module.EscapePath(path)
	if err != nil {
		return nil, fmt.Errorf("fetch %s@%s go.mod: %w", path, version, err)
	}
	escVer, err := module.EscapeVersion(version)
	if err != nil {
		return nil, fmt.Errorf("fetch %s@%s go.mod: %w", path, version, err)
	}
	var data []byte
	err = c.each(ctx, "/"+escPath+"/@v/"+escVer+".mod", func(e Entry, u string) error {
		var buf strings.Builder
		if _, err := c.fetch(ctx, u, &buf, nil, limit{"go.mod", c.MaxSmall}); err != nil {
			return err
		}
		data = []byte(buf.String())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fetch %s@%s go.mod: %w", path, version, err)
	}
	return data, nil
}

// Download writes the zip of path@version to the file dst and returns its
// size. progress, when not nil, is called as bytes arrive with the bytes
// so far and the expected total (-1 when unknown).
func (c *Client) Download(ctx context.Context, path, version, dst string, progress func(done, total int64)) (int64, error) {
	escPath, err := module.EscapePath(path)
	if err != nil {
		return 0, fmt.Errorf("download %s@%s: %w", path, version, err)
	}
	escVer, err := module.EscapeVersion(version)
	if err != nil {
		return 0, fmt.Errorf("download %s@%s: %w", path, version, err)
	}
	var size int64
	err = c.each(ctx, "/"+escPath+"/@v/"+escVer+".zip", func(e Entry, u string) error {
		f, err := os.Create(dst)
		if err != nil {
			return &localError{err}
		}
		n, err := c.fetch(ctx, u, f, progress, limit{"module zip", c.MaxZip})
		if cerr := f.Close(); err == nil && cerr != nil {
			err = &localError{cerr}
		}
		size = n
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("download %s@%s: %w", path, version, err)
	}
	return size, nil
}

// Get returns the body at rawURL, with the same retries as other requests.
func (c *Client) Get(ctx context.Context, rawURL string) ([]byte, error) {
	var b strings.Builder
	if _, err := c.fetch(ctx, rawURL, &b, nil, limit{"answer", c.MaxSmall}); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// each tries path against each proxy in turn, following the go command's
// rules: after "not found" always try the next proxy; after another error
// only when the proxy was followed by "|", and never after a failure here
// (a full disk), which another proxy would meet too.
//
// When every proxy answered "not found" (404 or 410), the error is a
// *NotServedError; a proxy that could not be reached (network errors,
// 5xx or 429 after retries) gives an *UnreachableError.
func (c *Client) each(ctx context.Context, path string, try func(e Entry, url string) error) error {
	var firstErr error
	var notFound []error
	for _, e := range c.Proxies {
		err := try(e, e.URL.String()+path)
		if err == nil {
			return nil
		}
		if errors.Is(err, ErrNotFound) {
			notFound = append(notFound, err)
		}
		if firstErr == nil || (errors.Is(firstErr, ErrNotFound) && !errors.Is(err, ErrNotFound)) {
			firstErr = err
		}
		var local *localError
		if ctx.Err() != nil || errors.As(err, &local) || !(errors.Is(err, ErrNotFound) || e.AnyError) {
			return err
		}
	}
	if len(notFound) > 0 && len(notFound) == len(c.Proxies) {
		return &NotServedError{Errs: notFound}
	}
	return firstErr
}

// NotServedError reports that every proxy answered "not found" (404 or
// 410): the proxies were reached and do not have the file.
type NotServedError struct {
	Errs []error // one per proxy, in GOPROXY order
}

// Error describes the failure, proxy by proxy.
func (e *NotServedError) Error() string {
	msgs := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

// Is makes it match ErrNotFound.
func (e *NotServedError) Is(target error) bool { return target == ErrNotFound }

// Unwrap returns the proxies' errors (each a *StatusError).
func (e *NotServedError) Unwrap() []error { return e.Errs }

// UnreachableError reports a request that failed in a way that may pass
// (a network error, a stall, 5xx or 429) on every attempt.
type UnreachableError struct {
	Attempts int
	Err      error // the last attempt's error
}

// Error describes the failure.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("%v (gave up after %d attempts)", e.Err, e.Attempts)
}

// Unwrap returns the last attempt's error.
func (e *UnreachableError) Unwrap() error { return e.Err }

// StatusError is an HTTP response that is not 200 OK.
type StatusError struct {
	URL  string // redacted
	Code int
	Body string // first line of the body, if any
}

// Error describes the failure.
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: %s", e.URL, http.StatusText(e.Code))
	if e.Code != 0 {
		msg = fmt.Sprintf("%s: %d %s", e.URL, e.Code, http.StatusText(e.Code))
	}
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Is makes 404 and 410 match ErrNotFound.
func (e *StatusError) Is(target error) bool {
	return target == ErrNotFound && (e.Code == http.StatusNotFound || e.Code == http.StatusGone)
}

// TooLargeError reports an answer larger than its cap (see MaxZip).
type TooLargeError struct {
	URL      string // redacted
	What     string // "module zip", "version list", "answer"
	Size     int64  // the Content-Length, or the bytes received when cut off
	Max      int64
	Declared bool // Size is the Content-Length: nothing was read
}

// Error describes the failure.
func (e *TooLargeError) Error() string {
	if e.Declared {
		return fmt.Sprintf("%s: refusing a %s of %s (its Content-Length): more than the %s one may have", e.URL, e.What, output.Size(e.Size), output.Size(e.Max))
	}
	return fmt.Sprintf("%s: refusing a %s of more than %s, the most one may have: cut off after %s", e.URL, e.What, output.Size(e.Max), output.Size(e.Size))
}

// TooSlowError reports an attempt that did not finish within its
// deadline (see MinDeadline).
type TooSlowError struct {
	URL      string // redacted
	Deadline time.Duration
	Received int64 // bytes of the body received
	Total    int64 // the Content-Length; -1 when unknown
	MinRate  int64 // bytes a second the deadline allows for
}

// Error describes the failure and what to check.
func (e *TooSlowError) Error() string {
	got := output.Size(e.Received)
	if e.Total >= 0 {
		got += " of " + output.Size(e.Total)
	}
	rate := ""
	if e.MinRate > 0 {
		rate = fmt.Sprintf(" (this allows %s/s)", output.Size(e.MinRate))
	}
	return fmt.Sprintf("%s: not received in time: %s in %s%s; the proxy, or the network between it and this build, is too slow: retry the build, and if it persists check that proxy", e.URL, got, output.Duration(e.Deadline), rate)
}

// localError is a failure here rather than at the proxy: the file a
// download writes could not be created or written (a full disk). It is
// never retried.
type localError struct{ err error }

func (e *localError) Error() string { return e.err.Error() }
func (e *localError) Unwrap() error { return e.err }

// temporary reports whether err may pass on retry.
func temporary(err error) bool {
	var (
		se       *StatusError
		refused  *RefusedError
		tooLarge *TooLargeError
		tooSlow  *TooSlowError
		local    *localError
	)
	switch {
	case errors.As(err, &se):
		return se.Code >= 500 || se.Code == http.StatusTooManyRequests || se.Code == http.StatusRequestTimeout
	case errors.As(err, &refused), errors.As(err, &tooLarge), errors.As(err, &tooSlow), errors.As(err, &local):
		return false
	}
	return !errors.Is(err, context.Canceled)
}

// fetch GETs rawURL into w, retrying temporary failures, within lim. It
// returns the number of bytes written by the successful attempt. w must be
// truncatable between attempts: an *os.File or a *strings.Builder.
func (c *Client) fetch(ctx context.Context, rawURL string, w io.Writer, progress func(done, total int64), lim limit) (int64, error) {
	if strings.HasPrefix(rawURL, "file://") {
		return c.fetchFile(rawURL, w, lim)
	}
	backoff := c.Backoff
	attempts := max(c.Attempts, 1)
	var err error
	for i := range attempts {
		if i > 0 {
			select {
			case <-ctx.Done():
				return 0, context.Cause(ctx)
			case <-time.After(backoff):
			}
			backoff *= 2
			if err := reset(w); err != nil {
				return 0, &localError{err}
			}
		}
		var n int64
		n, err = c.fetchOnce(ctx, rawURL, w, progress, lim)
		if err == nil {
			return n, nil
		}
		if !temporary(err) || ctx.Err() != nil {
			return 0, err
		}
	}
	return 0, &UnreachableError{Attempts: attempts, Err: err}
}

// reset empties w before another attempt.
func reset(w io.Writer) error {
	switch w := w.(type) {
	case *os.File:
		if err := w.Truncate(0); err != nil {
			return err
		}
		_, err := w.Seek(0, io.SeekStart)
		return err
	case *strings.Builder:
		w.Reset()
	}
	return nil
}

// errTooSlow cancels an attempt that ran out of time.
var errTooSlow = errors.New("deadline")

// fetchOnce makes one attempt of fetch.
func (c *Client) fetchOnce(ctx context.Context, rawURL string, w io.Writer, progress func(done, total int64), lim limit) (int64, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return 0, err
	}
	start := *req.URL
	if err := c.authorize(req, &start, nil, 0); err != nil {
		return 0, err
	}
	hc := *c.HTTP
	hc.CheckRedirect = func(next *http.Request, via []*http.Request) error {
		return c.authorize(next, &start, via[len(via)-1].URL, len(via))
	}
	redacted := redact(rawURL)
	began := time.Now()
	// The deadline runs from the request on, sized by the cap until the
	// Content-Length is known.
	deadline := c.deadline(lim.max)
	var total, n int64 = -1, 0
	var deadlineTimer *time.Timer
	if deadline > 0 {
		deadlineTimer = time.AfterFunc(deadline, func() { cancel(errTooSlow) })
		defer deadlineTimer.Stop()
	}
	// failed returns the error for an attempt cut short, by the deadline,
	// a stall or the caller, or err.
	failed := func(err error) error {
		if cause := context.Cause(ctx); cause != nil && ctx.Err() != nil {
			if cause == errTooSlow {
				return &TooSlowError{URL: redacted, Deadline: deadline, Received: n, Total: total, MinRate: c.MinRate}
			}
			err = cause
		}
		return err
	}
	// The stall timer runs from the request on: a proxy that sends no
	// headers stalls as surely as one that stops sending the body.
	var timer *time.Timer
	if c.Stall > 0 {
		timer = time.AfterFunc(c.Stall, func() {
			cancel(fmt.Errorf("no data received for %s", c.Stall))
		})
		defer timer.Stop()
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		var tooSlow *TooSlowError
		if err = failed(err); errors.As(err, &tooSlow) {
			return 0, err
		}
		return 0, fmt.Errorf("%s: %w", redacted, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		line, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		first, _, _ := strings.Cut(strings.TrimSpace(string(line)), "\n")
		return 0, &StatusError{URL: redacted, Code: resp.StatusCode, Body: first}
	}
	total = resp.ContentLength
	if lim.max > 0 && total > lim.max {
		return 0, &TooLargeError{URL: redacted, What: lim.what, Size: total, Max: lim.max, Declared: true}
	}
	if deadlineTimer != nil && total >= 0 {
		deadline = c.deadline(total)
		deadlineTimer.Reset(deadline - time.Since(began))
	}
	var body io.Reader = resp.Body
	if timer != nil {
		timer.Reset(c.Stall)
		body = &stallReader{r: resp.Body, timer: timer, d: c.Stall}
	}
	buf := make([]byte, 256<<10)
	for {
		m, rerr := body.Read(buf)
		if m > 0 {
			if lim.max > 0 && n+int64(m) > lim.max {
				return n, &TooLargeError{URL: redacted, What: lim.what, Size: n + int64(m), Max: lim.max}
			}
			if _, werr := w.Write(buf[:m]); werr != nil {
				return n, &localError{werr}
			}
			n += int64(m)
			if progress != nil {
				progress(n, total)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			var tooSlow *TooSlowError
			if rerr = failed(rerr); errors.As(rerr, &tooSlow) {
				return n, rerr
			}
			return n, fmt.Errorf("%s: reading body after %d bytes: %w", redacted, n, rerr)
		}
	}
	if total >= 0 && n != total {
		return n, fmt.Errorf("%s: body has %d bytes, Content-Length said %d", redacted, n, total)
	}
	return n, nil
}

// fetchFile serves file:// proxies, as the go command does, within lim.
func (c *Client) fetchFile(rawURL string, w io.Writer, lim limit) (int64, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return 0, err
	}
	f, err := os.Open(u.Path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, &StatusError{URL: rawURL, Code: http.StatusNotFound}
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var r io.Reader = f
	if lim.max > 0 {
		r = io.LimitReader(f, lim.max+1)
	}
	n, err := io.Copy(w, r)
	if err == nil && lim.max > 0 && n > lim.max {
		return n, &TooLargeError{URL: redact(rawURL), What: lim.what, Size: n, Max: lim.max}
	}
	if err != nil {
		err = &localError{err}
	}
	return n, err
}

// stallReader resets a timer on every read that returns data.
type stallReader struct {
	r     io.Reader
	timer *time.Timer
	d     time.Duration
}

func (s *stallReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		s.timer.Reset(s.d)
	}
	return n, err
}

// redact hides the userinfo of a URL string.
func redact(raw string) string { return secret.Redact(raw) }
