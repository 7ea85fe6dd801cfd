package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/settings"
)

// The documentation: README.md for app developers, the rest in docs/.
// These tests hold it to the code: every error's link resolves, every
// config var the code reads is documented (and nothing else), every
// link between the files lands on a heading or anchor, and the README
// stays short.

func readDoc(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestErrorLinksResolve checks that every section an error links to has
// its entry in docs/errors.md: the section argument of each remedy.Wrap,
// goError and failure call, and each remedy.DocsURL+"section".
func TestErrorLinksResolve(t *testing.T) {
	if !strings.HasSuffix(remedy.DocsURL, "/docs/errors.md#") {
		t.Fatalf("remedy.DocsURL = %q, want it to name docs/errors.md", remedy.DocsURL)
	}
	errorsDoc := readDoc(t, "docs/errors.md")
	found := 0
	check := func(fset *token.FileSet, lit *ast.BasicLit) {
		section, err := strconv.Unquote(lit.Value)
		if err != nil {
			return
		}
		found++
		if !strings.Contains(errorsDoc, `<a id="`+section+`"></a>`) {
			t.Errorf("%s links to docs/errors.md#%s, which has no such entry", fset.Position(lit.Pos()), section)
		}
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(filepath.Join(repoRoot, "internal"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
					if x, ok := fn.X.(*ast.Ident); ok && x.Name == "remedy" {
						name = "remedy." + name
					}
				case *ast.Ident:
					name = fn.Name
				}
				if (name == "remedy.Wrap" || name == "goError" || name == "failure") && len(n.Args) >= 2 {
					if lit, ok := n.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						check(fset, lit)
					}
				}
			case *ast.BinaryExpr:
				if sel, ok := n.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "DocsURL" {
					if lit, ok := n.Y.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						check(fset, lit)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 40 {
		t.Errorf("found only %d error links; the check no longer matches the code", found)
	}
}

// configTableVars returns the config var names in the first column of the
// markdown tables of doc whose header's first cell is header: every
// `NAME` in the cell, a GO_GIT_CRED__... name as its prefix.
func configTableVars(doc, header string) []string {
	var names []string
	in := false
	name := regexp.MustCompile("`([A-Z][A-Z0-9_]*(?:<HOST>)?)`")
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(line, "|") {
			in = false
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		first := strings.TrimSpace(cells[1])
		if strings.Trim(first, "[]") == header || strings.Contains(first, header+" ") || first == header {
			in = true
			continue
		}
		if !in || strings.HasPrefix(first, "---") {
			continue
		}
		for _, m := range name.FindAllStringSubmatch(first, -1) {
			n := m[1]
			if strings.HasPrefix(n, "GO_GIT_CRED__") {
				n = "GO_GIT_CRED__"
			}
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// TestConfigVarsDocumented: docs/config.md's reference lists exactly the
// config vars the buildpack reads, and its table of ignored ones exactly
// those it ignores; the README's table lists the same ones it reads.
func TestConfigVarsDocumented(t *testing.T) {
	read, ignored := settings.ConfigVars()
	doc := readDoc(t, "docs/config.md")
	for _, c := range []struct {
		where, header string
		doc           string
		want          []string
	}{
		{"docs/config.md", "Name", doc, read},
		{"docs/config.md", "Ignored", doc, ignored},
		{"README.md", "Config var", readDoc(t, "README.md"), read},
	} {
		got := configTableVars(c.doc, c.header)
		for _, n := range c.want {
			if !slices.Contains(got, n) {
				t.Errorf("%s (table %q) does not list %s, which the buildpack reads", c.where, c.header, n)
			}
		}
		for _, n := range got {
			if !slices.Contains(c.want, n) {
				t.Errorf("%s (table %q) lists %s, which the buildpack does not read", c.where, c.header, n)
			}
		}
	}
}

// TestDocLinksResolve: every relative link in README.md and docs/ names a
// file that exists and, with a #fragment, a heading or <a id> in it.
func TestDocLinksResolve(t *testing.T) {
	names := []string{"README.md"}
	entries, err := os.ReadDir(filepath.Join(repoRoot, "docs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			names = append(names, "docs/"+e.Name())
		}
	}
	anchors := map[string]map[string]bool{}
	heading := regexp.MustCompile(`^#{1,6} (.*)`)
	for _, name := range names {
		ids := map[string]bool{}
		doc := readDoc(t, name)
		for _, m := range regexp.MustCompile(`<a id="([^"]+)"></a>`).FindAllStringSubmatch(doc, -1) {
			ids[m[1]] = true
		}
		code := false
		for _, line := range strings.Split(doc, "\n") {
			if strings.HasPrefix(line, "```") {
				code = !code
			}
			if m := heading.FindStringSubmatch(line); m != nil && !code {
				ids[headingID(m[1])] = true
			}
		}
		anchors[name] = ids
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, name := range names {
		for _, m := range link.FindAllStringSubmatch(readDoc(t, name), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, frag, _ := strings.Cut(target, "#")
			to := name
			if file != "" {
				to = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(name), file)))
			}
			if _, err := os.Stat(filepath.Join(repoRoot, filepath.FromSlash(to))); err != nil {
				t.Errorf("%s links to %s: no such file", name, target)
				continue
			}
			if ids, ok := anchors[to]; ok && frag != "" && !ids[frag] {
				t.Errorf("%s links to %s: %s has no heading or anchor %q", name, target, to, frag)
			}
		}
	}
}

// headingID is the id GitHub gives a heading.
func headingID(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(title)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestReadmeShort: the README is for app developers, and fits on a few
// screens; the rest is in docs/.
func TestReadmeShort(t *testing.T) {
	if n := strings.Count(readDoc(t, "README.md"), "\n"); n > 250 {
		t.Errorf("README.md has %d lines; keep it to 250, and move the rest to docs/", n)
	}
}
