// +heroku goVersion 1.26
module example.com/commentapp

go 1.22
