// Command privateapp uses a module from a private proxy.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/private/greeting"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greeting.Hello())
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
