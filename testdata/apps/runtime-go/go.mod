module example.com/runtimego

go 1.22
