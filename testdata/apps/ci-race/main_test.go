package main

import (
	"os"
	"testing"
)

func TestCount(t *testing.T) {
	if got := Count(); got != 2 {
		t.Errorf("Count() = %d, want 2", got)
	}
}

func TestSum(t *testing.T) {
	if got := Sum(10); got != 55 {
		t.Errorf("Sum(10) = %d, want 55", got)
	}
}

// BenchmarkSum fails when the BENCH_FAIL config var is set.
func BenchmarkSum(b *testing.B) {
	if os.Getenv("BENCH_FAIL") != "" {
		b.Fatal("BENCH_FAIL is set")
	}
	for i := 0; i < b.N; i++ {
		Sum(100)
	}
}
