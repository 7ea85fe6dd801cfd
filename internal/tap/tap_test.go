package tap

import (
	"os"
	"strings"
	"testing"
)

// The testdata files are real `go test -json ./...` output of one module
// with three packages: ok (a pass, a failure, a skip, subtests), broken
// (a test file that does not compile) and panics (a test that panics).

func TestReadWrite(t *testing.T) {
	for _, file := range []string{"go1.26.json", "go1.22.json"} {
		t.Run(file, func(t *testing.T) {
			f, err := os.Open("testdata/" + file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var plain strings.Builder
			results, err := Read(f, &plain)
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			if err := Write(&got, results); err != nil {
				t.Fatal(err)
			}
			var points []string
			for _, line := range strings.Split(got.String(), "\n") {
				if strings.HasPrefix(line, "ok ") || strings.HasPrefix(line, "not ok ") || strings.HasPrefix(line, "1..") || strings.HasPrefix(line, "TAP") {
					points = append(points, line)
				}
			}
			want := []string{
				"TAP version 13",
				"1..9",
				"not ok 1 - example.com/t/broken",
				"ok 2 - example.com/t/ok/TestPass",
				"not ok 3 - example.com/t/ok/TestFail",
				"ok 4 - example.com/t/ok/TestSkip # SKIP",
				"ok 5 - example.com/t/ok/TestSub/a",
				`not ok 6 - example.com/t/ok/TestSub/b\#1`,
				"not ok 7 - example.com/t/ok/TestSub",
				"ok 8 - example.com/t/panics/TestA",
				"not ok 9 - example.com/t/panics/TestPanic",
			}
			if strings.Join(points, "\n") != strings.Join(want, "\n") {
				t.Errorf("TAP test points:\n%s\nwant\n%s", strings.Join(points, "\n"), strings.Join(want, "\n"))
			}
			if !strings.Contains(got.String(), "not ok 3 - example.com/t/ok/TestFail\n  ---\n  package: example.com/t/ok\n  elapsed: 0.000\n  output: |2\n    === RUN   TestFail\n        ok_test.go:6: got 4, want 5\n    --- FAIL: TestFail (0.00s)\n  ...\n") {
				t.Errorf("TestFail has no YAML block with its output:\n%s", got.String())
			}
			if !strings.Contains(got.String(), "panic: assignment to entry in nil map") {
				t.Errorf("the panic is not in the TAP output:\n%s", got.String())
			}
			if file == "go1.26.json" && !strings.Contains(got.String(), "    broken/broken_test.go:5:40: cannot use") {
				t.Errorf("the build error is not in the TAP output of the broken package:\n%s", got.String())
			}
			if p, f, s := Tally(results); p != 3 || f != 5 || s != 1 {
				t.Errorf("Tally = %d passed, %d failed, %d skipped; want 3, 5, 1", p, f, s)
			}
			for _, line := range []string{"--- FAIL: TestSub/b#1 (0.00s)\n", "FAIL\texample.com/t/ok\t", "=== RUN   TestPass\n--- PASS: TestPass (0.00s)\n"} {
				if !strings.Contains(plain.String(), line) {
					t.Errorf("plain output lacks %q:\n%s", line, plain.String())
				}
			}
		})
	}
}

func TestReadNotJSON(t *testing.T) {
	in := "go: downloading example.com/x v1.0.0\n" +
		`{"Action":"run","Package":"p","Test":"TestA"}` + "\n" +
		`{"Action":"output","Package":"p","Test":"TestA","Output":"--- PASS: TestA (0.00s)\n"}` + "\n" +
		`{"Action":"pass","Package":"p","Test":"TestA","Elapsed":0.5}` + "\n" +
		`{"Action":"pass","Package":"p","Elapsed":0.6}` + "\n" +
		`{"Action":"skip","Package":"q","Elapsed":0}` + "\n"
	var plain strings.Builder
	results, err := Read(strings.NewReader(in), &plain)
	if err != nil {
		t.Fatal(err)
	}
	if want := "go: downloading example.com/x v1.0.0\n--- PASS: TestA (0.00s)\n"; plain.String() != want {
		t.Errorf("plain = %q, want %q", plain.String(), want)
	}
	var got strings.Builder
	Write(&got, results)
	if want := "TAP version 13\n1..1\nok 1 - p/TestA\n"; got.String() != want {
		t.Errorf("TAP =\n%s\nwant\n%s", got.String(), want)
	}
}

func TestWriteNoTests(t *testing.T) {
	var got strings.Builder
	Write(&got, nil)
	if want := "TAP version 13\n1..0\n"; got.String() != want {
		t.Errorf("TAP = %q, want %q", got.String(), want)
	}
}

// Before go1.22, go test -json reports a package that does not build only
// with a plain "FAIL\tPKG [build failed]" line (go1.13.json is the output
// of go1.13.15 for the same module as the other files): it is still a
// failed test point.
func TestReadBuildFailedBeforeGo122(t *testing.T) {
	f, err := os.Open("testdata/go1.13.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var plain strings.Builder
	results, err := Read(f, &plain)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range results {
		names = append(names, r.Name())
	}
	want := "example.com/t/broken example.com/t/ok/TestPass example.com/t/ok/TestFail example.com/t/ok/TestSkip example.com/t/ok/TestSub/a example.com/t/ok/TestSub/b#1 example.com/t/ok/TestSub example.com/t/panics/TestA example.com/t/panics/TestPanic"
	if strings.Join(names, " ") != want {
		t.Errorf("test points:\n%s\nwant\n%s", strings.Join(names, " "), want)
	}
	if p, f, s := Tally(results); p != 3 || f != 5 || s != 1 {
		t.Errorf("Tally = %d passed, %d failed, %d skipped; want 3, 5, 1", p, f, s)
	}
	if r := results[0]; r.Status != Fail || !strings.Contains(r.Output, "FAIL\texample.com/t/broken [build failed]") {
		t.Errorf("broken package = %+v, want a failure naming the build failure", r)
	}
	if !strings.Contains(plain.String(), "FAIL\texample.com/t/broken [build failed]\n") {
		t.Errorf("plain output lacks the build failure line")
	}
}

func TestBuildFailed(t *testing.T) {
	for line, want := range map[string]string{
		"FAIL\texample.com/t/broken [build failed]": "example.com/t/broken",
		"FAIL\texample.com/x [setup failed]":        "example.com/x",
		"FAIL\texample.com/t/ok\t0.005s":            "",
		"FAIL":                                      "",
		"--- FAIL: TestX [build failed]":            "",
		"FAIL\t [build failed]":                     "",
	} {
		got, ok := buildFailed(line)
		if got != want || ok != (want != "") {
			t.Errorf("buildFailed(%q) = %q, %v; want %q", line, got, ok, want)
		}
	}
}

// The bench-*.json files are real `go test -json -run=^$ -bench=.
// -benchmem ./...` output of one module with two packages: ok (a
// benchmark that passes, one that fails, one with a sub-benchmark, one
// that skips) and panics (a benchmark that passes, then one that panics).
// go1.13 has no "run" event for benchmarks, only their output.
func TestReadBenchmarks(t *testing.T) {
	for _, file := range []string{"bench-go1.26.json", "bench-go1.22.json", "bench-go1.13.json"} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + file)
			if err != nil {
				t.Fatal(err)
			}
			var plain strings.Builder
			results, err := Read(strings.NewReader(string(data)), &plain)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Status{}
			for _, r := range results {
				got[r.Name()] = r.Status
			}
			want := map[string]Status{
				"example.com/b/ok/BenchmarkOK":          Pass,
				"example.com/b/ok/BenchmarkFail":        Fail,
				"example.com/b/ok/BenchmarkSub/size-10": Pass,
				"example.com/b/ok/BenchmarkSkip":        Skip,
				"example.com/b/panics/BenchmarkBefore":  Pass,
				"example.com/b/panics/BenchmarkPanic":   Fail,
				"example.com/b/ok/BenchmarkSub":         Pass,
			}
			if file == "bench-go1.13.json" {
				// Only the package says the panic failed it; a parent
				// benchmark prints no result line of its own.
				delete(want, "example.com/b/panics/BenchmarkPanic")
				delete(want, "example.com/b/ok/BenchmarkSub")
				want["example.com/b/panics"] = Fail
			}
			for name, st := range want {
				if s, ok := got[name]; !ok || s != st {
					t.Errorf("%s: status %v (reported %v), want %v", name, s, ok, st)
				}
			}
			if len(got) != len(want) || len(results) != len(want) {
				t.Errorf("test points %v, want %v", got, want)
			}
			for _, r := range results {
				if r.Status == Fail && r.Test == "BenchmarkFail" && !strings.Contains(r.Output, "broken") {
					t.Errorf("BenchmarkFail's output %q lacks its failure", r.Output)
				}
			}
		})
	}
}
