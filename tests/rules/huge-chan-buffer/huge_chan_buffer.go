package huge_chan_buffer

// Bad cases carry a want comment; look-alikes that must stay silent do not.
