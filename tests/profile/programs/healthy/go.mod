module godark.test/healthy

go 1.19
