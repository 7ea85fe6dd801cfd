package output

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text, tabs\tand \\ backslashes", "plain text, tabs\tand \\ backslashes"},
		{"progress 10%\rprogress 100%", `progress 10%\rprogress 100%`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"nul\x00", `nul\x00`},
		{"bell\a back\b ff\f nl\n vt\v", `bell\a back\b ff\f nl\n vt\v`},
		{"\x01\x1f\x7f", `\x01\x1f\x7f`},
		{"C1 \u0085 \u009b", `C1 \u0085 \u009b`},
		{"lines \u2028 \u2029", `lines \u2028 \u2029`},
		{"\ufeffbom, \ufffe\uffff", `\ufeffbom, \ufffe\uffff`},
		{"not UTF-8: \xff\xfe \xc3", `not UTF-8: \xff\xfe \xc3`},
		{"surrogate \xed\xa0\x80", `surrogate \xed\xa0\x80`},
		{"kept: é 世界 \u00a0 \ufffd 🙂", "kept: é 世界 \u00a0 \ufffd 🙂"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEscapePrintable checks every rune and every byte: what Escape
// keeps is printable for YAML and no line break, and all of it is UTF-8.
func TestEscapePrintable(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		got := Escape(string(r))
		if got == string(r) && !yamlPrintable(r) {
			t.Errorf("Escape(%U) keeps it", r)
		}
	}
	for b := 0; b < 256; b++ {
		got := Escape(string([]byte{byte(b)}))
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\r\n\x00") {
			t.Errorf("Escape(byte %#x) = %q", b, got)
		}
	}
}

// yamlPrintable is YAML 1.2's c-printable without line breaks (CR, LF,
// NEL) and the byte order mark, and without LS and PS, which YAML 1.1
// takes as line breaks.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t', r >= 0x20 && r <= 0x7e:
		return true
	case r >= 0xa0 && r <= 0xd7ff:
		return r != 0x2028 && r != 0x2029
	case r >= 0xe000 && r <= 0xfffd:
		return r != 0xfeff
	case r >= 0x10000 && r <= 0x10ffff:
		return true
	}
	return false
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("a", 50<<20)
	tests := []struct{ in, want string }{
		{"web: ./app", "web: ./app"},
		{strings.Repeat("a", MaxExcerpt), strings.Repeat("a", MaxExcerpt)},
		{strings.Repeat("a", MaxExcerpt+1), strings.Repeat("a", MaxExcerpt) + "… (201 bytes)"},
		{long, strings.Repeat("a", MaxExcerpt) + fmt.Sprintf("… (%d bytes)", len(long))},
		{strings.Repeat("é", MaxExcerpt+1), strings.Repeat("é", MaxExcerpt) + "… (402 bytes)"},
		// An escape is never cut: \r would pass the width, so it is left out.
		{strings.Repeat("a", MaxExcerpt-1) + "\r", strings.Repeat("a", MaxExcerpt-1) + "… (200 bytes)"},
		{strings.Repeat("\x1b", 100), strings.Repeat(`\x1b`, MaxExcerpt/4) + "… (100 bytes)"},
	}
	for _, tt := range tests {
		got := Excerpt(tt.in)
		if got != tt.want {
			t.Errorf("Excerpt(%.20q… %d bytes) = %.300q, want %.300q", tt.in, len(tt.in), got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > MaxExcerpt+30 {
			t.Errorf("Excerpt(%.20q… %d bytes) is %d characters", tt.in, len(tt.in), n)
		}
	}
}

func TestList(t *testing.T) {
	many := make([]string, 200000)
	for i := range many {
		many[i] = fmt.Sprintf("VAR_%d", i)
	}
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"A"}, "A"},
		{[]string{"A", "B\rC"}, `A, B\rC`},
		{many[:MaxListed], "VAR_0, VAR_1, VAR_2, VAR_3, VAR_4, VAR_5, VAR_6, VAR_7, VAR_8, VAR_9"},
		{many, "VAR_0, VAR_1, VAR_2, VAR_3, VAR_4, VAR_5, VAR_6, VAR_7, VAR_8, VAR_9 and 199990 more"},
		{[]string{strings.Repeat("N", 1000)}, strings.Repeat("N", MaxExcerpt) + "… (1000 bytes)"},
	}
	for _, tt := range tests {
		if got := List(tt.in); got != tt.want {
			t.Errorf("List(%d items) = %q, want %q", len(tt.in), got, tt.want)
		}
	}
}
