// Package shellwords splits config var values into words: as a POSIX shell
// would (GO_BUILD_FLAGS), or as the go command splits GOFLAGS; and joins
// words back into a command line.
package shellwords

import (
	"errors"
	"fmt"
	"strings"
)

// ShellJoin joins args into a command line a shell would split back into
// them, for the build log.
func ShellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// SplitWords splits s into words the way a POSIX shell would, without
// expansions: whitespace separates words; single quotes keep everything;
// double quotes keep everything but \" and \\; a backslash escapes the
// next character.
func SplitWords(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errors.New("trailing backslash")
			}
			i++
			cur.WriteByte(s[i])
			in = true
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated ' quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			in = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("unterminated \" quote")
			}
			in = true
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// goSpace reports whether c separates fields for the go command.
func goSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// SplitGo splits s into fields as the go command splits GOFLAGS
// (cmd/internal/quoted): space, tab, CR and LF separate fields; a field
// that starts with ' or " runs to the next such quote and is taken as it
// is, with no escapes; quotes anywhere else are ordinary characters.
func SplitGo(s string) ([]string, error) {
	var fields []string
	for i := 0; i < len(s); {
		for i < len(s) && goSpace(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		if q := s[i]; q == '\'' || q == '"' {
			j := strings.IndexByte(s[i+1:], q)
			if j < 0 {
				return nil, fmt.Errorf("unterminated %c string", q)
			}
			fields = append(fields, s[i+1:i+1+j])
			i += j + 2
			continue
		}
		j := i
		for j < len(s) && !goSpace(s[j]) {
			j++
		}
		fields = append(fields, s[i:j])
		i = j
	}
	return fields, nil
}

// JoinGo joins fields so that SplitGo gives them back, quoting only a
// field that is empty, holds a separator or starts with a quote. A field
// that needs quoting and holds both quotes cannot be written: that is an
// error, never a dropped field.
func JoinGo(fields []string) (string, error) {
	out := make([]string, len(fields))
	for i, f := range fields {
		needs := f == "" || f[0] == '\'' || f[0] == '"' || strings.ContainsAny(f, " \t\n\r")
		switch {
		case !needs:
			out[i] = f
		case !strings.Contains(f, "'"):
			out[i] = "'" + f + "'"
		case !strings.Contains(f, `"`):
			out[i] = `"` + f + `"`
		default:
			return "", fmt.Errorf("word %d needs quotes (it is empty, holds white space or starts with a quote) but holds both ' and \", which the go command cannot split", i+1)
		}
	}
	return strings.Join(out, " "), nil
}
