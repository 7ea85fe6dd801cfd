module example.com/installcomment

// Only the API is deployed; cmd/tool is for developers.
// +heroku install ./cmd/api

go 1.22
