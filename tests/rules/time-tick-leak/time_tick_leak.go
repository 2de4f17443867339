package time_tick_leak

// Bad cases carry a want comment; look-alikes that must stay silent do not.
