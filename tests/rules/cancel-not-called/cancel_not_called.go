package cancel_not_called

// Bad cases carry a want comment; look-alikes that must stay silent do not.
