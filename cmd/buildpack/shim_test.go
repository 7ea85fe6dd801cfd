package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/prebuilt"
	"github.com/gobuildpack/heroku-buildpack-go/internal/secret"
)

// The functions of bin/program.sh that must agree with the Go program,
// run by bash and compared with their Go counterparts.

// shim runs script in bash after sourcing bin/program.sh with bp_dir set,
// with stdin as its input, and returns its stdout.
func shim(t *testing.T, bpDir, stdin, script string, env ...string) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", `set -euo pipefail; bp_dir=$1; source "$2"; `+script, "bash", bpDir, filepath.Join(repoRoot, "bin", "program.sh"))
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash %s: %v\n%s", script, err, err.(*exec.ExitError).Stderr)
	}
	return string(out)
}

func TestShimSourceKey(t *testing.T) {
	// An odd tree: names with spaces and a leading dash, nested and
	// testdata Go files, test files and other files (not part of the key),
	// a symlink (not followed), and names whose order differs between
	// byte order and a locale's collation.
	odd := t.TempDir()
	files := map[string]string{
		"go.mod":                            "module example.com/x\n",
		"go.sum":                            "",
		"cmd/x/main.go":                     "package main\n",
		"cmd/x/main_test.go":                "package main\n",
		"cmd/x/README.md":                   "not a source\n",
		"internal/a b/c.go":                 "package ab\n",
		"internal/-dash/d.go":               "package dash\n",
		"internal/Upper/U.go":               "package upper\n",
		"internal/lower/u.go":               "package lower\n",
		"internal/x/testdata/generated.go":  "package gen\n",
		"internal/x/x.go":                   "package x\n",
		"internal/x/x_test.go":              "package x\n",
		"internal/x.go.orig/keep.txt":       "",
		"internal/_underscore/under.go":     "package under\n",
		"internal/z/deep/er/still/found.go": "package found\n",
	}
	for name, content := range files {
		path := filepath.Join(odd, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("x/x.go", filepath.Join(odd, "internal", "link.go")); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{repoRoot, odd} {
		want, err := prebuilt.SourceKey(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, locale := range []string{"C", "C.UTF-8"} {
			got := strings.TrimSpace(shim(t, dir, "", "source_key", "LC_ALL="+locale, "LANG="+locale))
			if got != want {
				t.Errorf("%s (%s): bash source_key = %q, Go SourceKey = %q", dir, locale, got, want)
			}
		}
	}
}

// TestShimRedact holds the shim's redact to the table internal/secret's
// Redact is held to, line by line and as one stream.
func TestShimRedact(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "internal", "secret", "testdata", "redact.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var ins, wants []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		in, want, _ := strings.Cut(line, "\t")
		if got := secret.Redact(in); got != want {
			t.Errorf("secret.Redact(%q) = %q, want %q", in, got, want)
		}
		ins, wants = append(ins, in), append(wants, want)
	}
	got := strings.Split(strings.TrimSuffix(shim(t, repoRoot, strings.Join(ins, "\n")+"\n", "redact"), "\n"), "\n")
	if len(got) != len(ins) {
		t.Fatalf("redact printed %d lines for %d", len(got), len(ins))
	}
	for i := range ins {
		if got[i] != wants[i] {
			t.Errorf("bash redact %q = %q, want %q (as secret.Redact)", ins[i], got[i], wants[i])
		}
	}
}

func TestShimProxyURLs(t *testing.T) {
	for _, value := range []string{
		"",
		"https://proxy.golang.org,direct",
		"https://deploy-bot:s3cr3t@proxy.example.com/,https://proxy.golang.org",
		"proxy.example.com | https://u:p@mirror.example.com/go/ , direct",
		"direct,https://a.example.com",
		"https://a.example.com,off,https://b.example.com",
	} {
		c, err := goproxy.New(value)
		if err != nil {
			t.Fatalf("%q: %v", value, err)
		}
		env := t.TempDir()
		if err := os.WriteFile(filepath.Join(env, "GOPROXY"), []byte(value), 0o644); err != nil {
			t.Fatal(err)
		}
		got := strings.TrimSpace(shim(t, repoRoot, "", `ENV_DIR_FOR_PROGRAM=$ENVDIR; proxy_urls | paste -sd, - | redact`, "ENVDIR="+env))
		if want := c.String(); got != want {
			t.Errorf("GOPROXY=%q: the shim names the proxies %q, the program %q", value, got, want)
		}
	}
}
