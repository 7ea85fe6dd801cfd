module example.com/privateapp

go 1.22

require example.com/private/greeting v1.0.0
