package settings

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name          string
		vars          map[string]string
		sourceVersion string
		want          config
	}{
		{
			name: "no vars",
			want: config{Env: map[string]string{"CGO_ENABLED": "0"}, Tags: []string{"heroku"}},
		},
		{
			name: "GOFLAGS tags",
			vars: map[string]string{"GOFLAGS": "-mod=mod -tags=a,b  -trimpath"},
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0", "GOFLAGS": "-mod=mod -trimpath"},
				GOFLAGS: []string{"-mod=mod", "-trimpath"},
				Tags:    []string{"heroku", "a", "b"},
				Applied: []string{"GOFLAGS"},
			},
		},
		{
			name: "GOFLAGS only tags",
			vars: map[string]string{"GOFLAGS": "--tags=heroku,a"},
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0", "GOFLAGS": ""},
				Tags:    []string{"heroku", "a"},
				Applied: []string{"GOFLAGS"},
			},
		},
		{
			// Quotes count only around a whole word, as in the go command;
			// no word is lost on the way to the go command's GOFLAGS.
			name: "GOFLAGS quoting",
			vars: map[string]string{"GOFLAGS": `-x=a'b"c -v "-gcflags=all=-N -l" '-ldflags=-X main.a=b c' -toolexec="x"`},
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0", "GOFLAGS": `-x=a'b"c -v '-gcflags=all=-N -l' -toolexec="x"`},
				GOFLAGS: []string{`-x=a'b"c`, "-v", "-gcflags=all=-N -l", `-toolexec="x"`},
				Tags:    []string{"heroku"},
				LDFlags: []string{"-X main.a=b c"},
				Applied: []string{"GOFLAGS"},
			},
		},
		{
			name: "GO_BUILD_FLAGS",
			vars: map[string]string{"GO_BUILD_FLAGS": `-race -ldflags '-X main.a=b c' -tags "x y" -v`},
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0"},
				Tags:    []string{"heroku", "x", "y"},
				LDFlags: []string{"-X main.a=b c"},
				Flags:   []string{"-race", "-v"},
				Applied: []string{"GO_BUILD_FLAGS"},
			},
		},
		{
			name: "tags from GOFLAGS then GO_BUILD_FLAGS",
			vars: map[string]string{"GOFLAGS": "-tags=a", "GO_BUILD_FLAGS": "-tags=b,a -ldflags=-s -ldflags=-w"},
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0", "GOFLAGS": ""},
				Tags:    []string{"heroku", "a", "b"},
				LDFlags: []string{"-s", "-w"},
				Applied: []string{"GOFLAGS", "GO_BUILD_FLAGS"},
			},
		},
		{
			name: "linker symbol and value",
			vars: map[string]string{"GO_LINKER_SYMBOL": "main.version", "GO_LINKER_VALUE": "1.2", "GO_BUILD_FLAGS": "-ldflags=-s"},
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0"},
				Tags:    []string{"heroku"},
				LDFlags: []string{"-X", "main.version=1.2", "-s"},
				Applied: []string{"GO_BUILD_FLAGS", "GO_LINKER_SYMBOL", "GO_LINKER_VALUE"},
			},
		},
		{
			name:          "linker value from SOURCE_VERSION",
			vars:          map[string]string{"GO_LINKER_SYMBOL": "main.version"},
			sourceVersion: "0123abc",
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0"},
				Tags:    []string{"heroku"},
				LDFlags: []string{"-X", "main.version=0123abc"},
				Applied: []string{"GO_LINKER_SYMBOL"},
			},
		},
		{
			name:          "empty linker value beats SOURCE_VERSION",
			vars:          map[string]string{"GO_LINKER_SYMBOL": "main.version", "GO_LINKER_VALUE": ""},
			sourceVersion: "0123abc",
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0"},
				Tags:    []string{"heroku"},
				LDFlags: []string{"-X", "main.version="},
				Applied: []string{"GO_LINKER_SYMBOL", "GO_LINKER_VALUE"},
			},
		},
		{
			name: "GO_STRIP=false keeps symbols",
			vars: map[string]string{"GO_STRIP": "false", "GO_LINKER_SYMBOL": "main.v", "GO_LINKER_VALUE": "1"},
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0"},
				Tags:    []string{"heroku"},
				LDFlags: []string{"-X", "main.v=1"},
				Applied: []string{"GO_LINKER_SYMBOL", "GO_LINKER_VALUE", "GO_STRIP"},
			},
		},
		{
			name: "CGO_ENABLED=1",
			vars: map[string]string{"CGO_ENABLED": "1", "CGO_CFLAGS": "-O2"},
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "1", "CGO_CFLAGS": "-O2"},
				Tags:    []string{"heroku"},
				Applied: []string{"CGO_CFLAGS", "CGO_ENABLED"},
				CGO:     true,
			},
		},
		{
			name: "CGO_ENABLED=0",
			vars: map[string]string{"CGO_ENABLED": "0"},
			want: config{
				Env:     map[string]string{"CGO_ENABLED": "0"},
				Tags:    []string{"heroku"},
				Applied: []string{"CGO_ENABLED"},
			},
		},
		{
			name: "applied, ignored and unrelated vars",
			vars: map[string]string{
				"GOPROXY": "https://proxy.example", "GOVERSION": "1.22", "GO_APP_DIR": "api", "GOWORK": "off",
				"GO_NETRC": "machine x", "GO_GIT_CRED__HTTPS__GITHUB__COM": "t", "GO_INSTALL_PACKAGE_SPEC": "./...", "GO_INSTALL_TOOLS_IN_IMAGE": "true",
				"CC": "clang", "PKG_CONFIG": "pkgconf", "GODEBUG": "x=1",
				"GOROOT": "/go", "GOTOOLCHAIN": "go1.22.0", "GOOS": "windows", "GOARCH": "arm", "GOPATH": "/p",
				"GOCACHE": "/c", "GOMODCACHE": "/m", "GOENV": "/e", "GOBIN": "/b",
				"DATABASE_URL": "postgres://x", "GOGC": "50", "CGO_UNKNOWN": "1", "PATH": "/evil",
			},
			want: config{
				Env: map[string]string{
					"CGO_ENABLED": "0", "GOPROXY": "https://proxy.example", "CC": "clang",
					"PKG_CONFIG": "pkgconf", "GODEBUG": "x=1",
				},
				Tags: []string{"heroku"},
				Applied: []string{"CC", "GODEBUG", "GOPROXY", "GOVERSION", "GOWORK", "GO_APP_DIR", "GO_GIT_CRED__HTTPS__GITHUB__COM",
					"GO_INSTALL_PACKAGE_SPEC", "GO_INSTALL_TOOLS_IN_IMAGE", "GO_NETRC", "PKG_CONFIG"},
				Ignored: map[string]string{
					"GOROOT": setVars["GOROOT"], "GOTOOLCHAIN": setVars["GOTOOLCHAIN"], "GOOS": setVars["GOOS"],
					"GOARCH": setVars["GOARCH"], "GOPATH": setVars["GOPATH"], "GOCACHE": setVars["GOCACHE"],
					"GOMODCACHE": setVars["GOMODCACHE"], "GOENV": setVars["GOENV"], "GOBIN": setVars["GOBIN"],
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(tt.vars, tt.sourceVersion)
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if tt.want.Ignored == nil {
				tt.want.Ignored = map[string]string{}
			}
			if _, ok := tt.vars["GO_STRIP"]; !ok {
				// Binaries are stripped unless GO_STRIP=false.
				tt.want.LDFlags = append([]string{"-s", "-w"}, tt.want.LDFlags...)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("ParseConfig =\n%#v\nwant\n%#v", *got, tt.want)
			}
		})
	}
}

func TestParseConfigLinkerQuoting(t *testing.T) {
	tests := []struct {
		value, want string
	}{
		{"v1.2.3", "main.v=v1.2.3"},
		{"built on Monday", "'main.v=built on Monday'"},
		{"it's\there", `"main.v=it's` + "\there\""},
		{`say "hi"`, `'main.v=say "hi"'`},
		{`'x'`, `"main.v='x'"`},
	}
	for _, tt := range tests {
		c, err := parseConfig(map[string]string{"GO_LINKER_SYMBOL": "main.v", "GO_LINKER_VALUE": tt.value, "GO_STRIP": "false"}, "")
		if err != nil {
			t.Errorf("GO_LINKER_VALUE=%q: %v", tt.value, err)
			continue
		}
		if want := []string{"-X", tt.want}; !reflect.DeepEqual(c.LDFlags, want) {
			t.Errorf("GO_LINKER_VALUE=%q: LDFlags = %q, want %q", tt.value, c.LDFlags, want)
		}
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"value without symbol", map[string]string{"GO_LINKER_VALUE": "1"}, "GO_LINKER_SYMBOL is not"},
		{"value with both quotes", map[string]string{"GO_LINKER_SYMBOL": "main.v", "GO_LINKER_VALUE": `'a' "b"`}, "GO_LINKER_VALUE config var: "},
		{"CGO_ENABLED=yes", map[string]string{"CGO_ENABLED": "yes"}, `CGO_ENABLED config var: "yes" is neither 0 nor 1`},
		{"CGO_ENABLED=true", map[string]string{"CGO_ENABLED": "true"}, "CGO_ENABLED config var"},
		{"GOFLAGS -tags at the end", map[string]string{"GOFLAGS": "-mod=mod -tags"}, "GOFLAGS config var: -tags needs a value"},
		// Each GOFLAGS word is a flag of its own: -tags=x, not -tags x.
		{"GOFLAGS -tags and a value", map[string]string{"GOFLAGS": "-tags x -v"}, "GOFLAGS config var: -tags needs a value"},
		{"GOFLAGS -ldflags and a value", map[string]string{"GOFLAGS": "-ldflags -s"}, "GOFLAGS config var: -ldflags needs a value"},
		{"GOFLAGS non-flag", map[string]string{"GOFLAGS": "-mod=mod main.key=SECRET"}, "GOFLAGS config var: non-flag word 2 (the go command takes each word as -flag or -flag=value"},
		{"GOFLAGS quote inside a word", map[string]string{"GOFLAGS": "-tags='a b'"}, "GOFLAGS config var: non-flag word 2"},
		{"GOFLAGS -", map[string]string{"GOFLAGS": "-"}, "GOFLAGS config var: non-flag word 1"},
		{"GOFLAGS --", map[string]string{"GOFLAGS": "-v --"}, "GOFLAGS config var: non-flag word 2"},
		{"GOFLAGS ---x", map[string]string{"GOFLAGS": "---x"}, "GOFLAGS config var: non-flag word 1"},
		{"GOFLAGS -=x", map[string]string{"GOFLAGS": "-=x"}, "GOFLAGS config var: non-flag word 1"},
		{"GOFLAGS --=x", map[string]string{"GOFLAGS": "--=x"}, "GOFLAGS config var: non-flag word 1"},
		{"GOFLAGS empty word", map[string]string{"GOFLAGS": "-v ''"}, "GOFLAGS config var: non-flag word 2"},
		{"GOFLAGS unterminated", map[string]string{"GOFLAGS": `-v "-x=1`}, `GOFLAGS config var: unterminated " string`},
		{"GO_BUILD_FLAGS quote", map[string]string{"GO_BUILD_FLAGS": `-ldflags "-s`}, "GO_BUILD_FLAGS config var: unterminated"},
		{"GO_BUILD_FLAGS -tags at the end", map[string]string{"GO_BUILD_FLAGS": "-tags"}, "GO_BUILD_FLAGS config var: -tags needs"},
		{"GO_BUILD_FLAGS -ldflags at the end", map[string]string{"GO_BUILD_FLAGS": "-v -ldflags"}, "GO_BUILD_FLAGS config var: -ldflags needs"},
		{"GO_STRIP=no", map[string]string{"GO_STRIP": "no"}, `GO_STRIP config var: "no" is neither true nor false`},
		{"GO_BUILD_FLAGS -ldflags with a pattern", map[string]string{"GO_BUILD_FLAGS": "-ldflags=./cmd/web=-X=main.v=1"}, "GO_BUILD_FLAGS config var: -ldflags=./cmd/web=... applies to the packages ./cmd/web only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.vars, "abc")
			if err == nil {
				t.Fatalf("ParseConfig = %+v, want error", c)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseConfig error = %q, want %q in it", err, tt.want)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("ParseConfig error %q repeats the value", err)
			}
		})
	}
}

// An -ldflags value with the pattern all= is merged like one without.
func TestParseConfigLDFlagsAll(t *testing.T) {
	c, err := parseConfig(map[string]string{"GO_BUILD_FLAGS": "-ldflags=all=-X=main.v=1", "GOFLAGS": "-ldflags=all=-extldflags=-static"}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-s", "-w", "-extldflags=-static", "-X=main.v=1"}
	if !reflect.DeepEqual(c.LDFlags, want) {
		t.Errorf("LDFlags = %q, want %q", c.LDFlags, want)
	}
}
