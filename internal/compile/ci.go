package compile

// What a layout step other than the classic slug's may use: Heroku CI's
// bin/test-compile lays out the slug, then builds golangci-lint, which may
// need a newer toolchain than the app's.

import (
	"context"
	"fmt"
	"go/version"

	"golang.org/x/mod/modfile"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cache"
	"github.com/gobuildpack/heroku-buildpack-go/internal/goversion"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
	"github.com/gobuildpack/heroku-buildpack-go/internal/toolchain"
)

// LayOutSlug lays out the classic slug, as Run does.
func (l *Layout) LayOutSlug() error {
	s, err := l.r.layOutSlug(l.Result, l.Procfile)
	l.f.slug = s
	return err
}

// Cache returns the build's cache.
func (l *Layout) Cache() cache.Dir { return l.r.cache }

// Log returns the build's log.
func (l *Layout) Log() *output.Log { return l.r.log }

// ToolchainFor returns a toolchain whose go command builds a module whose go
// directive is goLine (1.26.0): the build's own when it is new enough,
// else the newest release of goLine's line, installed or reused from the
// cache as the build's own is, as the go command switches toolchains
// (GOTOOLCHAIN=auto) for such a module. what names the module, for
// messages.
func (l *Layout) ToolchainFor(ctx context.Context, goLine, what string) (toolchain.Toolchain, error) {
	tc := l.Result.Toolchain
	if goLine == "" || !version.IsValid("go"+goLine) || version.Compare(tc.Version, "go"+goLine) >= 0 {
		return tc, nil
	}
	req := goversion.Request{Version: "go" + goLine, Kind: goversion.Newest, Source: "the go directive of " + what + ": go " + goLine}
	available, err := l.r.releases(ctx)
	if err != nil {
		return toolchain.Toolchain{}, l.r.proxyError(err, l.Settings)
	}
	v, err := goversion.Resolve(req, available)
	if err != nil {
		return toolchain.Toolchain{}, remedy.Wrap(err, "go-version", "Choose a release of %s that an available Go release builds.", what)
	}
	l.r.log.Detail("%s needs go %s or newer: using %s for it", what, goLine, v)
	tc, remove, err := l.r.installGo(ctx, l.Settings, goChoice{Version: v, Request: req})
	if err != nil {
		return toolchain.Toolchain{}, err
	}
	if tc.Temporary {
		// Kept until the build ends, which is after the layout.
		l.r.cleanups = append(l.r.cleanups, remove)
	}
	return tc, nil
}

// GoLineOf returns the go directive of module path at version ("" when
// it has none), from the go.mod the module proxies of GOPROXY serve. The
// go command verifies that go.mod when it downloads the module; this only
// chooses what to ask for.
func (l *Layout) GoLineOf(ctx context.Context, path, version string) (string, error) {
	f, err := l.r.modFile(ctx, path, version)
	if err != nil || f == nil || f.Go == nil {
		return "", err
	}
	return f.Go.Version, nil
}

// modFile returns the go.mod of path@version from the GOPROXY proxies,
// nil when GOPROXY lists none.
func (r *run) modFile(ctx context.Context, path, version string) (*modfile.File, error) {
	c := r.toolchains.Primary
	if c == nil {
		return nil, nil
	}
	data, err := c.GoMod(ctx, path, version)
	if err != nil {
		return nil, err
	}
	f, err := modfile.ParseLax(path+"@"+version+"/go.mod", data, nil)
	if err != nil {
		return nil, fmt.Errorf("the go.mod of %s@%s: %w", path, version, err)
	}
	return f, nil
}
