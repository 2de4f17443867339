module example.com/newtick

go 1.23
