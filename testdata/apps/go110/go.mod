module example.com/go110

// +heroku goVersion go1.10
