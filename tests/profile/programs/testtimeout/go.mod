module godark.test/testtimeout

go 1.19
