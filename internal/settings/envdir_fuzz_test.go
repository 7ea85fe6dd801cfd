package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadEnvDir checks that any file in ENV_DIR is read without a panic: a
// valid name gives its value without trailing newlines, anything else is
// skipped, and names that must not be exported are not.
func FuzzReadEnvDir(f *testing.F) {
	f.Add("DATABASE_URL", "postgres://u:p@h/db\n")
	f.Add("LD_PRELOAD", "/evil.so")
	f.Add("WITH\nNEWLINE", "x")
	f.Add("VALUE", "line1\nline2\r\n")
	f.Fuzz(func(t *testing.T, name, value string) {
		if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") || len(name) > 200 {
			return
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(value), 0o644); err != nil {
			return
		}
		vars, skipped, err := readEnvDir(dir)
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if got, ok := vars[name]; ok {
			if got != strings.TrimRight(value, "\r\n") {
				t.Fatalf("value of %q = %q, want %q", name, got, value)
			}
		} else if len(skipped) != 1 {
			t.Fatalf("%q neither read nor skipped", name)
		}
		for _, kv := range vars.Exported() {
			if k, _, _ := strings.Cut(kv, "="); !exportable(k) {
				t.Fatalf("exported %q", k)
			}
		}
	})
}
