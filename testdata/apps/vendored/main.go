// Command depapp answers HTTP on $PORT using a module dependency.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"

	"github.com/google/uuid"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://example.com/depapp"))
		fmt.Fprintln(w, "request id namespace", id)
		fmt.Fprintln(w, "built with", runtime.Version())
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
