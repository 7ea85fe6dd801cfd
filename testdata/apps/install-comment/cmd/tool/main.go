// Command tool is a developer tool that is not deployed.
package main

import "fmt"

func main() { fmt.Println("tool") }
