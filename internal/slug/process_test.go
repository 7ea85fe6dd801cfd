package slug

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestProcessTypes(t *testing.T) {
	web := Process{"web", "./app"}
	worker := Process{"worker", "bin/worker"}
	migrate := Process{"migrate", "bin/migrate"}
	tests := []struct {
		name     string
		others   []string
		procfile map[string]string
		want     []Process
	}{
		{"web only", nil, nil, []Process{web}},
		{"web and others", []string{"worker", "migrate"}, nil, []Process{web, worker, migrate}},
		{"Procfile defines web", []string{"worker"}, map[string]string{"web": "bin/server --port $PORT"}, []Process{worker}},
		{"Procfile defines web empty", nil, map[string]string{"web": ""}, nil},
		{"Procfile defines worker", []string{"worker", "migrate"}, map[string]string{"worker": "bin/other"}, []Process{web, migrate}},
		{"Procfile runs the worker", []string{"worker", "migrate"}, map[string]string{"jobs": "bin/worker --flag"}, []Process{web, migrate}},
		{"Procfile runs ./bin/worker", []string{"worker"}, map[string]string{"jobs": "./bin/worker"}, []Process{web}},
		{"Procfile runs ./app", []string{"worker"}, map[string]string{"api": "./app -v"}, []Process{worker}},
		{"Procfile runs app", nil, map[string]string{"api": "app"}, nil},
		{"Procfile runs something else", []string{"worker"}, map[string]string{"clock": "bin/workers"}, []Process{web, worker}},
		{"invalid names", []string{"example.com", "ok_1", "a b", "x-y", ""}, nil,
			[]Process{web, {"ok_1", "bin/ok_1"}, {"x-y", "bin/x-y"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProcessTypes(tt.others, tt.procfile); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ProcessTypes = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func writeFile(t *testing.T, path, data string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
}

func TestReleaseYAML(t *testing.T) {
	tests := []struct {
		procs []Process
		want  string
	}{
		{nil, "---\ndefault_process_types: {}\n"},
		{
			[]Process{{"web", "./app"}, {"worker", `bin/worker -name "x"`}},
			"---\ndefault_process_types:\n  web: \"./app\"\n  worker: \"bin/worker -name \\\"x\\\"\"\n",
		},
	}
	for _, tt := range tests {
		if got := ReleaseYAML(tt.procs); got != tt.want {
			t.Errorf("ReleaseYAML(%+v) =\n%s\nwant\n%s", tt.procs, got, tt.want)
		}
	}
}

func TestPrepareBinDir(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string // in the error; "" for success
	}{
		{"missing", func(*testing.T, string) {}, ""},
		{"directory", func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "bin", "keep"), "x", 0o644) }, ""},
		{"file", func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "bin"), "x", 0o644) }, "file named bin"},
		{"symlink", func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("real", filepath.Join(dir, "bin")); err != nil {
				t.Fatal(err)
			}
		}, "bin is a symlink"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			err := PrepareBinDir(dir, nil)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("PrepareBinDir = %v, want error with %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("PrepareBinDir: %v", err)
			}
			if st, err := os.Lstat(filepath.Join(dir, "bin")); err != nil || !st.IsDir() {
				t.Errorf("bin after PrepareBinDir: %v, %v", st, err)
			}
		})
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bin", "keep"), "x", 0o644)
	if err := PrepareBinDir(dir, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bin", "keep")); err != nil {
		t.Errorf("PrepareBinDir lost a file in bin: %v", err)
	}
}

func TestLinkApp(t *testing.T) {
	tests := []struct {
		name     string
		existing func(t *testing.T, app string) // sets up ./app
	}{
		{"no ./app", func(*testing.T, string) {}},
		{"old ./app file", func(t *testing.T, app string) { writeFile(t, app, "old", 0o755) }},
		{"./app symlink", func(t *testing.T, app string) {
			if err := os.Symlink("bin/other", app); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "bin", "web")
			writeFile(t, bin, "binary", 0o755)
			writeFile(t, filepath.Join(dir, "bin", "other"), "other", 0o755)
			app := filepath.Join(dir, "app")
			tt.existing(t, app)
			if err := LinkApp(dir, "web"); err != nil {
				t.Fatalf("LinkApp: %v", err)
			}
			st, err := os.Lstat(app)
			if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o755 {
				t.Fatalf("./app: %v, %v; want an executable file", st, err)
			}
			if data, _ := os.ReadFile(app); string(data) != "binary" {
				t.Errorf("./app holds %q, want the web binary", data)
			}
			if other, _ := os.ReadFile(filepath.Join(dir, "bin", "other")); string(other) != "other" {
				t.Errorf("bin/other changed to %q", other)
			}
			if src, err := os.Stat(bin); err != nil || !os.SameFile(src, st) {
				t.Errorf("./app is not a hard link to bin/web")
			}
		})
	}
}

func TestLinkAppErrors(t *testing.T) {
	dir := t.TempDir()
	if err := LinkApp(dir, "web"); err == nil || !strings.HasPrefix(err.Error(), "link ./app: ") {
		t.Errorf("LinkApp without bin/web = %v, want a link ./app error", err)
	}
	writeFile(t, filepath.Join(dir, "bin", "web"), "binary", 0o755)
	writeFile(t, filepath.Join(dir, "app", "main.go"), "package main", 0o644)
	err := LinkApp(dir, "web")
	if err == nil || !strings.Contains(err.Error(), "directory named app") {
		t.Errorf("LinkApp with an app directory = %v, want an error about it", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "app", "main.go")); err != nil {
		t.Errorf("LinkApp touched the app directory: %v", err)
	}
}

func sourcePrint(t *testing.T, script string, env []string, vars ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command("bash", append([]string{"-c", `. "$1"; shift; for v; do printf '%s\n' "${!v}"; done`, "bash", script}, vars...)...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sourcing %s: %v\n%s", script, err, out)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

func TestWriteExport(t *testing.T) {
	for _, goroot := range []string{
		"/layers/go/go1.22.5",
		filepath.Join(t.TempDir(), `it's a "go" root $HOME`),
	} {
		path := filepath.Join(t.TempDir(), "export")
		if err := WriteExport(path, goroot); err != nil {
			t.Fatalf("WriteExport: %v", err)
		}
		got := sourcePrint(t, path, []string{"PATH=/usr/bin:/bin", "HOME=/h"}, "PATH", "GOROOT", "GOTOOLCHAIN")
		want := []string{filepath.Join(goroot, "bin") + ":/usr/bin:/bin", goroot, "local"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("export for %q gives %q, want %q", goroot, got, want)
		}
	}
	if err := WriteExport(filepath.Join(t.TempDir(), "missing", "export"), "/go"); err == nil || !strings.HasPrefix(err.Error(), "write export: ") {
		t.Errorf("WriteExport into a missing directory = %v", err)
	}
}

func TestPrepareBinDirRemovesSymlinks(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	target := filepath.Join(outside, "victim")
	writeFile(t, target, "keep me", 0o644)
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "bin", "web")); err != nil {
		t.Fatal(err)
	}
	if err := PrepareBinDir(dir, []string{"web"}); err != nil {
		t.Fatalf("PrepareBinDir: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "bin", "web")); !os.IsNotExist(err) {
		t.Errorf("bin/web symlink still there: %v", err)
	}
	if data, _ := os.ReadFile(target); string(data) != "keep me" {
		t.Errorf("symlink target changed: %q", data)
	}
	if err := os.Mkdir(filepath.Join(dir, "bin", "worker"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := PrepareBinDir(dir, []string{"worker"}); err == nil {
		t.Errorf("PrepareBinDir with a directory bin/worker succeeded")
	}
}

func TestCheckWritable(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	if err := CheckWritable(dir); err != nil {
		t.Fatalf("CheckWritable of an empty app: %v", err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, ".profile.d")); err != nil {
		t.Fatal(err)
	}
	if err := CheckWritable(dir); err == nil || !strings.Contains(err.Error(), ".profile.d is a symlink") {
		t.Errorf("CheckWritable with .profile.d -> outside = %v", err)
	}
	os.Remove(filepath.Join(dir, ".profile.d"))
	writeFile(t, filepath.Join(dir, ".heroku"), "x", 0o644)
	if err := CheckWritable(dir); err == nil || !strings.Contains(err.Error(), "file named .heroku") {
		t.Errorf("CheckWritable with a file .heroku = %v", err)
	}
}
