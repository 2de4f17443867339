module example.com/newmain

go 1.24
