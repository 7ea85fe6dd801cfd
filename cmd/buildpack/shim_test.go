package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goproxy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/release"
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

// TestShimSourceKey holds the shim's two keys of the sources to those of
// internal/release: the source key over the runtime packages bin/pins.sh
// lists, and the build key over every Go file under cmd/ and internal/.
func TestShimSourceKey(t *testing.T) {
	// An odd tree: names with spaces and a leading dash, nested and
	// testdata Go files, test files and other files (not part of the
	// keys), a symlink (not followed), names whose order differs between
	// byte order and a locale's collation, and packages that the pins list
	// and others they do not.
	odd := t.TempDir()
	files := map[string]string{
		"go.mod":                            "module example.com/x\n",
		"go.sum":                            "",
		"bin/pins.sh":                       "# pins\nprogram_packages='cmd/x internal/-dash internal/lower internal/x internal/gone'\n",
		"cmd/x/main.go":                     "package main\n",
		"cmd/x/main_test.go":                "package main\n",
		"cmd/x/README.md":                   "not a source\n",
		"cmd/xtool/main.go":                 "package main\n",
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
	keys := func(dir string) (source, build string) {
		t.Helper()
		pins, err := release.ReadPins(dir)
		if err != nil {
			t.Fatal(err)
		}
		if source, err = release.SourceKey(dir, pins.Packages); err != nil {
			t.Fatal(err)
		}
		if build, err = release.BuildKey(dir); err != nil {
			t.Fatal(err)
		}
		for _, locale := range []string{"C", "C.UTF-8"} {
			got := strings.TrimSpace(shim(t, dir, "", `source_keys; echo "$release_key $build_key"`, "LC_ALL="+locale, "LANG="+locale))
			if want := source + " " + build; got != want {
				t.Errorf("%s (%s): bash source_keys = %q, Go SourceKey and BuildKey = %q", dir, locale, got, want)
			}
		}
		return source, build
	}
	keys(repoRoot)
	source, build := keys(odd)

	// A tooling edit (a package the pins do not list) changes the build
	// key only; a runtime edit changes both.
	edit := func(name string) {
		t.Helper()
		f, err := os.OpenFile(filepath.Join(odd, filepath.FromSlash(name)), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("// An edit.\n")
		f.Close()
	}
	edit("cmd/xtool/main.go")
	source2, build2 := keys(odd)
	if source2 != source || build2 == build {
		t.Errorf("after a tooling edit: source key %s -> %s, build key %s -> %s; want the source key kept, the build key changed", source, source2, build, build2)
	}
	edit("internal/lower/u.go")
	source3, build3 := keys(odd)
	if source3 == source2 || build3 == build2 {
		t.Errorf("after a runtime edit: source key %s -> %s, build key %s -> %s; want both changed", source2, source3, build2, build3)
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
