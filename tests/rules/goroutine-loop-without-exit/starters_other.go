//go:build !linux && !windows

package loops

// The other platforms' twin of setupDumpTrap: a declaration, not a call.
func (t *trap) setupDumpTrap() {}
