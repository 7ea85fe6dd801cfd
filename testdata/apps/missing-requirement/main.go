// Command missingrequirement imports github.com/samber/lo, which its
// go.mod does not require: go1.13 adds lo's newest version, which needs a
// newer Go's standard library (cmp).
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/samber/lo"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, lo.Uniq([]string{"a", "a", "b"}))
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
