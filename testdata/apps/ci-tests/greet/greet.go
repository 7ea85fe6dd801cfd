// Package greet greets.
package greet

// Hello greets name with greeting.
func Hello(greeting, name string) string { return greeting + ", " + name }
