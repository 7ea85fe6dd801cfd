package slugignore

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	ig, warnings := Parse("# art sources\n*.psd\n\n/test\r\nspec/\ndocs/**/*.pdf\n!keep.psd\n\\#hash\n\\!bang\ntrailing   \n   \n/\n")
	var got []string
	for _, p := range ig.patterns {
		got = append(got, p.String())
	}
	want := []string{"*.psd", "/test", "spec/", "/docs/**/*.pdf", "#hash", "!bang", "trailing"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("patterns = %q, want %q", got, want)
	}
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], ".slugignore:7: !keep.psd: Heroku does not support negated patterns; ignored") {
		t.Errorf("warnings = %q", warnings)
	}
}

func TestMatch(t *testing.T) {
	ig, _ := Parse(strings.Join([]string{
		"*.psd",         // any depth, files or directories
		"/test",         // at the root only
		"spec/",         // directories only, any depth
		"docs/*.pdf",    // a slash in the middle: relative to the root
		"assets/**/raw", // ** for any number of directories
		"**/tmp",        // ** at the start: any depth
		"cache/**",      // everything inside
		"a?c",
		"[bc]at.txt",
		"sp ace",
	}, "\n"))
	tests := []struct {
		rel   string
		isDir bool
		want  bool
	}{
		{"x.psd", false, true},
		{"art/deep/x.psd", false, true},
		{"dir.psd", true, true},
		{"x.psdx", false, false},
		{"test", true, true},
		{"test", false, true},
		{"src/test", true, false},
		{"spec", true, true},
		{"lib/spec", true, true},
		{"spec", false, false},
		{"docs/a.pdf", false, true},
		{"docs/sub/a.pdf", false, false},
		{"x/docs/a.pdf", false, false},
		{"assets/raw", true, true},
		{"assets/a/b/raw", false, true},
		{"other/assets/raw", false, false},
		{"tmp", true, true},
		{"a/b/tmp", false, true},
		{"cache/x", false, true},
		{"cache/x/y", false, true},
		{"cache", true, false},
		{"abc", false, true},
		{"x/abc", false, true},
		{"bat.txt", false, true},
		{"dat.txt", false, false},
		{"sp ace", false, true},
		{"main.go", false, false},
		{"go.mod", false, false},
	}
	for _, tt := range tests {
		if got := ig.Match(tt.rel, tt.isDir); got != tt.want {
			t.Errorf("Match(%q, dir=%v) = %v, want %v", tt.rel, tt.isDir, got, tt.want)
		}
	}
	var none *Ignore
	if none.Match("x.psd", false) {
		t.Error("a nil Ignore matches")
	}
}
