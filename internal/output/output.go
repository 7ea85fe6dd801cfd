// Package output writes build logs in Heroku's format.
//
// Step lines start with "-----> ", detail lines are indented by seven
// spaces, and warnings and errors go to stderr behind " !     ", so they
// stand out in the build log and in `heroku builds:output`.
package output

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/secret"
)

const (
	stepPrefix   = "-----> "
	detailPrefix = "       "
	alertPrefix  = " !     "
)

// Log writes Heroku-style build output. It is safe for concurrent use.
type Log struct {
	mu  sync.Mutex
	out io.Writer
	err io.Writer
	now func() time.Time
}

// New returns a Log writing steps and details to out, warnings and errors to errw.
func New(out, errw io.Writer) *Log {
	return &Log{out: out, err: errw, now: time.Now}
}

// Step prints a step line: "-----> text".
func (l *Log) Step(format string, args ...any) {
	l.write(l.out, stepPrefix, fmt.Sprintf(format, args...))
}

// Detail prints a line under the current step, indented by seven spaces.
func (l *Log) Detail(format string, args ...any) {
	l.write(l.out, detailPrefix, fmt.Sprintf(format, args...))
}

// Warn prints a warning on stderr; the build goes on.
func (l *Log) Warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.write(l.err, alertPrefix, "WARNING: "+msg)
}

// Fail prints err on stderr, followed by its fix and the link to its docs/errors.md entry when it has them.
func (l *Log) Fail(err error) {
	var b strings.Builder
	b.WriteString("ERROR: " + err.Error())
	if r, ok := remedy.Of(err); ok {
		if r.Fix != "" {
			b.WriteString("\n\n" + r.Fix)
		}
		if u := r.URL(); u != "" {
			b.WriteString("\nSee " + u)
		}
	}
	l.write(l.err, alertPrefix, b.String())
}

// Timed prints a step line and returns a function that, when called,
// prints how long the step took as a detail line.
func (l *Log) Timed(format string, args ...any) (done func()) {
	l.Step(format, args...)
	start := l.now()
	return func() { l.Detail("done in %s", Duration(l.now().Sub(start))) }
}

// Indented returns a writer that prints each line it receives as a detail
// line. Use it for the output of commands the build runs; call Flush when
// the command is done.
func (l *Log) Indented() *LineWriter { return &LineWriter{log: l, dst: l.out} }

// IndentedErr is like Indented but writes to stderr.
func (l *Log) IndentedErr() *LineWriter { return &LineWriter{log: l, dst: l.err} }

// Duration formats d for a build log: "0.42s", "12.3s", "1m05s".
func Duration(d time.Duration) string {
	switch {
	case d < 9995*time.Millisecond:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d < 59950*time.Millisecond:
		return fmt.Sprintf("%.1fs", d.Seconds())
	default:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
}

// Size formats a byte count: "512 B", "71.8 MB".
func Size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 999950:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 999950000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	default:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	}
}

// write prints every line of text behind prefix, with the userinfo of any
// URL in it hidden (secret.Redact): whatever the build prints, the go
// command's messages included, never shows a token or password.
func (l *Log) write(w io.Writer, prefix, text string) {
	text = secret.Redact(text)
	l.mu.Lock()
	defer l.mu.Unlock()
	var b bytes.Buffer
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.TrimSpace(line) == "" && prefix == detailPrefix {
			b.WriteString("\n")
			continue
		}
		b.WriteString(strings.TrimRight(prefix+line, " ") + "\n")
	}
	w.Write(b.Bytes())
}

// MaxLine is the longest line a LineWriter prints: the rest of a longer
// line (a progress bar without newlines, a dump) is left out, and the log
// says so, so a command's output never floods the build log or memory.
const MaxLine = 16 << 10

// LineWriter buffers partial lines and prints complete ones indented.
type LineWriter struct {
	log *Log
	dst io.Writer
	buf []byte
	// cut is true while the rest of a line longer than MaxLine is
	// being left out.
	cut bool
}

// Write prints the complete lines in p and keeps the rest.
func (w *LineWriter) Write(p []byte) (int, error) {
	for rest := p; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		chunk := rest
		if i >= 0 {
			chunk, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if !w.cut {
			if room := MaxLine - len(w.buf); len(chunk) > room {
				w.buf = append(w.buf, chunk[:room]...)
				w.log.write(w.dst, detailPrefix, string(w.buf)+" … (line cut: longer than 16 KiB)")
				w.buf, w.cut = w.buf[:0], true
			} else {
				w.buf = append(w.buf, chunk...)
			}
		}
		if i >= 0 {
			if !w.cut {
				w.log.write(w.dst, detailPrefix, strings.TrimSuffix(string(w.buf), "\r"))
			}
			w.buf, w.cut = w.buf[:0], false
		}
	}
	return len(p), nil
}

// Flush prints a trailing partial line, if any.
func (w *LineWriter) Flush() {
	if len(w.buf) > 0 && !w.cut {
		w.log.write(w.dst, detailPrefix, string(w.buf))
	}
	w.buf, w.cut = nil, false
}
