package settings

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/shellwords"
)

// FuzzParseConfig checks that no config var values make ParseConfig
// panic, and that no word is lost: every GOFLAGS word reaches the go
// command's GOFLAGS, the tags or the linker flags, and so does every
// GO_BUILD_FLAGS word (a separate -tags or -ldflags value with its flag).
func FuzzParseConfig(f *testing.F) {
	f.Add("-tags=a,b -mod=mod", "-race -ldflags '-X a=b'", "main.version", "v1", "0", "")
	f.Add("-tags", "'", "", "x", "yes", "maybe")
	f.Add(`-x=a'b"c -v`, `-x=a'b"c -v`, "", "", "", "")
	f.Add(`'-ldflags=-X main.a=b c' "-gcflags=all=-N -l"`, `-tags "x y" -ldflags=-s`, "main.v", `it's`, "1", "false")
	f.Fuzz(func(t *testing.T, goflags, buildFlags, sym, val, cgo, strip string) {
		c, err := parseConfig(map[string]string{
			"GOFLAGS": goflags, "GO_BUILD_FLAGS": buildFlags, "GO_LINKER_SYMBOL": sym,
			"GO_LINKER_VALUE": val, "CGO_ENABLED": cgo, "GO_STRIP": strip,
		}, "abc")
		if err != nil {
			return
		}
		if len(c.Tags) == 0 || c.Tags[0] != "heroku" {
			t.Fatalf("Tags = %q, want heroku first", c.Tags)
		}

		var ld []string
		words, err := shellwords.SplitGo(goflags)
		if err != nil {
			t.Fatalf("ParseConfig took GOFLAGS %q that does not split: %v", goflags, err)
		}
		var kept []string
		for _, w := range words {
			name, v, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
			switch name {
			case "tags":
				checkTags(t, c.Tags, v)
			case "ldflags":
				ld = append(ld, v)
			default:
				kept = append(kept, w)
			}
		}
		back, err := shellwords.SplitGo(c.Env["GOFLAGS"])
		if err != nil || len(back) != len(kept) || (len(kept) > 0 && !reflect.DeepEqual(back, kept)) {
			t.Fatalf("GOFLAGS %q became %q (%q, %v), want the words %q", goflags, c.Env["GOFLAGS"], back, err, kept)
		}

		words, err = shellwords.SplitWords(buildFlags)
		if err != nil {
			t.Fatalf("ParseConfig took GO_BUILD_FLAGS %q that does not split: %v", buildFlags, err)
		}
		kept = nil
		for i := 0; i < len(words); i++ {
			w := words[i]
			name, v, hasVal := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(w, "-"), "-"), "=")
			if !strings.HasPrefix(w, "-") || (name != "tags" && name != "ldflags") {
				kept = append(kept, w)
				continue
			}
			if !hasVal {
				i++
				v = words[i]
			}
			if name == "tags" {
				checkTags(t, c.Tags, v)
			} else {
				ld = append(ld, v)
			}
		}
		if len(c.Flags) != len(kept) || (len(kept) > 0 && !reflect.DeepEqual(c.Flags, kept)) {
			t.Fatalf("GO_BUILD_FLAGS %q gave flags %q, want %q", buildFlags, c.Flags, kept)
		}
		if got := c.LDFlags[len(c.LDFlags)-len(ld):]; len(ld) > 0 && !reflect.DeepEqual(got, ld) {
			t.Fatalf("linker flags %q do not end with %q", c.LDFlags, ld)
		}
	})
}

// checkTags fails unless every tag in the -tags value v is in tags.
func checkTags(t *testing.T, tags []string, v string) {
	t.Helper()
	for _, tag := range splitTags(v) {
		found := false
		for _, have := range tags {
			found = found || have == tag
		}
		if !found {
			t.Fatalf("tag %q lost: tags %q", tag, tags)
		}
	}
}
