package compile_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output/outputtest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
)

// TestReport: the report says what the build did, and for a failed build
// the step that failed, wherever in the step it failed.
func TestReport(t *testing.T) {
	tests := []struct {
		name    string
		app     map[string]string
		vars    map[string]string
		outcome string
		step    string // failed_step
		doc     string // error_doc
		check   func(t *testing.T, b *report.Build)
	}{
		{
			name:    "success",
			outcome: "success",
			check: func(t *testing.T, b *report.Build) {
				if b.Module != "example.com/fault" || b.GoVersion != goVersion || b.GoVersionOrigin != "GOVERSION" || b.GoVersionRequested != "" {
					t.Errorf("module %q, Go %q from %q (requested %q)", b.Module, b.GoVersion, b.GoVersionOrigin, b.GoVersionRequested)
				}
				if want := []string{"app", "bin/fault"}; !reflect.DeepEqual(b.Binaries, want) {
					t.Errorf("binaries %q, want %q", b.Binaries, want)
				}
				if b.BinaryBytes["app"] == 0 || b.BinaryBytes["bin/fault"] == 0 || b.SlugFiles == 0 || b.SlugBytes == 0 {
					t.Errorf("sizes: binaries %v, slug %d bytes in %d files", b.BinaryBytes, b.SlugBytes, b.SlugFiles)
				}
				if want := []string{"web"}; !reflect.DeepEqual(b.ProcessTypes, want) {
					t.Errorf("process types %q, want %q", b.ProcessTypes, want)
				}
				var names []string
				for _, s := range b.Steps {
					names = append(names, s.Name)
				}
				if want := []string{"detect", "go_version", "toolchain", "packages", "build", "release", "slug", "total"}; !reflect.DeepEqual(names, want) {
					t.Errorf("steps %q, want %q", names, want)
				}
			},
		},
		{
			// The go directive is checked once the release is chosen.
			name:    "GOVERSION older than the go directive",
			app:     map[string]string{"go.mod": "module example.com/fault\n\ngo 1.99\n"},
			outcome: "failure",
			step:    "go_version",
			doc:     "go-version",
			check: func(t *testing.T, b *report.Build) {
				if b.GoVersion != goVersion {
					t.Errorf("go_version %q, want the release chosen, %s", b.GoVersion, goVersion)
				}
			},
		},
		{
			// bin/ is checked before the build step's line.
			name:    "a file named bin",
			app:     map[string]string{"bin": "not a directory"},
			outcome: "failure",
			step:    "build",
			doc:     "what-gets-built",
		},
		{
			name:    "a config var",
			vars:    map[string]string{"CGO_ENABLED": "yes"},
			outcome: "failure",
			step:    "detect",
			doc:     "config-vars",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.app = tt.app
			for k, v := range tt.vars {
				f.vars[k] = v
			}
			r := f.run(context.Background())
			if (r.err == nil) != (tt.outcome == "success") {
				t.Fatalf("build error %v, want outcome %s\n%s", r.err, tt.outcome, r.log)
			}
			b, err := report.Load(r.buildDir)
			if err != nil {
				t.Fatal(err)
			}
			if b.Outcome != tt.outcome || b.FailedStep != tt.step || b.ErrorDoc != tt.doc {
				t.Errorf("outcome %q, failed_step %q, error_doc %q; want %q, %q, %q", b.Outcome, b.FailedStep, b.ErrorDoc, tt.outcome, tt.step, tt.doc)
			}
			if b.Platform == "" || len(b.Steps) == 0 || b.Steps[len(b.Steps)-1].Name != "total" {
				t.Errorf("platform %q, steps %v", b.Platform, b.Steps)
			}
			if tt.check != nil {
				tt.check(t, b)
			}
		})
	}
}

// TestReportLayout: with another layout than the slug's (a Cloud Native
// Buildpack's), toolchain_kept says whether the layout keeps the
// toolchain, as GO_INSTALL_TOOLS_IN_IMAGE asks.
func TestReportLayout(t *testing.T) {
	f := newFixture(t)
	f.vars["GO_INSTALL_TOOLS_IN_IMAGE"] = "true"
	d := newDirs(t, f.cacheDir, f.vars, nil)
	var log outputtest.Log
	err := compile.RunWith(context.Background(), d.options(output.New(&log, &log)), func(l *compile.Layout) error { return nil })
	if err != nil {
		t.Fatalf("RunWith: %v\n%s", err, log.String())
	}
	b, err := report.Load(d.BuildDir)
	if err != nil {
		t.Fatal(err)
	}
	if !b.ToolchainKept || b.Outcome != "success" {
		t.Errorf("toolchain_kept %v, outcome %q; want true, success", b.ToolchainKept, b.Outcome)
	}
}
