package busy_loop

// Bad cases carry a want comment; look-alikes that must stay silent do not.
