package filestest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// smallFSEnv tells a child process started by SmallFS which test is to
// mount a file system ("TEST_NAME"), and smallFSDirEnv and smallFSSizeEnv
// where and how large.
const (
	smallFSEnv     = "GOBUILDPACK_SMALLFS_TEST"
	smallFSDirEnv  = "GOBUILDPACK_SMALLFS_DIR"
	smallFSSizeEnv = "GOBUILDPACK_SMALLFS_SIZE"
)

// SmallFS gives the calling test a directory on a file system of size
// bytes, to see what a full disk does. It runs the test again in a child
// process, in new user and mount namespaces, where it mounts a tmpfs of
// that size on a new directory; no privileges are needed, and the mount
// goes with the child, whatever becomes of it. In the child, SmallFS
// returns the directory and the test goes on there; in the parent it
// waits for the child, reports its outcome as the test's (skipped where
// the namespaces or the mount are not permitted, with the reason), and
// returns "": the test then returns at once.
//
//	dir := filestest.SmallFS(t, 8<<20)
//	if dir == "" {
//		return // the test ran in a child process
//	}
func SmallFS(t *testing.T, size int64) string {
	t.Helper()
	if name := os.Getenv(smallFSEnv); name != "" {
		dir, sz := os.Getenv(smallFSDirEnv), os.Getenv(smallFSSizeEnv)
		if name != t.Name() {
			t.Fatalf("filestest: SmallFS called by %s in a child process started for %s", t.Name(), name)
		}
		// The mounts were copied from the parent's namespace: keep ours
		// from reaching it.
		if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
			t.Skipf("filestest: cannot make the mounts private in a new mount namespace: %v", err)
		}
		if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+sz); err != nil {
			t.Skipf("filestest: cannot mount a tmpfs in a new mount namespace: %v", err)
		}
		return dir
	}
	dir := filepath.Join(t.TempDir(), "smallfs")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	var run []string
	for _, part := range strings.Split(t.Name(), "/") {
		run = append(run, "^"+regexp.QuoteMeta(part)+"$")
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(run, "/"), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), smallFSEnv+"="+t.Name(), smallFSDirEnv+"="+dir, fmt.Sprintf("%s=%d", smallFSSizeEnv, size))
	uid, gid := os.Getuid(), os.Getgid()
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:                 syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}},
		GidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}},
		GidMappingsEnableSetgroups: false,
	}
	out, err := cmd.CombinedOutput()
	if cmd.Process == nil {
		t.Skipf("filestest: cannot start a process in new user and mount namespaces: %v", err)
	}
	if m := regexp.MustCompile(`(?m)^\s*smallfs\.go:\d+: (filestest: cannot .*)$`).FindSubmatch(out); m != nil {
		t.Skip(string(m[1]))
	}
	if err != nil {
		t.Fatalf("in a child process with a %d-byte file system: %v\n%s", size, err, out)
	}
	if !regexp.MustCompile(`(?m)^\s*--- PASS: ` + regexp.QuoteMeta(t.Name()) + ` `).Match(out) {
		t.Fatalf("the child process did not run %s:\n%s", t.Name(), out)
	}
	if testing.Verbose() {
		t.Logf("in a child process with a %d-byte file system:\n%s", size, out)
	}
	return ""
}
