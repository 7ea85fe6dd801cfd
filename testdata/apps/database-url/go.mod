module example.com/dbapp

go 1.22
