package goversion

import (
	"reflect"
	"strings"
	"testing"
)

func TestFeaturesOf(t *testing.T) {
	// The release where each feature appeared, as measured (see Features).
	first := map[string]string{
		"TestJSON": "go1.10", "Modules": "go1.11",
		"Trimpath": "go1.13", "CommaTags": "go1.13", "OutputDir": "go1.13", "ProxyList": "go1.13", "GOENV": "go1.13",
		"ModMod": "go1.14", "AutoVendor": "go1.14", "GOINSECURE": "go1.14",
		"ProxyPipe": "go1.15", "GOMODCACHE": "go1.15",
		"GOVCS": "go1.16", "InstallAtVersion": "go1.16", "ModulesByDefault": "go1.16", "Overlay": "go1.16",
		"GOEXPERIMENT": "go1.17",
		"BuildVCS":     "go1.18", "Workspaces": "go1.18", "GOAMD64": "go1.18",
		"PGO": "go1.20", "BuildCover": "go1.20",
		"Toolchain": "go1.21", "EnforcesGoLine": "go1.21",
	}
	releases := []string{"go1.9.7", "go1.10.8", "go1.11", "go1.11.13", "go1.12.17", "go1.13rc1", "go1.13.15", "go1.14.15", "go1.15.15",
		"go1.16beta1", "go1.16.15", "go1.17.13", "go1.18", "go1.18.10", "go1.19.13", "go1.20", "go1.20.14", "go1.21rc2", "go1.21.13", "go1.27.4"}
	typ := reflect.TypeOf(Features{})
	for i := 0; i < typ.NumField(); i++ {
		name := typ.Field(i).Name
		if name == "Release" {
			continue
		}
		since, ok := first[name]
		if !ok {
			t.Errorf("Features.%s has no first release in this test", name)
			continue
		}
		for _, r := range releases {
			got := reflect.ValueOf(FeaturesOf(r)).Field(i).Bool()
			if want := CompareReleases(r, since) >= 0 || strings.HasPrefix(r, since+"rc") || strings.HasPrefix(r, since+"beta"); got != want {
				t.Errorf("FeaturesOf(%s).%s = %v, want %v (from %s)", r, name, got, want, since)
			}
		}
	}
	if got := FeaturesOf("go1.12.17").Release; got != "go1.12.17" {
		t.Errorf("Release = %q", got)
	}
}

func TestTagsFlag(t *testing.T) {
	tags := []string{"heroku", "netgo"}
	if got := FeaturesOf("go1.12.17").TagsFlag(tags); got != "-tags=heroku netgo" {
		t.Errorf("go1.12 TagsFlag = %q", got)
	}
	if got := FeaturesOf("go1.13.15").TagsFlag(tags); got != "-tags=heroku,netgo" {
		t.Errorf("go1.13 TagsFlag = %q", got)
	}
	if got := FeaturesOf("go1.11.13").TagsFlag([]string{"heroku"}); got != "-tags=heroku" {
		t.Errorf("one tag = %q", got)
	}
}

func TestNeedsModVendor(t *testing.T) {
	tests := []struct {
		release, goLine string
		want            bool
	}{
		{"go1.12.17", "1.12", true},
		{"go1.13.15", "1.14", true},
		{"go1.14.15", "1.12", true},
		{"go1.14.15", "1.14", false},
		{"go1.22.12", "1.13", true},
		{"go1.22.12", "1.22", false},
		{"go1.22.12", "", true},
	}
	for _, tt := range tests {
		if got := FeaturesOf(tt.release).NeedsModVendor(tt.goLine); got != tt.want {
			t.Errorf("FeaturesOf(%s).NeedsModVendor(%q) = %v, want %v", tt.release, tt.goLine, got, tt.want)
		}
	}
}

func TestGoProxy(t *testing.T) {
	tests := []struct {
		release, goproxy, want, note string
	}{
		{"go1.12.17", "", "https://proxy.golang.org", ""},
		{"go1.11.13", "https://athens.example.com", "https://athens.example.com", ""},
		{"go1.12.17", "https://u:secret@athens.example.com,https://proxy.golang.org", "https://u:secret@athens.example.com",
			"go1.12.17 takes a single GOPROXY URL: using the first entry of the list, https://xxxxx@athens.example.com"},
		{"go1.12.17", "https://a.example.com|https://b.example.com", "https://a.example.com", "takes a single GOPROXY URL"},
		{"go1.12.17", "off", "off", ""},
		{"go1.13.15", "", "", ""},
		{"go1.13.15", "https://a.example.com,direct", "https://a.example.com,direct", ""},
		{"go1.14.15", "https://a.example.com|https://b.example.com", "https://a.example.com,https://b.example.com", "does not know \"|\""},
		{"go1.15.15", "https://a.example.com|https://b.example.com", "https://a.example.com|https://b.example.com", ""},
	}
	for _, tt := range tests {
		got, note := FeaturesOf(tt.release).GoProxy(tt.goproxy)
		if got != tt.want || (tt.note == "") != (note == "") || !strings.Contains(note, tt.note) {
			t.Errorf("FeaturesOf(%s).GoProxy(%q) = %q, %q; want %q, %q", tt.release, tt.goproxy, got, note, tt.want, tt.note)
		}
		if strings.Contains(note, "secret") {
			t.Errorf("note shows the password: %q", note)
		}
	}
}

func TestEnv(t *testing.T) {
	vars, notes := FeaturesOf("go1.12.17").Env("")
	if want := map[string]string{"GO111MODULE": "on", "GOPROXY": "https://proxy.golang.org"}; !reflect.DeepEqual(vars, want) || len(notes) != 0 {
		t.Errorf("go1.12 Env = %v, %v; want %v", vars, notes, want)
	}
	vars, notes = FeaturesOf("go1.14.15").Env("https://a.example.com|https://b.example.com")
	if want := map[string]string{"GO111MODULE": "on", "GOPROXY": "https://a.example.com,https://b.example.com"}; !reflect.DeepEqual(vars, want) || len(notes) != 1 {
		t.Errorf("go1.14 Env = %v, %v; want %v and a note", vars, notes, want)
	}
	vars, notes = FeaturesOf("go1.22.12").Env("")
	if len(vars) != 0 || len(notes) != 0 {
		t.Errorf("go1.22 Env = %v, %v; want nothing", vars, notes)
	}
}

func TestUnsupportedFlags(t *testing.T) {
	words := []string{"-trimpath", "-buildvcs=false", "-mod=mod", "-mod=vendor", "-modcacherw", "-v", "-ldflags=-s", "./cmd/web", "--overlay=x.json", "-pgo=off", "-cover"}
	tests := []struct {
		release string
		want    string
	}{
		{"go1.12.17", "-trimpath -buildvcs=false -mod=mod -modcacherw --overlay=x.json -pgo=off -cover"},
		{"go1.13.15", "-buildvcs=false -mod=mod -modcacherw --overlay=x.json -pgo=off -cover"},
		{"go1.17.13", "-buildvcs=false -pgo=off -cover"},
		{"go1.18.10", "-pgo=off -cover"},
		{"go1.20.14", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, u := range FeaturesOf(tt.release).UnsupportedFlags(words) {
			got = append(got, u.Flag)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("FeaturesOf(%s).UnsupportedFlags = %q, want %q", tt.release, got, tt.want)
		}
	}
	u := FeaturesOf("go1.12.17").UnsupportedFlags([]string{"-buildvcs=false"})
	if want := "-buildvcs=false is not a flag of go1.12.17 (it appeared in go1.18)"; len(u) != 1 || u[0].Error() != want {
		t.Errorf("UnsupportedFlags = %v, want %q", u, want)
	}
}
