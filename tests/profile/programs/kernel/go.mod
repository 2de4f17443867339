module kernel

go 1.19
