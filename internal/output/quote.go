package output

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxExcerpt is how many characters of an app's own text (a Procfile
// line, a config var name) a message quotes.
const MaxExcerpt = 200

// MaxListed is how many items (lines with problems, names) a message
// lists before it only counts the rest.
const MaxListed = 10

// Escape returns s with what a terminal or a line-based reader would act
// on made visible as Go escapes: control characters (C0 but tab, DEL and
// C1, so also CR, ESC and NUL), the Unicode line and paragraph separators,
// byte order marks and noncharacters U+FFFE and U+FFFF (which YAML, and
// so TAP's YAML blocks, does not allow), and bytes that are not UTF-8
// ("\r", "\x1b", "\u0085", "\xff"). Everything else is kept, tabs and
// backslashes included.
func Escape(s string) string {
	out, _ := escape(s, -1)
	return out
}

// Excerpt returns an app's own text as a message quotes it: Escape(s),
// cut after MaxExcerpt characters, where it says "…" and how long s is:
// "aaaa… (52428800 bytes)". Every message that quotes the content of an
// app's files or config vars quotes it with Excerpt.
func Excerpt(s string) string {
	out, cut := escape(s, MaxExcerpt)
	if !cut {
		return out
	}
	return fmt.Sprintf("%s… (%d bytes)", out, len(s))
}

// List joins items with ", ", at most MaxListed of them, each an Excerpt;
// it counts the rest: "A, B, C and 7 more".
func List(items []string) string {
	n := min(len(items), MaxListed)
	shown := make([]string, n)
	for i, s := range items[:n] {
		shown[i] = Excerpt(s)
	}
	out := strings.Join(shown, ", ")
	if more := len(items) - n; more > 0 {
		out += fmt.Sprintf(" and %d more", more)
	}
	return out
}

// escape is Escape with at most max characters of output (no limit when
// max < 0); an escape sequence is never cut. cut says s did not fit.
func escape(s string, max int) (out string, cut bool) {
	if max < 0 || len(s) <= max {
		clean := true
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 && c != '\t' || c >= 0x7f {
				clean = false
				break
			}
		}
		if clean {
			return s, false
		}
	}
	var b strings.Builder
	width := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var e string
		switch {
		case r == utf8.RuneError && size == 1:
			e = fmt.Sprintf(`\x%02x`, s[i])
		case escaped(r):
			e = escapeRune(r)
		}
		w := len(e)
		if e == "" {
			w = 1
		}
		if max >= 0 && width+w > max {
			return b.String(), true
		}
		width += w
		if e == "" {
			b.WriteString(s[i : i+size])
		} else {
			b.WriteString(e)
		}
		i += size
	}
	return b.String(), false
}

// escaped reports whether Escape writes r as an escape.
func escaped(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	}
	switch r {
	case '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff':
		return true
	}
	return false
}

// escapeRune writes r as Go writes it in a string literal.
func escapeRune(r rune) string {
	switch r {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\v':
		return `\v`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}
