package netrc

import (
	"strings"
	"testing"
)

// FuzzParse checks that no .netrc content makes Parse panic and that
// errors never repeat a password.
func FuzzParse(f *testing.F) {
	f.Add("machine a.example login u password p\n", "a.example")
	f.Add("default login u password p", "b.example:443")
	f.Add("machine", "")
	f.Add("machine h login\tpassword", "h")
	f.Fuzz(func(t *testing.T, data, host string) {
		lines, err := Parse(data)
		if err != nil {
			for _, l := range parsedPasswords(data) {
				if len(l) > 3 && strings.Contains(err.Error(), l) {
					t.Fatalf("error %q repeats the password %q", err, l)
				}
			}
			return
		}
		Lookup(lines, host)
	})
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
