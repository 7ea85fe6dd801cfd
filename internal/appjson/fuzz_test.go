package appjson

import "testing"

// FuzzParse checks that no app.json makes parsing or the required-vars
// check panic.
func FuzzParse(f *testing.F) {
	f.Add(`{"env": {"DATABASE_URL": {"required": true}, "PORT": "5000", "SECRET": {"generator": "secret"}}}`)
	f.Add(`{"env": []}`)
	f.Add(`{"env": {"A": {"required": "yes"}}}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, data string) {
		file, err := Parse([]byte(data))
		if err != nil {
			return
		}
		file.Missing(func(name string) bool { return len(name)%2 == 0 })
	})
}
