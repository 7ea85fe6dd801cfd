module example.com/hooktool

go 1.22
