package settings

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadEnvDir(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"GOVERSION":   "1.22\n",
		"GOFLAGS":     "-mod=mod -tags=a,b",
		"CRLF":        "value\r\n\r\n",
		"EMPTY":       "",
		"MULTI_LINE":  "one\ntwo\n",
		"_under":      "ok",
		"SPACES":      "  padded  \n",
		"1BAD":        "x",
		"BAD-NAME":    "x",
		"with.dot":    "x",
		".hidden":     "x",
		"GOPRIVATE_2": "example.com/*",
		// A host name may hold a hyphen, and so may the config var
		// that gives its credentials.
		"GO_GIT_CRED__HTTPS__MY-GIT__EXAMPLE__COM": "token",
		"GO_GIT_CRED__HTTPS__A.B":                  "x",
	})
	if err := os.Mkdir(filepath.Join(dir, "ADIR"), 0o777); err != nil {
		t.Fatal(err)
	}
	vars, skipped, err := readEnvDir(dir)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := configVars{
		"GOVERSION":   "1.22",
		"GOFLAGS":     "-mod=mod -tags=a,b",
		"CRLF":        "value",
		"EMPTY":       "",
		"MULTI_LINE":  "one\ntwo",
		"_under":      "ok",
		"SPACES":      "  padded  ",
		"GOPRIVATE_2": "example.com/*",
		"GO_GIT_CRED__HTTPS__MY-GIT__EXAMPLE__COM": "token",
	}
	if !reflect.DeepEqual(vars, want) {
		t.Errorf("Read vars =\n%q\nwant\n%q", vars, want)
	}
	wantSkipped := []string{".hidden", "1BAD", "ADIR", "BAD-NAME", "GO_GIT_CRED__HTTPS__A.B", "with.dot"}
	if !reflect.DeepEqual(skipped, wantSkipped) {
		t.Errorf("Read skipped = %q, want %q", skipped, wantSkipped)
	}
}

func TestReadEnvDirMissing(t *testing.T) {
	for _, dir := range []string{"", filepath.Join(t.TempDir(), "nope")} {
		vars, skipped, err := readEnvDir(dir)
		if err != nil || len(vars) != 0 || vars == nil || skipped != nil {
			t.Errorf("readEnvDir(%q) = %v, %v, %v; want empty vars", dir, vars, skipped, err)
		}
	}
}

func TestReadEnvDirNotADir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	writeFiles(t, filepath.Dir(file), map[string]string{"file": "x"})
	if _, _, err := readEnvDir(file); err == nil || !strings.HasPrefix(err.Error(), "read config vars: ") {
		t.Errorf("Read of a file: %v, want a read config vars error", err)
	}
}

func TestReadEnvDirSymlinks(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"REAL": "value\n"})
	if err := os.Symlink("REAL", filepath.Join(dir, "LINK")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing", filepath.Join(dir, "DANGLING")); err != nil {
		t.Fatal(err)
	}
	vars, skipped, err := readEnvDir(dir)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if want := (configVars{"REAL": "value", "LINK": "value"}); !reflect.DeepEqual(vars, want) {
		t.Errorf("Read vars = %q, want %q", vars, want)
	}
	if want := []string{"DANGLING"}; !reflect.DeepEqual(skipped, want) {
		t.Errorf("Read skipped = %q, want %q", skipped, want)
	}
}

func TestReadEnvDirTooLarge(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"OK":  strings.Repeat("a", maxValue),
		"BIG": strings.Repeat("b", maxValue+1),
	})
	vars, _, err := readEnvDir(dir)
	if err == nil {
		t.Fatalf("Read = %d vars, want error", len(vars))
	}
	if !strings.HasPrefix(err.Error(), "read config var BIG: value is 65537 bytes") {
		t.Errorf("Read error = %q", err)
	}
}

func TestConfigVars(t *testing.T) {
	v := configVars{"B": "2", "A": "", "C": "3"}
	if got := v.Get("B"); got != "2" {
		t.Errorf("Get(B) = %q", got)
	}
	if got := v.Get("Z"); got != "" {
		t.Errorf("Get(Z) = %q", got)
	}
	if s, ok := v.Lookup("A"); !ok || s != "" {
		t.Errorf("Lookup(A) = %q, %v; want set and empty", s, ok)
	}
	if _, ok := v.Lookup("Z"); ok {
		t.Errorf("Lookup(Z) found an unset var")
	}
	if got, want := v.Names(), []string{"A", "B", "C"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names = %q, want %q", got, want)
	}
}
