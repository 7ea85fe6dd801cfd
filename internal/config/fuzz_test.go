package config

import (
	"testing"
)

// FuzzParseConfig checks that no config var values make ParseConfig panic.
func FuzzParseConfig(f *testing.F) {
	f.Add("-tags=a,b -mod=mod", "-race -ldflags '-X a=b'", "main.version", "v1", "0", "")
	f.Add("-tags", "'", "", "x", "yes", "maybe")
	f.Fuzz(func(t *testing.T, goflags, buildFlags, sym, val, cgo, strip string) {
		c, err := ParseConfig(map[string]string{
			"GOFLAGS": goflags, "GO_BUILD_FLAGS": buildFlags, "GO_LINKER_SYMBOL": sym,
			"GO_LINKER_VALUE": val, "CGO_ENABLED": cgo, "GO_STRIP": strip,
		}, "abc")
		if err != nil {
			return
		}
		if args := c.BuildArgs(); len(args) == 0 || args[0][:6] != "-tags=" {
			t.Fatalf("BuildArgs = %q", args)
		}
	})
}
