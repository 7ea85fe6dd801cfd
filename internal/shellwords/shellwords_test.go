package shellwords

import (
	"reflect"
	"testing"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{in: "", want: nil},
		{in: " \t\n ", want: nil},
		{in: "a  b\tc\nd", want: []string{"a", "b", "c", "d"}},
		{in: `'a b' "c d"`, want: []string{"a b", "c d"}},
		{in: `a'b c'd"e f"`, want: []string{"ab cde f"}},
		{in: `'' ""`, want: []string{"", ""}},
		{in: `'a\' 'b"c'`, want: []string{`a\`, `b"c`}},
		{in: `"a \"q\" \\ \$ 'b'"`, want: []string{`a "q" \ \$ 'b'`}},
		{in: `a\ b \'c \"`, want: []string{"a b", "'c", `"`}},
		{in: `x\\`, want: []string{`x\`}},
		{in: `'open`, wantErr: "unterminated ' quote"},
		{in: `"open`, wantErr: `unterminated " quote`},
		{in: `"ends in \"`, wantErr: `unterminated " quote`},
		{in: `"ends in \`, wantErr: `unterminated " quote`},
		{in: `trailing\`, wantErr: "trailing backslash"},
	}
	for _, tt := range tests {
		got, err := SplitWords(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("SplitWords(%q) = %q, %v; want error %q", tt.in, got, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || !reflect.DeepEqual(got, tt.want)):
			t.Errorf("SplitWords(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestShellJoin(t *testing.T) {
	args := []string{"build", "-ldflags=-s -w -X 'main.v=a b'", "", "-o", "bin/"}
	line := ShellJoin(args)
	if want := `build '-ldflags=-s -w -X '\''main.v=a b'\''' '' -o bin/`; line != want {
		t.Errorf("ShellJoin = %s, want %s", line, want)
	}
	words, err := SplitWords(line)
	if err != nil || !reflect.DeepEqual(words, args) {
		t.Errorf("SplitWords(ShellJoin(args)) = %q, %v; want %q", words, err, args)
	}
}
