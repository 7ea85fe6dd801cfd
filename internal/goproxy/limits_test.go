package goproxy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestDeadline(t *testing.T) {
	c := &Client{MinDeadline: time.Minute, MaxDeadline: 15 * time.Minute, MinRate: 256 << 10}
	tests := []struct {
		size int64
		want time.Duration
	}{
		{-1, time.Minute},
		{0, time.Minute},
		{256 << 10, time.Minute + time.Second},
		{70 << 20, time.Minute + 280*time.Second},
		{DefaultMaxSmall, time.Minute + 32*time.Second},
		{DefaultMaxZip, 15 * time.Minute},
		{1 << 62, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := c.deadline(tt.size); got != tt.want {
			t.Errorf("deadline(%d) = %s, want %s", tt.size, got, tt.want)
		}
	}
	if got := (&Client{}).deadline(1 << 30); got != 0 {
		t.Errorf("deadline without MinDeadline = %s, want none", got)
	}
	if got := (&Client{MinDeadline: time.Second}).deadline(1 << 30); got != time.Second {
		t.Errorf("deadline without MinRate or MaxDeadline = %s, want MinDeadline", got)
	}
	d, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	if d.MaxZip != 1<<30 || d.MaxSmall != 8<<20 || d.deadline(70<<20) != c.deadline(70<<20) {
		t.Errorf("New's caps %d, %d and deadline %s for a 70 MiB zip, want 1 GiB, 8 MiB, %s", d.MaxZip, d.MaxSmall, d.deadline(70<<20), c.deadline(70<<20))
	}
}

// sizeServer serves every request with handle and counts the requests.
func sizeServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		handle(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestTooLarge: an answer above its cap is refused at once when its
// Content-Length says so, cut off at the cap when it has none, and not
// retried either way. Nothing beyond the cap is written.
func TestTooLarge(t *testing.T) {
	// declares announces size bytes, sends a few, and then holds the
	// request until the client goes: reading the body would stall.
	declares := func(size int64) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(size))
			w.Write([]byte("v1.0.0\n"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}
	}
	// streams sends data without a Content-Length until the client goes.
	streams := func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("v1.0.0\n", 100))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	}
	for _, tt := range []struct {
		name     string
		handle   func(w http.ResponseWriter, r *http.Request)
		zip      bool
		max      int64 // 0: New's
		declared bool
		want     string
	}{
		{"zip above the default cap", declares(2 << 30), true, 0, true,
			"refusing a module zip of 2.15 GB (its Content-Length): more than the 1.07 GB one may have"},
		{"zip above a cap", declares(10_001), true, 10_000, true,
			"refusing a module zip of 10.0 kB (its Content-Length): more than the 10.0 kB one may have"},
		{"list above the default cap", declares(8<<20 + 1), false, 0, true,
			"refusing a version list of 8.4 MB (its Content-Length): more than the 8.4 MB one may have"},
		{"endless zip", streams, true, 10_000, false, "refusing a module zip of more than 10.0 kB, the most one may have: cut off after"},
		{"endless list", streams, false, 10_000, false, "refusing a version list of more than 10.0 kB, the most one may have: cut off after"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, requests := sizeServer(t, tt.handle)
			c := newClient(t, srv.URL)
			c.Stall = time.Hour // only the cap may end these
			if tt.max != 0 {
				c.MaxZip, c.MaxSmall = tt.max, tt.max
			}
			dst := filepath.Join(t.TempDir(), "m.zip")
			var err error
			if tt.zip {
				_, err = c.Download(context.Background(), "example.com/m", "v1.0.0", dst, nil)
			} else {
				_, err = c.List(context.Background(), "example.com/m")
			}
			var tl *TooLargeError
			if !errors.As(err, &tl) || tl.Declared != tt.declared || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), srv.URL+"/example.com/m/@v/") {
				t.Fatalf("got %v, want a *TooLargeError (declared %v) naming the URL and saying %q", err, tt.declared, tt.want)
			}
			if n := requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1: a refused answer is not retried", n)
			}
			if info, err := os.Stat(dst); tt.zip && (err != nil || info.Size() > tl.Max) {
				t.Errorf("the download wrote %v (%v), want at most the cap, %d bytes", info.Size(), err, tl.Max)
			}
		})
	}
}

// TestTrickle: a proxy that sends a byte now and then, never stalling, is
// given up on at the attempt's deadline, which here is short, and not
// retried.
func TestTrickle(t *testing.T) {
	for _, length := range []bool{true, false} {
		t.Run(fmt.Sprintf("Content-Length=%v", length), func(t *testing.T) {
			srv, requests := sizeServer(t, func(w http.ResponseWriter, r *http.Request) {
				if length {
					w.Header().Set("Content-Length", "1000000")
				}
				tick := time.NewTicker(10 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-r.Context().Done():
						return
					case <-tick.C:
						w.Write([]byte("v"))
						w.(http.Flusher).Flush()
					}
				}
			})
			c := newClient(t, srv.URL)
			c.Stall = time.Hour
			c.MinDeadline, c.MinRate = 300*time.Millisecond, 1<<40
			start := time.Now()
			_, err := c.Download(context.Background(), "example.com/m", "v1.0.0", filepath.Join(t.TempDir(), "m.zip"), nil)
			took := time.Since(start)
			var ts *TooSlowError
			if !errors.As(err, &ts) || !strings.Contains(err.Error(), srv.URL+"/example.com/m/@v/v1.0.0.zip: not received in time") ||
				!strings.Contains(err.Error(), "in 0.30s") || !strings.Contains(err.Error(), "check that proxy") {
				t.Fatalf("Download from a trickling proxy = %v, want a *TooSlowError naming the URL, the deadline and what to check", err)
			}
			if ts.Received == 0 || length != (ts.Total == 1000000) {
				t.Errorf("the error says %d of %d bytes received", ts.Received, ts.Total)
			}
			if n := requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1: a download that ran out of time is not retried", n)
			}
			t.Logf("gave up after %s with a deadline of %s", took.Round(time.Millisecond), c.MinDeadline)
		})
	}
}

// TestDiskFull: a download that cannot be written (here to /dev/full,
// whose every write fails with ENOSPC) fails at once with the disk's
// error: no retry, no other proxy, nothing blamed on the proxy.
func TestDiskFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skipf("no /dev/full to write to: %v", err)
	}
	first, second := newServer(t), newServer(t)
	c := newClient(t, first.URL()+"|"+second.URL())
	_, err := c.Download(context.Background(), "example.com/m", "v1.0.0", "/dev/full", nil)
	var ur *UnreachableError
	if !errors.Is(err, syscall.ENOSPC) || errors.As(err, &ur) {
		t.Errorf("Download to a full disk = %v, want ENOSPC, not an unreachable proxy", err)
	}
	if n, m := first.RequestCount(zipSuffix), second.RequestCount(zipSuffix); n != 1 || m != 0 {
		t.Errorf("%d and %d zip requests to the two proxies, want 1 and 0", n, m)
	}
}
