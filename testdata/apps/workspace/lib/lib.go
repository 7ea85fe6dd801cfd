// Package lib is shared by the workspace's modules.
package lib

// Greeting is what the API answers.
func Greeting() string { return "hello from the workspace lib" }
