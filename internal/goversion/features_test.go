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
