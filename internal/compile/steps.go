package compile

import (
	"errors"
	"time"

	"github.com/gobuildpack/heroku-buildpack-go/internal/output"
	"github.com/gobuildpack/heroku-buildpack-go/internal/report"
)

// StepError is the error of the build step Step (as the report names it,
// failed_step: detect, go_version, toolchain, modules, pre_compile,
// packages, build, post_compile, release, ...).
type StepError struct {
	Step string
	Err  error
}

// Error returns the step's error message.
func (e *StepError) Error() string { return e.Err.Error() }

// Unwrap returns the step's error.
func (e *StepError) Unwrap() error { return e.Err }

// Failed returns err as the error of the build step step, unless it is
// already a step's error. It returns nil when err is nil.
func Failed(step string, err error) error {
	if err == nil {
		return nil
	}
	var se *StepError
	if errors.As(err, &se) {
		return err
	}
	return &StepError{Step: step, Err: err}
}

// failedStep returns the step whose error err is, "" when it is none's.
func failedStep(err error) string {
	var se *StepError
	if errors.As(err, &se) {
		return se.Step
	}
	return ""
}

// clock times the steps of one build, for the "done in" lines of the log
// and the durations of the report.
type clock struct {
	started time.Time
	steps   []report.Step // the steps that ended, in the order they began
	current string        // the step running, "" between steps
	begun   time.Time
}

func newClock() *clock { return &clock{started: time.Now()} }

// begin starts timing the step name, ending the current one.
func (c *clock) begin(name string) {
	c.end()
	c.current, c.begun = name, time.Now()
}

// elapsed is how long the current step has run.
func (c *clock) elapsed() time.Duration { return time.Since(c.begun) }

// end records the duration of the current step, adding to the time of an
// earlier step of the same name.
func (c *clock) end() {
	if c.current == "" {
		return
	}
	d, name := seconds(c.elapsed()), c.current
	c.current = ""
	for i := range c.steps {
		if c.steps[i].Name == name {
			c.steps[i].Seconds = seconds(time.Duration((c.steps[i].Seconds + d) * float64(time.Second)))
			return
		}
	}
	c.steps = append(c.steps, report.Step{Name: name, Seconds: d})
}

// durations returns the steps that ended and the total, for the report:
// the step that failed, which did not end, is not among them.
func (c *clock) durations() []report.Step {
	return append(append([]report.Step(nil), c.steps...), report.Step{Name: "total", Seconds: seconds(time.Since(c.started))})
}

func seconds(d time.Duration) float64 {
	return float64(d.Round(time.Millisecond)) / float64(time.Second)
}

// timed begins the step name, prints its step line and returns a function
// that prints how long the step took and ends it.
func (r *run) timed(name, format string, args ...any) (done func()) {
	r.clock.begin(name)
	logDone := r.log.Timed(format, args...)
	return func() {
		logDone()
		r.clock.end()
	}
}

// stepDone prints the step line of the step begun last, which is done,
// followed by how long it took, and ends it.
func (r *run) stepDone(format string, args ...any) {
	r.log.Step(format, args...)
	r.log.Detail("done in %s", output.Duration(r.clock.elapsed()))
	r.clock.end()
}
