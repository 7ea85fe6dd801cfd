package slugignore

import (
	"strings"
	"testing"
)

// FuzzParse checks that no .slugignore content or path makes Parse or
// Match panic, that warnings name their line, and that a path matched as
// a file is matched as a directory too (a trailing slash only narrows).
func FuzzParse(f *testing.F) {
	f.Add("*.psd\n/test\nspec/\n!x\n\\#y\n", "a/b/test")
	f.Add("**/**/*", "a")
	f.Add("[", "[")
	f.Add("a/**", "a/b/c")
	f.Fuzz(func(t *testing.T, data, rel string) {
		ig, warnings := Parse(data)
		for _, w := range warnings {
			if !strings.HasPrefix(w, ".slugignore:") {
				t.Fatalf("warning %q does not name the line", w)
			}
		}
		ig.Match(rel, false)
		ig.Match(rel, true)
		if ig.Match(rel, false) && !ig.Match(rel, true) {
			t.Fatalf("%q matches as a file but not as a directory", rel)
		}
	})
}
