// Package glob matches slash-separated paths against patterns whose
// elements are path.Match patterns and "**", which matches any number of
// elements.
package glob

import "path"

// Match reports whether the path elements name match the pattern
// elements pat: each element as path.Match matches it, and "**" for any
// number of elements, none included.
func Match(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if Match(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// Inside reports whether name is strictly inside what pat matches when
// pat ends with "**", as .gitignore reads a trailing "/**": pat matches
// name, and pat without its last "**" does not.
func Inside(pat, name []string) bool {
	n := len(pat)
	if n == 0 || pat[n-1] != "**" {
		return Match(pat, name)
	}
	return Match(pat, name) && !Match(pat[:n-1], name)
}
