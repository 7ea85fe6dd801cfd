// Command buildinfo serves the settings it was built with.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime/debug"
	"sort"
)

// tags collects the build tags that selected files in this package.
var tags []string

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		info, _ := debug.ReadBuildInfo()
		for _, s := range info.Settings {
			fmt.Fprintf(w, "setting %s=%s\n", s.Key, s.Value)
		}
		sort.Strings(tags)
		for _, t := range tags {
			fmt.Fprintln(w, "tag", t)
		}
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
