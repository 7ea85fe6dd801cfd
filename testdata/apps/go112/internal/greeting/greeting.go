// Package greeting is shared by the app's two commands.
package greeting

import (
	"runtime"

	"github.com/google/uuid"
)

// Line says which app answers, with which Go, and an ID from a vendored
// module that is the same on every run.
func Line(who string) string {
	return who + " go112 built with " + runtime.Version() + " id " + uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://example.com/go112")).String()
}
