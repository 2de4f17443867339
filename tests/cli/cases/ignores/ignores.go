package ignores

//godark:ignore GD401 the copy is a snapshot for logging
func a() {}

//godark:ignore GD401
func b() {}

//godark:ignore GD999 typo in the id
func c() {}
