package build

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
)

func TestVCSFlag(t *testing.T) {
	dir := t.TempDir()
	if got := VCSFlag(dir); got != "-buildvcs=false" {
		t.Errorf("VCSFlag without .git = %q", got)
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	want := "-buildvcs=auto"
	if _, err := exec.LookPath("git"); err != nil {
		want = "-buildvcs=false"
	}
	if got := VCSFlag(dir); got != want {
		t.Errorf("VCSFlag with .git = %q, want %q", got, want)
	}
}

func TestListMains(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":           "module example.com/app\n\ngo 1.22\n",
		"main.go":          "package main\n\nimport _ \"example.com/app/internal/c\"\n\nfunc main() {}\n",
		"internal/c/c.go":  "package c\n\nimport \"C\"\n",
		"cmd/tool/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println() }\n",
		"cmd/cgo/main.go":  "package main\n\nimport \"C\"\n\nfunc main() {}\n",
		"lib/lib.go":       "package lib\n",
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := goCommand(t, dir)
	got, err := ListMains(context.Background(), g, nil, []string{"./..."})
	if err != nil {
		t.Fatalf("ListMains: %v", err)
	}
	want := []Main{
		{ImportPath: "example.com/app", Name: "app", Dir: dir, Cgo: []string{"example.com/app/internal/c"}},
		{ImportPath: "example.com/app/cmd/cgo", Name: "cgo", Dir: filepath.Join(dir, "cmd/cgo"), Cgo: []string{"example.com/app/cmd/cgo"}},
		{ImportPath: "example.com/app/cmd/tool", Name: "tool", Dir: filepath.Join(dir, "cmd/tool")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListMains =\n%+v\nwant\n%+v", got, want)
	}
}

func goCommand(t *testing.T, dir string) *gocmd.Go {
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
	return &gocmd.Go{
		Bin: filepath.Join(strings.TrimSpace(string(root)), "bin", "go"),
		Dir: dir,
		Env: gocmd.Env(os.Environ(), gocmd.Settings{
			GOROOT:     strings.TrimSpace(string(root)),
			GOCACHE:    filepath.Join(tmp, "cache"),
			GOMODCACHE: filepath.Join(tmp, "mod"),
			GOPATH:     filepath.Join(tmp, "path"),
			Vars:       map[string]string{"GOPROXY": "off", "GOFLAGS": "-mod=mod"},
		}),
	}
}
