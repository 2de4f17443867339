// Package silent_shadowed: a package-level function named close is not
// the builtin, and a shadowing parameter names a different channel.
package silent_shadowed

type conn struct{ open bool }

func close(c *conn) { c.open = false }

func shutdown(c *conn) {
	close(c)
	close(c)
}
