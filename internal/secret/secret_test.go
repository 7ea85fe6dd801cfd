package secret

import (
	"os"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	data, err := os.ReadFile("testdata/redact.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		in, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("testdata/redact.tsv: no tab in %q", line)
		}
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
