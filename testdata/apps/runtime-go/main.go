// Command runtimego runs the go command on the dyno.
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
		out, err := exec.Command("go", "version").CombinedOutput()
		if err != nil {
			http.Error(w, fmt.Sprintf("go version: %v: %s", err, out), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "runtime %s", out)
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
