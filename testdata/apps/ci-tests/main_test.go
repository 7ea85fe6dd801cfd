package main

import (
	"os"
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
