package deploy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gobuildpack/heroku-buildpack-go/internal/cnb"
	"github.com/gobuildpack/heroku-buildpack-go/internal/dyno"
	"github.com/gobuildpack/heroku-buildpack-go/internal/lifecycle"
	"github.com/gobuildpack/heroku-buildpack-go/internal/manifest"
	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/remedy"
)

// runCNB deploys the app as Heroku's Fir (or pack build) would: the
// buildpack runs as a Cloud Native Buildpack under the real lifecycle's
// phases, which export an app image into an OCI image layout, and the
// image's web process is started by the launcher (see internal/lifecycle
// for how, without a registry or container runtime).
func runCNB(ctx context.Context, log *output.Log, o Options, app, bp string) error {
	mf, err := manifest.Read(bp)
	if err != nil {
		return err
	}
	if err := mf.CheckCNB(); err != nil {
		return remedy.Wrap(err, "cnb", "Run the deploy command in this buildpack's directory, whose buildpack.toml describes it as a Cloud Native Buildpack.")
	}
	bins, err := findLifecycle(ctx, log, o)
	if err != nil {
		return err
	}
	p := &lifecycle.Platform{
		Lifecycle: bins,
		Buildpack: lifecycle.Buildpack{Dir: bp, ID: mf.Buildpack.ID, Version: mf.Buildpack.Version},
		Stdout:    o.Stdout,
		Stderr:    o.Stderr,
	}
	if os.Geteuid() == 0 {
		// The lifecycle refuses to build as root.
		p.User = lifecycle.Nobody
	}
	if p.Root, err = cnbRoot(log, o, app, p); err != nil {
		return err
	}
	p.Home = os.Getenv("HOME")
	if p.User != nil || p.Home == "" {
		p.Home = filepath.Join(p.Root, "home")
	}
	// The toolchain layer of the buildpack, as the lifecycle lays out a
	// buildpack's layers: in a directory named after its ID.
	layer := filepath.Join(p.LayersDir(), strings.ReplaceAll(mf.Buildpack.ID, "/", "_"), cnb.ToolchainLayer)
	store, sharing := o.store()
	if sharing {
		releases := appReleases(bp, app, o.Vars, store)
		prog, err := ensureProgram(o.Stdout, o.Stderr, bp, programStore(store.Dir))
		if err != nil {
			log.Warn("%v; the build gets the program itself", err)
		}
		progLayer := filepath.Join(filepath.Dir(layer), "program")
		p.Restored = func(string) error {
			seedLayer(log, store, layer, releases, p.User)
			if prog == "" {
				return nil
			}
			if copied, err := seedProgram(prog, progLayer, p.User); err != nil {
				log.Warn("could not copy the buildpack's program into its layer (%v); the build gets the program itself", err)
			} else if copied {
				log.Detail("copied the buildpack's program into its layer, from %s", filepath.Dir(prog))
			}
			return nil
		}
	}

	done := log.Timed("Building %s with the Cloud Native Buildpacks lifecycle %s", app, lifecycle.Version)
	log.Detail("platform directories (cache, image): %s", p.Root)
	log.Detail("config vars: %s", names(o.Vars))
	if p.User != nil {
		log.Detail("the lifecycle runs as user %d: it refuses to build as root", p.User.Uid)
	}
	done()
	err = p.Build(ctx, app, o.Vars)
	if sharing {
		share(log, toolchains(layer), store)
	}
	if err != nil {
		var pe *lifecycle.PhaseError
		if errors.As(err, &pe) && pe.Phase == "detector" && pe.Code == lifecycle.DetectFailed {
			return remedy.Wrap(fmt.Errorf("detect: the Go buildpack does not build %s", app), "no-go-mod",
				"A Go app has go.mod in its root directory: create it with `go mod init example.com/yourapp`.")
		}
		return fmt.Errorf("build the app: %w (the build log above says why)", err)
	}

	done = log.Timed("Reading the app image")
	img, err := lifecycle.ReadImage(p.ImageDir())
	if err != nil {
		return err
	}
	log.Detail("OCI image layout: %s", p.ImageDir())
	typ := ""
	if len(img.Config.Entrypoint) == 1 {
		typ = filepath.Base(img.Config.Entrypoint[0])
	}
	log.Detail("default process: %s", orNone(typ))
	done()
	if o.NoRun {
		return nil
	}
	if typ != "web" {
		return remedy.Wrap(fmt.Errorf("the image's default process is %q, not web", typ), "cnb",
			"The web process type is the default when the app has one: declare it in the Procfile, e.g. `web: ./app`, or build a main package.")
	}
	port, err := webPort(log, o)
	if err != nil {
		return err
	}
	cmd, err := p.Launch(img, typ, port, o.Vars)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = o.Stdout, o.Stderr
	command := "launcher " + typ
	done = log.Timed("Starting web: %s (PORT=%d, as the image's entrypoint)", command, port)
	proc, err := dyno.StartCmd(cmd, typ, command, port)
	if err != nil {
		return err
	}
	return watch(ctx, log, proc, done, command, "the image's launch processes", hintsFor(app, p.AppDir(), o.Vars))
}

// findLifecycle returns the lifecycle of --lifecycle, or builds it from
// source into the user cache dir (once).
func findLifecycle(ctx context.Context, log *output.Log, o Options) (lifecycle.Binaries, error) {
	if o.LifecycleDir != "" {
		dir, err := filepath.Abs(o.LifecycleDir)
		if err != nil {
			return lifecycle.Binaries{}, err
		}
		b, err := lifecycle.Find(dir)
		if err != nil {
			return b, remedy.Wrap(fmt.Errorf("--lifecycle: %w", err), "cnb", "Name the directory of a lifecycle release (lifecycle and launcher), or leave --lifecycle out to build it from source.")
		}
		return b, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return lifecycle.Binaries{}, remedy.Wrap(fmt.Errorf("find a cache dir: %w", err), "cnb", "Name a lifecycle with --lifecycle DIR.")
	}
	done := log.Timed("Finding the lifecycle %s (built from source once, with the go command)", lifecycle.Version)
	b, err := lifecycle.Build(ctx, filepath.Join(base, "gobuildpack", "lifecycle"), log.Indented())
	if err != nil {
		return b, remedy.Wrap(err, "cnb", "The lifecycle is built with the go command on PATH from the module proxy (GOPROXY); check both, or name a lifecycle release with --lifecycle DIR.")
	}
	log.Detail("%s", b.Dir)
	done()
	return b, nil
}

// cnbRoot is the platform's directory: DIR/cnb of --cache, else the app's
// cache in the user cache dir. When the build runs as another user that
// cannot reach the user cache dir (root's home), it is in the temporary
// directory instead.
func cnbRoot(log *output.Log, o Options, app string, p *lifecycle.Platform) (string, error) {
	if o.CacheDir != "" {
		dir, err := filepath.Abs(filepath.Join(o.CacheDir, "cnb"))
		if err != nil {
			return "", err
		}
		if p.User != nil {
			if err := lifecycle.Reachable(dir, p.User); err != nil {
				return "", remedy.Wrap(fmt.Errorf("--cache: %w", err), "cnb", "Name a --cache directory every user can reach, such as one under /tmp.")
			}
		}
		return dir, nil
	}
	cache, err := defaultCache(app)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "cnb")
	if p.User != nil && lifecycle.Reachable(dir, p.User) != nil {
		dir = filepath.Join(os.TempDir(), "gobuildpack", "apps", filepath.Base(cache), "cnb")
		log.Detail("the lifecycle's user cannot reach %s: the platform directories are in %s", cache, dir)
	}
	return dir, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
