package slug

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fakeGoroot(t *testing.T) string {
	t.Helper()
	goroot := filepath.Join(t.TempDir(), "go")
	writeFile(t, filepath.Join(goroot, "bin", "go"), "go binary", 0o755)
	writeFile(t, filepath.Join(goroot, "pkg", "tool", "linux_amd64", "compile"), "compile", 0o755)
	writeFile(t, filepath.Join(goroot, "src", "fmt", "print.go"), "package fmt", 0o644)
	writeFile(t, filepath.Join(goroot, ".installed"), "", 0o644)
	writeFile(t, filepath.Join(goroot, "src", ".installed"), "", 0o644)
	if err := os.MkdirAll(filepath.Join(goroot, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../bin/go", filepath.Join(goroot, "pkg", "go")); err != nil {
		t.Fatal(err)
	}
	return goroot
}

func TestKeepToolchain(t *testing.T) {
	goroot := fakeGoroot(t)
	build := t.TempDir()
	writeFile(t, filepath.Join(build, ToolchainDir, "stale"), "old", 0o644)
	if err := KeepToolchain(build, goroot); err != nil {
		t.Fatalf("KeepToolchain: %v", err)
	}
	kept := filepath.Join(build, ToolchainDir)
	for _, name := range []string{"bin/go", "pkg/tool/linux_amd64/compile", "src/fmt/print.go"} {
		src, err := os.Stat(filepath.Join(goroot, name))
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.Stat(filepath.Join(kept, name))
		if err != nil {
			t.Errorf("%s not kept: %v", name, err)
			continue
		}
		if !os.SameFile(src, dst) {
			t.Errorf("%s is not hard-linked", name)
		}
	}
	for _, name := range []string{".installed", "src/.installed", "stale"} {
		if _, err := os.Lstat(filepath.Join(kept, name)); !os.IsNotExist(err) {
			t.Errorf("%s in the kept toolchain: %v", name, err)
		}
	}
	if st, err := os.Stat(filepath.Join(kept, "empty")); err != nil || !st.IsDir() {
		t.Errorf("empty directory not kept: %v", err)
	}
	if link, err := os.Readlink(filepath.Join(kept, "pkg", "go")); err != nil || link != "../bin/go" {
		t.Errorf("symlink kept as %q, %v; want ../bin/go", link, err)
	}

	script := filepath.Join(build, ".profile.d", "go-toolchain.sh")
	data, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Written by the Go buildpack: the Go toolchain is kept in the slug.\n" +
		"export PATH=\"$HOME/.heroku/go/toolchain/bin:$PATH\"\n" +
		"export GOTOOLCHAIN=local\n"
	if string(data) != want {
		t.Errorf("go-toolchain.sh =\n%s\nwant\n%s", data, want)
	}
	got := sourcePrint(t, script, []string{"HOME=" + build, "PATH=/usr/bin"}, "PATH", "GOTOOLCHAIN")
	if got[0] != filepath.Join(kept, "bin")+":/usr/bin" || got[1] != "local" {
		t.Errorf("sourcing go-toolchain.sh gives %q", got)
	}
}

func TestKeepToolchainMissing(t *testing.T) {
	build := t.TempDir()
	err := KeepToolchain(build, filepath.Join(t.TempDir(), "nope"))
	if err == nil || !strings.HasPrefix(err.Error(), "keep toolchain: ") {
		t.Fatalf("KeepToolchain of a missing toolchain = %v, want error", err)
	}
	if _, err := os.Lstat(filepath.Join(build, ToolchainDir)); !os.IsNotExist(err) {
		t.Errorf("a failed KeepToolchain left %s: %v", ToolchainDir, err)
	}
	if _, err := os.Lstat(filepath.Join(build, ".profile.d", "go-toolchain.sh")); !os.IsNotExist(err) {
		t.Errorf("a failed KeepToolchain wrote the profile script: %v", err)
	}
}
