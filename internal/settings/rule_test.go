package settings_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// readsAllowed are the places outside this package that may read the
// process environment: each passes it on to a process it starts, or runs
// on the developer's machine rather than in a build. Keys are a file,
// relative to internal/, and the call.
var readsAllowed = map[string]string{
	"bench/bench.go os.Environ":             "bench runs bin/compile with the developer's environment",
	"deploy/deploy.go os.Environ":           "deploy runs bin/ scripts as Heroku would, with the machine's environment",
	"deploy/cnb.go os.Getenv":               "deploy --cnb keeps the lifecycle's cache under the developer's HOME",
	"lifecycle/build.go os.Environ":         "the lifecycle is built with the developer's go command",
	"lifecycle/platform.go os.Getenv":       "the lifecycle's phases get the machine's PATH",
	"lifecycle/platform.go os.LookupEnv":    "the lifecycle's phases get the machine's proxy and TLS settings",
	"release/release.go os.Environ":         "the release is built with the machine's environment, its Go settings taken out",
	"files/filestest/smallfs.go os.Getenv":  "a test helper process reads what its test asks of it",
	"files/filestest/smallfs.go os.Environ": "a test helper process gets its test's environment",
	"deploy/deploy.go index PORT":           "deploy's own -e PORT is the web process's port, not a setting of the build",
	"gocmd/gocmd.go index PATH":             "the processes the build starts find programs on the machine's PATH, after the toolchain's",
}

// envReads are the calls that read the process environment.
var envReads = map[string]bool{
	"os.Getenv": true, "os.LookupEnv": true, "os.Environ": true, "os.ExpandEnv": true,
	"syscall.Getenv": true, "syscall.Environ": true,
}

// varName matches a literal that names a config var (GOPROXY, GO_APP_DIR).
var varName = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*_?$`)

// TestSettingsReadOnce enforces what the package says: no package but
// this one reads the process environment (os.Getenv, os.LookupEnv,
// os.Environ) or a config var by name (vars.Get("GOPROXY"),
// vars.Lookup("GOPROXY"), vars["GOPROXY"]), but for the few reads named
// in readsAllowed.
func TestSettingsReadOnce(t *testing.T) {
	var found []string
	used := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" || path == "../settings" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, "../"))
		for _, r := range reads(f) {
			key := rel + " " + r.what
			if readsAllowed[key] != "" {
				used[key] = true
				continue
			}
			found = append(found, fmt.Sprintf("internal/%s:%d: %s", rel, fset.Position(r.pos).Line, r.what))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("%s: read the setting in internal/settings and pass it on as a field of Settings", f)
	}
	for key := range readsAllowed {
		if !used[key] {
			t.Errorf("readsAllowed names %q, which no longer reads the environment: remove it", key)
		}
	}
}

// read is a read of the environment or of a config var in a file.
type read struct {
	pos  token.Pos
	what string // os.Getenv, or "index NAME", "Get NAME", "Lookup NAME"
}

// reads returns the reads of the process environment and of config vars
// by name in f.
func reads(f *ast.File) []read {
	imports := map[string]string{} // local name -> path
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imports[name] = p
	}
	assigned := map[ast.Expr]bool{} // index expressions written, not read
	var out []read
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				assigned[lhs] = true
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				break
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && imports[pkg.Name] != "" {
				if call := imports[pkg.Name] + "." + sel.Sel.Name; envReads[call] {
					out = append(out, read{n.Pos(), call})
				}
				break
			}
			if (sel.Sel.Name == "Get" || sel.Sel.Name == "Lookup") && len(n.Args) == 1 {
				if name, ok := literal(n.Args[0]); ok {
					out = append(out, read{n.Pos(), sel.Sel.Name + " " + name})
				}
			}
		case *ast.IndexExpr:
			if name, ok := literal(n.Index); ok && !assigned[n] {
				out = append(out, read{n.Pos(), "index " + name})
			}
		}
		return true
	})
	return out
}

// literal returns the config var a string literal names.
func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil && varName.MatchString(s)
}
