package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

// handleHealth answers 503 while the DATABASE_URL config var is missing.
func handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if os.Getenv("DATABASE_URL") == "" {
		http.Error(w, "missing DATABASE_URL", http.StatusServiceUnavailable)
		return
	}
	select {
	case <-ctx.Done():
		http.Error(w, "request cancelled", http.StatusGatewayTimeout)
	case <-time.After(50 * time.Millisecond):
		fmt.Fprintln(w, "ok")
	}
}

func main() {
	http.HandleFunc("/health", handleHealth)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "Go app running on Heroku")
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
