// Command demo is the app the README deploys first: a web server on
// $PORT, with a Go line the Go team supports.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "Hello from Go on Heroku")
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
