module example.com/oldtickcmd

go 1.20
