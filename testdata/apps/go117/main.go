// Command go117 answers on $PORT: an app written for Go 1.17, whose
// modules (golang.org/x/text) come from the module proxy.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		name := display.English.Languages().Name(language.MustParse("de-CH"))
		fmt.Fprintf(w, "go117 built with %s says %s\n", runtime.Version(), name)
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
