package greet

import "testing"

func TestHello(t *testing.T) {
	for _, name := range []string{"world", "gopher"} {
		t.Run(name, func(t *testing.T) {
			if got, want := Hello("hello", name), "hello, "+name; got != want {
				t.Errorf("Hello = %q, want %q", got, want)
			}
		})
	}
}
