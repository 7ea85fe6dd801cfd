package dyno

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// With DYNO_TEST_SERVE set, the test binary is the app: it answers HTTP
// on $PORT with what it sees of its environment.
func TestMain(m *testing.M) {
	if os.Getenv("DYNO_TEST_SERVE") != "" {
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
	if HasCommand("go") {
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

func TestStopKillsAfterGrace(t *testing.T) {
	p, err := Start(Config{Dir: t.TempDir(), Command: "trap '' TERM; sleep 30 & wait", Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	p.Stop(300 * time.Millisecond)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Stop took %s for a process that ignores SIGTERM; want about the grace period", d)
	}
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
