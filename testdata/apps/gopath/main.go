// Command gopath is an app laid out for GOPATH, from before Go modules:
// .go files at its root and no go.mod. The buildpack does not build it
// and says how to move it to Go modules.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "gopath app")
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
