package cnb

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestProcesses(t *testing.T) {
	const bin = "/layers/gobuildpack_go/app/bin"
	tests := []struct {
		name     string
		web      string
		others   []string
		procfile map[string]string
		want     []Process
	}{
		{"one binary", "myapp", nil, nil, []Process{
			{Type: "web", Command: []string{bin + "/myapp"}, Default: true},
		}},
		{"web and worker", "web", []string{"worker"}, nil, []Process{
			{Type: "web", Command: []string{bin + "/web"}, Default: true},
			{Type: "worker", Command: []string{bin + "/worker"}},
		}},
		{"Procfile web wins", "web", []string{"worker"}, map[string]string{"web": "./app --port $PORT"}, []Process{
			{Type: "web", Command: []string{"bash", "-c", "./app --port $PORT"}, Default: true},
			{Type: "worker", Command: []string{bin + "/worker"}},
		}},
		{"Procfile already runs the binary", "web", []string{"worker"}, map[string]string{"jobs": "bin/worker -queue jobs"}, []Process{
			{Type: "web", Command: []string{bin + "/web"}, Default: true},
			{Type: "jobs", Command: []string{"bash", "-c", "bin/worker -queue jobs"}},
		}},
		{"Procfile without web", "api", nil, map[string]string{"release": "./migrate"}, []Process{
			{Type: "web", Command: []string{bin + "/api"}, Default: true},
			{Type: "release", Command: []string{"bash", "-c", "./migrate"}},
		}},
		{"binary name not a process type", "web", []string{"my.tool"}, nil, []Process{
			{Type: "web", Command: []string{bin + "/web"}, Default: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Processes(bin, tt.web, tt.others, tt.procfile)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Processes =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestWriteLaunch(t *testing.T) {
	dir := t.TempDir()
	procs := []Process{
		{Type: "web", Command: []string{"/layers/x/app/bin/web"}, Default: true},
		{Type: "worker", Command: []string{"bash", "-c", "bin/worker \"a b\""}},
	}
	if err := WriteLaunch(dir, procs); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "launch.toml"))
	want := `[[processes]]
  type = "web"
  command = ["/layers/x/app/bin/web"]
  default = true

[[processes]]
  type = "worker"
  command = ["bash", "-c", "bin/worker \"a b\""]
`
	if string(data) != want {
		t.Errorf("launch.toml =\n%s\nwant\n%s", data, want)
	}
	if got := Describe(procs); !strings.HasPrefix(got, "web: /layers/x/app/bin/web (default), worker: bash -c") {
		t.Errorf("Describe = %q", got)
	}
	if got := Describe(nil); got != "none" {
		t.Errorf("Describe(nil) = %q", got)
	}
}
