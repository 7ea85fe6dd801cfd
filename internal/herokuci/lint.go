package herokuci

// golangci-lint for Heroku CI: bin/test-compile, which has the cache,
// builds the release the app asks for (golangci.Choose) and leaves it in
// the build directory with a plan; bin/test runs it and reports it as a
// TAP test point.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/compile"
	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/gocmd"
	"github.com/gobuildpack/heroku-buildpack-go/internal/golangci"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/tap"
)

// lintPlan is what bin/test-compile leaves in Dir/lint.json for bin/test
// about golangci-lint, whose binary is Dir/golangci-lint. There is no
// plan when the app has no golangci-lint config file.
type lintPlan struct {
	Config  string `json:"config"`  // the config file, relative to the build directory
	Version string `json:"version"` // the release, v2.15.0
	Source  string `json:"source"`  // where the release comes from
	// Problem and Fix say why that release cannot lint the app
	// (golangci.Linter.CheckConfig); no binary is built then.
	Problem string `json:"problem,omitempty"`
	Fix     string `json:"fix,omitempty"`
}

const lintPlanFile = "lint.json"

// lintCacheDir is the linter's cache (GOLANGCI_LINT_CACHE), in Dir.
const lintCacheDir = "golangci-cache"

// prepareLint builds golangci-lint for bin/test into dir when the app has
// a config file for it, and writes the plan.
func prepareLint(ctx context.Context, l *compile.Layout, dir string) error {
	s := l.Settings
	cfg, err := golangci.FindConfig(files.AppFS(s.App.Root), filepath.ToSlash(s.App.Rel))
	if err != nil || cfg == nil {
		return err
	}
	linter := golangci.Choose(s.App.Mod, s.CI.GolangciLintVersion)
	plan := lintPlan{Config: cfg.Name, Version: linter.Version, Source: linter.Source}
	if err := linter.CheckConfig(cfg); err != nil {
		r, _ := remedy.Of(err)
		plan.Problem, plan.Fix = err.Error(), r.Fix
		l.Log().Warn("%s. %s bin/test reports it as a failure of golangci-lint.", plan.Problem, plan.Fix)
		return writeLintPlan(dir, plan)
	}
	done := l.Timed("golangci_lint", "Preparing golangci-lint %s (from %s) for %s", orTool(linter.Version), linter.Source, cfg.Name)
	bin, err := buildLinter(ctx, l, linter)
	if err != nil {
		return err
	}
	if err := files.CopyFile(bin, filepath.Join(dir, golangci.Binary)); err != nil {
		return fmt.Errorf("prepare golangci-lint: %w", err)
	}
	if err := writeLintPlan(dir, plan); err != nil {
		return err
	}
	done()
	return nil
}

func orTool(version string) string {
	if version == "" {
		return "(the version go.mod requires)"
	}
	return version
}

func writeLintPlan(dir string, plan lintPlan) error {
	data, err := json.Marshal(plan)
	if err != nil {
		return fmt.Errorf("prepare golangci-lint: %w", err)
	}
	if err := files.WriteFileAtomic(filepath.Join(dir, lintPlanFile), data, 0o644); err != nil {
		return fmt.Errorf("prepare golangci-lint: %w", err)
	}
	return nil
}

// buildLinter returns golangci-lint built for the app, from the cache
// (CACHE_DIR/go/golangci-lint) when it is there. A tool directive's
// linter is built in the app with its requirements, as `go tool` builds
// it; a release from GOLANGCI_LINT_VERSION or the default is downloaded
// through GOPROXY and built in its module with its own go.sum, as `go
// install pkg@version` does, by the newest Go release of the go line its
// go.mod asks for when the app's is older.
func buildLinter(ctx context.Context, l *compile.Layout, linter golangci.Linter) (string, error) {
	s, log := l.Settings, l.Log()
	dir := filepath.Join(l.Cache().Root, "golangci-lint")
	platform := s.Platform.GOOS + "-" + s.Platform.GOARCH
	if linter.Tool != "" {
		fsys := files.AppFS(s.App.Root)
		gomod, _ := fsys.ReadFile(path.Join(filepath.ToSlash(s.App.Rel), "go.mod"))
		gosum, _ := fsys.ReadFile(path.Join(filepath.ToSlash(s.App.Rel), "go.sum"))
		key := "tool-" + cache.Hash(gomod, gosum, []byte(l.Toolchain.Version), []byte(platform), []byte(strings.Join(s.GOFLAGS, " ")), []byte(fmt.Sprint(s.Vendored)))[:16]
		return cachedLinter(log, dir, key, linter, l.Toolchain.Version, func(tmp string) error {
			line := l.Lines.AppToolBuild(linter.Tool, filepath.Join(tmp, golangci.Binary))
			return runGo(ctx, log, l.Lines.Go(), line)
		})
	}
	goLine, err := l.GoLineOf(ctx, linter.Module, linter.Version)
	if err != nil {
		return "", remedy.Wrap(fmt.Errorf("golangci-lint %s (from %s): %w", linter.Version, linter.Source, err), "heroku-ci",
			"Choose a golangci-lint release that GOPROXY serves, e.g. heroku ci:config:set GOLANGCI_LINT_VERSION=%s, or unset GOLANGCI_LINT_VERSION.", golangci.DefaultVersion)
	}
	tc, err := l.ToolchainFor(ctx, goLine, "golangci-lint "+linter.Version)
	if err != nil {
		return "", err
	}
	lines := *l.Lines
	lines.Release, lines.GOROOT = tc.Version, tc.Root
	key := linter.Version + "-" + tc.Version + "-" + platform
	return cachedLinter(log, dir, key, linter, tc.Version, func(tmp string) error {
		g := lines.Go()
		g.Dir, g.Stderr = tmp, log.IndentedErr()
		out, err := g.ExecOutput(ctx, lines.ToolDownload(linter.Module, linter.Version))
		var dl struct {
			Dir, Info, Error string
			Origin           struct{ Hash string }
		}
		if jerr := json.Unmarshal(out, &dl); err != nil || jerr != nil || dl.Error != "" || dl.Dir == "" {
			msg := dl.Error
			if msg == "" && err != nil {
				msg = err.Error()
			}
			return remedy.Wrap(fmt.Errorf("download golangci-lint %s: %s", linter.Version, msg), "heroku-ci",
				"Retry the test run; if it keeps failing, check GOPROXY, or choose another release with GOLANGCI_LINT_VERSION.")
		}
		var info struct{ Time string }
		if data, err := os.ReadFile(dl.Info); err == nil {
			json.Unmarshal(data, &info)
		}
		ldflags := "-s -w -X main.version=" + strings.TrimPrefix(linter.Version, "v") +
			" -X main.commit=" + or(dl.Origin.Hash, "unknown") + " -X main.date=" + or(info.Time, "unknown")
		g.Dir = dl.Dir
		return runGo(ctx, log, g, lines.ToolBuild("./cmd/golangci-lint", filepath.Join(tmp, golangci.Binary), ldflags))
	})
}

// cachedLinter returns the linter built in dir/key (golangci.Cached),
// saying in the log whether it was built or reused.
func cachedLinter(log *output.Log, dir, key string, linter golangci.Linter, goVersion string, build func(tmp string) error) (string, error) {
	built := false
	bin, reused, err := golangci.Cached(dir, key, func(tmp string) error {
		built = true
		log.Detail("Building golangci-lint %s with %s (once; the build cache keeps it)", orTool(linter.Version), goVersion)
		return build(tmp)
	})
	var re *gocmd.RunError
	switch {
	case errors.As(err, &re):
		return "", remedy.Wrap(fmt.Errorf("build golangci-lint %s with %s: %w", orTool(linter.Version), goVersion, err), "heroku-ci",
			"The go command's errors are above. Retry the test run; if they come again, choose another golangci-lint release (%s).", linter.Source)
	case err != nil:
		return "", err
	case reused || !built:
		log.Detail("Reusing golangci-lint %s, built with %s, from the cache", orTool(linter.Version), goVersion)
	}
	return bin, nil
}

// runGo runs a go command line, its output indented in the log.
func runGo(ctx context.Context, log *output.Log, g *gocmd.Go, line gocmd.Line) error {
	g.Stdout, g.Stderr = log.Indented(), log.IndentedErr()
	log.Detail("go %s", gocmd.LoggedArgs(line.Args))
	err := g.Exec(ctx, line)
	for _, w := range []io.Writer{g.Stdout, g.Stderr} {
		if f, ok := w.(interface{ Flush() }); ok {
			f.Flush()
		}
	}
	return err
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// lintOutcome is golangci-lint's test point, and what failed for the
// error of bin/test.
type lintOutcome struct {
	tap.Result
	Summary string
}

// runLint runs golangci-lint as bin/test-compile's plan says, its output
// going to stderr as it comes; nil when there is no plan.
func runLint(ctx context.Context, log *output.Log, buildDir string, lines *gocmd.Lines, stderr io.Writer) (*lintOutcome, error) {
	dir := filepath.Join(buildDir, Dir)
	data, err := os.ReadFile(filepath.Join(dir, lintPlanFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var plan lintPlan
	if err == nil {
		err = json.Unmarshal(data, &plan)
	}
	if err != nil {
		return nil, fmt.Errorf("read what bin/test-compile prepared for golangci-lint: %w", err)
	}
	res := &lintOutcome{Result: tap.Result{Package: golangci.Binary}}
	if plan.Problem != "" {
		log.Step("golangci-lint %s (from %s) cannot lint the app", orTool(plan.Version), plan.Source)
		log.Warn("%s. %s", plan.Problem, plan.Fix)
		res.Status, res.Output, res.Summary = tap.Fail, plan.Problem+".\n"+plan.Fix+"\n", plan.Problem
		return res, nil
	}
	line := lines.Lint(filepath.Join(dir, lintCacheDir))
	done := log.Timed("Running golangci-lint %s %s (%s; from %s)", orTool(plan.Version), strings.Join(line.Args, " "), plan.Config, plan.Source)
	cmd := exec.CommandContext(ctx, filepath.Join(dir, golangci.Binary), line.Args...)
	cmd.Dir = lines.Settings.App.Dir
	cmd.Env = line.Env
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(stderr, &out)
	cmd.Stderr = cmd.Stdout
	err = cmd.Run()
	done()
	res.Output = out.String()
	var exit *exec.ExitError
	switch {
	case err == nil:
		res.Status = tap.Pass
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		res.Status, res.Summary = tap.Fail, "it reported problems"
	default:
		res.Status, res.Summary = tap.Fail, fmt.Sprintf("it failed (%v)", err)
		res.Output += fmt.Sprintf("golangci-lint failed: %v\n", err)
	}
	return res, nil
}
