package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestErrorLinksResolve checks that every README section an error links to exists.
func TestErrorLinksResolve(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	sections := regexp.MustCompile(`(?:remedy\.Wrap|goError)\([^"]*?,\s*"([a-z0-9-]+)"`)
	found := 0
	err = filepath.WalkDir(filepath.Join(repoRoot, "internal"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range sections.FindAllStringSubmatch(string(src), -1) {
			found++
			if !strings.Contains(string(readme), `<a id="`+m[1]+`"></a>`) {
				t.Errorf("%s links to README section %q, which does not exist", filepath.Base(path), m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 10 {
		t.Errorf("found only %d error links; the pattern no longer matches the code", found)
	}
}
