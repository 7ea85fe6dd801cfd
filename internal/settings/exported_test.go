package settings

import (
	"reflect"
	"testing"
)

func TestExportable(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"PATH", false},
		{"HOME", false},
		{"BASH_ENV", false},
		{"ENV", false},
		{"IFS", false},
		{"LD_PRELOAD", false},
		{"LD_LIBRARY_PATH", false},
		{"LD_ANYTHING", false},
		{"GIT_DIR", false},
		{"GIT_SSH_COMMAND", false},
		{"GIT_CONFIG_COUNT", false},
		{"GIT_CONFIG_KEY_0", false},
		{"GIT_CONFIG_VALUE_0", false},
		{"GIT_CONFIG_PARAMETERS", false},
		{"NETRC", false},
		{"TMPDIR", false},
		{"BUILDPACK_DIR", false},
		{"DATABASE_URL", true},
		{"GOFLAGS", true},
		{"GOPRIVATE", true},
		{"CGO_ENABLED", true},
		{"GO_NETRC", true},
		{"Path", true},
		{"XLD_PRELOAD", true},
		{"GIT_AUTHOR_NAME", true},
		{"MY_PATH", true},
		{"GO_GIT_CRED__HTTPS__GITHUB__COM", true},
		{"GO_GIT_CRED__HTTPS__MY-GIT__EXAMPLE__COM", false}, // not a shell name
	}
	for _, tt := range tests {
		if got := exportable(tt.name); got != tt.want {
			t.Errorf("exportable(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestExported(t *testing.T) {
	v := configVars{
		"PATH":             "/evil",
		"LD_PRELOAD":       "/evil.so",
		"GIT_CONFIG_COUNT": "1",
		"GIT_DIR":          "/x",
		"BASH_ENV":         "/evil.sh",
		"GOFLAGS":          "-mod=mod",
		"DATABASE_URL":     "postgres://u:p@h/db?a=b",
		"EMPTY":            "",
		"A_MULTI":          "one\ntwo",
	}
	want := []string{"A_MULTI=one\ntwo", "DATABASE_URL=postgres://u:p@h/db?a=b", "EMPTY=", "GOFLAGS=-mod=mod"}
	if got := v.Exported(); !reflect.DeepEqual(got, want) {
		t.Errorf("Exported = %q, want %q", got, want)
	}
	if got := (configVars{"PATH": "/x"}).Exported(); got != nil {
		t.Errorf("Exported of only denied vars = %q, want nil", got)
	}
}
