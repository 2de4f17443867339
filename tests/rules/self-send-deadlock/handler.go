package selfsend

import "net/http"

// A handler value given to another package: its method runs once per
// request, in as many goroutines at once, and another request's goroutine
// can take the value put back. Low confidence.
type handler struct{ tokens chan int }

func newHandler() *handler { return &handler{tokens: make(chan int)} }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := <-h.tokens
	if r.Method == http.MethodGet {
		h.tokens <- t // want "this send on h.tokens blocks forever.*\\[low confidence\\]$"
	}
}

func register(mux *http.ServeMux) { mux.Handle("/", newHandler()) }
