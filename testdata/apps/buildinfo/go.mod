module example.com/buildinfo

go 1.22
