package slug

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteProfile(t *testing.T) {
	build := t.TempDir()
	for i := 0; i < 2; i++ {
		if err := WriteProfile(build); err != nil {
			t.Fatalf("WriteProfile: %v", err)
		}
	}
	script := filepath.Join(build, ".profile.d", "go.sh")
	data, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Written by the Go buildpack: the app's binaries are in $HOME/bin.\n" +
		"export PATH=\"$HOME/bin:$PATH\"\n"
	if string(data) != want {
		t.Errorf("go.sh =\n%s\nwant\n%s", data, want)
	}
	got := sourcePrint(t, script, []string{"HOME=/app dir", "PATH=/usr/bin:/bin"}, "PATH")
	if got[0] != "/app dir/bin:/usr/bin:/bin" {
		t.Errorf("sourcing go.sh gives PATH %q", got[0])
	}
}

func TestWriteProfileError(t *testing.T) {
	build := t.TempDir()
	writeFile(t, filepath.Join(build, ".profile.d"), "not a directory", 0o644)
	if err := WriteProfile(build); err == nil {
		t.Error("WriteProfile with a .profile.d file succeeded")
	}
}

func TestWriteRelease(t *testing.T) {
	build := t.TempDir()
	procs := []Process{{"web", "./app"}, {"worker", "bin/worker"}}
	if err := WriteRelease(build, procs); err != nil {
		t.Fatalf("WriteRelease: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(build, MetaDir, "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != ReleaseYAML(procs) {
		t.Errorf("release.yml = %q, want %q", data, ReleaseYAML(procs))
	}
}
