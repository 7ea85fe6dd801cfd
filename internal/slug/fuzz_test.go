package slug

import (
	"strings"
	"testing"
)

// FuzzKeep checks that no GO_SLUG_KEEP value makes parsing or matching
// panic, and that accepted patterns stay inside the app.
func FuzzKeep(f *testing.F) {
	f.Add("templates/** static/*.css", "templates/a/b.html")
	f.Add("../x", "x")
	f.Add("[", "a")
	f.Add("**/**/*", "a/b/c")
	f.Fuzz(func(t *testing.T, value, path string) {
		pats, err := ParseKeep(value)
		if err != nil {
			return
		}
		for _, p := range pats {
			if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "../") || p == ".." {
				t.Fatalf("ParseKeep(%q) accepted %q", value, p)
			}
		}
		kept(path, pats)
	})
}
