// Package report records the facts of a build (which Go, where it came
// from, what was cached, what was built, how long each step took) and
// prints them for bin/report as flat YAML, one `key: value` a line, like
// the report of Heroku's classic buildpacks.
//
// bin/compile makes a Build from what its steps returned once it ends,
// and saves it in the build directory; bin/report reads it back, and
// nothing else does. A Build holds names and numbers only: never the value
// of a config var.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

// File is where the build saves its facts, relative to the build directory.
const File = ".heroku/go/report.json"

// Build is what a build did.
type Build struct {
	Outcome    string `json:"outcome"`               // success or failure
	FailedStep string `json:"failed_step,omitempty"` // the step that failed
	ErrorDoc   string `json:"error_doc,omitempty"`   // docs/errors.md section of the error

	Module             string `json:"module,omitempty"`
	GoVersion          string `json:"go_version,omitempty"`
	GoVersionOrigin    string `json:"go_version_origin,omitempty"`    // see Origin
	GoVersionRequested string `json:"go_version_requested,omitempty"` // as go.mod or the buildpack asks; empty when a config var decided
	Platform           string `json:"platform,omitempty"`             // linux-amd64
	Stack              string `json:"stack,omitempty"`

	ToolchainCacheHit bool `json:"toolchain_cache_hit"`
	ToolchainKept     bool `json:"toolchain_kept"`
	ModulesRequired   int  `json:"modules_required"`
	ModuleCacheWarm   bool `json:"module_cache_warm"`
	BuildCacheWarm    bool `json:"build_cache_warm"`

	Binaries     []string         `json:"binaries,omitempty"`
	BinaryBytes  map[string]int64 `json:"binary_bytes,omitempty"`
	ProcessTypes []string         `json:"process_types,omitempty"`
	SlugBytes    int64            `json:"slug_bytes,omitempty"` // the build directory, uncompressed
	SlugFiles    int              `json:"slug_files,omitempty"`

	ProcfileWarnings  int      `json:"procfile_warnings"`
	MissingConfigVars []string `json:"missing_config_vars,omitempty"` // names from app.json

	// Steps are the steps that ended, in the order they ran, with their
	// durations, then the total.
	Steps []Step `json:"steps"`
}

// Step is a build step and how long it took.
type Step struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// Save writes the build's facts into the build directory.
func Save(buildDir string, b *Build) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("save build report: %w", err)
	}
	path := filepath.Join(buildDir, File)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("save build report: %w", err)
	}
	// By rename: a report.json the app holds as a symlink is replaced,
	// never written through.
	if err := files.WriteFileAtomic(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("save build report: %w", err)
	}
	return nil
}

// Load reads the facts a build saved in buildDir.
func Load(buildDir string) (*Build, error) {
	data, err := files.ReadNoFollow(filepath.Join(buildDir, File))
	if err != nil {
		return nil, fmt.Errorf("read build report: %w", err)
	}
	var b Build
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("read build report %s: %w", File, err)
	}
	return &b, nil
}

// Write prints the facts as flat YAML: strings double-quoted, lists as
// comma-separated strings, durations as <step>_duration_seconds.
func Write(w io.Writer, b *Build) error {
	var lines []string
	str := func(k, v string) {
		if v != "" {
			lines = append(lines, k+": "+strconv.Quote(v))
		}
	}
	num := func(k string, v int64) { lines = append(lines, k+": "+strconv.FormatInt(v, 10)) }
	boolean := func(k string, v bool) { lines = append(lines, k+": "+strconv.FormatBool(v)) }

	str("outcome", b.Outcome)
	str("failed_step", b.FailedStep)
	str("error_doc", b.ErrorDoc)
	str("module", b.Module)
	str("go_version", b.GoVersion)
	str("go_version_origin", b.GoVersionOrigin)
	str("go_version_requested", b.GoVersionRequested)
	str("platform", b.Platform)
	str("stack", b.Stack)
	boolean("toolchain_cache_hit", b.ToolchainCacheHit)
	boolean("toolchain_kept", b.ToolchainKept)
	num("modules_required", int64(b.ModulesRequired))
	boolean("module_cache_warm", b.ModuleCacheWarm)
	boolean("build_cache_warm", b.BuildCacheWarm)
	str("binaries", strings.Join(b.Binaries, ","))
	names := make([]string, 0, len(b.BinaryBytes))
	for name := range b.BinaryBytes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		num("binary_"+key(name)+"_bytes", b.BinaryBytes[name])
	}
	str("process_types", strings.Join(b.ProcessTypes, ","))
	if b.SlugFiles > 0 {
		num("slug_bytes", b.SlugBytes)
		num("slug_files", int64(b.SlugFiles))
	}
	num("procfile_warnings", int64(b.ProcfileWarnings))
	num("missing_config_vars_count", int64(len(b.MissingConfigVars)))
	str("missing_config_vars", strings.Join(b.MissingConfigVars, ","))
	for _, s := range b.Steps {
		lines = append(lines, key(s.Name)+"_duration_seconds: "+strconv.FormatFloat(s.Seconds, 'f', 3, 64))
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

// key makes a YAML key part from a name: letters, digits and _.
func key(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, name)
}

// Print writes the report of the build in buildDir, for bin/report.
func Print(w io.Writer, buildDir string) error {
	b, err := Load(buildDir)
	if err != nil {
		return remedy.Wrap(err, "report", "bin/report prints what bin/compile saved in the build directory: run bin/compile BUILD_DIR CACHE_DIR ENV_DIR first.")
	}
	return Write(w, b)
}
