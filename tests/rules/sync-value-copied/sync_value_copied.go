package sync_value_copied

// Bad cases carry a want comment; look-alikes that must stay silent do not.
