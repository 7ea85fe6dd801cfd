package compile

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings/settingstest"
)

// TestFailure runs the real go command on commands it refuses or fails,
// and checks who the build blames and what it tells the user to do.
func TestFailure(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := exec.Command(goBin, "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range map[string]string{
		"go.mod":  "module example.com/app\n\ngo 1.22\n",
		"main.go": "package main\n\nimport _ \"embed\"\n\n//go:embed ui/build\nvar ui string\n\nfunc main() {}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tmp := t.TempDir()
	goroot := strings.TrimSpace(string(root))
	newCommand := func(vars map[string]string, nodeApp bool) *goCommand {
		cfg := settingstest.Read(t, settings.Test, nil, vars)
		g := &gocmd.Go{Bin: filepath.Join(goroot, "bin", "go"), Dir: dir, Env: gocmd.Env(os.Environ(), gocmd.Settings{
			GOROOT: goroot, GOCACHE: filepath.Join(tmp, "c"), GOMODCACHE: filepath.Join(tmp, "m"), GOPATH: filepath.Join(tmp, "p"),
			Vars: map[string]string{"GOPROXY": "off", "GOFLAGS": cfg.GoEnv["GOFLAGS"]},
		})}
		return &goCommand{Go: g, version: "go1.26.0", config: cfg, nodeApp: nodeApp}
	}
	tests := []struct {
		name    string
		vars    map[string]string
		nodeApp bool
		args    []string
		section string
		message string
		fix     string
	}{
		{"a flag of the buildpack", nil, false, []string{"build", "-notaflag", "."},
			"buildpack-errors", "go1.26.0 refused a command the buildpack ran: go build -notaflag .", "problem of the Go buildpack, not of your app"},
		{"a flag from GO_BUILD_FLAGS", map[string]string{"GO_BUILD_FLAGS": "-notaflag"}, false, []string{"build", "-notaflag", "."},
			"config-vars", "GO_BUILD_FLAGS config var: go1.26.0 does not know the flag -notaflag", "Remove -notaflag from GO_BUILD_FLAGS"},
		{"a flag in GOFLAGS", map[string]string{"GOFLAGS": "-notaflag=1"}, false, []string{"build", "."},
			"config-vars", "GOFLAGS config var: go1.26.0 says: unknown flag -notaflag", "Fix or unset GOFLAGS"},
		{"embedded files a Node build makes", nil, true, []string{"build", "-o", os.DevNull, "."},
			"embed", "exit status 1", "heroku buildpacks:add --index 1 heroku/nodejs"},
		{"embedded files missing", nil, false, []string{"build", "-o", os.DevNull, "."},
			"embed", "exit status 1", "commit them, or generate them in bin/go-pre-compile"},
		{"embedded files a Node build in a subdirectory makes", nil, false, []string{"build", "-o", os.DevNull, "."},
			"embed", "exit status 1", "ui/package.json is the Node build that may make them. The Node.js buildpack only runs a package.json at the root of the repository: " +
				`add one whose build (or heroku-postbuild) script builds ui/, e.g. "build": "npm --prefix ui install && npm --prefix ui run build", ` +
				"and run the Node.js buildpack before this one: heroku buildpacks:add --index 1 heroku/nodejs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.name, "subdirectory") {
				os.MkdirAll(filepath.Join(dir, "ui"), 0o755)
				if err := os.WriteFile(filepath.Join(dir, "ui", "package.json"), []byte("{}"), 0o644); err != nil {
					t.Fatal(err)
				}
				defer os.RemoveAll(filepath.Join(dir, "ui"))
			}
			g := newCommand(tt.vars, tt.nodeApp)
			err := g.failure(g.Run(context.Background(), tt.args...), "build-errors", "Fix the errors shown above.")
			r, ok := remedy.Of(err)
			if !ok {
				t.Fatalf("error %v has no remedy", err)
			}
			if r.Section != tt.section || !strings.Contains(err.Error(), tt.message) || !strings.Contains(r.Fix, tt.fix) {
				t.Errorf("got section %q, error %q, fix %q; want %q, %q, %q", r.Section, err, r.Fix, tt.section, tt.message, tt.fix)
			}
		})
	}
}
