module example.com/newmain

go 1.23.4
