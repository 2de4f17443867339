package waitgroup_add_in_goroutine

// Bad cases carry a want comment; look-alikes that must stay silent do not.
