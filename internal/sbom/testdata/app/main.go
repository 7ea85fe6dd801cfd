// Command app is a program with module dependencies whose bill of
// materials the tests read.
package main

import (
	"fmt"

	"github.com/BurntSushi/toml"
	"golang.org/x/mod/semver"
)

func main() {
	var v struct{ Version string }
	toml.Decode(`version = "v1.2.3"`, &v)
	fmt.Println(semver.IsValid(v.Version))
}
