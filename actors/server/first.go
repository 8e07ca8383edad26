package server

import (
	"github.com/troupe-mud/troupe/actors/conn"
)

// defaultFirst is the first handler until the accounts flow is wired in.
func defaultFirst() conn.Frame {
	return conn.Frame{Handler: &accountPrompt{}, Prompt: "Account name: ", State: "login"}
}

// accountPrompt asks for an account name.
type accountPrompt struct{}

// HandleLine implements conn.Handler.
func (a *accountPrompt) HandleLine(s *conn.Socket, line string) {
	if line == "" {
		return
	}
	for _, r := range line {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			s.Send("Account names must be alphanumeric.", nil)
			return
		}
	}
	s.Send("Hello, [name]. Accounts are not open yet.", map[string]string{"name": line})
}
