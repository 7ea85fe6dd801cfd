package settings

// The config vars of ENV_DIR. Heroku hands a buildpack the app's config
// vars as one file per variable in ENV_DIR (file name = variable name,
// file content = value), not in the environment. A build must choose which
// of them to pass to the commands it runs: some names would change how the
// build machine itself behaves.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// maxValue is the largest config var value read, in bytes. Heroku limits
// all config vars of an app to 64 kB together.
const maxValue = 64 << 10

// configVars holds config vars by name.
type configVars map[string]string

var validName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// gitCredName matches the GO_GIT_CRED__ config vars, whose names spell a
// host name and so may hold hyphens. They are read, never exported.
var gitCredName = regexp.MustCompile(`^GO_GIT_CRED__[A-Za-z0-9_-]*$`)

// Read returns the config vars in dir. A missing or empty dir name gives no
// vars. Files whose names are not valid variable names are skipped and
// reported in skipped; a value is used as written, without trailing
// newlines (as the shell's $(cat file) would give it).
func readEnvDir(dir string) (vars configVars, skipped []string, err error) {
	vars = configVars{}
	if dir == "" {
		return vars, nil, nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return vars, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read config vars: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if !validName.MatchString(name) && !gitCredName.MatchString(name) {
			skipped = append(skipped, name)
			continue
		}
		path := filepath.Join(dir, name)
		info, err := os.Stat(path)
		if err != nil || !info.Mode().IsRegular() {
			skipped = append(skipped, name)
			continue
		}
		if info.Size() > maxValue {
			return nil, nil, fmt.Errorf("read config var %s: value is %d bytes, more than the %d a config var may hold", name, info.Size(), maxValue)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, fmt.Errorf("read config var %s: %w", name, err)
		}
		vars[name] = strings.TrimRight(string(data), "\r\n")
	}
	return vars, skipped, nil
}

// Get returns the value of name, or "" when it is not set.
func (v configVars) Get(name string) string { return v[name] }

// Lookup returns the value of name and whether it is set.
func (v configVars) Lookup(name string) (string, bool) {
	s, ok := v[name]
	return s, ok
}

// Names returns the names of the vars, sorted.
func (v configVars) Names() []string {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// neverExported are names a config var must not set in the build's
// processes: they would change how the build machine itself runs
// programs, finds libraries or reads git.
var neverExported = map[string]bool{
	"PATH": true, "HOME": true, "PWD": true, "SHELL": true, "IFS": true, "ENV": true, "BASH_ENV": true,
	"CDPATH": true, "PS4": true, "SHELLOPTS": true, "BASHOPTS": true, "TMPDIR": true,
	"GIT_DIR": true, "GIT_WORK_TREE": true, "GIT_INDEX_FILE": true, "GIT_CONFIG": true,
	"GIT_CONFIG_GLOBAL": true, "GIT_CONFIG_SYSTEM": true, "GIT_CONFIG_COUNT": true, "GIT_EXEC_PATH": true,
	"GIT_SSH": true, "GIT_SSH_COMMAND": true, "GIT_ASKPASS": true, "SSH_ASKPASS": true,
	"CPATH": true, "CPPATH": true, "LIBRARY_PATH": true, "PYTHONPATH": true, "PERL5LIB": true,
	"BUILDPACK_DIR": true, "NETRC": true,
}

// exportable reports whether a config var may be set in the environment
// of the build's processes (hooks, the go command): never one that would
// change how the machine runs programs, nor a name that is not a shell
// variable's.
func exportable(name string) bool {
	return validName.MatchString(name) && !neverExported[name] && !strings.HasPrefix(name, "LD_") && !strings.HasPrefix(name, "GIT_CONFIG_")
}

// Exported returns the vars that may be exported, as KEY=VALUE pairs.
func (v configVars) Exported() []string {
	var out []string
	for _, name := range v.Names() {
		if exportable(name) {
			out = append(out, name+"="+v[name])
		}
	}
	return out
}
