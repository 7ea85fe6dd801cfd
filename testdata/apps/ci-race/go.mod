module example.com/cirace

go 1.22
