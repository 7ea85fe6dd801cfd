package procfile

import (
	"os"
	"path/filepath"
)

// StackPATH is PATH on a dyno before the .profile.d scripts extend it.
const StackPATH = "/usr/local/bin:/usr/bin:/bin"

// HasCommand reports whether this machine has a program of that name in
// one of StackPATH's directories, where a dyno would find it: the build
// runs on the stack's image, so what it has there the dyno has too.
func HasCommand(name string) bool {
	for _, dir := range filepath.SplitList(StackPATH) {
		info, err := os.Stat(filepath.Join(dir, name))
		if err == nil && !info.IsDir() && info.Mode().Perm()&0o111 != 0 {
			return true
		}
	}
	return false
}
