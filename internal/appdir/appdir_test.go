package appdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func tree(t *testing.T, files ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, name := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		var data string
		switch filepath.Base(name) {
		case "go.mod":
			data = "module example.com/" + filepath.ToSlash(filepath.Join("app", filepath.Dir(name))) + "\n\ngo 1.22\n"
		case "go.work":
			data = "go 1.23\n\nuse ./a\n"
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestFind(t *testing.T) {
	tests := []struct {
		name           string
		files          []string
		appDir, gowork string

		rel, found, module, work string // work is WorkPath relative to the root
	}{
		{name: "root go.mod", files: []string{"go.mod", "sub/go.mod"}, rel: ".", module: "example.com/app"},
		{name: "root go.work", files: []string{"go.work", "a/go.mod"}, rel: ".", work: "go.work"},
		{name: "root go.work and go.mod", files: []string{"go.work", "go.mod"}, rel: ".", module: "example.com/app", work: "go.work"},
		{name: "GO_APP_DIR", files: []string{"go.mod", "services/api/go.mod"}, appDir: "services/api",
			rel: "services/api", found: "GO_APP_DIR", module: "example.com/app/services/api"},
		{name: "GO_APP_DIR not clean", files: []string{"services/api/go.mod"}, appDir: "./services/x/../api/",
			rel: "services/api", found: "GO_APP_DIR", module: "example.com/app/services/api"},
		{name: "GO_APP_DIR under a go.work", files: []string{"services/go.work", "services/api/go.mod"}, appDir: "services/api",
			rel: "services/api", found: "GO_APP_DIR", module: "example.com/app/services/api", work: "services/go.work"},
		{name: "only go.mod below", files: []string{"README", "backend/go.mod"},
			rel: "backend", found: "the only go.mod in the app", module: "example.com/app/backend"},
		{name: "go.mod at SearchDepth", files: []string{"a/b/c/go.mod"},
			rel: "a/b/c", found: "the only go.mod in the app", module: "example.com/app/a/b/c"},
		{name: "ignored directories", files: []string{
			"vendor/x/go.mod", "testdata/go.mod", "node_modules/p/go.mod", ".hidden/go.mod", "_old/go.mod",
			"a/b/c/d/go.mod", "app/go.mod",
		}, rel: "app", found: "the only go.mod in the app", module: "example.com/app/app"},
		{name: "GOWORK=off", files: []string{"go.work", "go.mod"}, gowork: "off", rel: ".", module: "example.com/app"},
		{name: "GOWORK=off without root go.mod", files: []string{"go.work", "a/go.mod"}, gowork: "off",
			rel: "a", found: "the only go.mod in the app", module: "example.com/app/a"},
		{name: "GOWORK path", files: []string{"go.work", "go.mod", "ci/go.work"}, gowork: "ci/go.work",
			rel: ".", module: "example.com/app", work: "ci/go.work"},
		{name: "GOWORK path with GO_APP_DIR", files: []string{"services/go.work", "services/api/go.mod", "ci/go.work"},
			appDir: "services/api", gowork: "./ci/go.work",
			rel: "services/api", found: "GO_APP_DIR", module: "example.com/app/services/api", work: "ci/go.work"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files...)
			a, err := Find(root, tt.appDir, tt.gowork)
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if a.Root != root || a.Rel != tt.rel || a.Dir != filepath.Join(root, tt.rel) || a.Found != tt.found {
				t.Errorf("Find: Root %q Dir %q Rel %q Found %q; want Rel %q Found %q", a.Root, a.Dir, a.Rel, a.Found, tt.rel, tt.found)
			}
			switch {
			case tt.module == "" && a.Mod != nil:
				t.Errorf("Mod = %+v, want nil", a.Mod)
			case tt.module != "" && (a.Mod == nil || a.Mod.Module != tt.module):
				t.Errorf("Mod = %+v, want module %s", a.Mod, tt.module)
			}
			wantWork := ""
			if tt.work != "" {
				wantWork = filepath.Join(root, tt.work)
			}
			if a.WorkPath != wantWork || (a.Work != nil) != (tt.work != "") {
				t.Errorf("WorkPath = %q, Work = %+v; want %q", a.WorkPath, a.Work, wantWork)
			}
			if a.Work != nil && a.Work.Name != tt.work {
				t.Errorf("Work.Name = %q, want %q", a.Work.Name, tt.work)
			}
		})
	}
}

func TestFindVersionSettingsName(t *testing.T) {
	tests := []struct {
		name      string
		files     []string
		version   string // Name of the file Version returns
		settings  string // Name of the file Settings returns
		wantName  string
		wantGoVer string
	}{
		{"module", []string{"go.mod"}, "go.mod", "go.mod", "module example.com/app", "1.22"},
		{"workspace", []string{"go.work"}, "go.work", "go.work", "workspace go.work (./a)", "1.23"},
		{"both", []string{"go.work", "go.mod"}, "go.work", "go.mod", "module example.com/app", "1.23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Find(tree(t, tt.files...), "", "")
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if v := a.Version(); v.Name != tt.version || v.Go != tt.wantGoVer {
				t.Errorf("Version() = %s (go %s), want %s (go %s)", v.Name, v.Go, tt.version, tt.wantGoVer)
			}
			if s := a.Settings(); s.Name != tt.settings {
				t.Errorf("Settings() = %s, want %s", s.Name, tt.settings)
			}
			if got := a.Name(); got != tt.wantName {
				t.Errorf("Name() = %q, want %q", got, tt.wantName)
			}
		})
	}
}

func TestFindErrors(t *testing.T) {
	outside := tree(t, "go.mod")
	tests := []struct {
		name           string
		files          []string
		link           string // root/link points at outside
		bad            string // a go.mod with a syntax error on line 3
		appDir, gowork string
		want           string // in the error
	}{
		{name: "absolute GO_APP_DIR", files: []string{"go.mod"}, appDir: outside, want: "GO_APP_DIR=" + outside + ": must be a path relative"},
		{name: "GO_APP_DIR ..", files: []string{"go.mod"}, appDir: "..", want: "GO_APP_DIR=..: leaves the app's directory"},
		{name: "GO_APP_DIR a/../..", files: []string{"a/go.mod"}, appDir: "a/../../x", want: "GO_APP_DIR=a/../../x: leaves"},
		{name: "GO_APP_DIR symlink out", files: []string{"go.mod"}, link: "api", appDir: "api", want: "GO_APP_DIR=api: leaves the app's directory through a symlink"},
		{name: "GO_APP_DIR missing", files: []string{"go.mod"}, appDir: "nope", want: "GO_APP_DIR=nope: no such directory"},
		{name: "GO_APP_DIR a file", files: []string{"go.mod", "README"}, appDir: "README", want: "GO_APP_DIR=README: no such directory"},
		{name: "GO_APP_DIR without go.mod", files: []string{"go.mod", "docs/README"}, appDir: "docs", want: "GO_APP_DIR=docs: no go.mod in docs"},
		{name: "GOWORK missing", files: []string{"go.mod"}, gowork: "ci/go.work", want: "GOWORK=ci/go.work: no such file"},
		{name: "GOWORK missing without go.mod", files: []string{"README"}, gowork: "nope/go.work", want: "GOWORK=nope/go.work: no such file"},
		{name: "GOWORK in a missing directory", files: []string{"README"}, gowork: "README/go.work", want: "GOWORK=README/go.work: no such file"},
		{name: "GOWORK absolute", files: []string{"go.mod"}, gowork: filepath.Join(outside, "go.work"), want: "GOWORK=" + outside},
		{name: "GOWORK ..", files: []string{"go.mod"}, gowork: "../go.work", want: "GOWORK=../go.work: leaves"},
		{name: "GOWORK symlink out", files: []string{"go.mod"}, link: "ci", gowork: "ci/go.mod", want: "GOWORK=ci/go.mod: leaves the app's directory through a symlink"},
		{name: "syntax error", bad: "services/api/go.mod", appDir: "services/api", want: "services/api/go.mod:3"},
		{name: "syntax error in go.work", files: []string{"go.mod"}, bad: "go.work", want: "go.work:3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files...)
			if tt.link != "" {
				if err := os.Symlink(outside, filepath.Join(root, tt.link)); err != nil {
					t.Fatal(err)
				}
			}
			if tt.bad != "" {
				path := filepath.Join(root, tt.bad)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				write(t, path, "// broken\n\ngo 1.22 !!\n")
			}
			a, err := Find(root, tt.appDir, tt.gowork)
			if err == nil {
				t.Fatalf("Find = %+v, want error %q", a, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Find error = %q, want %q in it", err, tt.want)
			}
		})
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindNoGoMod(t *testing.T) {
	tests := []struct {
		name   string
		files  []string
		gowork string
	}{
		{name: "empty"},
		{name: "only ignored dirs", files: []string{"vendor/go.mod", "a/b/c/d/go.mod", ".git/go.mod", "x/testdata/go.mod"}},
		{name: "go.work with GOWORK=off", files: []string{"go.work"}, gowork: "off"},
		{name: "go.mod a directory", files: []string{"go.mod/x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Find(tree(t, tt.files...), "", tt.gowork)
			if !errors.Is(err, ErrNoGoMod) {
				t.Errorf("Find = %+v, %v; want ErrNoGoMod", a, err)
			}
		})
	}
}

func TestFindSymlinkInside(t *testing.T) {
	root := tree(t, "releases/v2/go.mod")
	if err := os.Symlink("releases/v2", filepath.Join(root, "current")); err != nil {
		t.Fatal(err)
	}
	a, err := Find(root, "current", "")
	if err != nil {
		t.Fatalf("Find: %v", err)
	}
	if a.Rel != "current" || a.Mod == nil || a.Mod.Module != "example.com/app/releases/v2" {
		t.Errorf("Find: Rel %q Mod %+v", a.Rel, a.Mod)
	}
}

func TestFindSeveral(t *testing.T) {
	root := tree(t, "svc/api/go.mod", "svc-web/go.mod", "vendor/go.mod")
	a, err := Find(root, "", "")
	var several *SeveralError
	if !errors.As(err, &several) {
		t.Fatalf("Find = %+v, %v; want *SeveralError", a, err)
	}
	if want := []string{"svc-web", "svc/api"}; !reflect.DeepEqual(several.Dirs, want) {
		t.Errorf("Dirs = %q, want %q", several.Dirs, want)
	}
	if !strings.Contains(err.Error(), "svc-web, svc/api") {
		t.Errorf("error = %q, want both directories", err)
	}
}

func TestFindIgnoresGoWorkOutsideRoot(t *testing.T) {
	parent := t.TempDir()
	write(t, filepath.Join(parent, "go.work"), "go 1.23\n")
	root := filepath.Join(parent, "app")
	if err := os.MkdirAll(filepath.Join(root, "api"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "api", "go.mod"), "module example.com/api\n")
	for _, appDir := range []string{"", "api"} {
		a, err := Find(root, appDir, "")
		if err != nil {
			t.Fatalf("Find(%q): %v", appDir, err)
		}
		if a.Work != nil || a.WorkPath != "" {
			t.Errorf("Find(%q): WorkPath = %q, want none", appDir, a.WorkPath)
		}
	}
}

// TestSettingErrorFix: the fix names the config var at fault.
func TestSettingErrorFix(t *testing.T) {
	root := tree(t, "README")
	_, err := Find(root, "", "nope/go.work")
	var se *SettingError
	if !errors.As(err, &se) || se.Var != "GOWORK" || !strings.HasPrefix(se.Fix(), "Set GOWORK") || strings.Contains(se.Fix(), "GO_APP_DIR") {
		t.Errorf("Find with a missing GOWORK = %v; fix %q", err, fixOf(se))
	}
	_, err = Find(root, "nope", "")
	if !errors.As(err, &se) || se.Var != "GO_APP_DIR" || !strings.HasPrefix(se.Fix(), "Set GO_APP_DIR") {
		t.Errorf("Find with a missing GO_APP_DIR = %v; fix %q", err, fixOf(se))
	}
}

func fixOf(se *SettingError) string {
	if se == nil {
		return ""
	}
	return se.Fix()
}

// TestFindErrorsBounded: errors quote excerpts of config vars and list at
// most ten directories.
func TestFindErrorsBounded(t *testing.T) {
	long := strings.Repeat("a/", 50000)
	var many []string
	for i := range 30 {
		many = append(many, fmt.Sprintf("svc%02d/go.mod", i))
	}
	tests := []struct {
		name           string
		files          []string
		appDir, gowork string
		want           string
	}{
		{"long GO_APP_DIR", []string{"go.mod"}, long, "", "GO_APP_DIR=a/a/a/"},
		{"long GOWORK", []string{"go.mod"}, "", long + "go.work", "GOWORK=a/a/a/"},
		{"GO_APP_DIR with ESC", []string{"go.mod"}, "api\x1b[2J", "", `GO_APP_DIR=api\x1b[2J: no such directory in the app`},
		{"many modules", many, "", "", "no go.mod at the app's root, and several below it: svc00, svc01, svc02, svc03, svc04, svc05, svc06, svc07, svc08, svc09 and 20 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Find(tree(t, tt.files...), tt.appDir, tt.gowork)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Find error = %.300q, want it to start with %q", err, tt.want)
			}
			if n := len(err.Error()); n > 500 {
				t.Errorf("Find error of %d bytes: %.300q", n, err)
			}
		})
	}
}

// TestFindSymlinkOutside: a go.mod or go.work that is a symlink to a file
// outside the app is an error that names it, wherever Find looks for one;
// what it points to is never read.
func TestFindSymlinkOutside(t *testing.T) {
	const secret = "root:s3cr3t-9c1e"
	shadow := filepath.Join(t.TempDir(), "shadow")
	if err := os.WriteFile(shadow, []byte(secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		files          []string // regular files
		link           string   // the symlink to shadow
		appDir, gowork string
		want           string // the error; "" for none
	}{
		{"root go.mod", nil, "go.mod", "", "", "go.mod is a symlink to outside the app; commit the file itself"},
		{"root go.work", []string{"a/go.mod"}, "go.work", "", "", "go.work is a symlink to outside the app; commit the file itself"},
		{"root go.work, GOWORK=off", []string{"go.mod"}, "go.work", "", "off", ""},
		{"the only go.mod below", nil, "svc/go.mod", "", "", "svc/go.mod is a symlink to outside the app; commit the file itself"},
		{"GO_APP_DIR", []string{"go.mod"}, "svc/go.mod", "svc", "", "svc/go.mod is a symlink to outside the app; commit the file itself"},
		{"go.work above GO_APP_DIR", []string{"svc/go.mod"}, "go.work", "svc", "", "go.work is a symlink to outside the app; commit the file itself"},
		{"GOWORK", []string{"go.mod"}, "ci/go.work", "", "ci/go.work", "GOWORK=ci/go.work: leaves the app's directory through a symlink"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files...)
			link := filepath.Join(root, filepath.FromSlash(tt.link))
			if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
				t.Fatal(err)
			}
			rel, err := filepath.Rel(filepath.Dir(link), shadow)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(rel, link); err != nil {
				t.Fatal(err)
			}
			a, err := Find(root, tt.appDir, tt.gowork)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Find: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("Find = %+v, %v; want %q", a, err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("the error quotes the file the symlink points to: %v", err)
			}
		})
	}
}
