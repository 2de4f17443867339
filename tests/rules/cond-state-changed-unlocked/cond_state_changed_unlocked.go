package cond_state_changed_unlocked

// Bad cases carry a want comment; look-alikes that must stay silent do not.
