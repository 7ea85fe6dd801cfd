package glob

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pat, name     string
		match, inside bool
	}{
		{"templates/**", "templates", true, false},
		{"templates/**", "templates/a/b.html", true, true},
		{"**/*.psd", "a/b/c.psd", true, true},
		{"**/*.psd", "c.psd", true, true},
		{"docs", "docs", true, true},
		{"docs", "docs/x", false, false},
		{"a/*/c", "a/b/c", true, true},
		{"a/*/c", "a/b/d/c", false, false},
		{"a/**/c", "a/c", true, true},
		{"a/**/c", "a/b/d/c", true, true},
		{"config/*.yml", "config/app.yml", true, true},
		{"config/*.yml", "config/x/app.yml", false, false},
		{"[ab]", "b", true, true},
	}
	for _, tt := range tests {
		pat, name := strings.Split(tt.pat, "/"), strings.Split(tt.name, "/")
		if got := Match(pat, name); got != tt.match {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pat, tt.name, got, tt.match)
		}
		if got := Inside(pat, name); got != tt.inside {
			t.Errorf("Inside(%q, %q) = %v, want %v", tt.pat, tt.name, got, tt.inside)
		}
	}
}

func TestMatchTable(t *testing.T) {
	tests := []struct {
		pat, name string
		want      bool
	}{
		// Exact.
		{"config", "config", true},
		{"config", "config2", false},
		{"config", "a/config", false},
		{"config/app.yml", "config/app.yml", true},
		{"config/app.yml", "config", false},
		{"config", "config/app.yml", false},
		// A star stays within a segment.
		{"*.yml", "app.yml", true},
		{"*.yml", "config/app.yml", false},
		{"*.yml", ".yml", true},
		{"config/*.yml", "config/app.yml", true},
		{"config/*.yml", "config/sub/app.yml", false},
		{"*", "anything", true},
		{"*", "a/b", false},
		{"a?c", "abc", true},
		{"[ab].txt", "b.txt", true},
		{"[ab].txt", "c.txt", false},
		// "**" at the start.
		{"**/*.html", "index.html", true},
		{"**/*.html", "a/index.html", true},
		{"**/*.html", "a/b/c/index.html", true},
		{"**/*.html", "a/index.htm", false},
		{"**/x", "x", true},
		{"**/x", "a/x/b", false},
		// "**" in the middle.
		{"static/**/*.css", "static/a.css", true},
		{"static/**/*.css", "static/x/y/a.css", true},
		{"static/**/*.css", "other/static/a.css", false},
		{"a/**/b/**/c", "a/b/c", true},
		{"a/**/b/**/c", "a/x/b/y/z/c", true},
		{"a/**/b/**/c", "a/x/c", false},
		// "**" at the end.
		{"static/**", "static", true},
		{"static/**", "static/a", true},
		{"static/**", "static/a/b/c", true},
		{"static/**", "staticx/a", false},
		{"**", "", true},
		{"**", "a", true},
		{"**", "a/b/c", true},
		{"**/**", "a/b", true},
	}
	for _, tt := range tests {
		if got := Match(strings.Split(tt.pat, "/"), strings.Split(tt.name, "/")); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pat, tt.name, got, tt.want)
		}
	}
}
