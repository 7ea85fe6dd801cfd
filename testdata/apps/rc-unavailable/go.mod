module example.com/rcunavailable

// +heroku goVersion 1.16rc1

go 1.16
