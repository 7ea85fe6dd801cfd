package cnb

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/slug"
)

// Process is a launch.toml [[processes]] entry.
type Process struct {
	Type    string   `toml:"type"`
	Command []string `toml:"command"`
	Default bool     `toml:"default,omitempty"`
}

// Processes returns the app's launch processes, by the rules of the
// classic default process types and of Heroku's Procfile: every Procfile
// entry, run by bash in the app directory as Heroku's Procfile buildpack
// runs it; web, running the web binary, unless the Procfile defines web;
// and one process per other binary, named after it, unless the Procfile
// defines that type or already runs that binary. The web process is the
// default. binDir is where the binaries are at launch.
func Processes(binDir, web string, others []string, procfile map[string]string) []Process {
	var out []Process
	for typ, cmd := range procfile {
		out = append(out, Process{Type: typ, Command: []string{"bash", "-c", cmd}})
	}
	for _, p := range slug.ProcessTypes(others, procfile) {
		bin := p.Type
		if p.Type == "web" {
			bin = web
		}
		out = append(out, Process{Type: p.Type, Command: []string{filepath.Join(binDir, bin)}})
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Type == "web") != (out[j].Type == "web") {
			return out[i].Type == "web"
		}
		return out[i].Type < out[j].Type
	})
	for i := range out {
		out[i].Default = out[i].Type == "web"
	}
	return out
}

// Describe lists the processes for the build log: "web: /layers/.../web
// (default), worker: bash -c ...".
func Describe(procs []Process) string {
	var parts []string
	for _, p := range procs {
		s := p.Type + ": " + strings.Join(p.Command, " ")
		if p.Default {
			s += " (default)"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// WriteLaunch writes launch.toml in the buildpack's layers directory.
func WriteLaunch(dir string, procs []Process) error {
	var buf bytes.Buffer
	doc := struct {
		Processes []Process `toml:"processes"`
	}{procs}
	if err := toml.NewEncoder(&buf).Encode(doc); err != nil {
		return fmt.Errorf("write launch.toml: %w", err)
	}
	if err := files.WriteFileAtomic(filepath.Join(dir, "launch.toml"), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write launch.toml: %w", err)
	}
	return nil
}
