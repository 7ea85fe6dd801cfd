// Command billing serves HTTP on $PORT.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "monorepo billing service")
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
