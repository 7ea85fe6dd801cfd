package build

import (
	"os"
	"os/exec"
	"path/filepath"
)

// VCSFlag returns the -buildvcs flag for dir: stamping only works when the
// app has a .git directory and git is installed; otherwise it is turned
// off so the build does not fail on missing version control.
func VCSFlag(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		if _, err := exec.LookPath("git"); err == nil {
			return "-buildvcs=auto"
		}
	}
	return "-buildvcs=false"
}
