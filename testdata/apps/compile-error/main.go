// Command broken does not compile: the build log must show why.
package main

import "fmt"

func main() {
	var port int = "8080"
	fmt.Println(port)
}
