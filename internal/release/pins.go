package release

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// PinsFile is the pins file, relative to the buildpack's directory: the
// release command writes it, bin/program.sh sources it, ReadPins reads it.
const PinsFile = "bin/pins.sh"

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

// Pins are the content of bin/pins.sh: the prebuilt program of a release
// (the key of the sources it was built from, the toolchain that built it,
// where its binaries are and their SHA-256 by platform), the runtime
// program's package directories the key covers, and the bootstrap
// toolchain the shims build the program with when no release matches.
type Pins struct {
	Source    string            // program_source
	Toolchain string            // program_toolchain
	URL       string            // program_url
	SHA256    map[string]string // program_sha256_PLATFORM
	// Packages are the directories of the runtime program's packages,
	// slash-separated and relative to the buildpack (program_packages).
	Packages []string
	// BootstrapVersion is the Go release of the bootstrap toolchain
	// (bootstrap_version), BootstrapSHA256 the SHA-256 of its module zip
	// by platform (bootstrap_sha256_PLATFORM).
	BootstrapVersion string
	BootstrapSHA256  map[string]string
}

// pinsHeader opens the file the release command writes.
const pinsHeader = `# Written by ` + "`" + Command + "`" + `. Its inputs are program_toolchain
# and bootstrap_version, which you may edit; it writes the rest. Sourced by
# bin/program.sh and read by internal/release: name='value' lines only.
`

// varName is the shell name of a per-platform pin: program_sha256_linux_amd64.
func varName(prefix, platform string) string {
	return prefix + strings.ReplaceAll(platform, "-", "_")
}

// Format renders the pins file, as the release command writes it.
func (p *Pins) Format() []byte {
	var b strings.Builder
	b.WriteString(pinsHeader)
	line := func(name, value string) { fmt.Fprintf(&b, "%s='%s'\n", name, value) }
	b.WriteString("\n# The prebuilt program: the key of the sources it was built from, the\n# toolchain that built it, where the release serves it, its SHA-256.\n")
	line("program_source", p.Source)
	line("program_toolchain", p.Toolchain)
	line("program_url", p.URL)
	for _, platform := range Platforms {
		line(varName("program_sha256_", platform), p.SHA256[platform])
	}
	b.WriteString("\n# The runtime program's package directories (go list -deps ./cmd/buildpack):\n# program_source covers their non-test Go files, go.mod and go.sum.\n")
	line("program_packages", strings.Join(p.Packages, " "))
	b.WriteString("\n# The toolchain that builds the program from source when no release\n# matches, and the SHA-256 of its module zip.\n")
	line("bootstrap_version", p.BootstrapVersion)
	for _, platform := range Platforms {
		line(varName("bootstrap_sha256_", platform), p.BootstrapSHA256[platform])
	}
	return []byte(b.String())
}

var (
	assignment = regexp.MustCompile(`^([a-z][a-z0-9_]*)=(.*)$`)
	// bareValue is a value the shell takes as it is, unquoted.
	bareValue = regexp.MustCompile(`^[A-Za-z0-9_.,/:@%+=-]*$`)
	// Values a pin may have.
	hexKey     = regexp.MustCompile(`^[0-9a-f]{32}$`)
	sha256Hex  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	goRelease  = regexp.MustCompile(`^go1\.[0-9]+(\.[0-9]+|rc[0-9]+|beta[0-9]+)?$`)
	packageDir = regexp.MustCompile(`^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$`)
)

// ParsePins parses the content of bin/pins.sh. It is strict, as the file
// is the release command's: each line is blank, a comment or
// name='value' (or name=value with a value the shell takes as it is);
// every name is one of the pins, given once; each value has its form.
// name is the file's name for messages.
func ParsePins(name string, data []byte) (*Pins, error) {
	known := map[string]bool{"program_source": true, "program_toolchain": true, "program_url": true,
		"program_packages": true, "bootstrap_version": true}
	for _, platform := range Platforms {
		known[varName("program_sha256_", platform)] = true
		known[varName("bootstrap_sha256_", platform)] = true
	}
	values := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		where := fmt.Sprintf("%s:%d", name, i+1)
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimLeft(line, " \t"), "#") {
			continue
		}
		m := assignment.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("%s: not a name='value' line: %q", where, line)
		}
		key, value := m[1], m[2]
		if q, ok := strings.CutPrefix(value, "'"); ok {
			v, rest, closed := strings.Cut(q, "'")
			if !closed || rest != "" {
				return nil, fmt.Errorf("%s: %s: a single-quoted value must end the line and hold no quote", where, key)
			}
			value = v
		} else if !bareValue.MatchString(value) {
			return nil, fmt.Errorf("%s: %s: quote the value in single quotes", where, key)
		}
		if !known[key] {
			return nil, fmt.Errorf("%s: unknown pin %s", where, key)
		}
		if _, dup := values[key]; dup {
			return nil, fmt.Errorf("%s: %s is set twice", where, key)
		}
		if err := checkPin(key, value); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		values[key] = value
	}
	p := &Pins{
		Source:           values["program_source"],
		Toolchain:        values["program_toolchain"],
		URL:              values["program_url"],
		Packages:         strings.Fields(values["program_packages"]),
		BootstrapVersion: values["bootstrap_version"],
		SHA256:           map[string]string{},
		BootstrapSHA256:  map[string]string{},
	}
	for _, platform := range Platforms {
		if v := values[varName("program_sha256_", platform)]; v != "" {
			p.SHA256[platform] = v
		}
		if v := values[varName("bootstrap_sha256_", platform)]; v != "" {
			p.BootstrapSHA256[platform] = v
		}
	}
	return p, nil
}

// checkPin checks the form of one pin's value; "" is always allowed: the
// pin is not set.
func checkPin(key, value string) error {
	if value == "" {
		return nil
	}
	var ok bool
	switch {
	case key == "program_source":
		ok = hexKey.MatchString(value) || value == Unpinned
	case key == "program_toolchain" || key == "bootstrap_version":
		ok = goRelease.MatchString(value)
	case key == "program_url":
		ok = strings.HasPrefix(value, "https://") || strings.HasPrefix(value, "http://")
	case key == "program_packages":
		ok = true
		for _, dir := range strings.Fields(value) {
			ok = ok && packageDir.MatchString(dir) && !strings.Contains("/"+dir+"/", "/../") && !strings.Contains("/"+dir+"/", "/./")
		}
	default: // a SHA-256
		ok = sha256Hex.MatchString(value)
	}
	if !ok {
		return fmt.Errorf("%s=%q is not a valid value", key, value)
	}
	return nil
}

// Unpinned is a program_source no sources have: tests and the benchmark
// set it to make a copy of the buildpack one whose sources match no pin.
const Unpinned = "unpinned"

// ReadPins reads the pins file of the buildpack in dir.
func ReadPins(dir string) (*Pins, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(PinsFile)))
	if err != nil {
		return nil, fmt.Errorf("read the pins: %w", err)
	}
	return ParsePins(PinsFile, data)
}

// WritePins writes p into the pins file of the buildpack in dir, by
// rename.
func WritePins(dir string, p *Pins) error {
	if err := files.WriteFileAtomic(filepath.Join(dir, filepath.FromSlash(PinsFile)), p.Format(), 0o644); err != nil {
		return fmt.Errorf("write the pins: %w", err)
	}
	return nil
}
