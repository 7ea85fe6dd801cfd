package lifecycle

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
)

// How a Platform builds, and why this way.
//
// It runs the five phases as separate processes in the order a platform
// runs them (analyzer, detector, restorer, builder, exporter), each the
// lifecycle binary invoked under the phase's name, with Platform API 0.14:
// the same files and exit codes pack build, kpack or Heroku's build
// system give a buildpack. In place of a registry, the analyzer and the
// exporter use the lifecycle's OCI image layout (CNB_USE_LAYOUT, an
// experimental feature since Platform API 0.12, so CNB_EXPERIMENTAL_MODE
// is set to quiet). The run image is a stand-in written into the layout
// (WriteRunImage). The exporter writes the app image there, with its app,
// layer, SBOM, launcher and process-type layers and its config, and
// saves the cache layers into a volume cache directory, which the restorer
// restores from on the next build; the previous image in the layout lets
// the analyzer and exporter reuse unchanged launch layers.
//
// What needs a container runtime is running the image itself: its layers
// are not unpacked into a root file system. Launch runs the image's
// process with the launcher against the directories the image was
// exported from (its layers and app directories hold the same files at
// the same paths), with the image config's environment, working
// directory and user: only the run image's operating system is replaced
// by this machine's.

// PlatformAPI is the Platform API version the phases run with.
const PlatformAPI = "0.14"

// Image references: the layout path of each is derived from them.
const (
	RunImage = "gobuildpack.local/run:latest"
	AppImage = "gobuildpack.local/app:latest"
)

// Buildpack is the buildpack a Platform runs.
type Buildpack struct {
	Dir     string // holds buildpack.toml and bin/
	ID      string
	Version string
}

// Platform builds apps with the lifecycle phases in directories under
// Root, which it keeps between builds of the same app:
//
//	Root/images/     the OCI image layout: the run image and the app image
//	Root/cache/      the cache layers
//	Root/lifecycle/  the lifecycle, as /cnb/lifecycle in a builder image
//	Root/build/      one build: workspace/ (the app), layers/,
//	                 platform/env/ (config vars), buildpacks/ (a copy of
//	                 the buildpack), order.toml
//	Root/process/    process-type symlinks to the launcher, as /cnb/process
//
// When the build runs as another user (User), Root must be reachable by
// it; the lifecycle and the buildpack are copied there for that reason.
type Platform struct {
	Lifecycle Binaries
	Buildpack Buildpack
	// Later are buildpacks that run after Buildpack, in the same group.
	Later []Buildpack
	Root  string
	// Home is HOME for the phases and what they run (the buildpack builds
	// its program with the go command's caches there).
	Home string
	// User, when not nil, is who the phases and the app run as; the
	// directories they write are given to it. The lifecycle refuses to
	// build as root.
	User *syscall.Credential
	// Restored, when not nil, runs after the restorer and before the
	// builder, with the layers directory: what a platform adds to the
	// restored layers there, the buildpacks find as restored.
	Restored func(layersDir string) error
	Stdout   io.Writer
	Stderr   io.Writer
}

// Nobody is the unprivileged user a Platform running as root builds as.
var Nobody = &syscall.Credential{Uid: 65534, Gid: 65534, Groups: []uint32{}}

// dirs are the paths of one build.
type dirs struct {
	images, cache, lifecycle, build, app, layers, platform, buildpacks, order, process string
}

func (p *Platform) dirs() dirs {
	b := filepath.Join(p.Root, "build")
	return dirs{
		images:     filepath.Join(p.Root, "images"),
		cache:      filepath.Join(p.Root, "cache"),
		lifecycle:  filepath.Join(p.Root, "lifecycle"),
		build:      b,
		app:        filepath.Join(b, "workspace"),
		layers:     filepath.Join(b, "layers"),
		platform:   filepath.Join(b, "platform"),
		buildpacks: filepath.Join(b, "buildpacks"),
		order:      filepath.Join(b, "order.toml"),
		process:    filepath.Join(p.Root, "process"),
	}
}

// AppDir is where the app being built (or last built) is.
func (p *Platform) AppDir() string { return p.dirs().app }

// LayersDir is the layers directory of the build.
func (p *Platform) LayersDir() string { return p.dirs().layers }

// layoutPath is where an image reference is in the layout directory, as
// the lifecycle derives it: registry/repository/tag.
func layoutPath(ref string) string {
	name, tag, _ := strings.Cut(ref, ":")
	return filepath.Join(append(strings.Split(name, "/"), tag)...)
}

// ImageDir is the OCI layout of the app image.
func (p *Platform) ImageDir() string { return filepath.Join(p.dirs().images, layoutPath(AppImage)) }

// PhaseError says a phase failed, with its exit status.
type PhaseError struct {
	Phase string
	Code  int
	Err   error
}

// Error names the phase and how it failed.
func (e *PhaseError) Error() string { return fmt.Sprintf("lifecycle %s: %v", e.Phase, e.Err) }

// Unwrap returns how the phase process failed.
func (e *PhaseError) Unwrap() error { return e.Err }

// DetectFailed is the detector's exit status when no buildpack group
// passes detection.
const DetectFailed = 20

// Build builds the app in src (copied without .git) with the config vars
// in vars, and exports the app image.
func (p *Platform) Build(ctx context.Context, src string, vars map[string]string) error {
	d := p.dirs()
	// The config vars may hold secrets: they are gone once the build ends.
	defer files.RemoveAll(filepath.Join(d.platform, "env"))
	if err := p.prepare(d, src, vars); err != nil {
		return err
	}
	for _, phase := range Phases {
		fmt.Fprintf(p.Stdout, "===> %s\n", headings[phase])
		if err := p.run(ctx, phase, p.args(d, phase)...); err != nil {
			return err
		}
		if phase == "restorer" && p.Restored != nil {
			if err := p.Restored(d.layers); err != nil {
				return err
			}
		}
	}
	// The layout keeps what earlier exports wrote; only this image is
	// needed, as the previous image of the next build.
	return PruneBlobs(p.ImageDir())
}

// headings announce the phases in the log, as pack does.
var headings = map[string]string{"analyzer": "ANALYZING", "detector": "DETECTING", "restorer": "RESTORING", "builder": "BUILDING", "exporter": "EXPORTING"}

// args are the phase's arguments: every path given, none left to the
// lifecycle's defaults (/layers, /workspace, /cnb).
func (p *Platform) args(d dirs, phase string) []string {
	group, plan, analyzed := filepath.Join(d.layers, "group.toml"), filepath.Join(d.layers, "plan.toml"), filepath.Join(d.layers, "analyzed.toml")
	common := []string{"-layers", d.layers, "-analyzed", analyzed}
	switch phase {
	case "analyzer":
		return append(common, "-run-image", RunImage, AppImage)
	case "detector":
		return append(common, "-app", d.app, "-buildpacks", d.buildpacks, "-order", d.order, "-platform", d.platform, "-group", group, "-plan", plan)
	case "restorer":
		return append(common, "-cache-dir", d.cache, "-group", group)
	case "builder":
		return append(common, "-app", d.app, "-buildpacks", d.buildpacks, "-platform", d.platform, "-group", group, "-plan", plan)
	case "exporter":
		return append(common, "-app", d.app, "-cache-dir", d.cache, "-group", group, "-launcher", filepath.Join(d.lifecycle, "launcher"),
			"-report", filepath.Join(d.layers, "report.toml"), AppImage)
	}
	return nil
}

// prepare lays out a fresh build directory and the directories kept
// between builds.
func (p *Platform) prepare(d dirs, src string, vars map[string]string) error {
	if p.User != nil {
		if err := Reachable(p.Root, p.User); err != nil {
			return err
		}
	}
	if err := files.RemoveAll(d.build); err != nil {
		return fmt.Errorf("prepare the build: %w", err)
	}
	for _, dir := range []string{d.images, d.cache, d.layers, d.buildpacks, p.Home} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("prepare the build: %w", err)
		}
	}
	// Config vars are readable by the build's user only.
	if err := os.MkdirAll(filepath.Join(d.platform, "env"), 0o700); err != nil {
		return fmt.Errorf("prepare the build: %w", err)
	}
	if err := p.installLifecycle(d.lifecycle); err != nil {
		return err
	}
	skipGit := func(rel string, e fs.DirEntry) bool { return rel == ".git" }
	if err := files.CopyTree(src, d.app, skipGit, false); err != nil {
		return fmt.Errorf("copy the app: %w", err)
	}
	for k, v := range vars {
		if err := os.WriteFile(filepath.Join(d.platform, "env", k), []byte(v), 0o600); err != nil {
			return fmt.Errorf("write config var %s: %w", k, err)
		}
	}
	// The buildpack as a builder image holds it: without its history and
	// its test fixtures.
	skipTests := func(rel string, e fs.DirEntry) bool { return rel == ".git" || rel == "testdata" }
	order := "[[order]]\n"
	for _, b := range append([]Buildpack{p.Buildpack}, p.Later...) {
		dst := filepath.Join(d.buildpacks, strings.ReplaceAll(b.ID, "/", "_"), b.Version)
		if err := files.CopyTree(b.Dir, dst, skipTests, false); err != nil {
			return fmt.Errorf("copy the buildpack %s: %w", b.ID, err)
		}
		order += fmt.Sprintf("\n  [[order.group]]\n    id = %q\n    version = %q\n", b.ID, b.Version)
	}
	if err := os.WriteFile(d.order, []byte(order), 0o644); err != nil {
		return fmt.Errorf("prepare the build: %w", err)
	}
	run := filepath.Join(d.images, layoutPath(RunImage))
	if _, err := os.Stat(filepath.Join(run, "index.json")); err != nil {
		uid, gid := p.ids()
		if err := WriteRunImage(run, uid, gid); err != nil {
			return err
		}
	}
	if p.User != nil {
		for _, dir := range []string{d.images, d.cache, d.build} {
			if err := chownTree(dir, int(p.User.Uid), int(p.User.Gid)); err != nil {
				return fmt.Errorf("prepare the build: %w", err)
			}
		}
		// Only the build's user writes in HOME, which builds may share (its
		// go command's caches): the directory is given to it, not walked.
		if err := os.Lchown(p.Home, int(p.User.Uid), int(p.User.Gid)); err != nil {
			return fmt.Errorf("prepare the build: %w", err)
		}
	}
	return nil
}

// installLifecycle links (or copies) the lifecycle into dir, unless it is
// there already.
func (p *Platform) installLifecycle(dir string) error {
	if _, err := Find(dir); err == nil && sameFile(filepath.Join(dir, "lifecycle"), filepath.Join(p.Lifecycle.Dir, "lifecycle")) {
		return nil
	}
	if err := files.RemoveAll(dir); err != nil {
		return fmt.Errorf("install the lifecycle: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("install the lifecycle: %w", err)
	}
	for _, name := range []string{"lifecycle", "launcher"} {
		src, dst := filepath.Join(p.Lifecycle.Dir, name), filepath.Join(dir, name)
		if os.Link(src, dst) == nil {
			continue
		}
		if err := files.CopyFile(src, dst); err != nil {
			return fmt.Errorf("install the lifecycle: %w", err)
		}
	}
	_, err := Find(dir)
	return err
}

func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}

// Reachable checks that user can reach dir: that it may search every
// directory on the way.
func Reachable(dir string, user *syscall.Credential) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		var st syscall.Stat_t
		if err := syscall.Stat(d, &st); err != nil {
			if isNotExist(err) {
				continue
			}
			return err
		}
		mode := st.Mode
		ok := mode&0o001 != 0 || st.Uid == user.Uid && mode&0o100 != 0 || st.Gid == user.Gid && mode&0o010 != 0
		if !ok {
			return fmt.Errorf("the lifecycle runs as user %d, which cannot reach %s: %s is not searchable by it; use a directory it can reach (e.g. under %s)", user.Uid, dir, d, os.TempDir())
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

// ids are the user and group the build runs as.
func (p *Platform) ids() (int, int) {
	if p.User != nil {
		return int(p.User.Uid), int(p.User.Gid)
	}
	return os.Getuid(), os.Getgid()
}

// env is the environment of the phases: only what a builder image would
// set, so the host's Go settings never reach the build.
func (p *Platform) env(d dirs) []string {
	uid, gid := p.ids()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + p.Home,
		"CNB_PLATFORM_API=" + PlatformAPI,
		"CNB_EXPERIMENTAL_MODE=quiet",
		"CNB_USE_LAYOUT=true",
		"CNB_LAYOUT_DIR=" + d.images,
		"CNB_USER_ID=" + strconv.Itoa(uid),
		"CNB_GROUP_ID=" + strconv.Itoa(gid),
		"CNB_NO_COLOR=true",
	}
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "SSL_CERT_FILE"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// run runs a phase.
func (p *Platform) run(ctx context.Context, phase string, args ...string) error {
	d := p.dirs()
	cmd := exec.CommandContext(ctx, Binaries{Dir: d.lifecycle}.Phase(phase), args...)
	cmd.Env = p.env(d)
	cmd.Dir = d.build
	cmd.Stdout, cmd.Stderr = p.Stdout, p.Stderr
	if p.User != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.User}
	}
	if err := cmd.Run(); err != nil {
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return &PhaseError{Phase: phase, Code: code, Err: err}
	}
	return nil
}

// Launch returns the command that starts process type typ of the exported
// app image, as a container runtime would start it from the image config
// (the launcher under the process type's name, as /cnb/process/TYPE, with
// the config's environment, working directory and user), with PORT and
// the config vars added to the environment as a platform sets them at
// run time. The caller starts it.
func (p *Platform) Launch(img *Image, typ string, port int, vars map[string]string) (*exec.Cmd, error) {
	d := p.dirs()
	if err := os.MkdirAll(d.process, 0o755); err != nil {
		return nil, err
	}
	link := filepath.Join(d.process, typ)
	os.Remove(link)
	if err := os.Symlink(filepath.Join(d.lifecycle, "launcher"), link); err != nil {
		return nil, fmt.Errorf("launch %s: %w", typ, err)
	}
	env := append([]string{}, img.Config.Env...)
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	env = append(env, "PORT="+strconv.Itoa(port))
	cmd := exec.Command(link)
	cmd.Env = env
	cmd.Dir = img.Config.WorkingDir
	if p.User != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.User}
	}
	return cmd, nil
}

// chownTree gives everything under dir to uid:gid, without following
// symlinks.
func chownTree(dir string, uid, gid int) error {
	return filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, uid, gid)
	})
}
