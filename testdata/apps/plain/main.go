package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
)

// main starts the HTTP server on the port provided by the platform.
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
