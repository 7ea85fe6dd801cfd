module example.com/go113

go 1.13

require github.com/google/uuid v1.3.0
