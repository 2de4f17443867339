module example.com/darkpatterns

go 1.21
