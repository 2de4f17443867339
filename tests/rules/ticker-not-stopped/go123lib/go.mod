module example.com/newlib

go 1.23
