// Command worker does background work.
package main

import (
	"fmt"
	"time"
)

func main() {
	for {
		fmt.Println("worker tick")
		time.Sleep(time.Minute)
	}
}
