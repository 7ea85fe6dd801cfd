package shellwords

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzSplitWords checks that no word is lost: ShellJoin quotes any words
// so that SplitWords gives them back; a line without quotes or
// backslashes splits as strings.Fields does; JoinGo writes every field
// SplitGo reads, and SplitGo gives them back.
func FuzzSplitWords(f *testing.F) {
	f.Add(`-ldflags '-X main.v=a b' -tags "x y" -v`, "a'b")
	f.Add(`\`, `"`)
	f.Add("", "$HOME")
	f.Add(`-x=a'b"c -v`, `'a"`)
	f.Add(`'-ldflags=-X main.v=a b' "-gcflags=all=-N -l"`, "a b\"")
	f.Fuzz(func(t *testing.T, line, word string) {
		if words, err := SplitWords(line); err == nil {
			if !strings.ContainsAny(line, `'"\`) && !same(words, fields(line, " \t\n")) {
				t.Fatalf("SplitWords(%q) = %q, want the fields", line, words)
			}
			words = append(words, word)
			back, err := SplitWords(ShellJoin(words))
			if err != nil || !reflect.DeepEqual(back, words) {
				t.Fatalf("SplitWords(ShellJoin(%q)) = %q, %v", words, back, err)
			}
		}
		if gofields, err := SplitGo(line); err == nil {
			if !strings.ContainsAny(line, `'"`) && !same(gofields, fields(line, " \t\n\r")) {
				t.Fatalf("SplitGo(%q) = %q, want the fields", line, gofields)
			}
			joined, err := JoinGo(gofields)
			if err != nil {
				t.Fatalf("JoinGo(%q) (fields SplitGo read): %v", gofields, err)
			}
			if back, err := SplitGo(joined); err != nil || !reflect.DeepEqual(back, gofields) {
				t.Fatalf("SplitGo(JoinGo(%q)) = %q, %v", gofields, back, err)
			}
		}
		ws := []string{word, line}
		if joined, err := JoinGo(ws); err == nil {
			if back, err := SplitGo(joined); err != nil || !reflect.DeepEqual(back, ws) {
				t.Fatalf("SplitGo(JoinGo(%q)) = %q, %v", ws, back, err)
			}
		}
	})
}

// fields splits s at any of the separator bytes, dropping empty fields.
func fields(s, seps string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
}

// same reports whether a and b hold the same words, nil being empty.
func same(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}
