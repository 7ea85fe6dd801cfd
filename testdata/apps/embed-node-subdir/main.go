// Command embednodesubdir serves a web UI embedded into its binary. The
// UI's Node build is ui/package.json, not at the root: the Node.js
// buildpack does not run it, so ui/build is missing and the go build
// fails: "pattern ui/build: no matching files found".
package main

import (
	"embed"
	"io/fs"
	"log"
	"net/http"
	"os"
)

//go:embed ui/build
var ui embed.FS

func main() {
	build, err := fs.Sub(ui, "ui/build")
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/", http.FileServer(http.FS(build)))
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
