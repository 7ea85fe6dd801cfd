// Command cgoapp calls C to answer HTTP on $PORT.
package main

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "C says 2+3 =", C.add(2, 3))
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
