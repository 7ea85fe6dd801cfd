package main

import (
	"os"
	"runtime"
	"testing"
)

func TestAdd(t *testing.T) {
	if got := Add(2, 3); got != 5 {
		t.Errorf("Add(2, 3) = %d, want 5", got)
	}
}

// TestGreeting needs the GREETING config var, as an app needs its
// DATABASE_URL.
func TestGreeting(t *testing.T) {
	if got := os.Getenv("GREETING"); got != "hello" {
		t.Errorf("GREETING config var = %q, want %q", got, "hello")
	}
}

func TestSkipped(t *testing.T) {
	t.Skip("needs a database")
}

// TestToolchain checks what bin/test promises: the toolchain kept in the
// slug, which never switches itself, and modules only from the proxy.
func TestToolchain(t *testing.T) {
	if got := os.Getenv("GOTOOLCHAIN"); got != "local" {
		t.Errorf("GOTOOLCHAIN = %q, want local", got)
	}
	if got := os.Getenv("GOPROXY"); got != "https://proxy.golang.org" {
		t.Errorf("GOPROXY = %q, want https://proxy.golang.org", got)
	}
	if got := runtime.Version(); got != "go1.22.12" {
		t.Errorf("tests run with %s, want go1.22.12", got)
	}
}
