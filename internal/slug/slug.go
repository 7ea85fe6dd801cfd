// Package slug lays out what the build leaves in the app directory for
// the dyno: the runtime PATH in .profile.d and the process types that
// bin/release reports.
package slug

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MetaDir is where the build records facts for bin/release and bin/report,
// relative to the build directory.
const MetaDir = ".heroku/go"

// Process is a process type and the command that starts it.
type Process struct {
	Type    string
	Command string
}

// WriteProfile writes .profile.d/go.sh, which the dyno sources at boot, so
// the app's binaries in $HOME/bin are on PATH.
func WriteProfile(buildDir string) error {
	dir := filepath.Join(buildDir, ".profile.d")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write .profile.d: %w", err)
	}
	script := "# Written by the Go buildpack: the app's binaries are in $HOME/bin.\n" +
		"export PATH=\"$HOME/bin:$PATH\"\n"
	if err := os.WriteFile(filepath.Join(dir, "go.sh"), []byte(script), 0o644); err != nil {
		return fmt.Errorf("write .profile.d: %w", err)
	}
	return nil
}

// ReleaseYAML renders the bin/release answer for the process types.
func ReleaseYAML(procs []Process) string {
	var b strings.Builder
	b.WriteString("---\n")
	if len(procs) == 0 {
		b.WriteString("default_process_types: {}\n")
		return b.String()
	}
	b.WriteString("default_process_types:\n")
	for _, p := range procs {
		fmt.Fprintf(&b, "  %s: %s\n", p.Type, strconv.Quote(p.Command))
	}
	return b.String()
}

// WriteRelease records the process types for bin/release.
func WriteRelease(buildDir string, procs []Process) error {
	dir := filepath.Join(buildDir, MetaDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write release: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "release.yml"), []byte(ReleaseYAML(procs)), 0o644); err != nil {
		return fmt.Errorf("write release: %w", err)
	}
	return nil
}
