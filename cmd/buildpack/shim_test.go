package main

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/prebuilt"
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

func TestShimRedact(t *testing.T) {
	urls := []string{
		"https://deploy-bot:s3cr3t@proxy.example.com/mod",
		"https://deploy-bot:s3cr3t@127.0.0.1:8443",
		"http://user:pa:ss@host/path?q=1",
		"https://user:@host",
		"https://user@host/only-user",
		"https://host:8080/no/userinfo",
		"https://host/path@not-userinfo",
		"https://u:p%40ss@host/x",
		"https://u:p@ss@host/x",
		"file:///srv/proxy",
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		want := u.Redacted()
		if got := strings.TrimSuffix(shim(t, repoRoot, raw+"\n", "redact"), "\n"); got != want {
			t.Errorf("redact %q = %q, want %q (as net/url's Redacted)", raw, got, want)
		}
		// Inside a message, as curl prints it.
		msg := "curl: (22) The requested URL returned error: 401 for " + raw + ", giving up"
		wantMsg := "curl: (22) The requested URL returned error: 401 for " + want + ", giving up"
		if got := strings.TrimSuffix(shim(t, repoRoot, msg+"\n", "redact"), "\n"); got != wantMsg {
			t.Errorf("redact %q = %q, want %q", msg, got, wantMsg)
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
