// Package remedy attaches to an error what the user should do about it.
//
// Errors a user can fix (a bad go.mod, an unknown Go version, a missing
// config var) are wrapped with a one-line fix and the docs/errors.md section that
// explains it, so the build log ends with the next step rather than a
// bare message.
package remedy

import (
	"errors"
	"fmt"
)

// DocsURL is where the sections named by errors live: docs/errors.md,
// one entry per section.
const DocsURL = "https://github.com/gobuildpack/heroku-buildpack-go/blob/main/docs/errors.md#"

// IssuesURL is where users report problems of the buildpack itself.
const IssuesURL = "https://github.com/gobuildpack/heroku-buildpack-go/issues"

// Error is an error with a fix the user can apply.
type Error struct {
	Err     error  // what went wrong
	Fix     string // what to do next, one or two sentences
	Section string // docs/errors.md anchor that explains it, without '#'
}

// Error returns the message of the underlying error.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// URL returns the link to the docs/errors.md section, or "" when there is none.
func (e *Error) URL() string {
	if e.Section == "" {
		return ""
	}
	return DocsURL + e.Section
}

// Wrap returns err with a fix and a docs/errors.md section attached.
// The fix is formatted with args. Wrap returns nil when err is nil.
func Wrap(err error, section, fix string, args ...any) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Fix: fmt.Sprintf(fix, args...), Section: section}
}

// Of returns the outermost remedy attached to err, if any.
func Of(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
