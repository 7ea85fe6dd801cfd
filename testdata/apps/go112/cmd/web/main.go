// Command web answers on $PORT: an app written for Go 1.12, with a
// vendor directory made by go1.12's `go mod vendor`.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/go112/internal/greeting"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greeting.Line("web"))
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
