//go:build custom

package main

func init() { tags = append(tags, "custom") }
