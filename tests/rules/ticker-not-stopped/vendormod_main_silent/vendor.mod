module example.com/vendoredmain

go 1.24.0
