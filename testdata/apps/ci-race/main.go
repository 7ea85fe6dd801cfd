// Command cirace counts requests; its tests have a data race that only
// the race detector sees.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

// Count returns n incremented by two goroutines. It races on n: the race
// detector fails the test that calls it, though the result is right.
func Count() int {
	n := 0
	done := make(chan bool)
	go func() { n++; done <- true }()
	n++
	<-done
	return n
}

// Sum adds the numbers up to n.
func Sum(n int) int {
	s := 0
	for i := 1; i <= n; i++ {
		s += i
	}
	return s
}

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, Count(), Sum(10)) })
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
