package goversion

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// TestFeaturesAgainstToolchains checks FeaturesOf against the go command
// of real releases: for each feature it runs a probe that succeeds
// exactly when the release has it. It needs unpacked toolchains, which
// the tests do not download: set GOVERSION_TOOLCHAINS to a directory of
// them, one directory per release named after it (go1.12.17/bin/go, as
// unzipped from golang.org/toolchain@v0.0.1-go1.12.17.linux-amd64 with
// execute bits set). Everything it runs is offline (file:// proxies).
func TestFeaturesAgainstToolchains(t *testing.T) {
	root := os.Getenv("GOVERSION_TOOLCHAINS")
	if root == "" {
		t.Skip("set GOVERSION_TOOLCHAINS to a directory of unpacked toolchains (go1.12.17/bin/go, ...) to run")
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var releases []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(root, e.Name(), "bin", "go")); err == nil && release.MatchString(e.Name()) {
			releases = append(releases, e.Name())
		}
	}
	sort.Slice(releases, func(i, j int) bool { return CompareReleases(releases[i], releases[j]) < 0 })
	if len(releases) == 0 {
		t.Fatalf("no toolchains in %s", root)
	}
	proxy := fileProxy(t)
	for _, r := range releases {
		t.Run(r, func(t *testing.T) {
			t.Parallel()
			p := newProber(t, filepath.Join(root, r), proxy)
			got := p.features()
			want := FeaturesOf(r)
			gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
			for i := 0; i < gv.NumField(); i++ {
				if gv.Field(i).Kind() != reflect.Bool {
					continue
				}
				if gv.Field(i).Bool() != wv.Field(i).Bool() {
					name := gv.Type().Field(i).Name
					t.Errorf("%s: the go command says %s=%v, FeaturesOf says %v\n%s", r, name, gv.Field(i).Bool(), wv.Field(i).Bool(), p.logs[name])
				}
			}
		})
	}
}

// fileProxy writes a file:// module proxy holding example.com/dep
// v1.0.0 (a package and a command) and returns its URL.
func fileProxy(t *testing.T) string {
	dir := t.TempDir()
	v := filepath.Join(dir, "example.com", "dep", "@v")
	if err := os.MkdirAll(v, 0o777); err != nil {
		t.Fatal(err)
	}
	gomod := "module example.com/dep\n"
	files := map[string]string{
		"go.mod":           gomod,
		"dep.go":           "package dep\n\nconst Name = \"dep\"\n",
		"cmd/tool/main.go": "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.Name) }\n",
	}
	src := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(src, name), content)
	}
	var zipBuf bytes.Buffer
	if err := modzip.CreateFromDir(&zipBuf, module.Version{Path: "example.com/dep", Version: "v1.0.0"}, src); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(v, "list"), "v1.0.0\n")
	writeFile(t, filepath.Join(v, "v1.0.0.info"), `{"Version":"v1.0.0","Time":"2020-01-01T00:00:00Z"}`)
	writeFile(t, filepath.Join(v, "v1.0.0.mod"), gomod)
	writeFile(t, filepath.Join(v, "v1.0.0.zip"), zipBuf.String())
	return "file://" + dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// prober runs one toolchain's go command with a clean environment.
type prober struct {
	t     *testing.T
	goBin string
	tmp   string
	proxy string
	logs  map[string]string
}

func newProber(t *testing.T, goroot, proxy string) *prober {
	return &prober{t: t, goBin: filepath.Join(goroot, "bin", "go"), tmp: t.TempDir(), proxy: proxy, logs: map[string]string{}}
}

// module writes a module in a new directory: go.mod with goLine, a main
// package at the root, two commands, a test, and a file built only with
// tags a and b.
func (p *prober) module(goLine string, extra map[string]string) string {
	dir, err := os.MkdirTemp(p.tmp, "mod-")
	if err != nil {
		p.t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":          "module example.com/m\n\ngo " + goLine + "\n",
		"main.go":         "package main\n\nfunc main() { println(\"m\") }\n",
		"main_test.go":    "package main\n\nimport \"testing\"\n\nfunc TestM(t *testing.T) {}\n",
		"tagged.go":       "// +build a,b\n\npackage main\n\nconst Tagged = true\n",
		"cmd/one/main.go": "package main\n\nfunc main() {}\n",
		"cmd/two/main.go": "package main\n\nfunc main() {}\n",
	}
	for name, content := range extra {
		files[name] = content
	}
	for name, content := range files {
		if content != "" {
			writeFile(p.t, filepath.Join(dir, name), content)
		}
	}
	return dir
}

// run runs the go command in dir with env on top of the clean
// environment and reports whether it succeeded, keeping its output.
func (p *prober) run(feature, dir string, env []string, args ...string) (string, bool) {
	cmd := exec.Command(p.goBin, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{
		"PATH=" + filepath.Dir(p.goBin) + ":/usr/bin:/bin",
		"HOME=" + p.tmp,
		"GOPATH=" + filepath.Join(p.tmp, "gopath"),
		"GOCACHE=" + filepath.Join(p.tmp, "gocache"),
		"GOENV=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0", "GOFLAGS=",
		"GOPROXY=off", "GOSUMDB=off", "GO111MODULE=on",
	}, env...)
	out, err := cmd.CombinedOutput()
	p.logs[feature] += "$ go " + strings.Join(args, " ") + "\n" + string(out)
	return string(out), err == nil
}

func (p *prober) ok(feature, dir string, env []string, args ...string) bool {
	_, ok := p.run(feature, dir, env, args...)
	return ok
}

// goEnvLists reports whether `go env` knows the variable.
func (p *prober) goEnvLists(feature, name string) bool {
	out, ok := p.run(feature, p.tmp, nil, "env")
	return ok && strings.Contains("\n"+out, "\n"+name+"=")
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// features runs every probe.
func (p *prober) features() Features {
	var f Features
	mod := p.module("1.12", nil)
	out := func(name string) string { return filepath.Join(p.tmp, "out", name) }
	os.MkdirAll(filepath.Join(p.tmp, "out"), 0o777)

	o, ok := p.run("TestJSON", mod, []string{"GO111MODULE=auto"}, "test", "-json", ".")
	f.TestJSON = ok && strings.Contains(o, `"Action":"pass"`)

	// go1.11's go list -deps and the buildpack's list template.
	const listFormat = `{{if and (not .DepOnly) (eq .Name "main")}}M	{{.ImportPath}}	{{.Dir}}	{{join .Deps " "}}
{{end}}{{if and .CgoFiles (not .Standard)}}C	{{.ImportPath}}
{{end}}`
	o, ok = p.run("Modules", mod, []string{"CGO_ENABLED=1"}, "list", "-deps", "-f", listFormat, "./...")
	f.Modules = ok && strings.Contains(o, "M\texample.com/m/cmd/one\t") && p.ok("Modules", mod, nil, "mod", "download")

	f.Trimpath = p.ok("Trimpath", mod, nil, "build", "-trimpath", "-o", out("trimpath"), ".")

	o, ok = p.run("CommaTags", mod, nil, "list", "-tags=a,b", "-f", "{{.GoFiles}}", ".")
	f.CommaTags = ok && strings.Contains(o, "tagged.go")
	if o, ok := p.run("CommaTags", mod, nil, "list", "-tags=a b", "-f", "{{.GoFiles}}", "."); !ok || !strings.Contains(o, "tagged.go") {
		p.t.Errorf("space-separated -tags do not work:\n%s", o)
	}

	// go1.13 to go1.15 need the directory to exist ("cannot write
	// multiple packages to non-directory"); go1.16 creates it.
	dir := out("bins") + string(filepath.Separator)
	os.MkdirAll(dir, 0o777)
	f.OutputDir = p.ok("OutputDir", mod, nil, "build", "-o", dir, "./cmd/one", "./cmd/two") &&
		exists(filepath.Join(dir, "one")) && exists(filepath.Join(dir, "two"))

	// A module that needs example.com/dep, from file:// proxies.
	dep := p.module("1.12", map[string]string{
		"go.mod":  "module example.com/m\n\ngo 1.12\n\nrequire example.com/dep v1.0.0\n",
		"main.go": "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.Name) }\n",
	})
	empty := "file://" + filepath.Join(p.tmp, "empty-proxy")
	f.ProxyList = p.ok("ProxyList", dep, []string{"GOPROXY=" + empty + "," + p.proxy, "GOPATH=" + out("gopath-list")}, "mod", "download") &&
		p.goEnvLists("ProxyList", "GOPRIVATE") && p.goEnvLists("ProxyList", "GOSUMDB")
	f.ProxyPipe = p.ok("ProxyPipe", dep, []string{"GOPROXY=" + empty + "|" + p.proxy, "GOPATH=" + out("gopath-pipe")}, "mod", "download")
	mc := out("modcache")
	f.GOMODCACHE = p.ok("GOMODCACHE", dep, []string{"GOPROXY=" + p.proxy, "GOMODCACHE=" + mc, "GOPATH=" + out("gopath-mc")}, "mod", "download") &&
		exists(filepath.Join(mc, "cache", "download", "example.com", "dep"))
	gobin := out("gobin")
	f.InstallAtVersion = p.ok("InstallAtVersion", p.tmp, []string{"GOPROXY=" + p.proxy, "GOBIN=" + gobin, "GOPATH=" + out("gopath-install")}, "install", "example.com/dep/cmd/tool@v1.0.0") &&
		exists(filepath.Join(gobin, "tool"))

	f.GOENV = p.goEnvLists("GOENV", "GOENV")
	f.GOINSECURE = p.goEnvLists("GOINSECURE", "GOINSECURE")
	f.GOVCS = p.goEnvLists("GOVCS", "GOVCS")
	f.GOEXPERIMENT = p.goEnvLists("GOEXPERIMENT", "GOEXPERIMENT")
	f.GOAMD64 = p.goEnvLists("GOAMD64", "GOAMD64")

	f.ModMod = p.ok("ModMod", mod, nil, "build", "-mod=mod", "-o", out("modmod"), ".") &&
		p.ok("ModMod", mod, nil, "build", "-modcacherw", "-o", out("modcacherw"), ".")

	// Offline, a vendored module builds only when vendor/ is used.
	vendored := map[string]string{
		"go.mod":                        "module example.com/m\n\ngo 1.14\n\nrequire example.com/dep v1.0.0\n",
		"main.go":                       "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.Name) }\n",
		"vendor/modules.txt":            "# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n",
		"vendor/example.com/dep/dep.go": "package dep\n\nconst Name = \"dep\"\n",
	}
	f.AutoVendor = p.ok("AutoVendor", p.module("1.14", vendored), nil, "build", "-o", out("autovendor"), ".")
	if p.ok("AutoVendor", p.module("1.14", vendored), nil, "build", "-mod=vendor", "-o", out("modvendor"), ".") != f.Modules {
		p.t.Errorf("-mod=vendor does not work:\n%s", p.logs["AutoVendor"])
	}

	// Outside any module: GOPATH mode before go1.16 with GO111MODULE unset.
	o, ok = p.run("ModulesByDefault", p.tmp, []string{"GO111MODULE="}, "env", "GOMOD")
	f.ModulesByDefault = ok && strings.TrimSpace(o) == os.DevNull

	writeFile(p.t, out("overlay.json"), `{"Replace":{}}`)
	f.Overlay = p.ok("Overlay", mod, nil, "build", "-overlay="+out("overlay.json"), "-o", out("overlay"), ".")
	f.BuildVCS = p.ok("BuildVCS", mod, nil, "build", "-buildvcs=false", "-o", out("buildvcs"), ".")
	f.Workspaces = p.ok("Workspaces", p.module("1.12", nil), nil, "work", "init", ".") && p.goEnvLists("Workspaces", "GOWORK")
	f.PGO = p.ok("PGO", mod, nil, "build", "-pgo=off", "-o", out("pgo"), ".")
	f.BuildCover = p.ok("BuildCover", mod, nil, "build", "-cover", "-o", out("cover"), ".")
	f.Toolchain = p.ok("Toolchain", p.module("1.21", map[string]string{"go.mod": "module example.com/m\n\ngo 1.21\n\ntoolchain go1.21.0\n"}), nil, "list", "-m") &&
		p.goEnvLists("Toolchain", "GOTOOLCHAIN")
	o, ok = p.run("EnforcesGoLine", p.module("1.99", nil), nil, "list", "-m")
	f.EnforcesGoLine = !ok && strings.Contains(o, "requires go >= 1.99")
	return f
}
