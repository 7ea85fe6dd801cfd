// Package dyno starts an app's process the way a Heroku dyno does: in the
// app's directory, which is also $HOME, with a clean environment holding
// only the config vars, PORT, HOME, DYNO and the stack's PATH; the
// .profile.d/*.sh scripts and .profile sourced; and the command run by
// bash. Stopping it sends SIGTERM to all its processes and SIGKILL to
// what is left after a grace period, as Heroku does.
package dyno

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/files"
	"github.com/gobuildpack/heroku-buildpack-go/internal/procfile"
)

// BasePATH is PATH on a dyno before the .profile.d scripts extend it.
const BasePATH = procfile.StackPATH

// BootTimeout is how long Heroku waits for a web process to listen on
// $PORT before it stops the dyno (error R10).
const BootTimeout = 60 * time.Second

// StopGrace is how long Heroku waits after SIGTERM before SIGKILL.
const StopGrace = 30 * time.Second

// Command returns the command a dyno of process type typ runs for the app
// in dir: the Procfile's, else the buildpack's default from the output of
// bin/release. source says which.
func Command(dir, typ string, release []byte) (command, source string, err error) {
	f, err := procfile.Read(files.AppFS(dir))
	if err != nil {
		return "", "", err
	}
	if f != nil {
		if e, ok := f.Lookup(typ); ok {
			return e.Command, fmt.Sprintf("Procfile:%d", e.Line), nil
		}
	}
	defaults, err := DefaultProcessTypes(release)
	if err != nil {
		return "", "", err
	}
	if cmd, ok := defaults[typ]; ok {
		return cmd, "bin/release default_process_types", nil
	}
	return "", "", fmt.Errorf("find %s process: neither the Procfile nor bin/release's default_process_types declares it", typ)
}

// DefaultProcessTypes reads default_process_types from the YAML that
// bin/release prints: a map of process type to command, with plain,
// single- or double-quoted values.
func DefaultProcessTypes(release []byte) (map[string]string, error) {
	types := map[string]string{}
	in := false
	sc := bufio.NewScanner(strings.NewReader(string(release)))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \r")
		if line == "" || line == "---" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if !strings.HasPrefix(line, " ") {
			key, rest, _ := strings.Cut(line, ":")
			in = key == "default_process_types" && strings.TrimSpace(rest) == ""
			continue
		}
		if !in {
			continue
		}
		typ, value, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			return nil, fmt.Errorf("read bin/release output: %q is not `type: command`", line)
		}
		cmd, err := yamlScalar(strings.TrimSpace(value))
		if err != nil {
			return nil, fmt.Errorf("read bin/release output: process type %s: %w", typ, err)
		}
		types[strings.TrimSpace(typ)] = cmd
	}
	return types, nil
}

// yamlScalar decodes a one-line YAML scalar.
func yamlScalar(s string) (string, error) {
	switch {
	case strings.HasPrefix(s, `"`):
		return strconv.Unquote(s)
	case strings.HasPrefix(s, "'"):
		if len(s) < 2 || !strings.HasSuffix(s, "'") {
			return "", fmt.Errorf("unterminated quote in %s", s)
		}
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	}
	return s, nil
}

// Config describes a process to start.
type Config struct {
	Dir     string            // the app: working directory and $HOME
	Type    string            // process type, e.g. web; DYNO is Type.1
	Command string            // run by bash after .profile.d
	Port    int               // PORT; 0 picks a free port
	Vars    map[string]string // config vars
	Stdout  io.Writer
	Stderr  io.Writer
}

// Process is a started dyno process.
type Process struct {
	Port     int
	Command  string
	cmd      *exec.Cmd
	exited   chan struct{} // the shell has exited
	gone     chan struct{} // ... and every other process of the dyno
	done     chan struct{} // the shell has exited and its output is read
	err      error
	stopOnce sync.Once
}

// OutputWait is how long, after the process has exited, its output is
// waited for before Done says it exited: a process it started may hold
// the output still.
const OutputWait = time.Second

// Start starts the process; it does not wait for it to listen.
func Start(c Config) (*Process, error) {
	port := c.Port
	if port == 0 {
		p, err := FreePort()
		if err != nil {
			return nil, err
		}
		port = p
	}
	typ := c.Type
	if typ == "" {
		typ = "web"
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		return nil, fmt.Errorf("start %s process: %w", typ, err)
	}
	cmd := exec.Command(bash, "-c", Script(c.Command))
	cmd.Dir = c.Dir
	cmd.Env = Env(c.Dir, typ, port, c.Vars)
	cmd.Stdout, cmd.Stderr = c.Stdout, c.Stderr
	return StartCmd(cmd, typ, c.Command, port)
}

// StartCmd starts cmd as the process of type typ listening on port
// (command describes it in errors) in its own process group, so that Stop
// and Kill reach all its processes; other process attributes of cmd (the
// user it runs as) are kept. Its output goes to cmd.Stdout and cmd.Stderr.
// It does not wait for it to listen.
func StartCmd(cmd *exec.Cmd, typ, command string, port int) (*Process, error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	// The output is read through pipes of the dyno's own until every
	// process holding them is gone, not only the shell: on SIGTERM the
	// shell dies at once, while the app may take the grace period to shut
	// down, writing as it goes.
	out, err := newOutput(cmd.Stdout, cmd.Stderr)
	if err != nil {
		return nil, fmt.Errorf("start %s process: %w", typ, err)
	}
	cmd.Stdout, cmd.Stderr = out.stdout, out.stderr
	err = cmd.Start()
	out.closeWriteEnds()
	if err != nil {
		return nil, fmt.Errorf("start %s process: %w", typ, err)
	}
	p := &Process{Port: port, Command: command, cmd: cmd, exited: make(chan struct{}), gone: make(chan struct{}), done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
		timer := time.NewTimer(OutputWait)
		defer timer.Stop()
		select {
		case <-out.done:
		case <-timer.C:
		}
		close(p.done)
	}()
	go func() {
		<-p.exited
		<-out.done
		// A process may live on without the output (written to a file);
		// no event tells when the last one of the group exits, so the
		// kernel is asked until then.
		for syscall.Kill(-cmd.Process.Pid, 0) == nil {
			time.Sleep(20 * time.Millisecond)
		}
		close(p.gone)
	}()
	return p, nil
}

// output copies what a dyno's processes write to its writers, through
// pipes.
type output struct {
	stdout, stderr *os.File      // the write ends, for the process
	done           chan struct{} // closed once every pipe is read to its end
}

// newOutput makes a pipe for each writer, one for both if they are the
// same, so that the process writes both outputs in order.
func newOutput(stdout, stderr io.Writer) (*output, error) {
	o := &output{done: make(chan struct{})}
	var copies sync.WaitGroup
	pipe := func(w io.Writer) (*os.File, error) {
		if w == nil {
			w = io.Discard
		}
		r, pw, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		copies.Go(func() {
			io.Copy(w, r)
			r.Close()
		})
		return pw, nil
	}
	var err error
	if o.stdout, err = pipe(stdout); err != nil {
		return nil, err
	}
	if sameWriter(stdout, stderr) {
		o.stderr = o.stdout
	} else if o.stderr, err = pipe(stderr); err != nil {
		o.closeWriteEnds()
		return nil, err
	}
	go func() {
		copies.Wait()
		close(o.done)
	}()
	return o, nil
}

// closeWriteEnds closes this process's copies of the pipes' write ends,
// once the dyno's processes have theirs.
func (o *output) closeWriteEnds() {
	o.stdout.Close()
	if o.stderr != nil {
		o.stderr.Close() // a second Close of a shared pipe does nothing
	}
}

// sameWriter reports whether a and b are the same writer.
func sameWriter(a, b io.Writer) (same bool) {
	defer func() {
		if recover() != nil {
			same = false // not comparable
		}
	}()
	return a == b
}

// Script is the bash script a dyno runs: source .profile.d/*.sh and
// .profile, then run command.
func Script(command string) string {
	return "for f in .profile.d/*.sh; do [ -r \"$f\" ] && . \"$f\"; done\n" +
		"[ -r .profile ] && . ./.profile\n" +
		command + "\n"
}

// Env is the environment of a dyno: the stack's PATH, the config vars,
// then HOME, PORT and DYNO, which config vars cannot change.
func Env(dir, typ string, port int, vars map[string]string) []string {
	set := map[string]string{"PATH": BasePATH}
	for k, v := range vars {
		set[k] = v
	}
	set["HOME"] = dir
	set["PORT"] = strconv.Itoa(port)
	set["DYNO"] = typ + ".1"
	env := make([]string, 0, len(set))
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

// FreePort returns a TCP port nothing listens on right now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URL is where the process answers HTTP.
func (p *Process) URL() string { return fmt.Sprintf("http://localhost:%d", p.Port) }

// Done is closed when the process (the dyno's shell) has exited and its
// output has been read, or OutputWait after it exited when a process it
// started holds the output still.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is how the process exited, once Done is closed: nil for status 0.
func (p *Process) Err() error { return p.err }

// WaitListening waits until the process accepts connections on its port.
// It fails when the process exits first, when timeout passes (Heroku's
// boot timeout), or when ctx ends.
func (p *Process) WaitListening(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	addr := net.JoinHostPort("localhost", strconv.Itoa(p.Port))
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-p.done:
			return &ExitError{Command: p.Command, Err: p.err, BeforeListening: true}
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("web process %q did not listen on $PORT=%d within %s (on Heroku: error R10, boot timeout)", p.Command, p.Port, timeout)
		}
	}
}

// ExitError says that the process exited on its own.
type ExitError struct {
	Command         string
	Err             error // nil for exit status 0
	BeforeListening bool
}

// Error says how the process exited.
func (e *ExitError) Error() string {
	status := "exit status 0"
	if e.Err != nil {
		status = e.Err.Error()
	}
	if e.BeforeListening {
		return fmt.Sprintf("web process %q exited (%s) before listening on $PORT", e.Command, status)
	}
	return fmt.Sprintf("web process %q exited (%s)", e.Command, status)
}

// Unwrap returns how the process exited.
func (e *ExitError) Unwrap() error { return e.Err }

// Stop sends SIGTERM to every process of the dyno and SIGKILL to what is
// still running after grace. It returns once every process has exited.
func (p *Process) Stop(grace time.Duration) {
	timer := time.NewTimer(grace)
	defer timer.Stop()
	p.stop(timer.C)
}

// stop is Stop with the end of the grace period as a channel.
func (p *Process) stop(graceOver <-chan time.Time) {
	p.stopOnce.Do(func() {
		p.signal(syscall.SIGTERM)
		select {
		case <-p.gone:
		case <-graceOver:
			p.signal(syscall.SIGKILL)
		}
	})
	<-p.done
}

// Kill sends SIGKILL to every process of the dyno and waits for it to exit.
func (p *Process) Kill() {
	p.signal(syscall.SIGKILL)
	<-p.done
}

// signal signals the process group; the process leads its own group.
func (p *Process) signal(sig syscall.Signal) {
	err := syscall.Kill(-p.cmd.Process.Pid, sig)
	if err != nil && !errors.Is(err, syscall.ESRCH) {
		p.cmd.Process.Signal(sig)
	}
}
