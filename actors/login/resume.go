package login

import (
	"github.com/troupe-mud/troupe/actors/conn"
)

// Every handler of the login flow and the game's play handler survive a
// game restart: they are registered for the session snapshot, and each
// one that was waiting for a reply (which the restart lost) asks again or
// tells the player to.
func init() {
	conn.RegisterHandler("login.AccountName", &AccountName{})
	conn.RegisterHandler("login.CreateConfirm", &CreateConfirm{})
	conn.RegisterHandler("login.NewPassword", &NewPassword{})
	conn.RegisterHandler("login.Password", &Password{})
	conn.RegisterHandler("login.Menu", &Menu{})
	conn.RegisterHandler("login.NewCharacter", &NewCharacter{})
	conn.RegisterHandler("login.Play", &Play{})
}

// restartedLine tells a player why they must type something again.
const restartedLine = "The world restarted while that was being done; please try again."

// Resume implements conn.Resumer.
func (h *AccountName) Resume(s *conn.Socket) {
	if h.Waiting != "" {
		h.Waiting = ""
		s.Send(restartedLine, nil)
	}
}

// Resume implements conn.Resumer.
func (h *NewPassword) Resume(s *conn.Socket) {
	if h.Waiting || h.Pending != nil {
		h.Waiting, h.Pending = false, nil
		s.Send(restartedLine, nil)
		s.SetPrompt(PromptPassword, "login")
		s.HideInput(true)
	}
}

// Resume implements conn.Resumer.
func (h *Password) Resume(s *conn.Socket) {
	if h.Waiting {
		h.Waiting = false
		s.Send(restartedLine, nil)
		s.SetPrompt(PromptPassword, "login")
		s.HideInput(true)
	}
}

// Resume implements conn.Resumer.
func (h *Menu) Resume(s *conn.Socket) {
	if h.Waiting != "" {
		h.Waiting = ""
		s.Send(restartedLine, nil)
		s.SetPrompt(PromptChoice, "menu")
	}
}

// Resume implements conn.Resumer: a character that was created and was
// entering the game is entered again; a creation whose answer was lost is
// typed again (if it did happen, the name is taken and the player is told).
func (h *NewCharacter) Resume(s *conn.Socket) {
	switch {
	case h.Created:
		enterGame(s, h.Account, h.Waiting)
	case h.Waiting != "":
		h.Waiting = ""
		s.Send(restartedLine, nil)
		s.SetPrompt(PromptCharacter, "create")
	}
}
