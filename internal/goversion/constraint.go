package goversion

import (
	"fmt"
	"strconv"
	"strings"
)

// A Go release as a semantic version: go1.22.5 is 1.22.5, go1.20 (the
// first 1.20 release, named before Go 1.21) is 1.20.0, go1.23rc1 is
// 1.23.0-rc1. The heroku/buildpacks-go Cloud Native buildpack reads Go
// versions this way, and so do its version constraints.
type semver struct {
	major, minor, patch int
	pre                 string // "", "rc1", "beta2"
	parts               int    // how many of major, minor, patch were written
}

// parseSemver reads "1", "1.22", "1.22.5", "go1.22.5", "1.23rc1".
func parseSemver(s string) (semver, bool) {
	s = strings.TrimPrefix(s, "go")
	var v semver
	if i := strings.IndexAny(s, "abcdefghijklmnopqrstuvwxyz"); i >= 0 {
		s, v.pre = s[:i], s[i:]
		if !validPre(v.pre) {
			return semver{}, false
		}
	}
	fields := strings.Split(s, ".")
	if len(fields) > 3 {
		return semver{}, false
	}
	nums := [3]int{}
	for i, f := range fields {
		if f == "" || len(f) > 1 && f[0] == '0' || strings.Trim(f, "0123456789") != "" || len(f) > 6 {
			return semver{}, false
		}
		nums[i], _ = strconv.Atoi(f)
	}
	v.major, v.minor, v.patch, v.parts = nums[0], nums[1], nums[2], len(fields)
	if v.pre != "" && v.parts == 3 {
		return semver{}, false // go1.22.1rc1 is not a Go release name
	}
	return v, true
}

// validPre accepts the prerelease names Go uses: rcN and betaN.
func validPre(p string) bool {
	for _, prefix := range []string{"rc", "beta"} {
		if n, ok := strings.CutPrefix(p, prefix); ok {
			return n != "" && n[0] != '0' && strings.Trim(n, "0123456789") == "" && len(n) <= 3
		}
	}
	return false
}

// compare orders two versions as semantic versions.
func (a semver) compare(b semver) int {
	for _, d := range []int{a.major - b.major, a.minor - b.minor, a.patch - b.patch} {
		if d != 0 {
			return sign(d)
		}
	}
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "":
		return 1
	case b.pre == "":
		return -1
	}
	return comparePre(a.pre, b.pre)
}

// comparePre orders betaN before rcN, then by number.
func comparePre(a, b string) int {
	kind := func(p string) (int, int) {
		if n, ok := strings.CutPrefix(p, "rc"); ok {
			i, _ := strconv.Atoi(n)
			return 1, i
		}
		i, _ := strconv.Atoi(strings.TrimPrefix(p, "beta"))
		return 0, i
	}
	ka, na := kind(a)
	kb, nb := kind(b)
	if ka != kb {
		return sign(ka - kb)
	}
	return sign(na - nb)
}

func sign(d int) int {
	switch {
	case d < 0:
		return -1
	case d > 0:
		return 1
	}
	return 0
}

// CompareReleases orders Go release names (go1.20, go1.20.1, go1.21rc2,
// go1.21.0) as releases: unlike go/version, which orders go1.20 as a
// language version before go1.20rc1, it takes go1.20 for the release that
// followed go1.20rc1. Names that are not releases sort first.
func CompareReleases(a, b string) int {
	va, oka := parseSemver(a)
	vb, okb := parseSemver(b)
	switch {
	case !oka || !okb:
		return sign(btoi(oka) - btoi(okb))
	}
	return va.compare(vb)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// comparator is one term of a constraint, e.g. ">=1.21".
type comparator struct {
	op string // "=", ">", ">=", "<", "<=", "~", "^"
	v  semver
}

// Constraint is a version constraint as heroku/buildpacks-go accepts it
// in "+heroku goVersion" and GOVERSION: one or more comparators separated
// by commas, each an operator and a version, with semantic-version
// meaning (Rust's semver crate, which that buildpack uses):
//
//	^1.22    >=1.22.0, <2.0.0
//	~1.22.3  >=1.22.3, <1.23.0
//	~1.22    >=1.22.0, <1.23.0
//	>=1.21   >=1.21.0
//	>1.21    >=1.22.0 (a partial version excludes its whole line)
//	<1.22    <1.22.0
//	<=1.22   <1.23.0
//	=1.22.5  exactly 1.22.5
//	=1.22    >=1.22.0, <1.23.0
//
// A prerelease matches only when a comparator names a prerelease of the
// same version (>=1.23rc1 matches go1.23rc2), as in that crate.
type Constraint struct {
	terms []comparator
}

// constraintOps are the operators, longest first.
var constraintOps = []string{">=", "<=", "=", ">", "<", "~", "^"}

// isConstraint reports whether s is written as a constraint: it starts
// with an operator.
func isConstraint(s string) bool {
	return s != "" && strings.ContainsAny(s[:1], "=<>~^")
}

// ParseConstraint reads a constraint such as "^1.22", "~1.22.3",
// ">=1.21", "=1.22.5" or ">=1.21, <1.23".
func ParseConstraint(s string) (Constraint, error) {
	var c Constraint
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		op := ""
		for _, o := range constraintOps {
			if strings.HasPrefix(part, o) {
				op = o
				break
			}
		}
		if op == "" {
			return Constraint{}, fmt.Errorf("%q is not a version constraint: %q has no operator (want a form like ^1.22, ~1.22.3, >=1.21 or =1.22.5)", s, part)
		}
		v, ok := parseSemver(strings.TrimSpace(part[len(op):]))
		if !ok {
			return Constraint{}, fmt.Errorf("%q is not a version constraint: %q is not a Go version (want a form like ^1.22, ~1.22.3, >=1.21 or =1.22.5)", s, strings.TrimSpace(part[len(op):]))
		}
		c.terms = append(c.terms, comparator{op: op, v: v})
	}
	return c, nil
}

// Match reports whether the Go release v (go1.22.5) satisfies c.
func (c Constraint) Match(release string) bool {
	v, ok := parseSemver(release)
	if !ok || v.parts < 2 || len(c.terms) == 0 {
		return false
	}
	if v.pre != "" {
		allowed := false
		for _, t := range c.terms {
			if t.v.pre != "" && t.v.major == v.major && t.v.minor == v.minor && t.v.patch == v.patch {
				allowed = true
			}
		}
		if !allowed {
			return false
		}
	}
	for _, t := range c.terms {
		if !t.match(v) {
			return false
		}
	}
	return true
}

// match applies one comparator, with the semantics of partial versions.
func (t comparator) match(v semver) bool {
	w := t.v
	lo, hi := w, w // the range a partial version stands for: [lo, hi)
	switch w.parts {
	case 1:
		hi = semver{major: w.major + 1, parts: 3}
	case 2:
		hi = semver{major: w.major, minor: w.minor + 1, parts: 3}
	}
	full := w.parts == 3 || w.pre != ""
	switch t.op {
	case "=":
		if full {
			return v.compare(w) == 0
		}
		return v.compare(lo) >= 0 && v.compare(hi) < 0
	case ">":
		if full {
			return v.compare(w) > 0
		}
		return v.compare(hi) >= 0
	case ">=":
		return v.compare(lo) >= 0
	case "<":
		return v.compare(lo) < 0
	case "<=":
		if full {
			return v.compare(w) <= 0
		}
		return v.compare(hi) < 0
	case "~":
		if w.parts == 1 {
			return v.compare(lo) >= 0 && v.compare(hi) < 0
		}
		return v.compare(lo) >= 0 && v.compare(semver{major: w.major, minor: w.minor + 1, parts: 3}) < 0
	case "^":
		return v.compare(lo) >= 0 && v.compare(semver{major: w.major + 1, parts: 3}) < 0
	}
	return false
}

// lowest returns the smallest Go release name the constraint can match,
// at least floor (e.g. "go1.11"): the version a Request reports.
func (c Constraint) lowest(floor string) string {
	best, _ := parseSemver(floor)
	for _, t := range c.terms {
		var lo semver
		switch t.op {
		case "=", ">=", "~", "^":
			lo = t.v
		case ">":
			switch {
			case t.v.parts == 3 || t.v.pre != "":
				lo = t.v
			case t.v.parts == 2:
				lo = semver{major: t.v.major, minor: t.v.minor + 1, parts: 2}
			default:
				lo = semver{major: t.v.major + 1, parts: 2}
			}
		default:
			continue
		}
		if lo.compare(best) > 0 {
			best = lo
		}
	}
	return best.goName()
}

// goName spells a version as a Go release or language version name.
func (v semver) goName() string {
	s := fmt.Sprintf("go%d.%d", v.major, v.minor)
	if v.parts == 3 {
		s += fmt.Sprintf(".%d", v.patch)
	}
	return s + v.pre
}
