package files

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestStaleTemp(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	living := func(pid int) bool { return pid == 42 }
	tests := []struct {
		name  string
		holds bool
		age   time.Duration
		want  bool
	}{
		{"gobuildpack-home-42-123", true, 0, true}, // unlocked with something in it: its build died after writing it
		{"gobuildpack-cache-7-123", true, 0, true},
		{"gobuildpack-home-42-123", false, 0, false},    // its build may be about to lock it
		{"gobuildpack-toolchain-7-123", false, 0, true}, // its build is gone
		{"gobuildpack-home-x-123", false, 0, true},
		{"gobuildpack-home-123456", true, time.Minute, false}, // an earlier version's, maybe running
		{"gobuildpack-cache-123456", true, 3 * time.Hour, true},
		{"gobuildpack-home-123456", false, 3 * time.Hour, true},
	}
	for _, tt := range tests {
		if got := staleTemp(tt.name, tt.holds, now.Add(-tt.age), now, living); got != tt.want {
			t.Errorf("staleTemp(%q, holds %v, age %v) = %v, want %v", tt.name, tt.holds, tt.age, got, tt.want)
		}
	}
}

// TestRemoveStaleTemp fills a temporary directory with what builds leave
// there: the directory of a running build (this process, holding its
// lock), directories of killed builds (with and without files in them),
// an earlier version's, other kinds and things that are not a build's.
// RemoveStaleTemp removes exactly the killed builds' of the kinds asked.
func TestRemoveStaleTemp(t *testing.T) {
	const data = "machine github.com login u password p\n"
	parent := t.TempDir()
	live, err := NewTempDir(parent, "home")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Remove()
	if want := "gobuildpack-home-" + strconv.Itoa(os.Getpid()) + "-"; !strings.HasPrefix(filepath.Base(live.Path), want) {
		t.Errorf("temp dir %s, want a name starting %s", live.Path, want)
	}
	if st, err := os.Stat(live.Path); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("temp dir mode: %v, %v; want 0700", st.Mode(), err)
	}
	if err := os.WriteFile(filepath.Join(live.Path, ".netrc"), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	exited := exec.Command("true")
	if err := exited.Run(); err != nil {
		t.Fatal(err)
	}
	dead := strconv.Itoa(exited.ProcessState.Pid())
	running := strconv.Itoa(os.Getppid())
	mk := func(name string, full bool) string {
		dir := filepath.Join(parent, name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if full {
			if err := os.WriteFile(filepath.Join(dir, ".netrc"), []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	killed := []string{
		mk("gobuildpack-home-"+dead+"-1", true),
		mk("gobuildpack-home-"+running+"-2", true), // its pid is reused; the lock is free
		mk("gobuildpack-cache-"+dead+"-3", false),
		mk("gobuildpack-toolchain-"+running+"-4", true),
		mk("gobuildpack-home-99", true),
	}
	old := time.Now().Add(-2 * legacyAge)
	if err := os.Chtimes(killed[4], old, old); err != nil {
		t.Fatal(err)
	}
	kept := []string{
		live.Path,
		mk("gobuildpack-home-"+running+"-5", false), // maybe about to be locked
		mk("gobuildpack-home-100", true),            // an earlier version's, maybe running
		mk("gobuildpack-deploy-"+dead+"-6", true),   // a kind not asked for
		mk("other-"+dead+"-7", true),
	}
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, ".netrc"), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(parent, "gobuildpack-home-"+dead+"-8")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, link, filepath.Join(outside, ".netrc"))

	if got := RemoveStaleTemp(parent, "home", "cache", "toolchain"); len(got) != len(killed) {
		t.Errorf("RemoveStaleTemp = %q, want %d removed", got, len(killed))
	}
	for _, p := range killed {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	for _, p := range kept {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	// Once the running build removed its directory, nothing is left to remove.
	if err := live.Remove(); err != nil {
		t.Fatal(err)
	}
	if got := RemoveStaleTemp(parent, "home", "cache", "toolchain"); len(got) != 0 {
		t.Errorf("second RemoveStaleTemp = %q, want nothing", got)
	}
}
