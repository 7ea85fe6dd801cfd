package goversion

import (
	"errors"
	"strings"
	"testing"
)

// liveList is the proxy's list of golang.org/toolchain linux-amd64
// releases as it was when these tests were written: sparse (go1.22.1 and
// go1.16rc1 exist but are not listed) and unsorted in places.
var liveList = strings.Fields(`go1.2.2 go1.3.1 go1.3.3 go1.4.1 go1.4.2 go1.4.3 go1.5.1 go1.5.2 go1.5.3 go1.5.4
go1.6.2 go1.6.4 go1.7.1 go1.7.4 go1.7.5 go1.7.6 go1.8 go1.8.1 go1.8.3 go1.8.7 go1.9 go1.9.1 go1.9.2
go1.9.3 go1.9.4 go1.9.7 go1.10 go1.10.2 go1.10.8 go1.11 go1.11.2 go1.11.4 go1.11.5 go1.11.13 go1.12.4
go1.12.7 go1.12.10 go1.12.14 go1.12.17 go1.13.1 go1.13.4 go1.13.6 go1.13.7 go1.13.12 go1.13.15 go1.14.2
go1.14.4 go1.14.7 go1.14.15 go1.15.2 go1.15.3 go1.15.7 go1.15.8 go1.15.13 go1.15.15 go1.16.3 go1.16.4
go1.16.15 go1.17.1 go1.17.4 go1.17.6 go1.17.13 go1.18 go1.18beta1 go1.18.1 go1.18.2 go1.18.4 go1.18.8
go1.18.10 go1.19.2 go1.19.4 go1.19.11 go1.19.13 go1.20 go1.20.1 go1.20.2 go1.20.4 go1.20.14 go1.21.0
go1.21.6 go1.21.13 go1.22.0 go1.22.2 go1.22.5 go1.22.6 go1.22.7 go1.22.8 go1.22.9 go1.22.10 go1.22.11
go1.22.12 go1.23.0 go1.23.1 go1.23.2 go1.23.3 go1.23.4 go1.23.6 go1.23.7 go1.23.8 go1.23.9 go1.23.10
go1.23.12 go1.24.0 go1.24.1 go1.24.2 go1.24.3 go1.24.4 go1.24.5 go1.24.6 go1.24.7 go1.24.8 go1.24.9
go1.24.10 go1.24.11 go1.24.13 go1.25.0 go1.25.1 go1.25.3 go1.25.4 go1.25.5 go1.25.6 go1.25.7 go1.25.8
go1.25.9 go1.25.10 go1.25.11 go1.25.14 go1.26rc1 go1.26.0 go1.26.1 go1.26.2 go1.26.3 go1.26.4 go1.26.5
go1.26.6 go1.26.7 go1.26.8 go1.26.9 go1.26.10 go1.26.11 go1.27.0 go1.27.1 go1.27.2 go1.27.3 go1.27.4`)

func TestParseConstraint(t *testing.T) {
	tests := []struct {
		in   string
		want Request
	}{
		{"^1.22", Request{Version: "go1.22", Kind: Match, Constraint: "^1.22"}},
		{"~1.22.3", Request{Version: "go1.22.3", Kind: Match, Constraint: "~1.22.3"}},
		{">=1.21", Request{Version: "go1.21", Kind: Match, Constraint: ">=1.21"}},
		{">= 1.21", Request{Version: "go1.21", Kind: Match, Constraint: ">= 1.21"}},
		{">1.21", Request{Version: "go1.22", Kind: Match, Constraint: ">1.21"}},
		{"<1.22", Request{Version: "go1.11", Kind: Match, Constraint: "<1.22"}},
		{"^1", Request{Version: "go1.11", Kind: Match, Constraint: "^1"}},
		{">=1.20, <1.22", Request{Version: "go1.20", Kind: Match, Constraint: ">=1.20, <1.22"}},
		{"^go1.22", Request{Version: "go1.22", Kind: Match, Constraint: "^go1.22"}},
		// = with a release or a line is an ordinary request.
		{"=1.22.5", Request{Version: "go1.22.5", Kind: Exact}},
		{"=go1.23rc1", Request{Version: "go1.23rc1", Kind: Exact}},
		{"=1.22", Request{Version: "go1.22", Kind: Newest}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseConstraintInvalid(t *testing.T) {
	for _, in := range []string{"^", "^1.x", ">=1.22.3.4", "~1.022", "^1.22,", "^1.22, 1.23", "=>1.22", "^1.22.1rc1", "^1.22foo", "<>1.2"} {
		r, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want error", in, r)
			continue
		}
		if !strings.Contains(err.Error(), "is not a version constraint") {
			t.Errorf("Parse(%q) error = %q, want it to say it is not a version constraint", in, err)
		}
	}
}

func TestConstraintMatch(t *testing.T) {
	tests := []struct {
		constraint string
		match      []string
		noMatch    []string
	}{
		{"^1.22", []string{"go1.22.0", "go1.22.5", "go1.27.4"}, []string{"go1.21.13", "go1.20", "go1.23rc1"}},
		{"^1.22.3", []string{"go1.22.3", "go1.23.0"}, []string{"go1.22.2", "go1.22.0"}},
		{"~1.22.3", []string{"go1.22.3", "go1.22.12"}, []string{"go1.22.2", "go1.23.0"}},
		{"~1.22", []string{"go1.22.0", "go1.22.12"}, []string{"go1.21.13", "go1.23.0"}},
		{">=1.21", []string{"go1.21.0", "go1.27.4"}, []string{"go1.20.14", "go1.26rc1"}},
		{">1.21", []string{"go1.22.0"}, []string{"go1.21.13", "go1.21.0"}},
		{">1.21.3", []string{"go1.21.4", "go1.22.0"}, []string{"go1.21.3"}},
		{"<1.22", []string{"go1.21.13", "go1.12.17"}, []string{"go1.22.0", "go1.22rc1"}},
		{"<=1.22", []string{"go1.22.12"}, []string{"go1.23.0"}},
		{"<=1.22.5", []string{"go1.22.5"}, []string{"go1.22.6"}},
		{"=1.22.5", []string{"go1.22.5"}, []string{"go1.22.6", "go1.22.4"}},
		{"=1.22", []string{"go1.22.0", "go1.22.12"}, []string{"go1.23.0"}},
		{"=1.20", []string{"go1.20", "go1.20.14"}, []string{"go1.20rc1", "go1.21.0"}},
		{"^1", []string{"go1.11", "go1.27.4"}, []string{"go1.27rc1"}},
		{">=1.20, <1.22", []string{"go1.20", "go1.21.13"}, []string{"go1.19.13", "go1.22.0"}},
		// A prerelease matches only when a comparator names one of its version.
		{">=1.23rc1", []string{"go1.23rc1", "go1.23rc2", "go1.23.0", "go1.24.0"}, []string{"go1.24rc1", "go1.22.12"}},
		{"~1.26rc1", []string{"go1.26rc1", "go1.26.11"}, []string{"go1.27.0"}},
		// Not releases.
		{">=1.21", nil, []string{"junk", "", "go1", "1.22.5.1"}},
	}
	for _, tt := range tests {
		c, err := ParseConstraint(tt.constraint)
		if err != nil {
			t.Fatalf("ParseConstraint(%q): %v", tt.constraint, err)
		}
		for _, v := range tt.match {
			if !c.Match(v) {
				t.Errorf("%q does not match %s, want it to", tt.constraint, v)
			}
		}
		for _, v := range tt.noMatch {
			if c.Match(v) {
				t.Errorf("%q matches %s, want it not to", tt.constraint, v)
			}
		}
	}
}

func TestResolveMatch(t *testing.T) {
	tests := []struct {
		constraint, want string
	}{
		{"^1.22", "go1.27.4"},
		{"~1.22.3", "go1.22.12"},
		{"~1.22", "go1.22.12"},
		{">=1.21", "go1.27.4"},
		{"<1.23", "go1.22.12"},
		{">=1.20, <1.22", "go1.21.13"},
		{"~1.26rc1", "go1.26.11"},
		{"<1.12", "go1.11.13"},
	}
	for _, tt := range tests {
		req, err := Parse(tt.constraint)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.constraint, err)
		}
		got, err := Resolve(req, liveList)
		if err != nil {
			t.Errorf("Resolve(%q): %v", tt.constraint, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Resolve(%q) = %s, want %s", tt.constraint, got, tt.want)
		}
	}
}

func TestResolveMatchErrors(t *testing.T) {
	req, _ := Choose(Inputs{File: "go.mod", ConfigVar: "^1.99", Default: "1.27"})
	_, err := Resolve(req, liveList)
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Newest != "go1.27.4" {
		t.Fatalf("Resolve(^1.99) error = %v, want *NotFoundError naming go1.27.4", err)
	}
	if want := "no Go release matches the newest release matching ^1.99 (from the GOVERSION config var: ^1.99)"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %q, want prefix %q", err, want)
	}

	req, _ = Choose(Inputs{File: "go.mod", Comment: "<1.11", CommentLine: 4, Default: "1.27"})
	_, err = Resolve(req, liveList)
	var old *TooOldError
	if !errors.As(err, &old) || old.Version != "go1.10.8" {
		t.Fatalf("Resolve(<1.11) error = %v, want *TooOldError for go1.10.8", err)
	}
	if want := "go1.10.8 (from the +heroku goVersion comment in go.mod:4) is older than go1.11"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %q, want prefix %q", err, want)
	}
	if want := "change go.mod:4 to `// +heroku goVersion 1.27`"; !strings.Contains(old.Fix(), want) {
		t.Errorf("Fix() = %q, want it to contain %q", old.Fix(), want)
	}
}

func TestCompareReleases(t *testing.T) {
	ordered := []string{"go1.9.7", "go1.10", "go1.10.8", "go1.20beta1", "go1.20rc1", "go1.20rc2", "go1.20", "go1.20.1", "go1.21rc2", "go1.21.0", "go1.22.5", "go1.22.12"}
	for i := range ordered {
		for j := range ordered {
			got := CompareReleases(ordered[i], ordered[j])
			want := sign(i - j)
			if got != want {
				t.Errorf("CompareReleases(%s, %s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	if CompareReleases("junk", "go1.2.2") >= 0 || CompareReleases("go1.2.2", "junk") <= 0 {
		t.Errorf("a name that is not a release must sort first")
	}
}
