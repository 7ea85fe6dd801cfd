package deploy

import (
	"reflect"
	"testing"
)

func TestWantedReleases(t *testing.T) {
	have := []string{"go1.21.13", "go1.22.10", "go1.22.12", "go1.23.4", "go1.24rc1", "go1.26.8"}
	for _, tt := range []struct {
		goLine, tcLine, goVersion string
		want                      []string
	}{
		{"1.22", "", "", []string{"go1.22.12"}},
		{"1.22.3", "", "", []string{"go1.22.12"}},
		{"1.22", "go1.23.4", "", []string{"go1.22.12", "go1.23.4"}},
		{"1.21", "", "go1.26", []string{"go1.21.13", "go1.26.8"}},
		{"1.22", "", "1.23", []string{"go1.22.12", "go1.23.4"}},
		{"1.22", "", "go1.22.10", []string{"go1.22.10", "go1.22.12"}},
		{"1.22", "go1.23.1", "", []string{"go1.22.12", "go1.23.4"}},
		{"1.22", "", "^1.26", []string{"go1.22.12"}}, // a constraint names no line
		{"1.24", "", "", nil},                        // only a release candidate
		{"1.25", "", "", nil},
		{"", "", "", nil},
		{"not a version", "", "", nil},
	} {
		got := wantedReleases(tt.goLine, tt.tcLine, tt.goVersion, have)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("wantedReleases(%q, %q, %q) = %q, want %q", tt.goLine, tt.tcLine, tt.goVersion, got, tt.want)
		}
	}
}
