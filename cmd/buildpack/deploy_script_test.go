package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// The fixture commands of the deploy command and the Procfile checks.

// buildDev builds what `go run ./cmd/dev` builds, for the deploy and
// release commands; the tests run it directly, so they see the program's
// own exit status (go run exits 1 whenever it gets Ctrl-C).
func buildDev(t *testing.T) string {
	program := filepath.Join(t.TempDir(), "dev")
	build := exec.Command("go", "build", "-o", program, "./cmd/dev")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/dev: %v\n%s", err, out)
	}
	return program
}

// deploy ARGS...: run `go run ./cmd/dev deploy ARGS...` in the
// buildpack's directory, as the README tells users to (the program is
// built once, then run as go run would). With --no-run it
// runs to the end. Otherwise it runs in the background, in its own
// process group as a command in a terminal, until it prints the web
// process's URL, which goes into APP_URL; ctrlc stops it. With !, the
// deploy must fail before serving.
func cmdDeploy(ts *testscript.TestScript, neg bool, args []string, program string) {
	slot := ts.Value(deployKey{}).(*deploySlot)
	if slot.cur != nil {
		ts.Fatalf("a deploy is already running; ctrlc it first")
	}
	cmd := exec.Command(program, append([]string{"deploy"}, args...)...)
	cmd.Dir = repoRoot
	cmd.Env = os.Environ()
	for _, k := range []string{"PATH", "HOME", "XDG_CACHE_HOME", "TMPDIR", "GOCACHE", "GOMODCACHE", "GOPROXY", "GOFLAGS", "GOBUILDPACK_PROGRAM_URL"} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	d := &deployState{cmd: cmd, url: make(chan string, 1), exited: make(chan struct{})}
	cmd.Stderr = &d.stderr
	stdout, err := cmd.StdoutPipe()
	ts.Check(err)
	ts.Check(cmd.Start())
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			d.stdout.Write([]byte(line + "\n"))
			if m := listeningRE.FindStringSubmatch(line); m != nil {
				d.url <- m[1]
			}
		}
		d.err = cmd.Wait()
		close(d.exited)
	}()
	slot.cur = d
	ts.Defer(d.stop)

	select {
	case url := <-d.url:
		if neg {
			ts.Fatalf("deploy served at %s; want it to fail", url)
		}
		ts.Setenv("APP_URL", url)
	case <-d.exited:
		slot.cur = nil
		d.show(ts)
		if (d.err == nil) == neg {
			ts.Fatalf("deploy: exit status %v", d.err)
		}
	case <-time.After(3 * time.Minute): // turns a hang into a failure; the build decides when it serves
		ts.Fatalf("deploy did not serve within 3 minutes:\n%s%s", d.stdout.String(), d.stderr.String())
	}
}

// ctrlc: press Ctrl-C on the running deploy (SIGINT to its process
// group), wait for it to exit, and show its output. It must exit 0.
func cmdCtrlC(ts *testscript.TestScript, neg bool, args []string) {
	slot := ts.Value(deployKey{}).(*deploySlot)
	d := slot.cur
	if neg || len(args) != 0 || d == nil {
		ts.Fatalf("usage: ctrlc (after deploy)")
	}
	slot.cur = nil
	syscall.Kill(-d.cmd.Process.Pid, syscall.SIGINT)
	select {
	case <-d.exited:
	case <-time.After(time.Minute): // longer than the grace period: turns a hang into a failure
		ts.Fatalf("deploy did not exit within a minute of Ctrl-C")
	}
	d.show(ts)
	if d.err != nil {
		ts.Fatalf("deploy after Ctrl-C: %v", d.err)
	}
}

// interrupt: press Ctrl-C on the running deploy once, and go on while it
// stops the web process.
func cmdInterrupt(ts *testscript.TestScript, neg bool, args []string) {
	d := ts.Value(deployKey{}).(*deploySlot).cur
	if neg || len(args) != 0 || d == nil {
		ts.Fatalf("usage: interrupt (after deploy)")
	}
	syscall.Kill(-d.cmd.Process.Pid, syscall.SIGINT)
}

// deployout REGEXP: wait until the running deploy prints a line matching
// REGEXP, e.g. what its web process says when it gets a signal.
func cmdDeployOut(ts *testscript.TestScript, neg bool, args []string) {
	d := ts.Value(deployKey{}).(*deploySlot).cur
	if neg || len(args) != 1 || d == nil {
		ts.Fatalf("usage: deployout REGEXP (after deploy)")
	}
	re, err := regexp.Compile(args[0])
	ts.Check(err)
	// The deadline only turns a line that never comes into a failure
	// rather than a hang.
	select {
	case <-d.stdout.when(re):
	case <-d.exited:
		d.show(ts)
		ts.Fatalf("deploy exited before printing a line matching %s", args[0])
	case <-time.After(time.Minute):
		ts.Fatalf("deploy printed no line matching %s within a minute:\n%s", args[0], d.stdout.String())
	}
}

var listeningRE = regexp.MustCompile(`listening on (http://\S+)`)

type deployKey struct{}

// deploySlot holds the deploy a script runs in the background, if any.
type deploySlot struct{ cur *deployState }

// deployState is a deploy running in the background.
type deployState struct {
	cmd    *exec.Cmd
	stdout syncBuffer
	stderr syncBuffer
	url    chan string
	exited chan struct{}
	err    error
}

// show copies the deploy's output to the script's stdout and stderr.
// The command it printed for the report of the build directory it kept
// (--keep) goes into REPORT_COMMAND, for `exec bash -c $REPORT_COMMAND`.
func (d *deployState) show(ts *testscript.TestScript) {
	<-d.exited
	out := d.stdout.String()
	if m := reportCommandRE.FindStringSubmatch(out); m != nil {
		ts.Setenv("REPORT_COMMAND", m[1])
	}
	io.WriteString(ts.Stdout(), out)
	io.WriteString(ts.Stderr(), d.stderr.String())
}

var reportCommandRE = regexp.MustCompile(`(?m)^       its build report: (.*)$`)

// stop ends a deploy the script left running: Ctrl-C, then SIGKILL.
func (d *deployState) stop() {
	select {
	case <-d.exited:
		return
	default:
	}
	syscall.Kill(-d.cmd.Process.Pid, syscall.SIGINT)
	select {
	case <-d.exited:
	case <-time.After(40 * time.Second): // past the grace period, a deploy that hangs is killed
		syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-d.exited
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use, which tells when
// a line it holds matches a regexp.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	watches []lineWatch
}

type lineWatch struct {
	re *regexp.Regexp
	ch chan struct{}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	b.check()
	return n, err
}

// when returns a channel closed once a line matches re.
func (b *syncBuffer) when(re *regexp.Regexp) <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	w := lineWatch{re, make(chan struct{})}
	b.watches = append(b.watches, w)
	b.check()
	return w.ch
}

func (b *syncBuffer) check() {
	kept := b.watches[:0]
	for _, w := range b.watches {
		if w.re.Match(b.buf.Bytes()) {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	b.watches = kept
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// encode FILE crlf|bom: rewrite FILE with Windows line endings, or with a
// UTF-8 byte order mark in front, as some Windows editors save files.
func cmdEncode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: encode FILE crlf|bom")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	switch args[1] {
	case "crlf":
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	case "bom":
		data = append([]byte("\ufeff"), data...)
	default:
		ts.Fatalf("usage: encode FILE crlf|bom")
	}
	ts.Check(os.WriteFile(path, data, 0o666))
}
