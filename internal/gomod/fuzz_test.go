package gomod

import (
	"strings"
	"testing"
)

// FuzzParse checks that no go.mod or go.work content makes Parse panic,
// and that errors name the file.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"module example.com/m\n\ngo 1.22\n",
		"// +heroku goVersion 1.22\n// +heroku install ./cmd/...\nmodule m\ngo 1.22.3\ntoolchain go1.23.4\nrequire (\n\ta.b/c v1.0.0 // +heroku install ./x\n)\n",
		"go 1.22\nuse (\n\t./a\n\t./b\n)\n",
		"module m\ngo 1.99\ntoolchain default\n",
		"module \"m\nrequire a.b/c\n",
		"\ufeffmodule m\r\ngo 1.22\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		for _, parse := range []func(string, []byte) (*File, error){Parse, ParseWork} {
			file, err := parse("dir/go.mod", []byte(data))
			if err != nil {
				if !strings.Contains(err.Error(), "go.mod") {
					t.Errorf("error does not name the file: %v", err)
				}
				continue
			}
			for name, cs := range file.Comments {
				for _, c := range cs {
					if c.Name != name || c.Line < 1 {
						t.Errorf("comment %+v filed under %q", c, name)
					}
				}
			}
		}
	})
}
