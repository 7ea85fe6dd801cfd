package gocmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestEnv(t *testing.T) {
	base := []string{
		"PATH=/usr/bin:/bin", "HOME=/home/u", "NOEQUALS", "GOFLAGS=-mod=vendor", "GOROOT=/old/go",
		"GOTOOLCHAIN=auto", "CGO_CFLAGS=-O0", "GOPRIVATE=x", "EMPTY=", "GOCACHE=/old/cache",
	}
	s := Settings{GOROOT: "/go root", GOCACHE: "/c/build", GOMODCACHE: "/c/mod", GOPATH: "/c/path"}
	want := []string{
		"CGO_ENABLED=0", "EMPTY=", "GOCACHE=/c/build", "GOENV=off", "GOMODCACHE=/c/mod", "GOPATH=/c/path",
		"GOTOOLCHAIN=local", "HOME=/home/u", "PATH=/go root/bin:/usr/bin:/bin",
	}
	if got := Env(base, s); !reflect.DeepEqual(got, want) {
		t.Errorf("Env =\n%q\nwant\n%q", got, want)
	}

	s.Vars = map[string]string{"CGO_ENABLED": "1", "GOFLAGS": "-mod=mod", "HOME": "/tmp/h", "NETRC": "/tmp/h/.netrc"}
	want = []string{
		"CGO_ENABLED=1", "GOCACHE=/c/build", "GOENV=off", "GOFLAGS=-mod=mod", "GOMODCACHE=/c/mod", "GOPATH=/c/path",
		"GOTOOLCHAIN=local", "HOME=/tmp/h", "NETRC=/tmp/h/.netrc", "PATH=/go root/bin",
	}
	if got := Env([]string{"GOPATH=/x", "PATH="}, s); !reflect.DeepEqual(got, want) {
		t.Errorf("Env with Vars =\n%q\nwant\n%q", got, want)
	}
}

func TestTailBuffer(t *testing.T) {
	tb := &tailBuffer{max: 5}
	for _, s := range []string{"ab", "cd", "efgh", ""} {
		if n, err := tb.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := string(tb.buf); got != "defgh" {
		t.Errorf("tail = %q, want defgh", got)
	}
}

func goCommand(t *testing.T, dir string) *Go {
	t.Helper()
	bin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := exec.Command(bin, "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	tmp := t.TempDir()
	return &Go{
		Bin: filepath.Join(strings.TrimSpace(string(root)), "bin", "go"),
		Dir: dir,
		Env: Env(os.Environ(), Settings{
			GOROOT:     strings.TrimSpace(string(root)),
			GOCACHE:    filepath.Join(tmp, "cache"),
			GOMODCACHE: filepath.Join(tmp, "mod"),
			GOPATH:     filepath.Join(tmp, "path"),
			Vars:       map[string]string{"GOPROXY": "off", "GOFLAGS": "-mod=mod"},
		}),
	}
}

func TestGoOutput(t *testing.T) {
	g := goCommand(t, t.TempDir())
	want, err := exec.Command(g.Bin, "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	out, err := g.Output(context.Background(), "env", "GOVERSION", "GOTOOLCHAIN", "GOPROXY", "GOFLAGS")
	if err != nil {
		t.Fatalf("Output: %v", err)
	}
	if got := string(out); got != string(want)+"local\noff\n-mod=mod\n" {
		t.Errorf("go env = %q, want %q then local, off, -mod=mod", got, want)
	}

	var stdout bytes.Buffer
	g.Stdout = &stdout
	if err := g.Run(context.Background(), "env", "GOVERSION"); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if stdout.String() != string(want) {
		t.Errorf("Run stdout = %q, want %q", stdout.String(), want)
	}
}

func TestGoRunError(t *testing.T) {
	g := goCommand(t, t.TempDir())
	var stderr bytes.Buffer
	g.Stderr = &stderr
	for _, run := range []func() error{
		func() error { return g.Run(context.Background(), "nosuchcommand", "x") },
		func() error { _, err := g.Output(context.Background(), "nosuchcommand", "x"); return err },
	} {
		stderr.Reset()
		err := run()
		var re *RunError
		if !errors.As(err, &re) {
			t.Fatalf("error = %v, want *RunError", err)
		}
		if !strings.Contains(re.Stderr, "go nosuchcommand: unknown command") {
			t.Errorf("RunError.Stderr = %q, want the go command's message", re.Stderr)
		}
		if stderr.String() != re.Stderr {
			t.Errorf("Stderr writer got %q, RunError.Stderr is %q", stderr.String(), re.Stderr)
		}
		if err.Error() != "go nosuchcommand x: exit status 2" {
			t.Errorf("Error() = %q", err)
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Errorf("RunError does not unwrap to *exec.ExitError: %v", err)
		}
	}
}

// TestRunErrorRejected runs the real go command with command lines it
// refuses, and with one it accepts that fails at its work.
func TestRunErrorRejected(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"go.mod":  "module example.com/app\n\ngo 1.22\n",
		"main.go": "package main\n\nfunc main() { undefined() }\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := goCommand(t, dir)
	tests := []struct {
		args     []string
		rejected bool
		flag     string
	}{
		{[]string{"build", "-notaflag", "."}, true, "-notaflag"},
		{[]string{"build", "-o"}, true, ""},
		{[]string{"nosuchcommand"}, true, ""},
		{[]string{"build", "-o", os.DevNull, "."}, false, ""},
		{[]string{"list", "-f", "{{.Nope}}", "."}, false, ""},
	}
	for _, tt := range tests {
		err := g.Run(context.Background(), tt.args...)
		var re *RunError
		if !errors.As(err, &re) {
			t.Fatalf("go %v: error = %v, want *RunError", tt.args, err)
		}
		flag, rejected := re.Rejected()
		if rejected != tt.rejected || flag != tt.flag {
			t.Errorf("go %v: Rejected() = %q, %v; want %q, %v (stderr %q)", tt.args, flag, rejected, tt.flag, tt.rejected, re.Stderr)
		}
	}
}

func TestRunErrorElidesLongArgs(t *testing.T) {
	long := strings.Repeat("x", 201)
	err := &RunError{Args: []string{"list", "-f", "{{.A}}\n{{.B}}", long, strings.Repeat("y", 200)}, Err: errors.New("exit status 1")}
	want := "go list -f … … " + strings.Repeat("y", 200) + ": exit status 1"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestSetEnv(t *testing.T) {
	got := setEnv([]string{"A=1", "CGO_ENABLED=0", "CGO_ENABLED_X=2", "B=3"}, "CGO_ENABLED", "1")
	want := []string{"A=1", "CGO_ENABLED_X=2", "B=3", "CGO_ENABLED=1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("setEnv = %q, want %q", got, want)
	}
}
