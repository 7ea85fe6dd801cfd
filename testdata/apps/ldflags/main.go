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

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "version", version)
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
