//go:build extra

package main

func init() { tags = append(tags, "extra") }
