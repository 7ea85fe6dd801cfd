package compile

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// TestClock: a step begun twice is timed once, and the step that runs
// when the build fails has no duration.
func TestClock(t *testing.T) {
	c := newClock()
	c.begin("detect")
	c.begin("toolchain")
	c.end()
	c.begin("toolchain")
	c.begin("build")
	var names []string
	for _, s := range c.durations() {
		names = append(names, s.Name)
	}
	if want := []string{"detect", "toolchain", "total"}; !reflect.DeepEqual(names, want) {
		t.Errorf("steps = %v, want %v", names, want)
	}
}

// TestFailed: an error keeps the step it failed in, however it is
// wrapped later.
func TestFailed(t *testing.T) {
	err := Failed("build", remedy.Wrap(errors.New("exit status 1"), "build-errors", "Fix it."))
	err = Failed("release", fmt.Errorf("lay out: %w", err))
	if got := failedStep(err); got != "build" {
		t.Errorf("failedStep = %q, want build", got)
	}
	if r, ok := remedy.Of(err); !ok || r.Section != "build-errors" {
		t.Errorf("the remedy is lost: %v", err)
	}
	if Failed("build", nil) != nil || failedStep(errors.New("x")) != "" {
		t.Errorf("Failed(nil) or failedStep of a plain error")
	}
}

// TestNewReport: the report is made from what the steps returned.
func TestNewReport(t *testing.T) {
	f := &facts{
		choice:    goChoice{Version: "go1.22.12", Request: goversion.Request{Version: "go1.22", Kind: goversion.Newest, Origin: goversion.FromGoLine}},
		toolchain: &toolchain.Toolchain{Version: "go1.22.12", Reused: true},
		caches:    cacheState{modules: true},
		binaries:  &Binaries{Mains: nil},
		checks:    appChecks{procfileWarnings: 2, missingVars: []string{"DATABASE_URL"}},
	}
	steps := []report.Step{{Name: "detect", Seconds: 0.001}, {Name: "total", Seconds: 1}}
	b := newReport(f, steps, nil, Failed("build", remedy.Wrap(errors.New("exit status 1"), "build-errors", "Fix it.")))
	want := &report.Build{
		Outcome: "failure", FailedStep: "build", ErrorDoc: "build-errors",
		GoVersion: "go1.22.12", GoVersionOrigin: "go_directive", GoVersionRequested: "go1.22",
		ToolchainCacheHit: true, ModuleCacheWarm: true, Binaries: []string{"app"},
		ProcfileWarnings: 2, MissingConfigVars: []string{"DATABASE_URL"}, Steps: steps,
	}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("newReport =\n%+v\nwant\n%+v", b, want)
	}
	// The value of GOVERSION is never reported.
	f.choice.Request = goversion.Request{Version: "go1.22", Kind: goversion.Newest, Origin: goversion.FromConfigVar, Setting: "1.22"}
	if b := newReport(f, steps, nil, nil); b.Outcome != "success" || b.GoVersionOrigin != "GOVERSION" || b.GoVersionRequested != "" {
		t.Errorf("GOVERSION: outcome %q, origin %q, requested %q", b.Outcome, b.GoVersionOrigin, b.GoVersionRequested)
	}
	for o := goversion.FromDefault; o <= goversion.FromGoLine; o++ {
		if origins[o] == "" {
			t.Errorf("origin %d has no name", o)
		}
	}
}
