module example.com/missingrequirement

go 1.13
