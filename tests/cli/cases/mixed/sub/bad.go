package sub

func bad() {
	go func( {
}
