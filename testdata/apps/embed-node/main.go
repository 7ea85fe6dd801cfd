// Command embednode serves a web UI embedded into its binary. The UI is
// built by `npm run build` (package.json), which a Node.js buildpack runs
// before this one; ui/build is not committed, so without that step the
// go build fails: "pattern ui/build: no matching files found".
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
