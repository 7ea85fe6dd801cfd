// Command stamped reports the version stamped into it at link time.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

// version is set with -ldflags "-X main.version=...".
var version = "dev"

// key is set with -ldflags "-X main.key=...", as an app might stamp a
// token it must not print in the build log.
var key = "none"

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "version", version)
		fmt.Fprintln(w, "key", key)
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
