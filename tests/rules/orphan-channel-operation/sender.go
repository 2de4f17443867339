package orphan

func (m *mailbox) deliver(s string) { m.msgs <- s }
