package shellwords

import (
	"reflect"
	"testing"
)

// FuzzSplitWords checks that ShellJoin quotes any words so that
// SplitWords gives them back.
func FuzzSplitWords(f *testing.F) {
	f.Add(`-ldflags '-X main.v=a b' -tags "x y" -v`, "a'b")
	f.Add(`\`, `"`)
	f.Add("", "$HOME")
	f.Fuzz(func(t *testing.T, line, word string) {
		words, err := SplitWords(line)
		if err != nil {
			return
		}
		words = append(words, word)
		back, err := SplitWords(ShellJoin(words))
		if err != nil || !reflect.DeepEqual(back, words) {
			t.Fatalf("SplitWords(ShellJoin(%q)) = %q, %v", words, back, err)
		}
	})
}
