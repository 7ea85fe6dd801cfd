// Command go113 answers on $PORT: an app written for Go 1.13, whose
// modules come from the module proxy, with tests for Heroku CI.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"

	"github.com/google/uuid"
)

// Greeting is the app's answer: the Go that built it and an ID that is
// the same on every run.
func Greeting() string {
	return "go113 built with " + runtime.Version() + " id " + uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://example.com/go113")).String()
}

// handle answers every request with the greeting.
func handle(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, Greeting())
}

func main() {
	http.HandleFunc("/", handle)
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
