module example.com/citests

go 1.22
