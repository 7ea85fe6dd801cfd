// Command no-gomod never builds: the build stops before compiling it.
package main

func main() {}
