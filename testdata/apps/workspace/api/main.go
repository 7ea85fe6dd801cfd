// Command api serves HTTP on $PORT using a workspace module.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/lib"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, lib.Greeting())
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
