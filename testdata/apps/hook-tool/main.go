// Command hooktool serves the greeting of a tool its build hook installed
// with `go install`: the tool ships in the slug's bin/, on the dyno's PATH.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		out, err := exec.Command("hello", "-g", "Hi").CombinedOutput()
		if err != nil {
			http.Error(w, fmt.Sprintf("run hello: %v: %s", err, out), http.StatusInternalServerError)
			return
		}
		w.Write(out)
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
