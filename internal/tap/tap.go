// Package tap turns the events of `go test -json` into TAP, the Test
// Anything Protocol (version 13), which Heroku CI reads to show each
// test's result. Every test, subtest and package that fails outside a
// test (a build error, a panic in init) is a test point.
package tap

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
)

// Event is a line of `go test -json` output (see `go doc test2json`).
type Event struct {
	Action      string
	Package     string
	ImportPath  string // build-output events
	Test        string
	Output      string
	Elapsed     float64
	FailedBuild string
}

// Status is the outcome of a test point.
type Status int

const (
	// Pass is a test that passed.
	Pass Status = iota
	// Fail is a test, or a package, that failed.
	Fail
	// Skip is a test that called t.Skip.
	Skip
)

// Result is a test point.
type Result struct {
	Package string
	Test    string // "" for a package that failed outside its tests
	Status  Status
	Elapsed float64 // seconds
	Output  string  // what the test printed
}

// Name is the test point's description: package/Test, or the package.
func (r Result) Name() string {
	if r.Test == "" {
		return r.Package
	}
	return r.Package + "/" + r.Test
}

// Read reads `go test -json` output from r, writes the output of the
// tests to plain as go test prints it (lines that are not JSON are passed
// through), and returns the test points, grouped by package in package
// order, each package's in the order they finished.
func Read(r io.Reader, plain io.Writer) ([]Result, error) {
	type pkgState struct {
		results []Result
		output  strings.Builder
		all     strings.Builder             // every output line, in order, for benchmark results
		tests   map[string]*strings.Builder // output by test
		running []string                    // tests started and not finished
		failed  bool                        // a test of the package failed
	}
	pkgs := map[string]*pkgState{}
	buildOutput := map[string]*strings.Builder{}
	pkg := func(name string) *pkgState {
		p, ok := pkgs[name]
		if !ok {
			p = &pkgState{tests: map[string]*strings.Builder{}}
			pkgs[name] = p
		}
		return p
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e Event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintf(plain, "%s\n", line)
			// Before go1.22, a package that does not build has no JSON
			// event, only this line (its errors go to stderr).
			if name, ok := buildFailed(string(line)); ok {
				p := pkg(name)
				if !p.failed {
					p.failed = true
					p.results = append(p.results, Result{Package: name, Status: Fail, Output: string(line) + "\n(the build errors are in go test's output)\n"})
				}
			}
			continue
		}
		switch e.Action {
		case "build-output":
			io.WriteString(plain, e.Output)
			b, ok := buildOutput[e.ImportPath]
			if !ok {
				b = &strings.Builder{}
				buildOutput[e.ImportPath] = b
			}
			b.WriteString(e.Output)
			continue
		case "build-fail", "start":
			continue
		}
		p := pkg(e.Package)
		switch e.Action {
		case "output":
			io.WriteString(plain, e.Output)
			p.all.WriteString(e.Output)
			if e.Test == "" {
				p.output.WriteString(e.Output)
				continue
			}
			b, ok := p.tests[e.Test]
			if !ok {
				b = &strings.Builder{}
				p.tests[e.Test] = b
			}
			b.WriteString(e.Output)
		case "run":
			p.running = append(p.running, e.Test)
		case "pass", "fail", "skip":
			if e.Test != "" {
				status := map[string]Status{"pass": Pass, "fail": Fail, "skip": Skip}[e.Action]
				p.failed = p.failed || status == Fail
				p.results = append(p.results, Result{Package: e.Package, Test: e.Test, Status: status, Elapsed: e.Elapsed, Output: testOutput(p.tests[e.Test])})
				p.running = remove(p.running, e.Test)
				continue
			}
			// A benchmark that ran to the end printed its result line;
			// one that passed has no "pass" event.
			measured := benchmarks(p.all.String())
			var still []string
			for _, t := range p.running {
				if measured.ran(t) || isBenchmark(t) && e.Action != "fail" {
					p.results = append(p.results, Result{Package: e.Package, Test: t, Status: Pass, Output: testOutput(p.tests[t])})
					continue
				}
				still = append(still, t)
			}
			p.running = nil
			p.results = append(p.results, measured.unreported(e.Package, p.results)...)
			if e.Action != "fail" {
				continue
			}
			// Tests still running when their package failed (a panic, a
			// timeout) failed with it.
			for _, t := range still {
				p.failed = true
				p.results = append(p.results, Result{Package: e.Package, Test: t, Status: Fail, Output: testOutput(p.tests[t])})
			}
			p.running = nil
			if !p.failed {
				out := p.output.String()
				if b, ok := buildOutput[e.FailedBuild]; ok {
					out = b.String() + out
				}
				p.results = append(p.results, Result{Package: e.Package, Status: Fail, Elapsed: e.Elapsed, Output: out})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read go test -json output: %w", err)
	}
	names := make([]string, 0, len(pkgs))
	for name := range pkgs {
		names = append(names, name)
	}
	sort.Strings(names)
	var results []Result
	for _, name := range names {
		results = append(results, pkgs[name].results...)
	}
	return results, nil
}

// measured holds the benchmarks of a package that printed a result line
// (BenchmarkX-8   1000   1234 ns/op), by the name printed, in order.
type measured []string

// benchResult matches a benchmark's result line: its name (with the
// -GOMAXPROCS suffix when that is not 1), its iterations and a first
// figure.
var benchResult = regexp.MustCompile(`(?m)^(Benchmark\S*)\s+\d+\s+[0-9.e+-]+ \S+`)

// benchmarks returns the benchmarks whose result lines out holds.
func benchmarks(out string) measured {
	var m measured
	for _, sub := range benchResult.FindAllStringSubmatch(out, -1) {
		m = append(m, sub[1])
	}
	return m
}

// ran reports whether the benchmark test, or one of its sub-benchmarks,
// printed a result line.
func (m measured) ran(test string) bool {
	if !isBenchmark(test) {
		return false
	}
	for _, name := range m {
		if name == test || strings.HasPrefix(name, test+"/") || procsSuffix.ReplaceAllString(name, "") == test {
			return true
		}
	}
	return false
}

// unreported returns a passing test point for each benchmark with a
// result line that has none in results: go test -json before go1.14 has
// no "run" event for benchmarks, only their output. The name loses its
// -GOMAXPROCS suffix when every result line has the same one, as go test
// adds it to all or to none.
func (m measured) unreported(pkg string, results []Result) []Result {
	suffix := ""
	for i, name := range m {
		s := procsSuffix.FindString(name)
		if i > 0 && s != suffix || s == "" {
			suffix = ""
			break
		}
		suffix = s
	}
	have := map[string]bool{}
	for _, r := range results {
		have[r.Test] = true
	}
	var out []Result
	for _, name := range m {
		name = strings.TrimSuffix(name, suffix)
		if have[name] {
			continue
		}
		have[name] = true
		out = append(out, Result{Package: pkg, Test: name, Status: Pass})
	}
	return out
}

// procsSuffix is the -GOMAXPROCS suffix go test adds to a benchmark's name.
var procsSuffix = regexp.MustCompile(`-\d+$`)

func isBenchmark(test string) bool { return strings.HasPrefix(test, "Benchmark") }

// buildFailed reports whether line is go test's plain "FAIL\tPKG [build
// failed]" (or "[setup failed]") line, and names the package.
func buildFailed(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, "FAIL\t")
	if !ok {
		return "", false
	}
	for _, suffix := range []string{" [build failed]", " [setup failed]"} {
		if name, ok := strings.CutSuffix(rest, suffix); ok && name != "" && !strings.ContainsAny(name, " \t") {
			return name, true
		}
	}
	return "", false
}

func testOutput(b *strings.Builder) string {
	if b == nil {
		return ""
	}
	return b.String()
}

func remove(list []string, s string) []string {
	for i, v := range list {
		if v == s {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

// Write writes the results as TAP version 13: the plan, then a line per
// test point; a failure carries its output in a YAML block.
//
// Everything written is escaped so that any TAP reader sees every test
// point: control characters (CR, ESC, NUL, ...) and bytes that are not
// UTF-8 become output.Escape's escapes, and a description's \ and #
// become \\ and \# (as TAP 14 and node-tap write them). The output is a
// YAML literal block with its indentation given (|2), so a first line
// that starts with spaces is read as it is.
func Write(w io.Writer, results []Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "TAP version 13\n1..%d\n", len(results))
	for i, r := range results {
		name := descriptionEscaper.Replace(output.Escape(r.Name()))
		switch r.Status {
		case Pass:
			fmt.Fprintf(&b, "ok %d - %s\n", i+1, name)
		case Skip:
			fmt.Fprintf(&b, "ok %d - %s # SKIP\n", i+1, name)
		case Fail:
			fmt.Fprintf(&b, "not ok %d - %s\n", i+1, name)
			b.WriteString("  ---\n")
			fmt.Fprintf(&b, "  package: %s\n", output.Escape(r.Package))
			fmt.Fprintf(&b, "  elapsed: %.3f\n", r.Elapsed)
			if out := strings.TrimRight(r.Output, "\n"); out != "" {
				b.WriteString("  output: |2\n")
				for _, line := range strings.Split(out, "\n") {
					b.WriteString(strings.TrimRight("    "+output.Escape(line), " ") + "\n")
				}
			}
			b.WriteString("  ...\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// descriptionEscaper escapes what a TAP reader takes apart in a test
// point's description: \ and the # that starts a directive.
var descriptionEscaper = strings.NewReplacer(`\`, `\\`, "#", `\#`)

// Tally counts the test points by status.
func Tally(results []Result) (passed, failed, skipped int) {
	for _, r := range results {
		switch r.Status {
		case Pass:
			passed++
		case Fail:
			failed++
		case Skip:
			skipped++
		}
	}
	return passed, failed, skipped
}
