package goversion

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Request
	}{
		{"1.22", Request{Version: "go1.22", Kind: Newest}},
		{"go1.22", Request{Version: "go1.22", Kind: Newest}},
		{" 1.22\n", Request{Version: "go1.22", Kind: Newest}},
		{"1.22.5", Request{Version: "go1.22.5", Kind: Exact}},
		{"go1.22.5", Request{Version: "go1.22.5", Kind: Exact}},
		{"1.22.0", Request{Version: "go1.22.0", Kind: Exact}},
		{"go1.23rc1", Request{Version: "go1.23rc1", Kind: Exact}},
		{"1.21beta1", Request{Version: "go1.21beta1", Kind: Exact}},
		{"1.20", Request{Version: "go1.20", Kind: Newest}},
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

func TestParseInvalid(t *testing.T) {
	for _, in := range []string{"", " ", "1", "go1", "go2", "latest", "1.22.x", "1.22.03", "v1.22", "go 1.22", "1.22.5.1", "1..22"} {
		r, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want error", in, r)
			continue
		}
		if !strings.Contains(err.Error(), "is not a Go version") {
			t.Errorf("Parse(%q) error = %q, want it to say it is not a Go version", in, err)
		}
	}
}

func TestRequestString(t *testing.T) {
	tests := []struct {
		r    Request
		want string
	}{
		{Request{Version: "go1.22.5", Kind: Exact}, "go1.22.5"},
		{Request{Version: "go1.22", Kind: Newest}, "the newest go1.22.x"},
		{Request{Version: "go1.22.3", Kind: Newest}, "the newest go1.22.x (at least go1.22.3)"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.r, got, tt.want)
		}
	}
}

func TestChoose(t *testing.T) {
	full := Inputs{
		File:          "go.mod",
		ConfigVar:     "1.21.4",
		Comment:       "1.22",
		CommentLine:   2,
		Toolchain:     "go1.23.1",
		ToolchainLine: 5,
		GoDirective:   "1.23",
		GoLine:        3,
		Default:       "1.25",
	}
	tests := []struct {
		name string
		edit func(in *Inputs)
		want Request
	}{
		{
			name: "config var first",
			edit: func(in *Inputs) {},
			want: Request{Version: "go1.21.4", Kind: Exact, Source: "the GOVERSION config var: 1.21.4", Origin: FromConfigVar, Setting: "1.21.4"},
		},
		{
			name: "heroku comment second",
			edit: func(in *Inputs) { in.ConfigVar = "" },
			want: Request{Version: "go1.22", Kind: Newest, Source: "the +heroku goVersion comment in go.mod:2", Origin: FromComment, File: "go.mod", Line: 2, Setting: "1.22"},
		},
		{
			name: "toolchain third",
			edit: func(in *Inputs) { in.ConfigVar, in.Comment = "", "" },
			want: Request{Version: "go1.23.1", Kind: Exact, Source: "the toolchain directive in go.mod: toolchain go1.23.1", Origin: FromToolchain, File: "go.mod", Line: 5, Setting: "go1.23.1"},
		},
		{
			name: "go directive fourth",
			edit: func(in *Inputs) { in.ConfigVar, in.Comment, in.Toolchain = "", "", "" },
			want: Request{Version: "go1.23", Kind: Newest, Source: "the go directive in go.mod: go 1.23", Origin: FromGoLine, File: "go.mod", Line: 3, Setting: "1.23"},
		},
		{
			name: "default last",
			edit: func(in *Inputs) { in.ConfigVar, in.Comment, in.Toolchain, in.GoDirective = "", "", "", "" },
			want: Request{Version: "go1.25", Kind: Newest, Source: "the buildpack default, as go.mod has no go directive", Origin: FromDefault, File: "go.mod", Setting: "1.25"},
		},
		{
			name: "go directive with patch is a minimum",
			edit: func(in *Inputs) { in.ConfigVar, in.Comment, in.Toolchain, in.GoDirective = "", "", "", "1.22.3" },
			want: Request{Version: "go1.22.3", Kind: Newest, Source: "the go directive in go.mod: go 1.22.3", Origin: FromGoLine, File: "go.mod", Line: 3, Setting: "1.22.3"},
		},
		{
			name: "toolchain older than go line falls back to go line",
			edit: func(in *Inputs) {
				in.ConfigVar, in.Comment, in.Toolchain, in.GoDirective = "", "", "go1.22.1", "1.22.3"
			},
			want: Request{Version: "go1.22.3", Kind: Newest, Source: "the go directive in go.mod: go 1.22.3", Origin: FromGoLine, File: "go.mod", Line: 3, Setting: "1.22.3"},
		},
		{
			name: "toolchain equal to go line is used",
			edit: func(in *Inputs) {
				in.ConfigVar, in.Comment, in.Toolchain, in.GoDirective = "", "", "go1.22.3", "1.22.3"
			},
			want: Request{Version: "go1.22.3", Kind: Exact, Source: "the toolchain directive in go.mod: toolchain go1.22.3", Origin: FromToolchain, File: "go.mod", Line: 5, Setting: "go1.22.3"},
		},
		{
			name: "toolchain without go line",
			edit: func(in *Inputs) { in.ConfigVar, in.Comment, in.Toolchain, in.GoDirective = "", "", "go1.24rc2", "" },
			want: Request{Version: "go1.24rc2", Kind: Exact, Source: "the toolchain directive in go.mod: toolchain go1.24rc2", Origin: FromToolchain, File: "go.mod", Line: 5, Setting: "go1.24rc2"},
		},
		{
			name: "comment beats an invalid toolchain",
			edit: func(in *Inputs) { in.ConfigVar, in.Toolchain = "", "bogus" },
			want: Request{Version: "go1.22", Kind: Newest, Source: "the +heroku goVersion comment in go.mod:2", Origin: FromComment, File: "go.mod", Line: 2, Setting: "1.22"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := full
			tt.edit(&in)
			got, err := Choose(in)
			if err != nil {
				t.Fatalf("Choose: %v", err)
			}
			if got != tt.want {
				t.Errorf("Choose = %+v\nwant     %+v", got, tt.want)
			}
		})
	}
}

func TestChooseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   Inputs
		want string
	}{
		{"config var", Inputs{File: "go.mod", ConfigVar: "latest", Default: "1.25"}, "GOVERSION config var: \"latest\" is not a Go version"},
		{"comment", Inputs{File: "go.mod", Comment: "1.x", CommentLine: 7, Default: "1.25"}, "go.mod:7: +heroku goVersion: \"1.x\" is not a Go version"},
		{"toolchain", Inputs{File: "go.mod", Toolchain: "1.22.5", ToolchainLine: 4, Default: "1.25"}, "go.mod:4: toolchain 1.22.5 is not a Go release"},
		{"toolchain junk", Inputs{File: "go.mod", Toolchain: "gofast", ToolchainLine: 4, Default: "1.25"}, "go.mod:4: toolchain gofast is not a Go release"},
		{"go directive", Inputs{File: "go.mod", GoDirective: "1.x", GoLine: 3, Default: "1.25"}, "go.mod:3: go 1.x is not a valid go directive"},
		{"default", Inputs{File: "go.mod", Default: "new"}, "buildpack default Go version: \"new\" is not a Go version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Choose(tt.in)
			if err == nil {
				t.Fatalf("Choose = %+v, want error", r)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Choose error = %q, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	releases := []string{
		"go1.19.13", "go1.20rc1", "go1.20", "go1.20.1", "go1.20.2",
		"go1.21rc2", "go1.21.0", "go1.21.1",
		"go1.22.0", "go1.22.1", "go1.22.2", "go1.22.10", "go1.22.5",
		"go1.23rc1", "go1.23rc2",
		"junk", "", "v1.22.99", "go1.22.x", "go1.24beta1",
	}
	tests := []struct {
		name      string
		req       Request
		available []string
		want      string
	}{
		{"newest patch of a line", Request{Version: "go1.22", Kind: Newest}, releases, "go1.22.10"},
		{"minimum within the line", Request{Version: "go1.22.3", Kind: Newest}, releases, "go1.22.10"},
		{"minimum is the newest", Request{Version: "go1.22.10", Kind: Newest}, releases, "go1.22.10"},
		{"minimum with a gap", Request{Version: "go1.22.3", Kind: Newest}, []string{"go1.22.2", "go1.22.4", "go1.22.9"}, "go1.22.9"},
		{"stable beats prerelease", Request{Version: "go1.21", Kind: Newest}, releases, "go1.21.1"},
		{"rc-only line", Request{Version: "go1.23", Kind: Newest}, releases, "go1.23rc2"},
		{"beta-only line", Request{Version: "go1.24", Kind: Newest}, releases, "go1.24beta1"},
		{"pre-1.21 release without patch", Request{Version: "go1.20", Kind: Newest}, []string{"go1.20rc1", "go1.20", "go1.19.13"}, "go1.20"},
		{"pre-1.21 line", Request{Version: "go1.20", Kind: Newest}, releases, "go1.20.2"},
		{"old line", Request{Version: "go1.19", Kind: Newest}, releases, "go1.19.13"},
		{"exact needs no list", Request{Version: "go1.22.7", Kind: Exact}, nil, "go1.22.7"},
		{"exact prerelease", Request{Version: "go1.23rc1", Kind: Exact}, releases, "go1.23rc1"},
		{"unsorted list", Request{Version: "go1.22", Kind: Newest}, []string{"go1.22.9", "go1.22.11", "go1.22.10"}, "go1.22.11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.req, tt.available)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got != tt.want {
				t.Errorf("Resolve = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResolveNotFound(t *testing.T) {
	available := []string{"go1.21.3", "go1.22.0", "go1.22.2", "go1.23rc1", "junk"}
	tests := []struct {
		name       string
		req        Request
		available  []string
		wantNewest string
	}{
		{"future line", Request{Version: "go1.99", Kind: Newest, Source: "the go directive in go.mod: go 1.99"}, available, "go1.22.2"},
		{"minimum above the line's newest", Request{Version: "go1.22.3", Kind: Newest, Source: "the go directive in go.mod: go 1.22.3"}, available, "go1.22.2"},
		{"prerelease above the minimum only", Request{Version: "go1.23.0", Kind: Newest}, available, "go1.22.2"},
		{"empty list", Request{Version: "go1.22", Kind: Newest}, nil, ""},
		{"only prereleases", Request{Version: "go1.24", Kind: Newest}, []string{"go1.23rc1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.req, tt.available)
			var nf *NotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("Resolve = %q, %v; want *NotFoundError", got, err)
			}
			if nf.Newest != tt.wantNewest || nf.Request != tt.req {
				t.Errorf("NotFoundError = %+v, want Newest %q and the request", nf, tt.wantNewest)
			}
			if !strings.HasPrefix(err.Error(), "no Go release matches "+tt.req.String()+" (from "+tt.req.Source+")") {
				t.Errorf("error = %q", err)
			}
			if hasNewest := strings.Contains(err.Error(), "the newest release available is "+tt.wantNewest); hasNewest != (tt.wantNewest != "") {
				t.Errorf("error = %q, want newest release %q mentioned only when there is one", err, tt.wantNewest)
			}
		})
	}
}

func TestNewestStable(t *testing.T) {
	available := []string{"go1.21.9", "go1.22.1", "go1.22.0", "go1.23rc1", "bad"}
	tests := []struct {
		lang, want string
	}{
		{"", "go1.22.1"},
		{"go1.21", "go1.21.9"},
		{"go1.23", ""},
		{"go1.30", ""},
	}
	for _, tt := range tests {
		if got := NewestStable(available, tt.lang); got != tt.want {
			t.Errorf("NewestStable(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestIsStable(t *testing.T) {
	for v, want := range map[string]bool{"go1.22.5": true, "go1.20": true, "go1.23rc1": false, "go1.24beta1": false} {
		if got := IsStable(v); got != want {
			t.Errorf("IsStable(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestOlderThanGoDirective(t *testing.T) {
	tests := []struct {
		v, goDirective string
		want           bool
	}{
		{"go1.22.1", "1.22.3", true},
		{"go1.22.3", "1.22.3", false},
		{"go1.22.5", "1.22.3", false},
		{"go1.22.0", "1.22", false},
		{"go1.21.9", "1.22", true},
		{"go1.23rc1", "1.23", false},
		{"go1.23rc1", "1.23.0", true},
		{"go1.23.0", "1.23rc1", false},
		{"go1.20", "1.20", false},
		{"go1.22.5", "", false},
		{"go1.30.0", "1.29.1", false},
	}
	for _, tt := range tests {
		if got := OlderThanGoDirective(tt.v, tt.goDirective); got != tt.want {
			t.Errorf("OlderThanGoDirective(%q, %q) = %v, want %v", tt.v, tt.goDirective, got, tt.want)
		}
	}
}

func TestParseRejectsCustomSuffixes(t *testing.T) {
	for _, s := range []string{"1.22-foo", "go1.22.5-custom", "go1.22.5+auto", "1.22.x", "go2"} {
		if r, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) = %+v, want error", s, r)
		}
	}
}
