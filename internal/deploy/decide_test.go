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

func TestCrashFix(t *testing.T) {
	const h10 = "It would crash on Heroku the same way (error H10). Its output is above; the command comes from Procfile:1."
	const port = "Make the web process listen on the port in $PORT, e.g. http.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil)."
	const procfile = " The build log's Procfile warnings above name the usual causes."
	for _, tt := range []struct {
		exited bool
		h      crashHints
		want   string
	}{
		{true, crashHints{}, h10},
		{true, crashHints{procfileWarnings: 2}, h10 + procfile},
		{true, crashHints{missing: []string{"DATABASE_URL"}}, h10 + " app.json declares required config vars that are not set: DATABASE_URL; set them for this deploy with -e DATABASE_URL=value, or as NAME=value lines in a file given with --env-file FILE."},
		{true, crashHints{missing: []string{"API_KEY", "DATABASE_URL"}, procfileWarnings: 1}, h10 + " app.json declares required config vars that are not set: API_KEY, DATABASE_URL; set them for this deploy with -e API_KEY=value -e DATABASE_URL=value, or as NAME=value lines in a file given with --env-file FILE." + procfile},
		{false, crashHints{}, port},
		{false, crashHints{procfileWarnings: 1}, port},
		{false, crashHints{missing: []string{"DATABASE_URL"}}, port + " app.json declares required config vars that are not set: DATABASE_URL; set them for this deploy with -e DATABASE_URL=value, or as NAME=value lines in a file given with --env-file FILE."},
	} {
		if got := crashFix(tt.exited, "Procfile:1", tt.h); got != tt.want {
			t.Errorf("crashFix(%v, %+v) =\n%s\nwant\n%s", tt.exited, tt.h, got, tt.want)
		}
	}
}
