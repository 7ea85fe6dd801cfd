package prebuilt

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
)

// Platforms are the platforms a release carries the program for, as
// "GOOS-GOARCH": those of Heroku's stacks.
var Platforms = []string{"linux-amd64", "linux-arm64"}

// DefaultURL is where the release workflow publishes the binaries: a
// GitHub release named after the source key. {source} and {platform} are
// replaced by the source key and the platform.
const DefaultURL = "https://github.com/gobuildpack/heroku-buildpack-go/releases/download/program-{source}/buildpack-{platform}"

// URLEnv is the environment variable of the bin/ shims that replaces the
// URL template, for mirrors and tests.
const URLEnv = "GOBUILDPACK_PROGRAM_URL"

// Pins is the [program] table of buildpack.toml: the sources a release was
// built from, the toolchain that built it, where its binaries are and
// their SHA-256 by platform.
type Pins struct {
	Source    string            `toml:"source"`
	Toolchain string            `toml:"toolchain"`
	URL       string            `toml:"url"`
	SHA256    map[string]string `toml:"sha256"`
}

// BinaryName is the file name of the program for a platform, in a release
// and in the buildpack's bin/.program directory.
func BinaryName(platform string) string { return "buildpack-" + platform }

// ShippedDir is where a packaged buildpack carries its binaries, relative
// to the buildpack's directory.
const ShippedDir = "bin/.program"

// Expand fills the URL template for the source key and platform.
func Expand(template, source, platform string) string {
	return strings.NewReplacer("{source}", source, "{platform}", platform).Replace(template)
}

// Format renders the [program] table, as the release command writes it.
func (p Pins) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[program]\nsource = %q\ntoolchain = %q\nurl = %q\n\n[program.sha256]\n", p.Source, p.Toolchain, p.URL)
	for _, platform := range Platforms {
		fmt.Fprintf(&b, "%s = %q\n", platform, p.SHA256[platform])
	}
	return b.String()
}

var header = regexp.MustCompile(`^\s*\[+\s*([^\]]*?)\s*\]+`)

// tableOf returns the table a header line opens, or "" for other lines.
func tableOf(line string) string {
	m := header.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	return m[1]
}

// ReplacePins returns the content of buildpack.toml with its [program]
// and [program.sha256] tables replaced by p (appended when it has none).
// Everything else, the comments above [program] and those of the next
// table included, is kept as it is.
func ReplacePins(data []byte, p Pins) ([]byte, error) {
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	start := -1
	for i, line := range lines {
		if tableOf(line) == "program" {
			start = i
			break
		}
	}
	var out []string
	block := strings.Split(strings.TrimRight(p.Format(), "\n"), "\n")
	if start < 0 {
		out = append(append(lines, ""), block...)
	} else {
		end := start + 1
		for end < len(lines) {
			if t := tableOf(lines[end]); t != "" && t != "program.sha256" {
				break
			}
			end++
		}
		// Comments and blank lines just before the next table are its own.
		for end > start+1 && end < len(lines) {
			if l := strings.TrimSpace(lines[end-1]); l == "" || strings.HasPrefix(l, "#") {
				end--
				continue
			}
			break
		}
		rest := lines[end:]
		for len(rest) > 0 && strings.TrimSpace(rest[0]) == "" {
			rest = rest[1:]
		}
		out = append(out, lines[:start]...)
		out = append(out, block...)
		if len(rest) > 0 {
			out = append(append(out, ""), rest...)
		}
	}
	for _, line := range out[:max(start, 0)] {
		if t := tableOf(line); strings.HasPrefix(t, "program.") {
			return nil, fmt.Errorf("buildpack.toml: [%s] comes before [program]: move it under [program]", t)
		}
	}
	result := []byte(strings.Join(out, "\n") + "\n")
	var check struct {
		Program Pins `toml:"program"`
	}
	if _, err := toml.NewDecoder(bytes.NewReader(result)).Decode(&check); err != nil {
		return nil, fmt.Errorf("buildpack.toml with new pins: %w", err)
	}
	if check.Program.Source != p.Source || check.Program.Format() != p.Format() {
		return nil, fmt.Errorf("buildpack.toml: [program] is defined more than once or in another form: keep one [program] table and one [program.sha256] table")
	}
	return result, nil
}
