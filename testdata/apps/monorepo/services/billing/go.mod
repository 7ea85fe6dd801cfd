module example.com/monorepo/billing

go 1.22
