module example.com/toolchainapp

go 1.22

toolchain go1.26.11
