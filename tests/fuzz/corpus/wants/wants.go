package p

// want "a{1,3}(b|c)*$" "x"
func f() {} // want +2 `raw`
// want
// want "unterminated
