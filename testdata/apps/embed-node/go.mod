module example.com/embednode

go 1.22
