package packages

import (
	"context"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings/settingstest"
)

func TestListMains(t *testing.T) {
	files := map[string]string{
		"go.mod":           "module example.com/app\n\ngo 1.22\n",
		"main.go":          "package main\n\nimport _ \"example.com/app/internal/c\"\n\nfunc main() {}\n",
		"internal/c/c.go":  "package c\n\nimport \"C\"\n",
		"cmd/tool/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println() }\n",
		"cmd/cgo/main.go":  "package main\n\nimport \"C\"\n\nfunc main() {}\n",
		"lib/lib.go":       "package lib\n",
		// Found because the build gets the heroku tag.
		"cmd/tagged/main.go": "//go:build heroku\n\npackage main\n\nfunc main() {}\n",
	}
	l := goLines(t, files)
	dir := l.Settings.App.Dir
	got, err := ListMains(context.Background(), l.Go(), l.List(ListFormat, []string{"./..."}))
	if err != nil {
		t.Fatalf("ListMains: %v", err)
	}
	want := []Main{
		{ImportPath: "example.com/app", Name: "app", Dir: dir, Cgo: []string{"example.com/app/internal/c"}},
		{ImportPath: "example.com/app/cmd/cgo", Name: "cgo", Dir: filepath.Join(dir, "cmd/cgo"), Cgo: []string{"example.com/app/cmd/cgo"}},
		{ImportPath: "example.com/app/cmd/tagged", Name: "tagged", Dir: filepath.Join(dir, "cmd/tagged")},
		{ImportPath: "example.com/app/cmd/tool", Name: "tool", Dir: filepath.Join(dir, "cmd/tool")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListMains =\n%+v\nwant\n%+v", got, want)
	}
}

// goLines returns the go command lines of an app with files, for the go
// command on PATH.
func goLines(t *testing.T, files map[string]string) *gocmd.Lines {
	t.Helper()
	bin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(bin, "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	env := strings.Fields(string(out))
	tmp := t.TempDir()
	return &gocmd.Lines{
		Settings:   settingstest.Read(t, settings.Compile, files, nil),
		Release:    env[1],
		GOROOT:     env[0],
		GOCACHE:    filepath.Join(tmp, "cache"),
		GOMODCACHE: filepath.Join(tmp, "mod"),
		GOPATH:     filepath.Join(tmp, "path"),
	}
}
