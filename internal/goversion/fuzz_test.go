package goversion

import (
	"go/version"
	"testing"
)

// FuzzChoose checks that no setting makes choosing and resolving a
// version panic, and that a resolved version satisfies the request.
func FuzzChoose(f *testing.F) {
	f.Add("", "", "go1.22.5", "1.22", "go1.22.12 go1.23.0")
	f.Add("1.22", "go1.23rc1", "", "1.21", "go1.22.0")
	f.Add("banana", "", "default", "1.x", "")
	f.Add("", "1.20", "", "", "go1.20 go1.20.14 go1.21rc2")
	f.Add("^1.22", "", "", "1.21", "go1.22.12 go1.23rc1 go1.27.4")
	f.Add("", ">=1.20, <1.22", "", "", "go1.20 go1.21.13 go1.10.8")
	f.Add("", "<1.11", "", "", "go1.10.8 go1.11.13")
	f.Fuzz(func(t *testing.T, configVar, comment, tc, goDirective, list string) {
		in := Inputs{File: "go.mod", ConfigVar: configVar, Comment: comment, CommentLine: 1,
			Toolchain: tc, ToolchainLine: 2, GoDirective: goDirective, GoLine: 3, Default: "1.27"}
		req, err := Choose(in)
		if err != nil {
			return
		}
		if !version.IsValid(req.Version) || req.Source == "" {
			t.Fatalf("Choose(%+v) = %+v", in, req)
		}
		available := splitSpaces(list)
		v, err := Resolve(req, available)
		if err != nil {
			return
		}
		if req.Kind == Newest && (version.Lang(v) != version.Lang(req.Version) || version.Compare(v, req.Version) < 0) {
			t.Fatalf("Resolve(%+v, %q) = %s, which does not satisfy it", req, available, v)
		}
		if req.Kind == Match {
			c, err := ParseConstraint(req.Constraint)
			if err != nil || !c.Match(v) || CompareReleases(v, MinModules) < 0 {
				t.Fatalf("Resolve(%+v, %q) = %s, which does not satisfy it", req, available, v)
			}
		}
		_ = UnsupportedWarning(v, req, available)
		_ = NotAvailable(v, req, available).Error()
	})
}

func splitSpaces(s string) []string {
	var out []string
	start := -1
	for i, r := range s + " " {
		if r == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}
