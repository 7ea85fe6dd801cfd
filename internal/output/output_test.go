package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

func newLog() (*Log, *bytes.Buffer, *bytes.Buffer) {
	var out, errw bytes.Buffer
	return New(&out, &errw), &out, &errw
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name    string
		write   func(l *Log)
		out     string
		errText string
	}{
		{
			name:  "step",
			write: func(l *Log) { l.Step("Installing %s", "go1.22.5") },
			out:   "-----> Installing go1.22.5\n",
		},
		{
			name:  "detail",
			write: func(l *Log) { l.Detail("Fetched %d files", 3) },
			out:   "       Fetched 3 files\n",
		},
		{
			name:  "multi-line detail",
			write: func(l *Log) { l.Detail("one\n\n  two\n") },
			out:   "       one\n\n         two\n",
		},
		{
			name:  "trailing spaces trimmed",
			write: func(l *Log) { l.Detail("text   ") },
			out:   "       text\n",
		},
		{
			name:    "warn",
			write:   func(l *Log) { l.Warn("GOPATH mode is %s", "deprecated") },
			errText: " !     WARNING: GOPATH mode is deprecated\n",
		},
		{
			name:    "multi-line warn",
			write:   func(l *Log) { l.Warn("first\n\nthird") },
			errText: " !     WARNING: first\n !\n !     third\n",
		},
		{
			name:    "fail",
			write:   func(l *Log) { l.Fail(errors.New("build failed")) },
			errText: " !     ERROR: build failed\n",
		},
		{
			name: "fail with remedy",
			write: func(l *Log) {
				l.Fail(remedy.Wrap(errors.New("no Go release matches go1.99"), "go-version", "Set %s to a released version.", "GOVERSION"))
			},
			errText: " !     ERROR: no Go release matches go1.99\n" +
				" !\n" +
				" !     Set GOVERSION to a released version.\n" +
				" !     See " + remedy.DocsURL + "go-version\n",
		},
		{
			name: "fail with wrapped remedy",
			write: func(l *Log) {
				l.Fail(fmt.Errorf("compile: %w", remedy.Wrap(errors.New("bad go.mod"), "", "Fix go.mod.")))
			},
			errText: " !     ERROR: compile: bad go.mod\n" +
				" !\n" +
				" !     Fix go.mod.\n",
		},
		{
			name: "fail with remedy link only",
			write: func(l *Log) {
				l.Fail(remedy.Wrap(errors.New("boom"), "cache", ""))
			},
			errText: " !     ERROR: boom\n" +
				" !     See " + remedy.DocsURL + "cache\n",
		},
		{
			name:  "userinfo of a URL hidden in a step",
			write: func(l *Log) { l.Step("Using GOPROXY=https://ghp_T0KEN@proxy.example.com,direct") },
			out:   "-----> Using GOPROXY=https://xxxxx@proxy.example.com,direct\n",
		},
		{
			name: "userinfo hidden in the go command's output",
			write: func(l *Log) {
				w := l.IndentedErr()
				fmt.Fprint(w, "go: reading https://deploy:s3cr3t@proxy.example.com/m/@v/list: 404\npartial https://tok")
				fmt.Fprint(w, "en@h.example.com/x")
				w.Flush()
			},
			errText: "       go: reading https://xxxxx@proxy.example.com/m/@v/list: 404\n       partial https://xxxxx@h.example.com/x\n",
		},
		{
			name:    "fail with a multi-line error",
			write:   func(l *Log) { l.Fail(errors.New("verifying m: mismatch\n\nSECURITY ERROR\nNothing was installed.")) },
			errText: " !     ERROR: verifying m: mismatch\n !\n !     SECURITY ERROR\n !     Nothing was installed.\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, out, errw := newLog()
			tt.write(l)
			if out.String() != tt.out {
				t.Errorf("stdout = %q, want %q", out, tt.out)
			}
			if errw.String() != tt.errText {
				t.Errorf("stderr = %q, want %q", errw, tt.errText)
			}
		})
	}
}

func TestTimed(t *testing.T) {
	l, out, _ := newLog()
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	done := l.Timed("Compiling %s", "app")
	now = now.Add(1500 * time.Millisecond)
	done()
	if want := "-----> Compiling app\n       done in 1.50s\n"; out.String() != want {
		t.Errorf("output = %q, want %q", out, want)
	}
}

func TestLineWriter(t *testing.T) {
	l, out, errw := newLog()
	w := l.Indented()
	for _, s := range []string{"go: downloading ", "example.com/m v1.0.0\n", "\nbuil", "t ok\nno newline"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if want := "       go: downloading example.com/m v1.0.0\n\n       built ok\n"; out.String() != want {
		t.Errorf("before Flush: %q, want %q", out, want)
	}
	w.Flush()
	w.Flush()
	if want := "       go: downloading example.com/m v1.0.0\n\n       built ok\n       no newline\n"; out.String() != want {
		t.Errorf("after Flush: %q, want %q", out, want)
	}
	if errw.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", errw)
	}

	l, out, errw = newLog()
	ew := l.IndentedErr()
	ew.Write([]byte("warning: x\npartial"))
	ew.Flush()
	if want := "       warning: x\n       partial\n"; errw.String() != want || out.Len() != 0 {
		t.Errorf("IndentedErr wrote stdout %q, stderr %q; want stderr %q", out, errw, want)
	}
}

func TestConcurrentLines(t *testing.T) {
	l, out, _ := newLog()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				l.Detail("worker %d line %d\nsecond half %d", i, j, j)
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8*50*2 {
		t.Fatalf("%d lines, want %d", len(lines), 8*50*2)
	}
	for n := 0; n < len(lines); n += 2 {
		var i, j, k int
		if _, err := fmt.Sscanf(lines[n]+"|"+lines[n+1], "       worker %d line %d|       second half %d", &i, &j, &k); err != nil || j != k {
			t.Fatalf("lines %d and %d = %q, %q; want one message's two lines together", n, n+1, lines[n], lines[n+1])
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0.00s"},
		{420 * time.Millisecond, "0.42s"},
		{9990 * time.Millisecond, "9.99s"},
		{10 * time.Second, "10.0s"},
		{12340 * time.Millisecond, "12.3s"},
		{time.Minute, "1m00s"},
		{65 * time.Second, "1m05s"},
		{125400 * time.Millisecond, "2m05s"},
		{90 * time.Minute, "90m00s"},
	}
	for _, tt := range tests {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{512, "512 B"},
		{999, "999 B"},
		{1000, "1.0 kB"},
		{71_800, "71.8 kB"},
		{1_000_000, "1.0 MB"},
		{71_800_000, "71.8 MB"},
		{1_000_000_000, "1.00 GB"},
		{2_345_000_000, "2.35 GB"},
	}
	for _, tt := range tests {
		if got := Size(tt.n); got != tt.want {
			t.Errorf("Size(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestRounding(t *testing.T) {
	if got := Duration(9996 * time.Millisecond); got != "10.0s" {
		t.Errorf("Duration(9.996s) = %q, want 10.0s", got)
	}
	if got := Size(999999); got != "1.0 MB" {
		t.Errorf("Size(999999) = %q, want 1.0 MB", got)
	}
}

func TestLineWriterCRLF(t *testing.T) {
	var out bytes.Buffer
	l := New(&out, io.Discard)
	w := l.Indented()
	io.WriteString(w, "a\r\nb\r\n")
	if got := out.String(); got != "       a\n       b\n" {
		t.Errorf("CRLF lines printed as %q", got)
	}
}

func TestLineWriterBounded(t *testing.T) {
	l, out, _ := newLog()
	w := l.Indented()
	long := strings.Repeat("x", 4*MaxLine)
	// A 50 MB line, written in pieces as a command writes it, then a
	// short one.
	for range 1000 {
		fmt.Fprint(w, long[:50_000])
	}
	fmt.Fprint(w, "\nnext line\n")
	fmt.Fprint(w, long+"tail")
	w.Flush()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("printed %d lines, want 3", len(lines))
	}
	want := "       " + long[:MaxLine] + " … (line cut: longer than 16 KiB)"
	if lines[0] != want || lines[2] != want {
		t.Errorf("a long line is printed as %.40q… (%d bytes), want the first %d bytes and a note", lines[0], len(lines[0]), MaxLine)
	}
	if lines[1] != "       next line" {
		t.Errorf("the line after a long one = %q", lines[1])
	}
}
