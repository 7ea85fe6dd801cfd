package compile

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func writeHook(t *testing.T, root, name, script string, mode os.FileMode) {
	t.Helper()
	path := filepath.Join(root, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(script), mode); err != nil {
		t.Fatal(err)
	}
}

func TestExecHook(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	const body = "echo \"dir=$(pwd) foo=$FOO\"\necho to-stderr >&2\n"
	tests := []struct {
		name   string
		script string
		mode   os.FileMode
		want   string
	}{
		{"executable", "#!/bin/sh\n" + body + "echo sh\n", 0o755, "sh"},
		{"not executable", "#!/bin/sh\n" + body + "echo \"${BASH_VERSION:+bash}\"\n", 0o644, "bash"},
		{"no shebang", body + "echo \"${BASH_VERSION:+bash}\"\n", 0o600, "bash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeHook(t, root, preCompileHook, tt.script, tt.mode)
			var stdout, stderr bytes.Buffer
			res, err := execHook(context.Background(), root, preCompileHook, []string{"FOO=bar baz", "PATH=/usr/bin:/bin"}, &stdout, &stderr)
			if !res.Ran || err != nil || res.Notice() != "" {
				t.Fatalf("Run = %+v, %v; want ran\n%s", res, err, stderr.String())
			}
			if want := "dir=" + root + " foo=bar baz\n" + tt.want + "\n"; stdout.String() != want {
				t.Errorf("stdout = %q, want %q", stdout.String(), want)
			}
			if stderr.String() != "to-stderr\n" {
				t.Errorf("stderr = %q", stderr.String())
			}
		})
	}
}

func TestExecHookMissing(t *testing.T) {
	root := t.TempDir()
	if err := os.Symlink("nowhere", filepath.Join(root, "dangling")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{postCompileHook, "dangling"} {
		res, err := execHook(context.Background(), root, name, nil, nil, nil)
		if res.Ran || err != nil {
			t.Errorf("execHook(%s) = %+v, %v; want not ran, nil", name, res, err)
		}
	}
}

func TestExecHookErrors(t *testing.T) {
	root := t.TempDir()
	writeHook(t, root, preCompileHook, "#!/bin/sh\necho failing >&2\nexit 3\n", 0o755)
	writeHook(t, root, postCompileHook, "exit 4\n", 0o644)
	if err := os.MkdirAll(filepath.Join(root, "bin", "go-dir-hook"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeHook(t, root, "bin/bad-interpreter", "#!/nonexistent/interpreter\n", 0o755)
	tests := []struct {
		name    string
		wantRan bool
		want    string
	}{
		{preCompileHook, true, "run bin/go-pre-compile: exit status 3"},
		{postCompileHook, true, "run bin/go-post-compile: exit status 4"},
		{"bin/go-dir-hook", false, "run bin/go-dir-hook: not a regular file"},
		{"bin/bad-interpreter", true, "run bin/bad-interpreter: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			res, err := execHook(context.Background(), root, tt.name, []string{"PATH=/usr/bin:/bin"}, nil, &stderr)
			if res.Ran != tt.wantRan || err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Run = %+v, %v; want ran %v, %q", res, err, tt.wantRan, tt.want)
			}
		})
	}
}

func TestExecHookCanceled(t *testing.T) {
	root := t.TempDir()
	writeHook(t, root, preCompileHook, "#!/bin/sh\nexec sleep 10\n", 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := execHook(ctx, root, preCompileHook, []string{"PATH=/usr/bin:/bin"}, nil, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "run bin/go-pre-compile: ") {
		t.Errorf("Run with a canceled context = %+v, %v; want an error", res, err)
	}
}

// TestRunCanceledWhileRunning stops a hook whose shell waits for a
// command that runs on: the command is stopped too, else it would hold
// the hook's output and Run would wait for it.
func TestExecHookCanceledWhileRunning(t *testing.T) {
	root := t.TempDir()
	// The command is started before the hook says so.
	writeHook(t, root, preCompileHook, "sleep 600 &\necho started\nwait\necho ended\n", 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &signalWriter{line: "started\n", seen: make(chan struct{})}
	errc := make(chan error, 1)
	go func() {
		_, err := execHook(ctx, root, preCompileHook, []string{"PATH=/usr/bin:/bin"}, stdout, nil)
		errc <- err
	}()
	select {
	case <-stdout.seen:
	case err := <-errc:
		t.Fatalf("the hook ended before it started: %v", err)
	}
	cancel()
	if err := <-errc; err == nil || !strings.HasPrefix(err.Error(), "run bin/go-pre-compile: ") {
		t.Errorf("Run cancelled while the hook runs = %v, want an error", err)
	}
	if strings.Contains(stdout.String(), "ended") {
		t.Errorf("the hook ran to its end: %q", stdout.String())
	}
}

// signalWriter keeps what is written and closes seen once it holds line.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	line string
	seen chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.line)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.line) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestRunLeftRunning runs hooks that leave a command running in their
// process group, holding the hook's output or not: Run returns, the
// command is stopped, and the result says so.
func TestExecHookLeftRunning(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	for _, tt := range []struct {
		name, start string
	}{
		{"holding the output", "sleep 600 &"},
		{"output elsewhere", "sleep 600 >/dev/null 2>&1 &"},
		// SIGTERM does not stop it; SIGKILL does.
		{"ignoring SIGTERM", "(trap '' TERM; exec sleep 600) &"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			// The hook exits once the command runs sleep (not yet the forked shell).
			writeHook(t, root, preCompileHook, tt.start+"\necho $! >sleep.pid\n"+
				"until [ \"$(cat /proc/$!/comm)\" = sleep ]; do :; done\necho started\n", 0o644)
			var stdout, stderr bytes.Buffer
			res, err := execHook(context.Background(), root, preCompileHook, []string{"PATH=/usr/bin:/bin"}, &stdout, &stderr)
			pid := readPid(t, filepath.Join(root, "sleep.pid"))
			t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
			if err != nil || !res.Ran {
				t.Fatalf("Run = %+v, %v; want it ran\n%s", res, err, stderr.String())
			}
			if stdout.String() != "started\n" {
				t.Errorf("stdout = %q, want %q", stdout.String(), "started\n")
			}
			if running(pid) {
				t.Errorf("the hook's sleep (pid %d) still runs after Run returned", pid)
			}
			if want := "bin/go-pre-compile left 1 process running (sleep); it was stopped"; !strings.HasPrefix(res.Notice(), want) {
				t.Errorf("Notice() = %q, want it to start with %q", res.Notice(), want)
			}
		})
	}
}

// TestRunLeftNothing: a hook whose commands all end says nothing.
func TestExecHookLeftNothing(t *testing.T) {
	root := t.TempDir()
	writeHook(t, root, preCompileHook, "sleep 0 &\nwait\n", 0o644)
	res, err := execHook(context.Background(), root, preCompileHook, []string{"PATH=/usr/bin:/bin"}, nil, nil)
	if err != nil || !res.Ran || res.Notice() != "" {
		t.Errorf("Run = %+v, %v (notice %q); want it ran, left nothing", res, err, res.Notice())
	}
}

func readPid(t *testing.T, file string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// running reports whether process pid exists and is not a zombie (a
// process that ended and whose parent has not collected it).
func running(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, state, _, ok := parseStat(data)
	return ok && state != 'Z' && state != 'X'
}

func TestHookParseStat(t *testing.T) {
	tests := []struct {
		stat  string
		comm  string
		state byte
		pgid  int
		ok    bool
	}{
		{"4242 (sleep) S 1 4240 4240 0 -1 4194304 92 0 0 0\n", "sleep", 'S', 4240, true},
		{"7 (my (odd) prog) R 1 9 9 0\n", "my (odd) prog", 'R', 9, true},
		{"8 (a b) Z 1 12 12\n", "a b", 'Z', 12, true},
		{"8 (x) S 1\n", "", 0, 0, false},
		{"8 (x) S 1 y 1\n", "", 0, 0, false},
		{"8 x S 1 2 3\n", "", 0, 0, false},
		{"", "", 0, 0, false},
	}
	for _, tt := range tests {
		comm, state, pgid, ok := parseStat([]byte(tt.stat))
		if comm != tt.comm || state != tt.state || pgid != tt.pgid || ok != tt.ok {
			t.Errorf("parseStat(%q) = %q, %q, %d, %v; want %q, %q, %d, %v", tt.stat, comm, state, pgid, ok, tt.comm, tt.state, tt.pgid, tt.ok)
		}
	}
}

func TestHookNotice(t *testing.T) {
	const fix = " (a hook ends with its commands: `wait` for the ones it starts in the background)"
	tests := []struct {
		res  hookResult
		want string
	}{
		{hookResult{Name: preCompileHook, Ran: true}, ""},
		{hookResult{Name: preCompileHook, Ran: true, Left: []string{"sleep"}, Stopped: true}, "bin/go-pre-compile left 1 process running (sleep); it was stopped" + fix},
		{hookResult{Name: postCompileHook, Ran: true, Left: []string{"sleep", "node", "sleep"}, Stopped: true}, "bin/go-post-compile left 3 processes running (node, sleep); they were stopped" + fix},
		{hookResult{Name: preCompileHook, Ran: true, Left: []string{"a", "b", "c", "d", "e", "f", "g"}, Stopped: true}, "bin/go-pre-compile left 7 processes running (a, b, c, d, e, …); they were stopped" + fix},
		{hookResult{Name: preCompileHook, Ran: true, Left: []string{"x\x1b[2J"}, Stopped: true}, `bin/go-pre-compile left 1 process running (x\x1b[2J); it was stopped` + fix},
		{hookResult{Name: preCompileHook, Ran: true, Stopped: true}, "bin/go-pre-compile left processes running; they were stopped" + fix},
	}
	for _, tt := range tests {
		if got := tt.res.Notice(); got != tt.want {
			t.Errorf("%+v.Notice() =\n%q, want\n%q", tt.res, got, tt.want)
		}
	}
}
