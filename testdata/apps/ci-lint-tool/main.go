// Command cilinttool serves a greeting; its go.mod names the
// golangci-lint that lints it in a tool directive.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "cilinttool") })
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
