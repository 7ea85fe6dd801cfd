module example.com/go117

go 1.17

require golang.org/x/text v0.3.7
