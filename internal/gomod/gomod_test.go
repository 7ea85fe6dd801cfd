package gomod

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		data string
		want File
	}{
		{
			name: "module only",
			data: "module example.com/app\n",
			want: File{Module: "example.com/app"},
		},
		{
			name: "go and toolchain",
			data: "module example.com/app\n\ngo 1.22.3\n\ntoolchain go1.22.5\n",
			want: File{Module: "example.com/app", Go: "1.22.3", GoLine: 3, Toolchain: "go1.22.5", ToolchainLine: 5},
		},
		{
			name: "toolchain default",
			data: "module example.com/app\ngo 1.22\ntoolchain default\n",
			want: File{Module: "example.com/app", Go: "1.22", GoLine: 2},
		},
		{
			name: "requires",
			data: "module example.com/app\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n\nrequire (\n\texample.com/b v1.2.0\n\texample.com/c v0.1.0 // indirect\n)\n",
			want: File{Module: "example.com/app", Go: "1.21", GoLine: 3, Requires: 3,
				Required: map[string]string{"example.com/a": "v1.0.0", "example.com/b": "v1.2.0", "example.com/c": "v0.1.0"}},
		},
		{
			name: "tools",
			data: "module example.com/app\n\ngo 1.24\n\ntool (\n\tgithub.com/golangci/golangci-lint/v2/cmd/golangci-lint\n\tgolang.org/x/tools/cmd/stringer\n)\n\nrequire github.com/golangci/golangci-lint/v2 v2.14.0\n",
			want: File{Module: "example.com/app", Go: "1.24", GoLine: 3, Requires: 1,
				Required: map[string]string{"github.com/golangci/golangci-lint/v2": "v2.14.0"},
				Tools:    []string{"github.com/golangci/golangci-lint/v2/cmd/golangci-lint", "golang.org/x/tools/cmd/stringer"}},
		},
		{
			name: "quoted module path",
			data: "module \"example.com/app\"\n",
			want: File{Module: "example.com/app"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("go.mod", []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.want.Name = "go.mod"
			tt.want.Comments = map[string][]Comment{}
			if tt.want.Required == nil {
				tt.want.Required = map[string]string{}
			}
			if !reflect.DeepEqual(*f, tt.want) {
				t.Errorf("Parse =\n%+v\nwant\n%+v", *f, tt.want)
			}
		})
	}
}

func TestParseComments(t *testing.T) {
	data := `// +heroku goVersion 1.21
// +heroku install ./cmd/top

module example.com/app // +heroku install ./cmd/suffix

// An ordinary comment.
go 1.22

require (
	// +heroku goVersion go1.22.4
	example.com/a v1.0.0 // +heroku install ./cmd/a ./cmd/b
	// +heroku install ./cmd/before-paren
)

// +heroku   goVersion   1.23
//+heroku install ./cmd/nospace
// heroku install ./not-a-directive
// +herokuinstall ./not-a-directive
// +heroku
`
	f, err := Parse("go.mod", []byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := map[string][]Comment{
		"goVersion": {
			{Name: "goVersion", Args: []string{"1.21"}, Line: 1},
			{Name: "goVersion", Args: []string{"go1.22.4"}, Line: 10},
			{Name: "goVersion", Args: []string{"1.23"}, Line: 15},
		},
		"install": {
			{Name: "install", Args: []string{"./cmd/top"}, Line: 2},
			{Name: "install", Args: []string{"./cmd/suffix"}, Line: 4},
			{Name: "install", Args: []string{"./cmd/a", "./cmd/b"}, Line: 11},
			{Name: "install", Args: []string{"./cmd/before-paren"}, Line: 12},
			{Name: "install", Args: []string{"./cmd/nospace"}, Line: 16},
		},
	}
	if !reflect.DeepEqual(f.Comments, want) {
		t.Errorf("Comments =\n%+v\nwant\n%+v", f.Comments, want)
	}
	if c, ok := f.Last("goVersion"); !ok || c.Line != 15 || c.Args[0] != "1.23" {
		t.Errorf("Last(goVersion) = %+v, %v; want the comment on line 15", c, ok)
	}
	if c, ok := f.Last("install"); !ok || c.Line != 16 {
		t.Errorf("Last(install) = %+v, %v; want the comment on line 16", c, ok)
	}
	if c, ok := f.Last("other"); ok {
		t.Errorf("Last(other) = %+v, want none", c)
	}
}

func TestParseCommentPlaces(t *testing.T) {
	tests := []struct {
		name string
		data string
		line int
	}{
		{"file header", "// +heroku goVersion 1.22\nmodule m\n", 1},
		{"after blank line", "// +heroku goVersion 1.22\n\nmodule m\n", 1},
		{"suffix of module", "module m // +heroku goVersion 1.22\n", 1},
		{"suffix of go", "module m\ngo 1.21 // +heroku goVersion 1.22\n", 2},
		{"end of file", "module m\ngo 1.21\n\n// +heroku goVersion 1.22\n", 4},
		{"on require paren", "module m\nrequire ( // +heroku goVersion 1.22\n\tx.org/y v1.0.0\n)\n", 2},
		{"before closing paren", "module m\nrequire (\n\tx.org/y v1.0.0\n\t// +heroku goVersion 1.22\n)\n", 4},
		{"suffix of closing paren", "module m\nrequire (\n\tx.org/y v1.0.0\n) // +heroku goVersion 1.22\n", 4},
		{"inside replace block", "module m\nreplace (\n\t// +heroku goVersion 1.22\n\tx.org/y => ./y\n)\n", 3},
		{"between statements", "module m\n\n// +heroku goVersion 1.22\n\ngo 1.21\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("go.mod", []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			c, ok := f.Last("goVersion")
			if !ok || c.Line != tt.line || !reflect.DeepEqual(c.Args, []string{"1.22"}) {
				t.Errorf("Last(goVersion) = %+v, %v; want args [1.22] on line %d (all: %+v)", c, ok, tt.line, f.Comments)
			}
			if n := len(f.Comments["goVersion"]); n != 1 {
				t.Errorf("found %d goVersion comments, want 1", n)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"unknown directive", "module m\n\nfrobnicate 1\n", "go.mod:3: "},
		{"bad go version", "module m\ngo 1.x\n", "go.mod:2: "},
		{"bad toolchain", "module m\ngo 1.21\ntoolchain 1.21.0\n", "go.mod:3: "},
		{"unterminated block", "module m\nrequire (\n\tx.org/y v1.0.0\n", "go.mod:4: syntax error"},
		{"bad quote", "module m\nrequire \"x.org/y v1.0.0\n", "go.mod:2:"},
		{"no module", "go 1.22\n", "go.mod: no module directive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("go.mod", []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse = %+v, want error", f)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Parse error = %q, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestParseErrorUsesName(t *testing.T) {
	_, err := Parse(filepath.Join("sub", "go.mod"), []byte("module m\nbogus\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "sub/go.mod:2: ") {
		t.Errorf("Parse error = %v, want prefix %q", err, "sub/go.mod:2: ")
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(path, []byte("module example.com/app\ngo 1.22\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	f, err := Read(files.AppFS(dir), "go.mod")
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if f.Module != "example.com/app" || f.Go != "1.22" {
		t.Errorf("Read = %+v", f)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	app := files.AppFS(dir)
	if _, err := Read(app, "go.mod"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Read of a missing file: %v, want ErrNotFound", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "go.mod"), 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(app, "go.mod"); err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Read of a directory: %v, want a not-regular-file error", err)
	}
	big := filepath.Join(dir, "big.mod")
	if err := os.WriteFile(big, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxSize+1); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(app, "big.mod"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Read of a huge file: %v, want a size error", err)
	}
}

// TestParseErrorsBounded: an error quotes an excerpt of what go.mod says,
// one line per error, however long the file's words are, and at most ten
// errors and a count of the rest.
func TestParseErrorsBounded(t *testing.T) {
	long := strings.Repeat("a", MaxSize/2)
	for _, data := range []string{
		"module m\n" + long + "\n",
		"module m\ngo 1" + long + "\n",
		"module m\nreplace x => " + long + "\n",
		"module m\nfrob\x1b[2J\n",
		"module m\n" + long + "\n" + long + "x\ngo 1.x" + long + "\n",
		"module m\n" + strings.Repeat("x\n", 100000),
	} {
		_, err := Parse("go.mod", []byte(data))
		if err == nil {
			t.Errorf("Parse(%.30q…) = no error", data)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) > 11 {
			t.Errorf("Parse(%.30q…) error of %d lines", data, len(lines))
		}
		for _, line := range lines {
			if n := len(line); n > 400 || !strings.HasPrefix(line, "go.mod:") || strings.ContainsAny(line, "\x1b\r") {
				t.Errorf("Parse(%.30q…) error line of %d bytes: %.300q", data, n, line)
			}
		}
	}
}

// TestReadSymlinkOutside: a go.mod or go.work that is a symlink to a file
// outside the app is not read; the error names it and the fix, and never
// quotes the file it points to. One to a file inside the app is read.
func TestReadSymlinkOutside(t *testing.T) {
	const secret = "root:s3cr3t-9c1e:19000"
	outside := filepath.Join(t.TempDir(), "shadow")
	if err := os.WriteFile(outside, []byte(secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	app := t.TempDir()
	rel, err := filepath.Rel(app, outside)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "real.mod"), []byte("module example.com/app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"go.mod": rel, "go.work": rel, "inside.mod": "real.mod"} {
		if err := os.Symlink(target, filepath.Join(app, link)); err != nil {
			t.Fatal(err)
		}
	}
	if f, err := Read(files.AppFS(app), "inside.mod"); err != nil || f.Module != "example.com/app" {
		t.Errorf("Read of a symlink inside the app = %+v, %v", f, err)
	}
	for name, read := range map[string]func(fs.FS, string) (*File, error){"go.mod": Read, "go.work": ReadWork} {
		_, err := read(files.AppFS(app), name)
		if err == nil || err.Error() != name+" is a symlink to outside the app; commit the file itself" {
			t.Errorf("read %s = %v", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("read %s quotes the file it points to: %v", name, err)
		}
	}
}
