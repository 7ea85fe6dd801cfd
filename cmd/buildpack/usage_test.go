package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestUsage holds the program's command line: help on request (exit 0,
// stdout), usage on stderr with exit 2 for no command, an unknown one or
// a command's wrong arguments, and -h for each command's arguments.
func TestUsage(t *testing.T) {
	var listing []*regexp.Regexp
	for _, name := range []string{"compile", "test-compile", "test", "report", "build", "help"} {
		listing = append(listing, regexp.MustCompile(`(?m)^  `+name+` +\S.*$`))
	}
	line := func(s string) []*regexp.Regexp { return []*regexp.Regexp{regexp.MustCompile(s)} }
	tests := []struct {
		args           []string
		code           int
		stdout, stderr []*regexp.Regexp
	}{
		{args: nil, code: 2, stderr: listing},
		{args: []string{"help"}, code: 0, stdout: listing},
		{args: []string{"-h"}, code: 0, stdout: listing},
		{args: []string{"--help"}, code: 0, stdout: listing},
		{args: []string{"frob"}, code: 2, stderr: line(`^buildpack: unknown command "frob"; run 'buildpack help'\n$`)},
		{args: []string{"compile"}, code: 2, stderr: line(`^usage: buildpack compile BUILD_DIR CACHE_DIR \[ENV_DIR\]\n`)},
		{args: []string{"report", "a", "b", "c", "d"}, code: 2, stderr: line(`^usage: buildpack report BUILD_DIR \[CACHE_DIR \[ENV_DIR\]\]\n`)},
	}
	for _, c := range []struct{ name, usage string }{
		{"compile", `BUILD_DIR CACHE_DIR \[ENV_DIR\]`},
		{"test-compile", `BUILD_DIR CACHE_DIR \[ENV_DIR\]`},
		{"test", `BUILD_DIR \[ENV_DIR\]`},
		{"report", `BUILD_DIR \[CACHE_DIR \[ENV_DIR\]\]`},
		{"build", `LAYERS_DIR PLATFORM_DIR PLAN_PATH`},
	} {
		tests = append(tests, struct {
			args           []string
			code           int
			stdout, stderr []*regexp.Regexp
		}{args: []string{c.name, "-h"}, code: 0, stdout: line(`^usage: buildpack ` + c.name + ` ` + c.usage + `\n\n\S.*\.\n$`)})
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit status %d, want %d", code, tt.code)
			}
			check := func(name string, got *bytes.Buffer, want []*regexp.Regexp) {
				if len(want) == 0 && got.Len() > 0 {
					t.Errorf("%s: %q, want nothing", name, got)
				}
				for _, re := range want {
					if !re.Match(got.Bytes()) {
						t.Errorf("%s does not match %s:\n%s", name, re, got)
					}
				}
			}
			check("stdout", &stdout, tt.stdout)
			check("stderr", &stderr, tt.stderr)
		})
	}
}
