package tap

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// point is a test point as a TAP consumer reads it.
type point struct {
	ok     bool
	name   string // unescaped
	skip   bool
	pkg    string // from the YAML block
	output string // from the YAML block
}

var pointRE = regexp.MustCompile(`^(ok|not ok) ([0-9]+) - (.*)$`)

// readTAP reads TAP version 13 as strictly as a consumer may: every line
// is the version, the plan, a test point or a line of a failure's YAML
// block; the points are numbered from 1 and as many as the plan says; no
// line holds a character a line-based reader or YAML would take apart.
func readTAP(tap string) ([]point, error) {
	if !strings.HasSuffix(tap, "\n") {
		return nil, fmt.Errorf("TAP does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(tap, "\n"), "\n")
	if len(lines) < 2 || lines[0] != "TAP version 13" || !strings.HasPrefix(lines[1], "1..") {
		return nil, fmt.Errorf("TAP does not start with the version and the plan: %q", lines[:min(2, len(lines))])
	}
	plan, err := strconv.Atoi(strings.TrimPrefix(lines[1], "1.."))
	if err != nil {
		return nil, fmt.Errorf("plan %q: %v", lines[1], err)
	}
	for i, line := range lines {
		if output.Escape(line) != line {
			return nil, fmt.Errorf("line %d holds control characters: %q", i+1, line)
		}
	}
	var points []point
	for i := 2; i < len(lines); i++ {
		line := lines[i]
		m := pointRE.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("line %d is not a test point: %q", i+1, line)
		}
		if n, _ := strconv.Atoi(m[2]); n != len(points)+1 {
			return nil, fmt.Errorf("line %d: test point %s, want %d", i+1, m[2], len(points)+1)
		}
		p := point{ok: m[1] == "ok", name: m[3]}
		if name, ok := strings.CutSuffix(p.name, " # SKIP"); ok {
			p.name, p.skip = name, true
		}
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(p.name, `\\`, ""), `\#`, ""), "#") {
			return nil, fmt.Errorf("line %d: unescaped # in the description: %q", i+1, line)
		}
		p.name = strings.NewReplacer(`\\`, `\`, `\#`, `#`).Replace(p.name)
		if i+1 < len(lines) && lines[i+1] == "  ---" {
			end := i + 2
			for end < len(lines) && lines[end] != "  ..." {
				if l := lines[end]; l != "" && !strings.HasPrefix(l, "  ") || l == "  ---" {
					return nil, fmt.Errorf("line %d in a YAML block: %q", end+1, l)
				}
				end++
			}
			if end == len(lines) {
				return nil, fmt.Errorf("the YAML block of line %d does not end", i+1)
			}
			if p.pkg, p.output, err = readYAML(lines[i+2 : end]); err != nil {
				return nil, fmt.Errorf("the YAML block of line %d: %v", i+1, err)
			}
			i = end
		}
		points = append(points, p)
	}
	if len(points) != plan {
		return nil, fmt.Errorf("%d test points, the plan says %d", len(points), plan)
	}
	return points, nil
}

// readYAML reads the YAML block Write writes: package and elapsed, then
// the output as a literal block whose indentation is given (|2), so that
// its first line may start with spaces.
func readYAML(lines []string) (pkg, out string, err error) {
	if len(lines) < 2 {
		return "", "", fmt.Errorf("%q", lines)
	}
	pkg, ok := strings.CutPrefix(lines[0], "  package: ")
	if !ok || !strings.HasPrefix(lines[1], "  elapsed: ") {
		return "", "", fmt.Errorf("%q", lines)
	}
	if len(lines) == 2 {
		return pkg, "", nil
	}
	if lines[2] != "  output: |2" {
		return "", "", fmt.Errorf("line %q, want the output", lines[2])
	}
	var b strings.Builder
	for _, l := range lines[3:] {
		text, ok := strings.CutPrefix(l, "    ")
		if !ok && l != "" {
			return "", "", fmt.Errorf("output line %q is not indented by 4 spaces", l)
		}
		b.WriteString(text + "\n")
	}
	return pkg, strings.TrimRight(b.String(), "\n") + "\n", nil
}

// wantOutput is what a consumer reads of a test's output: each line with
// its control characters escaped and without trailing spaces.
func wantOutput(out string) string {
	out = strings.TrimRight(out, "\n")
	if out == "" {
		return ""
	}
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		b.WriteString(strings.TrimRight(output.Escape(l), " ") + "\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// hostileResults are test points whose output and names hold what breaks
// TAP readers: control characters, bytes that are not UTF-8, lines that
// look like TAP or end a YAML block, and indented first lines.
func hostileResults() []Result {
	outputs := []string{
		"=== RUN   TestCR\nprogress 10%\rprogress 100%\r\n--- FAIL: TestCR (0.00s)\n",
		"\x1b[31mred\x1b[0m\nnul \x00 here\nbell\a del\x7f\n",
		"not UTF-8: \xff\xfe\xc3\n\ttab first\nC1 \u0085 \u009b LS \u2028 PS \u2029 BOM \ufeff\n",
		"    indented first line\nnot indented\n",
		"ok 99 - fake\nnot ok 100 - fake\n1..7\nBail out! fake\n# comment\n",
		"  ...\n...\n  ---\n---\n",
		"trailing spaces   \n\n\nlast\n",
		"key: value\n- item\n[not, yaml]\n{a: b}\n'quote\n\"dq\n",
	}
	var results []Result
	for i, out := range outputs {
		results = append(results,
			Result{Package: "example.com/p", Test: fmt.Sprintf("TestPass%d", i), Status: Pass},
			Result{Package: "example.com/p", Test: fmt.Sprintf("TestFail%d", i), Status: Fail, Elapsed: 0.25, Output: out},
		)
	}
	return append(results,
		Result{Package: "example.com/p", Test: "TestSkip", Status: Skip},
		Result{Package: "example.com/p", Test: "TestName/a#1\r\x1b", Status: Fail, Output: "x\n"},
		Result{Package: "example.com/p", Test: `TestName/back\slash\`, Status: Skip},
		Result{Package: "example.com/p", Test: `TestName/\#`, Status: Pass},
		Result{Package: "example.com/broken", Status: Fail, Output: "# example.com/broken\n./x.go:1:1: expected 'package'\r\n"},
		Result{Package: "example.com/p", Test: "TestLast", Status: Pass},
	)
}

// TestWriteStrict writes TAP for hostile output and reads it back with a
// strict TAP 13 reader: every test point is there, with its name and its
// output, escaped.
func TestWriteStrict(t *testing.T) {
	results := hostileResults()
	var b strings.Builder
	if err := Write(&b, results); err != nil {
		t.Fatal(err)
	}
	points, err := readTAP(b.String())
	if err != nil {
		t.Fatalf("%v\nTAP:\n%s", err, b.String())
	}
	for i, r := range results {
		p := points[i]
		want := point{ok: r.Status != Fail, name: output.Escape(r.Name()), skip: r.Status == Skip}
		if r.Status == Fail {
			want.pkg, want.output = r.Package, wantOutput(r.Output)
		}
		if p != want {
			t.Errorf("test point %d = %+v, want %+v", i+1, p, want)
		}
	}
}

// TestWriteEscapes pins how Write writes what TAP cannot hold.
func TestWriteEscapes(t *testing.T) {
	tests := []struct {
		name string
		r    Result
		want string // the test point and its YAML block
	}{
		{"CR", Result{Package: "p", Test: "TestA", Status: Fail, Output: "10%\r100%\n"},
			"not ok 1 - p/TestA\n  ---\n  package: p\n  elapsed: 0.000\n  output: |2\n    10%\\r100%\n  ...\n"},
		{"ESC NUL DEL", Result{Package: "p", Test: "TestA", Status: Fail, Output: "\x1b[0m\x00\x7f\n"},
			"not ok 1 - p/TestA\n  ---\n  package: p\n  elapsed: 0.000\n  output: |2\n    \\x1b[0m\\x00\\x7f\n  ...\n"},
		{"not UTF-8", Result{Package: "p", Test: "TestA", Status: Fail, Output: "\xff\n"},
			"not ok 1 - p/TestA\n  ---\n  package: p\n  elapsed: 0.000\n  output: |2\n    \\xff\n  ...\n"},
		{"indented first line", Result{Package: "p", Test: "TestA", Status: Fail, Output: "  a\nb\n"},
			"not ok 1 - p/TestA\n  ---\n  package: p\n  elapsed: 0.000\n  output: |2\n      a\n    b\n  ...\n"},
		{"name", Result{Package: "p", Test: "TestA/#1\r", Status: Pass},
			"ok 1 - p/TestA/\\#1\\\\r\n"},
		{"backslash", Result{Package: "p", Test: `TestA/a\`, Status: Skip},
			"ok 1 - p/TestA/a\\\\ # SKIP\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			Write(&b, []Result{tt.r})
			if want := "TAP version 13\n1..1\n" + tt.want; b.String() != want {
				t.Errorf("TAP =\n%q\nwant\n%q", b.String(), want)
			}
		})
	}
}
