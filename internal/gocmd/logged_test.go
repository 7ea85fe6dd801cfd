package gocmd

import (
	"errors"
	"strings"
	"testing"

	"github.com/gobuildpack/heroku-buildpack-go/internal/shellwords"
)

func TestLoggedArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"build", "-trimpath", "-o", "bin/", "./cmd/web"}, "build -trimpath -o bin/ ./cmd/web"},
		{[]string{"build", "-tags=heroku,x", "-ldflags=-s -w", "-gcflags=all=-N -l"}, "build -tags=heroku,x '-ldflags=-s -w' '-gcflags=all=-N -l'"},
		// Every -X value is hidden, in any spelling; the name is shown.
		{[]string{"build", "-ldflags=-s -w -X main.version=3f2a9c1e -X 'main.key=a secret'"}, "build '-ldflags=-s -w -X main.version=… -X main.key=…'"},
		{[]string{"build", "--ldflags=-X=main.key=SECRET --X main.k2=SECRET"}, "build '--ldflags=-X=main.key=… --X main.k2=…'"},
		{[]string{"build", "-ldflags", "-X main.key=SECRET"}, "build -ldflags '-X main.key=…'"},
		{[]string{"build", "-ldflags=-X SECRET"}, "build '-ldflags=-X …'"},
		{[]string{"build", "-ldflags=-X"}, "build -ldflags=-X"},
		{[]string{"build", "-ldflags=all=-X main.key=SECRET -s"}, "build '-ldflags=all=-X main.key=… -s'"},
		{[]string{"build", `-ldflags=-X "main.key=SECRET`}, "build -ldflags=…"},
		{[]string{"build", "-ldflags=-extldflags '-static -lfoo' -X main.v=SECRET"}, `build '-ldflags=-extldflags '\''-static -lfoo'\'' -X main.v=…'`},
		{[]string{"test", "-json", "-tags=heroku", "./..."}, "test -json -tags=heroku ./..."},
	}
	for _, tt := range tests {
		got := LoggedArgs(tt.args)
		if got != tt.want {
			t.Errorf("LoggedArgs(%q) =\n%s\nwant\n%s", tt.args, got, tt.want)
		}
		if strings.Contains(got, "SECRET") || strings.Contains(got, "3f2a9c1e") || strings.Contains(got, "a secret") {
			t.Errorf("LoggedArgs(%q) = %s shows a value", tt.args, got)
		}
		if _, err := shellwords.SplitWords(got); err != nil {
			t.Errorf("LoggedArgs(%q) = %s, which a shell cannot split: %v", tt.args, got, err)
		}
	}
}

// TestRunErrorHidesLinkerValues: a failed go build's error shows the
// command line as the log does.
func TestRunErrorHidesLinkerValues(t *testing.T) {
	err := &RunError{Args: []string{"build", "-ldflags=-s -X main.key=SECRET", "./..."}, Err: errors.New("exit status 1")}
	if want := "go build '-ldflags=-s -X main.key=…' ./...: exit status 1"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}
