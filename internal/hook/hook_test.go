package hook

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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

func TestRun(t *testing.T) {
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
			writeHook(t, root, PreCompile, tt.script, tt.mode)
			var stdout, stderr bytes.Buffer
			ran, err := Run(context.Background(), root, PreCompile, []string{"FOO=bar baz", "PATH=/usr/bin:/bin"}, &stdout, &stderr)
			if !ran || err != nil {
				t.Fatalf("Run = %v, %v; want ran\n%s", ran, err, stderr.String())
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

func TestRunMissing(t *testing.T) {
	root := t.TempDir()
	if err := os.Symlink("nowhere", filepath.Join(root, "dangling")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{PostCompile, "dangling"} {
		ran, err := Run(context.Background(), root, name, nil, nil, nil)
		if ran || err != nil {
			t.Errorf("Run(%s) = %v, %v; want false, nil", name, ran, err)
		}
	}
}

func TestRunErrors(t *testing.T) {
	root := t.TempDir()
	writeHook(t, root, PreCompile, "#!/bin/sh\necho failing >&2\nexit 3\n", 0o755)
	writeHook(t, root, PostCompile, "exit 4\n", 0o644)
	if err := os.MkdirAll(filepath.Join(root, "bin", "go-dir-hook"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeHook(t, root, "bin/bad-interpreter", "#!/nonexistent/interpreter\n", 0o755)
	tests := []struct {
		name    string
		wantRan bool
		want    string
	}{
		{PreCompile, true, "run bin/go-pre-compile: exit status 3"},
		{PostCompile, true, "run bin/go-post-compile: exit status 4"},
		{"bin/go-dir-hook", false, "run bin/go-dir-hook: not a regular file"},
		{"bin/bad-interpreter", true, "run bin/bad-interpreter: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			ran, err := Run(context.Background(), root, tt.name, []string{"PATH=/usr/bin:/bin"}, nil, &stderr)
			if ran != tt.wantRan || err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Run = %v, %v; want %v, %q", ran, err, tt.wantRan, tt.want)
			}
		})
	}
}

func TestRunCanceled(t *testing.T) {
	root := t.TempDir()
	writeHook(t, root, PreCompile, "#!/bin/sh\nexec sleep 10\n", 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran, err := Run(ctx, root, PreCompile, []string{"PATH=/usr/bin:/bin"}, nil, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "run bin/go-pre-compile: ") {
		t.Errorf("Run with a canceled context = %v, %v; want an error", ran, err)
	}
}

// TestRunCanceledWhileRunning stops a hook whose shell waits for a
// command that runs on: the command is stopped too, else it would hold
// the hook's output and Run would wait for it.
func TestRunCanceledWhileRunning(t *testing.T) {
	root := t.TempDir()
	// The command is started before the hook says so.
	writeHook(t, root, PreCompile, "sleep 600 &\necho started\nwait\necho ended\n", 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &signalWriter{line: "started\n", seen: make(chan struct{})}
	errc := make(chan error, 1)
	go func() {
		_, err := Run(ctx, root, PreCompile, []string{"PATH=/usr/bin:/bin"}, stdout, nil)
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
