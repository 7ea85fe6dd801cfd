package checksum

import (
	"fmt"
	"strings"

	"golang.org/x/mod/module"
)

// ToolchainPath is the module path of Go toolchains.
const ToolchainPath = "golang.org/toolchain"

// Settings are the config vars that decide how a Go toolchain download
// is checked.
type Settings struct {
	GOSUMDB, GONOSUMDB, GOPRIVATE, GOPROXY string
}

// Check says how a toolchain download is checked.
type Check int

const (
	// CheckDB looks the hash up in the database GOSUMDB names (by
	// default sum.golang.org), as the go command does.
	CheckDB Check = iota
	// CheckDefaultDB looks the hash up in sum.golang.org although
	// GOSUMDB=off: the go command would refuse to download the toolchain
	// ("checksum database disabled by GOSUMDB=off"), but an app that
	// turns the database off for its own modules must still deploy.
	CheckDefaultDB
	// CheckNone asks no database: GOPROXY is a single file:// URL and the
	// database is off for golang.org/toolchain (GOSUMDB=off, or GONOSUMDB
	// or GOPRIVATE matching it), where the go command checks nothing.
	CheckNone
)

// String names the check.
func (c Check) String() string {
	switch c {
	case CheckDB:
		return "CheckDB"
	case CheckDefaultDB:
		return "CheckDefaultDB"
	case CheckNone:
		return "CheckNone"
	}
	return fmt.Sprintf("Check(%d)", int(c))
}

// ToolchainCheck decides how a Go toolchain is checked, as the go command
// decides it (cmd/go/internal/modfetch useSumDB): the checksum database is
// required for golang.org/toolchain whatever GONOSUMDB or GOPRIVATE say,
// except with a single file:// GOPROXY, where the rules for any module
// apply. Where the go command would then fail, with GOSUMDB=off, the
// buildpack asks sum.golang.org instead.
func ToolchainCheck(s Settings) Check {
	off := s.GOSUMDB == "off"
	if strings.HasPrefix(s.GOPROXY, "file://") && !strings.ContainsAny(s.GOPROXY, ",|") {
		noSumDB := s.GONOSUMDB
		if noSumDB == "" {
			noSumDB = s.GOPRIVATE // the go command's default for GONOSUMDB
		}
		if off || module.MatchPrefixPatterns(noSumDB, ToolchainPath) {
			return CheckNone
		}
		return CheckDB
	}
	if off {
		return CheckDefaultDB
	}
	return CheckDB
}

// Logger receives warnings for the build log.
type Logger interface {
	Warn(format string, args ...any)
}

// ForToolchains returns the database that checks Go toolchain downloads
// under settings s (see ToolchainCheck), reached through proxies (base
// URLs from GOPROXY) when they serve it, caching state in dir. Warnings,
// such as a cached tree head that had to be reset, go to log.
func ForToolchains(s Settings, proxies []string, dir string, get Getter, log Logger) (*DB, error) {
	db, err := New(s.GOSUMDB, proxies, dir, get)
	if err != nil {
		return nil, err
	}
	db.check, db.settings, db.log = ToolchainCheck(s), s, log
	return db, nil
}

// Describe returns the build log's line for a toolchain whose hash was
// checked by Verify: against which database, or why none was asked.
func (db *DB) Describe(hash string) string {
	switch db.check {
	case CheckDefaultDB:
		return fmt.Sprintf("Verified %s against %s: GOSUMDB=off turns the checksum database off for modules only; "+
			"Go toolchains are always verified (the go command would refuse to download one)", hash, db.Name)
	case CheckNone:
		why := "GOSUMDB=off"
		if db.settings.GOSUMDB != "off" {
			why = "GONOSUMDB matches " + ToolchainPath
			if db.settings.GONOSUMDB == "" {
				why = "GOPRIVATE matches " + ToolchainPath
			}
		}
		return fmt.Sprintf("Not verified against a checksum database (hash %s): GOPROXY is a single file:// URL and %s, as the go command allows", hash, why)
	}
	return fmt.Sprintf("Verified %s against the checksum database %s", hash, db.Name)
}
