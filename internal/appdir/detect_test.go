package appdir

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDetectAgrees holds bin/detect, in both its modes, to the rule of
// Find and Legacy: it says Go exactly when the build would find an app
// (or several, and ask which), or name a tool from before Go modules.
func TestDetectAgrees(t *testing.T) {
	detect, err := filepath.Abs(filepath.Join("..", "..", "bin", "detect"))
	if err != nil {
		t.Fatal(err)
	}
	type layout struct {
		name  string
		files []string // a name ending in / is a directory; "a -> b" a symlink
		want  bool
	}
	layouts := []layout{
		{"empty", nil, false},
		{"go.mod at the root", []string{"go.mod"}, true},
		{"go.work at the root", []string{"go.work"}, true},
		{"a .go file at the root", []string{"main.go"}, true},
		{"a .go file below the root", []string{"cmd/main.go"}, false},
		{"only a README", []string{"README.md"}, false},
		{"_x/go.mod", []string{"_examples/x/go.mod"}, false},
		{"_x at the top", []string{"_x/go.mod"}, false},
		{"testdata/go.mod", []string{"testdata/go.mod"}, false},
		{"vendor/x/go.mod", []string{"vendor/x/go.mod"}, false},
		{"vendor/go.mod", []string{"vendor/go.mod"}, false},
		{"node_modules/x/go.mod", []string{"node_modules/x/go.mod"}, false},
		{".hidden/go.mod", []string{".hidden/go.mod"}, false},
		{"a/testdata/b/go.mod", []string{"a/testdata/b/go.mod"}, false},
		{"a/_b/go.mod", []string{"a/_b/go.mod"}, false},
		{"depth 1", []string{"a/go.mod"}, true},
		{"depth 2", []string{"a/b/go.mod"}, true},
		{"depth 3", []string{"a/b/c/go.mod"}, true},
		{"depth 4", []string{"a/b/c/d/go.mod"}, false},
		{"depth 5", []string{"a/b/c/d/e/go.mod"}, false},
		{"two modules below", []string{"a/go.mod", "b/go.mod"}, true},
		{"a directory named go.mod", []string{"go.mod/", "a/go.mod/"}, false},
		{"go.mod a symlink to a file in the app", []string{"real.mod", "go.mod -> real.mod"}, true},
		{"a/go.mod a symlink to a directory", []string{"a/x/", "a/go.mod -> x"}, false},
		{"a/go.mod a dangling symlink", []string{"a/go.mod -> nothing"}, false},
	}
	for _, tool := range legacyTools {
		for _, f := range tool.files {
			layouts = append(layouts, layout{tool.name + " " + f, []string{f}, true})
		}
		layouts = append(layouts, layout{tool.name + " below the root", []string{"a/" + tool.files[0]}, false})
	}
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			root := t.TempDir()
			for _, f := range l.files {
				path := filepath.Join(root, filepath.FromSlash(strings.TrimSuffix(f, "/")))
				link, target, isLink := strings.Cut(path, " -> ")
				if isLink {
					path = link
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
					t.Fatal(err)
				}
				switch {
				case isLink:
					err = os.Symlink(target, path)
				case strings.HasSuffix(f, "/"):
					err = os.Mkdir(path, 0o777)
				default:
					err = os.WriteFile(path, []byte("module example.com/x\n"), 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}

			// Found, unless Find says there is no module and no legacy app.
			_, findErr := Find(root, "", "")
			var legacy *LegacyError
			found := findErr == nil || errors.As(findErr, &legacy) || !errors.Is(findErr, ErrNoGoMod)
			if found != l.want {
				t.Errorf("Find: %v; want found = %v", findErr, l.want)
			}

			cmd := exec.Command(detect, root)
			out, err := cmd.Output()
			if classic := err == nil && string(out) == "Go\n"; classic != found {
				t.Errorf("bin/detect BUILD_DIR: %q, %v; the build's search found = %v (%v)", out, err, found, findErr)
			}

			// As a Cloud Native Buildpack: with the environment the spec
			// gives, with the deprecated positional arguments, with both.
			for _, how := range []string{"env", "args", "both"} {
				plan := filepath.Join(t.TempDir(), "plan.toml")
				platform := t.TempDir()
				cmd = exec.Command(detect)
				if how != "env" {
					cmd.Args = append(cmd.Args, platform, plan)
				}
				cmd.Dir = root
				cmd.Env = os.Environ()
				if how != "args" {
					cmd.Env = append(cmd.Env, "CNB_PLATFORM_DIR="+platform, "CNB_BUILD_PLAN_PATH="+plan)
				}
				out, err = cmd.Output()
				code := 0
				if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
					code = exit.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if want := map[bool]int{true: 0, false: 100}[found]; code != want {
					t.Errorf("bin/detect (%s) exits %d (%q), want %d: the build's search found = %v", how, code, out, want, found)
				}
				if _, err := os.Stat(plan); (err == nil) != found {
					t.Errorf("bin/detect (%s): plan written: %v, want %v", how, err == nil, found)
				}
			}
		})
	}
}
