package compile

// What go.sum lists, and which of it the module cache already holds: the
// module download step counts them.

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
)

// sumModules returns the module versions a go.sum lists zips for.
func sumModules(gosum []byte) []module.Version {
	var out []module.Version
	for _, line := range strings.Split(string(gosum), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || strings.HasSuffix(f[1], "/go.mod") {
			continue
		}
		out = append(out, module.Version{Path: f[0], Version: f[1]})
	}
	return out
}

// cachedModules counts the modules whose zips the module cache holds.
func cachedModules(gomodcache string, mods []module.Version) int {
	n := 0
	for _, m := range mods {
		p, err1 := module.EscapePath(m.Path)
		v, err2 := module.EscapeVersion(m.Version)
		if err1 != nil || err2 != nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(gomodcache, "cache", "download", p, "@v", v+".zip")); err == nil {
			n++
		}
	}
	return n
}
