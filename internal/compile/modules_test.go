package compile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/module"
)

func TestSumModules(t *testing.T) {
	gosum := strings.Join([]string{
		"github.com/BurntSushi/toml v1.3.2 h1:o7IhLm0Msx3BaB+n3Ag7L8EVlByGnpq14C4YWiu/gL8=",
		"github.com/BurntSushi/toml v1.3.2/go.mod h1:CxXYINrC8qIiEnFrOxCa7Jy5BFHlXnUU2pbicEuybxQ=",
		"golang.org/x/mod v0.17.0/go.mod h1:hTbmBsO62+eylJbnUtE2MGJUyE7QWk4xUqPFrRgJ+7c=",
		"",
		"   ",
		"junk",
		"two fields",
		"four fields are junk",
		"golang.org/x/text v0.14.0 h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=",
		"\tgithub.com/pkg/errors   v0.9.1   h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=  ",
		"example.com/incompatible v2.0.0+incompatible h1:x=",
	}, "\n")
	want := []module.Version{
		{Path: "github.com/BurntSushi/toml", Version: "v1.3.2"},
		{Path: "golang.org/x/text", Version: "v0.14.0"},
		{Path: "github.com/pkg/errors", Version: "v0.9.1"},
		{Path: "example.com/incompatible", Version: "v2.0.0+incompatible"},
	}
	if got := sumModules([]byte(gosum)); !reflect.DeepEqual(got, want) {
		t.Errorf("sumModules =\n%v\nwant\n%v", got, want)
	}
	if got := sumModules(nil); len(got) != 0 {
		t.Errorf("sumModules(nil) = %v", got)
	}
	if got := sumModules([]byte("a v1.0.0 h1:x=\r\nb v1.0.0/go.mod h1:y=\r\n")); !reflect.DeepEqual(got, []module.Version{{Path: "a", Version: "v1.0.0"}}) {
		t.Errorf("sumModules with CRLF = %v", got)
	}
}

func TestCachedModules(t *testing.T) {
	gomodcache := t.TempDir()
	for _, zip := range []string{
		"cache/download/github.com/!burnt!sushi/toml/@v/v1.3.2.zip",
		"cache/download/golang.org/x/text/@v/v0.14.0.zip",
		"cache/download/example.com/!upper/@v/v1.0.0-!r!c1.zip",
		"cache/download/example.com/incompatible/@v/v2.0.0+incompatible.zip",
		// Only the .mod and .info: not a downloaded zip.
		"cache/download/golang.org/x/mod/@v/v0.17.0.mod",
		"cache/download/golang.org/x/mod/@v/v0.17.0.info",
		// Unescaped: not where the go command puts it.
		"cache/download/github.com/Unescaped/m/@v/v1.0.0.zip",
		// Where an invalid path would be, unescaped.
		"cache/download/not a path/@v/v1.0.0.zip",
	} {
		path := filepath.Join(gomodcache, filepath.FromSlash(zip))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("zip"), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		mods []module.Version
		want int
	}{
		{"none", nil, 0},
		{"escaped path", []module.Version{{Path: "github.com/BurntSushi/toml", Version: "v1.3.2"}}, 1},
		{"escaped version", []module.Version{{Path: "example.com/Upper", Version: "v1.0.0-RC1"}}, 1},
		{"incompatible", []module.Version{{Path: "example.com/incompatible", Version: "v2.0.0+incompatible"}}, 1},
		{"other version", []module.Version{{Path: "github.com/BurntSushi/toml", Version: "v1.3.1"}}, 0},
		{"mod only", []module.Version{{Path: "golang.org/x/mod", Version: "v0.17.0"}}, 0},
		{"unescaped on disk", []module.Version{{Path: "github.com/Unescaped/m", Version: "v1.0.0"}}, 0},
		{"invalid path", []module.Version{{Path: "not a path", Version: "v1.0.0"}}, 0},
		{"invalid version", []module.Version{{Path: "golang.org/x/text", Version: "v0.14.0\x00"}}, 0},
		{"several", []module.Version{
			{Path: "github.com/BurntSushi/toml", Version: "v1.3.2"},
			{Path: "golang.org/x/text", Version: "v0.14.0"},
			{Path: "golang.org/x/mod", Version: "v0.17.0"},
			{Path: "example.com/missing", Version: "v1.0.0"},
		}, 2},
	}
	for _, tt := range tests {
		if got := cachedModules(gomodcache, tt.mods); got != tt.want {
			t.Errorf("%s: cachedModules = %d, want %d", tt.name, got, tt.want)
		}
	}
	if got := cachedModules(filepath.Join(t.TempDir(), "missing"), []module.Version{{Path: "golang.org/x/text", Version: "v0.14.0"}}); got != 0 {
		t.Errorf("cachedModules of a missing cache = %d", got)
	}
	// sumModules and cachedModules together, as the build uses them.
	gosum := "github.com/BurntSushi/toml v1.3.2 h1:a=\ngithub.com/BurntSushi/toml v1.3.2/go.mod h1:b=\ngolang.org/x/mod v0.17.0 h1:c=\n"
	if got := cachedModules(gomodcache, sumModules([]byte(gosum))); got != 1 {
		t.Errorf("cachedModules(sumModules) = %d, want 1", got)
	}
}
