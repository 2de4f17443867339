module example.com/buildold

go 1.22
