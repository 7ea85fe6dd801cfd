//go:build heroku

package main

func init() { tags = append(tags, "heroku") }
