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

func TestSplitGo(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{in: "", want: nil},
		{in: " \t\r\n ", want: nil},
		{in: "-a  -b\t-c\r\n-d", want: []string{"-a", "-b", "-c", "-d"}},
		{in: `'-ldflags=-X main.v=a b' "-gcflags=all=-N -l"`, want: []string{"-ldflags=-X main.v=a b", "-gcflags=all=-N -l"}},
		// Quotes count only around a whole field, with no escapes inside.
		{in: `-x=a'b"c -v`, want: []string{`-x=a'b"c`, "-v"}},
		{in: `-tags='a b'`, want: []string{"-tags='a", "b'"}},
		{in: `'a\' "b'c"`, want: []string{`a\`, `b'c`}},
		{in: `'a'b`, want: []string{"a", "b"}},
		{in: `'' ""`, want: []string{"", ""}},
		{in: `x\ y`, want: []string{`x\`, "y"}},
		{in: `'open`, wantErr: "unterminated ' string"},
		{in: `-a "open`, wantErr: `unterminated " string`},
	}
	for _, tt := range tests {
		got, err := SplitGo(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("SplitGo(%q) = %q, %v; want error %q", tt.in, got, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || !reflect.DeepEqual(got, tt.want)):
			t.Errorf("SplitGo(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestJoinGo(t *testing.T) {
	tests := []struct {
		words   []string
		want    string
		wantErr bool
	}{
		{words: nil, want: ""},
		{words: []string{"-a", "-b=c"}, want: "-a -b=c"},
		{words: []string{`-x=a'b"c`, "-v"}, want: `-x=a'b"c -v`},
		{words: []string{"-ldflags=-X main.v=a b"}, want: "'-ldflags=-X main.v=a b'"},
		{words: []string{`-ldflags=-X 'main.v=a b'`}, want: `"-ldflags=-X 'main.v=a b'"`},
		{words: []string{""}, want: "''"},
		{words: []string{"'a"}, want: `"'a"`},
		{words: []string{`a b'"`}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := JoinGo(tt.words)
		if tt.wantErr {
			if err == nil {
				t.Errorf("JoinGo(%q) = %q, want error", tt.words, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("JoinGo(%q) = %q, %v; want %q", tt.words, got, err, tt.want)
		}
		if back, err := SplitGo(got); err != nil || !reflect.DeepEqual(back, tt.words) {
			t.Errorf("SplitGo(JoinGo(%q)) = %q, %v", tt.words, back, err)
		}
	}
}
