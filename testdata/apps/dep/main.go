// Command dep is an app from before Go modules, managed with dep: the
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
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://example.com/dep"))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "dep app", id)
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
