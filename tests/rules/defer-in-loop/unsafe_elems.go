package defer_in_loop

import "unsafe"

func cString(s string) *byte { b := append([]byte(s), 0); return &b[0] }

func cFree(p unsafe.Pointer) {}

func grammarInit(pieces **byte, n int) bool { return n > 0 }

// C strings collected in a slice that a C call takes whole after the loop
// (ollama's NewGrammar): each must live until then, so freeing them at
// return is the point.
func newGrammar(values []string) bool {
	pieces := make([]*byte, len(values))
	for i, v := range values {
		pieces[i] = cString(v)
		defer cFree(unsafe.Pointer(pieces[i]))
	}
	return grammarInit(unsafe.SliceData(pieces), len(pieces))
}

// A string of the iteration freed only at return: it piles up.
func printAll(values []string, show func(*byte)) {
	for _, v := range values {
		p := cString(v)
		defer cFree(unsafe.Pointer(p)) // want "defer of cFree inside a loop"
		show(p)
	}
}
