// Command cilint serves a greeting. unusedGreeting is never used:
// golangci-lint's unused linter reports it.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

var unusedGreeting = "hello"

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "cilint") })
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
