module example.com/cilint

go 1.22
