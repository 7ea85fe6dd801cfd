module example.com/go112

go 1.12

require github.com/google/uuid v1.3.0
