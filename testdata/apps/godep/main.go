// Command godep is an app from before Go modules, managed with godep: the
// buildpack does not build it and says how to move it to Go modules.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/google/uuid"
)

func main() {
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://example.com/godep"))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "godep app", id)
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
