package ticker_not_stopped

// Bad cases carry a want comment; look-alikes that must stay silent do not.
