package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestUsage holds the dev tool's command line: help on request (exit 0,
// stdout), usage on stderr with exit 2 for no command or an unknown one,
// and -h for each command's flags.
func TestUsage(t *testing.T) {
	listing := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^  deploy +\S.*$`),
		regexp.MustCompile(`(?m)^  bench +\S.*$`),
		regexp.MustCompile(`(?m)^  release +\S.*$`),
		regexp.MustCompile(`(?m)^  help +\S.*$`),
	}
	for _, tt := range []struct {
		args           []string
		code           int
		stdout, stderr []*regexp.Regexp
	}{
		{args: nil, code: 2, stderr: listing},
		{args: []string{"help"}, code: 0, stdout: listing},
		{args: []string{"-h"}, code: 0, stdout: listing},
		{args: []string{"--help"}, code: 0, stdout: listing},
		{args: []string{"frob"}, code: 2, stderr: []*regexp.Regexp{regexp.MustCompile(`^dev: unknown command "frob"; run 'go run \./cmd/dev help'\n$`)}},
		{args: []string{"deploy", "-h"}, code: 0, stdout: []*regexp.Regexp{regexp.MustCompile(`^usage: go run \./cmd/dev deploy `), regexp.MustCompile(`(?m)^  -keep$`), regexp.MustCompile(`(?m)^  -cnb$`)}},
		{args: []string{"deploy", "--help"}, code: 0, stdout: []*regexp.Regexp{regexp.MustCompile(`^usage: go run \./cmd/dev deploy `)}},
		{args: []string{"bench", "-h"}, code: 0, stdout: []*regexp.Regexp{regexp.MustCompile(`^usage: go run \./cmd/dev bench `), regexp.MustCompile(`(?m)^  -warm int$`)}},
		{args: []string{"release", "-h"}, code: 0, stdout: []*regexp.Regexp{regexp.MustCompile(`^usage: go run \./cmd/dev release `), regexp.MustCompile(`(?m)^  -check$`)}},
		{args: []string{"bench", "-frob"}, code: 2, stderr: []*regexp.Regexp{regexp.MustCompile(`^flag provided but not defined: -frob\nusage: go run \./cmd/dev bench `)}},
		{args: []string{"release", "-frob"}, code: 2, stderr: []*regexp.Regexp{regexp.MustCompile(`^flag provided but not defined: -frob\nusage: go run \./cmd/dev release `)}},
		{args: []string{"deploy"}, code: 2, stderr: []*regexp.Regexp{regexp.MustCompile(`^deploy: want one APPDIR, got 0\nusage: go run \./cmd/dev deploy `)}},
	} {
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
