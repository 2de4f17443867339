package p

var a = f[int, string](x)
var b = f[int, string](x, y)
var c = g[int](x, y)
var d = (chan<- chan string)(nil)
var e = a.b[c.d](x,y)
