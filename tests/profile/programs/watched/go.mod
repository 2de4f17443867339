module godark.test/watched

go 1.19
