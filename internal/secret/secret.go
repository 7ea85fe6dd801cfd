// Package secret keeps credentials out of what the buildpack prints. The
// one rule it owns: the userinfo of a URL (a user name, which is often a
// token, and a password) never reaches a message; it is shown as xxxxx.
// bin/program.sh applies the same rule to the shim's messages (its
// redact function; a table test keeps the two in agreement).
package secret

import "regexp"

// userinfo matches a URL's scheme separator and userinfo: everything from
// "://" to the last "@" before the authority ends (at "/", "?", "#" or a
// space). It takes the last "@", as net/url does for an unescaped "@" in
// a password.
var userinfo = regexp.MustCompile(`://[^/?#\s]*@`)

// Mask is what a URL's userinfo is replaced with.
const Mask = "xxxxx"

// Redact returns s with the userinfo of every URL in it replaced by Mask:
// https://TOKEN@host and https://user:password@host both become
// https://xxxxx@host. Unlike net/url's Redacted, it hides the user name
// too, since a token is commonly given as one.
func Redact(s string) string {
	return userinfo.ReplaceAllLiteralString(s, "://"+Mask+"@")
}
