module example.com/embednodesubdir

go 1.22
