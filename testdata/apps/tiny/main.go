// Command tiny imports nothing, so a cold build compiles only the runtime.
package main

func main() { println("tiny") }
