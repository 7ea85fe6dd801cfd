// Command myapp answers HTTP on $PORT with the Go version that built it.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "Go app running on Heroku")
		fmt.Fprintln(w, "built with", runtime.Version())
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
