package packages

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseList(t *testing.T) {
	out := strings.Join([]string{
		"C\tgithub.com/mattn/go-sqlite3",
		"M\texample.com/app/cmd/tool/v2\t/src/cmd/tool/v2\tfmt os",
		"M\texample.com/app/cmd/cgomain\t/src/cmd/cgomain\texample.com/app/internal/db fmt",
		"C\texample.com/app/cmd/cgomain",
		"",
		"M\texample.com/app\t/src\tfmt example.com/app/internal/db github.com/mattn/go-sqlite3 example.com/app/internal/c",
		"C\texample.com/app/internal/c",
		"M\texample.com/app/cmd/nodeps\t/src/cmd/nodeps\t",
	}, "\n") + "\n"
	got, err := parseList(out)
	if err != nil {
		t.Fatalf("parseList: %v", err)
	}
	want := []Main{
		{ImportPath: "example.com/app", Name: "app", Dir: "/src",
			Cgo: []string{"github.com/mattn/go-sqlite3", "example.com/app/internal/c"}},
		{ImportPath: "example.com/app/cmd/cgomain", Name: "cgomain", Dir: "/src/cmd/cgomain",
			Cgo: []string{"example.com/app/cmd/cgomain"}},
		{ImportPath: "example.com/app/cmd/nodeps", Name: "nodeps", Dir: "/src/cmd/nodeps"},
		{ImportPath: "example.com/app/cmd/tool/v2", Name: "tool", Dir: "/src/cmd/tool/v2"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseList =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseListEmpty(t *testing.T) {
	for _, out := range []string{"", "\n", "C\texample.com/c\n"} {
		if got, err := parseList(out); err != nil || len(got) != 0 {
			t.Errorf("parseList(%q) = %+v, %v; want no mains", out, got, err)
		}
	}
}

func TestParseListErrors(t *testing.T) {
	for _, line := range []string{
		"X\texample.com/app",
		"M\texample.com/app\t/src",
		"M example.com/app /src fmt",
		"C\texample.com/c\textra",
		"go: downloading example.com/x v1.0.0",
	} {
		got, err := parseList("M\texample.com/ok\t/src\t\n" + line + "\n")
		if err == nil || !strings.Contains(err.Error(), "unexpected go list output") {
			t.Errorf("parseList(%q) = %+v, %v; want an unexpected output error", line, got, err)
		}
	}
}

func TestExecName(t *testing.T) {
	tests := []struct {
		importPath, want string
	}{
		{"example.com/tool", "tool"},
		{"example.com/tool/v2", "tool"},
		{"example.com/tool/v10", "tool"},
		{"example.com/tool/v123", "tool"},
		{"example.com/v2", "example.com"},
		{"example.com/tool/v0", "v0"},
		{"example.com/tool/v05", "v05"},
		{"example.com/tool/v", "v"},
		{"example.com/tool/vx", "vx"},
		{"example.com/tool/v2x", "v2x"},
		{"example.com/tool/V2", "V2"},
		{"v2", "v2"},
		{"tool", "tool"},
		{"example.com/tool/v1", "v1"},
		{"example.com/tool/cmd/v1", "v1"},
	}
	for _, tt := range tests {
		if got := ExecName(tt.importPath); got != tt.want {
			t.Errorf("ExecName(%q) = %q, want %q (as go build names it)", tt.importPath, got, tt.want)
		}
	}
}

func mains(paths ...string) []Main {
	var out []Main
	for _, p := range paths {
		out = append(out, Main{ImportPath: p, Name: ExecName(p)})
	}
	return out
}

func TestDuplicateNames(t *testing.T) {
	tests := []struct {
		mains []Main
		want  map[string][]string
	}{
		{nil, map[string][]string{}},
		{mains("example.com/a", "example.com/b"), map[string][]string{}},
		{
			mains("example.com/a/cmd/x", "example.com/y", "example.com/b/cmd/x", "example.com/x/v2", "example.com/y/v3"),
			map[string][]string{
				"x": {"example.com/a/cmd/x", "example.com/b/cmd/x", "example.com/x/v2"},
				"y": {"example.com/y", "example.com/y/v3"},
			},
		},
	}
	for _, tt := range tests {
		if got := DuplicateNames(tt.mains); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DuplicateNames(%+v) = %q, want %q", tt.mains, got, tt.want)
		}
	}
}

func TestWeb(t *testing.T) {
	tests := []struct {
		name        string
		mains       []Main
		modules     []string
		want        string
		wantObvious bool
	}{
		{"root package", mains("example.com/app/cmd/web", "example.com/app"), []string{"example.com/app"}, "example.com/app", true},
		{"workspace module root", mains("example.com/a/cmd/web", "example.com/b"), []string{"example.com/a", "example.com/b"}, "example.com/b", true},
		{"named web", mains("example.com/app/cmd/api", "example.com/app/cmd/web"), []string{"example.com/app"}, "example.com/app/cmd/web", true},
		{"named web, major version", mains("example.com/app/cmd/api", "example.com/web/v2"), []string{"example.com/app"}, "example.com/web/v2", true},
		{"only one", mains("example.com/app/cmd/api"), []string{"example.com/app"}, "example.com/app/cmd/api", true},
		{"first of several", mains("example.com/app/cmd/api", "example.com/app/cmd/worker"), []string{"example.com/app"}, "example.com/app/cmd/api", false},
		{"no module paths", mains("example.com/app", "example.com/app/cmd/worker"), nil, "example.com/app", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			web, obvious := Web(tt.mains, tt.modules)
			if web.ImportPath != tt.want || obvious != tt.wantObvious {
				t.Errorf("Web = %s, %v; want %s, %v", web.ImportPath, obvious, tt.want, tt.wantObvious)
			}
		})
	}
}

func TestExecNameMatchesGo(t *testing.T) {
	files := map[string]string{"go.mod": "module example.com/tool/v3\n\ngo 1.22\n"}
	for _, d := range []string{".", "v1", "v2", "v05", "cmd/v1", "cmd/v10", "cmd/web"} {
		files[d+"/main.go"] = "package main\n\nfunc main() {}\n"
	}
	g := goLines(t, files).Go()
	out, err := g.Output(context.Background(), "list", "-f", "{{.ImportPath}} {{.Target}}", "./...")
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 7 {
		t.Fatalf("go list printed %q, want 7 packages", lines)
	}
	for _, line := range lines {
		importPath, target, _ := strings.Cut(line, " ")
		if got, want := ExecName(importPath), filepath.Base(target); got != want {
			t.Errorf("ExecName(%q) = %q, go names it %q", importPath, got, want)
		}
	}
}
