package netrc

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// FuzzParse checks that no .netrc content makes Parse panic, that errors
// and notes never repeat a password, that every entry is complete, and
// that the file written for the go command and git reads back as the
// same entries, with no default entry.
func FuzzParse(f *testing.F) {
	f.Add("machine a.example login u password p\n", "a.example")
	f.Add("default login u password p", "b.example:443")
	f.Add("machine", "")
	f.Add("machine h login\tpassword", "h")
	f.Add("macdef m\nmachine x login y password z\n\nmachine h login u password p default", "h")
	f.Fuzz(func(t *testing.T, data, host string) {
		lines, _, err := Parse(data)
		said := says(data)
		for _, p := range parsedPasswords(data) {
			if len(p) <= 3 || keywords[p] || !strings.Contains(said, p) {
				continue
			}
			// The messages' own words may hold it ("password" holds
			// "word"): it leaks only if it appears more often than when
			// the content has another password in its place.
			if strings.Count(said, p) > strings.Count(says(withoutPasswords(data)), p) {
				t.Fatalf("error or notes %q repeat the password %q", said, p)
			}
		}
		if err != nil {
			return
		}
		for _, l := range lines {
			if l.Machine == "" || l.Login == "" || l.Password == "" {
				t.Fatalf("incomplete entry %+v", l)
			}
		}
		file := Format(lines, nil)
		back, _, err := Parse(file)
		if err != nil || !reflect.DeepEqual(back, lines) {
			t.Fatalf("Parse(Format(%+v)) = %+v, %v", lines, back, err)
		}
		if strings.HasPrefix(file, "default") || strings.Contains(file, "\ndefault") {
			t.Fatalf("Format wrote a default entry:\n%s", file)
		}
		if login, pass, ok := Lookup(lines, host); ok {
			found := false
			for _, l := range lines {
				found = found || (strings.EqualFold(l.Machine, host) && l.Login == login && l.Password == pass)
			}
			if !found {
				t.Fatalf("Lookup(%q) = %q, %q from no entry naming it", host, login, pass)
			}
		}
	})
}

// keywords are the words of the netrc format.
var keywords = map[string]bool{"machine": true, "login": true, "password": true, "account": true, "default": true, "macdef": true}

// says returns what Parse says about data: its notes and its error.
func says(data string) string {
	_, notes, err := Parse(data)
	said := strings.Join(notes, "\n")
	if err != nil {
		said += err.Error()
	}
	return said
}

// passwordWord matches a "password" keyword and the word after it.
var passwordWord = regexp.MustCompile(`(^|\s)password(\s+)\S+`)

// withoutPasswords returns data with each word that follows "password"
// replaced by one that holds no other word.
func withoutPasswords(data string) string {
	return passwordWord.ReplaceAllString(data, "${1}password${2}\x01")
}

// parsedPasswords returns the words that follow "password" in data.
func parsedPasswords(data string) []string {
	var out []string
	f := strings.Fields(data)
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "password" {
			out = append(out, f[i+1])
		}
	}
	return out
}
