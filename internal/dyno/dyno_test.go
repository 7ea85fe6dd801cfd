package dyno

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/procfile"
)

// With DYNO_TEST_SERVE set, the test binary is the app: it answers HTTP
// on $PORT with what it sees of its environment.
func TestMain(m *testing.M) {
	if os.Getenv("DYNO_TEST_SERVE") != "" {
		if os.Getenv("DYNO_TEST_IGNORE_TERM") != "" {
			// An app that takes its time to shut down: it says it got
			// SIGTERM and serves on.
			term := make(chan os.Signal, 1)
			signal.Notify(term, syscall.SIGTERM)
			go func() {
				for range term {
					fmt.Println("got SIGTERM")
					if fifo := os.Getenv("DYNO_TEST_TERM_FIFO"); fifo != "" {
						os.WriteFile(fifo, []byte("got SIGTERM\n"), 0)
					}
				}
			}()
		}
		http.HandleFunc("/served", func(w http.ResponseWriter, r *http.Request) {
			fmt.Println("served " + r.URL.RawQuery) // the app's output still flows
			fmt.Fprintln(w, "ok")
		})
		http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			wd, _ := os.Getwd()
			for _, k := range []string{"PORT", "HOME", "DYNO", "PATH", "FROM_PROFILE", "SECRET"} {
				fmt.Fprintf(w, "%s=%s\n", k, os.Getenv(k))
			}
			fmt.Fprintf(w, "wd=%s\n", wd)
		})
		fmt.Println("listening")
		if err := http.ListenAndServe(":"+os.Getenv("PORT"), nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	os.Exit(m.Run())
}

func TestDefaultProcessTypes(t *testing.T) {
	tests := []struct {
		name    string
		release string
		want    map[string]string
	}{
		{"ours", "---\ndefault_process_types:\n  web: \"./app\"\n", map[string]string{"web": "./app"}},
		{"none", "---\ndefault_process_types: {}\n", map[string]string{}},
		{"plain and single-quoted", "---\naddons: []\ndefault_process_types:\n  web: bin/web --port $PORT\n  worker: 'echo ''hi'''\nconfig_vars:\n  X: y\n", map[string]string{"web": "bin/web --port $PORT", "worker": "echo 'hi'"}},
		{"escaped quotes", "default_process_types:\n  web: \"./app -msg \\\"hi\\\"\"\n", map[string]string{"web": `./app -msg "hi"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DefaultProcessTypes([]byte(tt.release))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DefaultProcessTypes = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCommand(t *testing.T) {
	release := []byte("---\ndefault_process_types:\n  web: \"./app\"\n")
	tests := []struct {
		name       string
		procfile   string // "" for none
		wantCmd    string
		wantSource string
	}{
		{"no Procfile", "", "./app", "bin/release default_process_types"},
		{"Procfile web", "web: ./server\n", "./server", "Procfile:1"},
		{"last line wins", "web: ./a\nweb: ./b -x\n", "./b -x", "Procfile:2"},
		{"Procfile without web", "worker: ./w\n", "./app", "bin/release default_process_types"},
		{"BOM hides web, as on Heroku", "\ufeffweb: ./server\n", "./app", "bin/release default_process_types"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.procfile != "" {
				if err := os.WriteFile(filepath.Join(dir, "Procfile"), []byte(tt.procfile), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd, source, err := Command(dir, "web", release)
			if err != nil || cmd != tt.wantCmd || source != tt.wantSource {
				t.Errorf("Command = %q, %q, %v; want %q, %q", cmd, source, err, tt.wantCmd, tt.wantSource)
			}
		})
	}
	if _, _, err := Command(t.TempDir(), "clock", release); err == nil {
		t.Errorf("Command found a clock process that nothing declares")
	}
}

func TestStart(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".profile.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	profile := "export FROM_PROFILE=yes\nexport PATH=\"$HOME/bin:$PATH\"\n"
	if err := os.WriteFile(filepath.Join(dir, ".profile.d", "a.sh"), []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	p, err := Start(Config{
		Dir:     dir,
		Type:    "web",
		Command: exe,
		Vars:    map[string]string{"DYNO_TEST_SERVE": "1", "SECRET": "s3cret", "PORT": "1", "HOME": "/elsewhere"},
		Stdout:  &out,
		Stderr:  &out,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Kill()
	if err := p.WaitListening(context.Background(), 20*time.Second); err != nil {
		t.Fatalf("WaitListening: %v\n%s", err, out.String())
	}
	resp, err := http.Get(p.URL())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := fmt.Sprintf("PORT=%d\nHOME=%s\nDYNO=web.1\nPATH=%s/bin:%s\nFROM_PROFILE=yes\nSECRET=s3cret\nwd=%s\n", p.Port, dir, dir, BasePATH, dir)
	if string(body) != want {
		t.Errorf("the app saw\n%s\nwant\n%s", body, want)
	}
	p.Stop(5 * time.Second)
	select {
	case <-p.Done():
	default:
		t.Fatal("Stop returned before the process exited")
	}
}

func TestWaitListeningExit(t *testing.T) {
	if procfile.HasCommand("go") {
		t.Skip("this machine has go on the stack's PATH")
	}
	var out strings.Builder
	p, err := Start(Config{Dir: t.TempDir(), Command: "go run main.go", Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	err = p.WaitListening(context.Background(), 10*time.Second)
	var exit *ExitError
	if !errors.As(err, &exit) || !exit.BeforeListening {
		t.Fatalf("WaitListening = %v, want an ExitError before listening", err)
	}
	if !strings.Contains(err.Error(), `web process "go run main.go" exited (exit status 127) before listening on $PORT`) {
		t.Errorf("error = %q", err)
	}
	if !strings.Contains(out.String(), "go: command not found") {
		t.Errorf("output = %q, want bash saying go is not found: the dyno's PATH has no Go", out.String())
	}
}

// TestStopGrace stops an app that ignores SIGTERM, with the end of the
// grace period in the test's hands: once SIGTERM has landed, the app still
// serves and its output still arrives, and Stop waits, until the grace
// period ends; then it is killed. Run alone, bash hands its process to the
// app; under a shell that stays, the shell dies of SIGTERM at once and the
// app lives on, as on a dyno, writing to the dyno's output or elsewhere.
func TestStopGrace(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name       string
		command    string
		shellStays bool
		logFile    bool // the app writes to a file, not to the dyno's output
	}{
		{"app alone", "'" + exe + "'", false, false},
		{"app under a shell", "'" + exe + "'; echo 'the app ended'", true, false},
		{"app under a shell, writing to a file", "'" + exe + "' >app.log 2>&1; echo 'the app ended'", true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			// The app says it got SIGTERM into a fifo too: an event the
			// test waits for, wherever the app's output goes.
			fifo := filepath.Join(t.TempDir(), "term")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			gotTerm := make(chan struct{})
			go func() {
				if data, err := os.ReadFile(fifo); err == nil && string(data) == "got SIGTERM\n" {
					close(gotTerm)
				}
			}()
			out := &watchWriter{}
			p, err := Start(Config{
				Dir:     dir,
				Command: tt.command,
				Vars:    map[string]string{"DYNO_TEST_SERVE": "1", "DYNO_TEST_IGNORE_TERM": "1", "DYNO_TEST_TERM_FIFO": fifo},
				Stdout:  out,
				Stderr:  out,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Kill()
			if err := p.WaitListening(context.Background(), 20*time.Second); err != nil {
				t.Fatalf("WaitListening: %v\n%s", err, out)
			}
			graceOver := make(chan time.Time)
			stopped := make(chan struct{})
			go func() {
				p.stop(graceOver)
				close(stopped)
			}()
			select {
			case <-gotTerm:
			case <-stopped:
				t.Fatalf("Stop returned before the app got SIGTERM, in the grace period\n%s", out)
			}
			if tt.shellStays {
				<-p.Done() // the shell is gone
			}
			if body, err := get(p.URL() + "/served?after-sigterm"); err != nil || body != "ok\n" {
				t.Fatalf("GET after SIGTERM, in the grace period = %q, %v; want the app to serve\n%s", body, err, out)
			}
			if !tt.logFile {
				<-out.says("served after-sigterm\n")
			}
			select {
			case <-stopped:
				t.Fatalf("Stop returned before the grace period ended\n%s", out)
			default:
			}

			graceOver <- time.Now()
			<-stopped
			if _, err := get(p.URL() + "/served?after-stop"); err == nil {
				t.Errorf("the app still serves after Stop\n%s", out)
			}
			if strings.Contains(out.String(), "the app ended") {
				t.Errorf("the shell ran on after SIGTERM:\n%s", out)
			}
		})
	}
}

// TestStopExitsOnTerm stops an app that exits on SIGTERM: Stop returns
// once it has, with no grace period to wait for.
func TestStopExitsOnTerm(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Start(Config{Dir: t.TempDir(), Command: "'" + exe + "'", Vars: map[string]string{"DYNO_TEST_SERVE": "1"}, Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Kill()
	if err := p.WaitListening(context.Background(), 20*time.Second); err != nil {
		t.Fatalf("WaitListening: %v", err)
	}
	p.stop(nil) // a grace period that never ends
	if err := p.Err(); err == nil || !strings.Contains(err.Error(), "signal: terminated") {
		t.Errorf("Err after Stop = %v, want the app terminated by SIGTERM", err)
	}
}

// get returns the body at url.
func get(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

// watchWriter keeps what a process writes and tells a test when it has
// written something.
type watchWriter struct {
	mu      sync.Mutex
	buf     strings.Builder
	watches []watch
}

type watch struct {
	s  string
	ch chan struct{}
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	w.check()
	return len(p), nil
}

// says returns a channel closed once the output holds s.
func (w *watchWriter) says(s string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	wt := watch{s, make(chan struct{})}
	w.watches = append(w.watches, wt)
	w.check()
	return wt.ch
}

func (w *watchWriter) check() {
	kept := w.watches[:0]
	for _, wt := range w.watches {
		if strings.Contains(w.buf.String(), wt.s) {
			close(wt.ch)
		} else {
			kept = append(kept, wt)
		}
	}
	w.watches = kept
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// StartCmd runs a command as given (no bash, no .profile.d), in its own
// process group, and the waiting helpers work on it as on a dyno.
func TestStartCmd(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"DYNO_TEST_SERVE=1", fmt.Sprintf("PORT=%d", port), "PATH=/launcher/path"}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	p, err := StartCmd(cmd, "web", "launcher web", port)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Kill()
	if err := p.WaitListening(context.Background(), 20*time.Second); err != nil {
		t.Fatalf("WaitListening: %v\n%s", err, out.String())
	}
	resp, err := http.Get(p.URL())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "PATH=/launcher/path\n") || !strings.Contains(string(body), "DYNO=\n") {
		t.Errorf("the process saw\n%s\nwant its own environment, untouched", body)
	}
	if pgid, _ := syscall.Getpgid(cmd.Process.Pid); pgid != cmd.Process.Pid {
		t.Errorf("process group %d, want its own (%d)", pgid, cmd.Process.Pid)
	}
	p.Stop(5 * time.Second)

	// A process that exits before listening is reported as such.
	cmd = exec.Command("false")
	p, err = StartCmd(cmd, "web", "false", port)
	if err != nil {
		t.Fatal(err)
	}
	var exit *ExitError
	if err := p.WaitListening(context.Background(), 20*time.Second); !errors.As(err, &exit) || !exit.BeforeListening {
		t.Errorf("WaitListening of a process that exits = %v, want an ExitError before listening", err)
	}
}
