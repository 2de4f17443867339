module godark.test/leaky

go 1.19
