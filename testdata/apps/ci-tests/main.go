package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/citests/greet"
)

// Add adds two numbers.
func Add(a, b int) int { return a + b }

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greet.Hello(os.Getenv("GREETING"), "world"), Add(1, 2))
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
