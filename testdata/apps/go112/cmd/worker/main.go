// Command worker is the app's background process: it logs a line a minute.
package main

import (
	"log"
	"time"

	"example.com/go112/internal/greeting"
)

func main() {
	for {
		log.Println(greeting.Line("worker"))
		time.Sleep(time.Minute)
	}
}
