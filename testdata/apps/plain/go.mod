module example.com/myapp

go 1.22

require (
// standard library only, no external deps for this example
)
