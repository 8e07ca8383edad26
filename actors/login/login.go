package login

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/auth"
	"github.com/troupe-mud/troupe/actors/character"
	"github.com/troupe-mud/troupe/actors/conn"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
)

// Prompts.
const (
	PromptAccount   = "Account name: "
	PromptCreate    = "Create account: "
	PromptPassword  = "Password: "
	PromptChoice    = "Choice: "
	PromptCharacter = "Character name: "
)

// MinPasswordLen is the shortest password a new account may have.
const MinPasswordLen = 6

// busyLine answers input typed while a handler waits for a reply.
const busyLine = "One moment, please."

// Start returns the first frame of a connection: the account-name prompt.
func Start() conn.Frame {
	return conn.Frame{Handler: &AccountName{}, Prompt: PromptAccount, State: "login"}
}

func service(s *conn.Socket, name string) *actor.PID {
	return msg.Service(s.Context().ActorSystem(), name)
}

func ipOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		return strings.Trim(addr[:i], "[]")
	}
	return addr
}

// deferLine is the conn.Deferrer of the login handlers: a typed line is
// always answered (a message, the next prompt, or a wait for a reply), and
// the prompt comes after that answer, not at once.
func deferLine(line string) bool { return strings.TrimSpace(line) != "" }

// Defer implements conn.Deferrer.
func (h *AccountName) Defer(line string) bool { return deferLine(line) }

// Defer implements conn.Deferrer.
func (h *NewPassword) Defer(line string) bool { return true }

// Defer implements conn.Deferrer.
func (h *Password) Defer(line string) bool { return true }

// Defer implements conn.Deferrer.
func (h *Menu) Defer(line string) bool { return deferLine(line) }

// Defer implements conn.Deferrer.
func (h *NewCharacter) Defer(line string) bool { return deferLine(line) }

// nameLine reads a typed name: it tells a waiting player to wait, ignores
// an empty line and tells why a name is refused; ok reports a valid name.
func nameLine(s *conn.Socket, line string, waiting bool, valid func(string) error) (name string, ok bool) {
	if waiting {
		s.Send(busyLine, nil)
		return "", false
	}
	name = strings.TrimSpace(line)
	if name == "" {
		return "", false
	}
	if err := valid(name); err != nil {
		s.Send(err.Error(), nil)
		return "", false
	}
	return name, true
}

// AccountName asks for the account name.
type AccountName struct {
	Waiting string // the account key being loaded
	Typed   string // the name as typed
}

// HandleLine implements conn.Handler.
func (h *AccountName) HandleLine(s *conn.Socket, line string) {
	name, ok := nameLine(s, line, h.Waiting != "", world.ValidAccountName)
	if !ok {
		return
	}
	h.Typed, h.Waiting = name, persistence.NormalizeKey(name)
	s.Context().Request(service(s, msg.ServiceStore), &store.LoadAccount{Key: h.Waiting})
}

// HandleMessage implements conn.MessageHandler.
func (h *AccountName) HandleMessage(s *conn.Socket, m any) bool {
	r, ok := m.(*store.AccountLoaded)
	if !ok || r.Key != h.Waiting {
		return false
	}
	h.Waiting = ""
	switch {
	case errors.Is(r.Err, persistence.ErrNotFound):
		s.Send("Account '[name]' does not exist. Create it? (y/n)", map[string]string{"name": h.Typed})
		s.ReplaceIH(&CreateConfirm{Name: h.Typed}, PromptCreate, "login")
	case r.Err != nil:
		s.Send("The account store is not answering; please try again in a moment.", nil)
	default:
		s.ReplaceIH(&Password{Account: r.Record}, PromptPassword, "login")
		s.HideInput(true)
	}
	return true
}

// CreateConfirm asks whether to create an unknown account.
type CreateConfirm struct {
	Name string
}

// HandleLine implements conn.Handler.
func (h *CreateConfirm) HandleLine(s *conn.Socket, line string) {
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		s.ReplaceIH(&NewPassword{Name: h.Name}, PromptPassword, "login")
		s.HideInput(true)
	default:
		s.Send("Goodbye!", nil)
		s.Close()
	}
}

// NewPassword asks for the password of a new account, hashes it (auth
// actor) and creates the account (store actor).
type NewPassword struct {
	Name    string
	Waiting bool
	Pending *persistence.AccountRecord // the account being created
}

// HandleLine implements conn.Handler.
func (h *NewPassword) HandleLine(s *conn.Socket, line string) {
	if h.Waiting {
		s.Send(busyLine, nil)
		return
	}
	s.SendRaw("\n") // the client did not echo the newline
	if len(line) < MinPasswordLen {
		s.Send(fmt.Sprintf("Password must be at least %d characters long.", MinPasswordLen), nil)
		return
	}
	if len(line) > auth.MaxPasswordLen {
		s.Send(fmt.Sprintf("Password must be at most %d bytes long.", auth.MaxPasswordLen), nil)
		return
	}
	h.Waiting = true
	s.HideInput(false)
	s.SetPrompt("", "login")
	s.Context().Request(service(s, msg.ServiceAuth), &auth.Hash{ID: s.UID(), Password: line})
}

// HandleMessage implements conn.MessageHandler.
func (h *NewPassword) HandleMessage(s *conn.Socket, m any) bool {
	switch r := m.(type) {
	case *auth.Hashed:
		if r.ID != s.UID() || !h.Waiting {
			return false
		}
		if r.Err != nil {
			h.retry(s, r.Err)
			return true
		}
		now := time.Now().UTC()
		rec := &persistence.AccountRecord{Schema: persistence.AccountSchema, Name: h.Name,
			Key: persistence.NormalizeKey(h.Name), PasswordHash: r.Hash, Created: now, LastLogin: now, LastAddr: ipOf(s.Addr())}
		s.Context().Request(service(s, msg.ServiceStore), &store.CreateAccount{Record: rec})
		h.Pending = rec
		return true
	case *store.AccountCreated:
		if h.Pending == nil || r.Key != h.Pending.Key {
			return false
		}
		rec := h.Pending
		h.Pending = nil
		switch {
		case errors.Is(r.Err, persistence.ErrExists):
			s.Send("Someone has just taken that account name; please choose another.", nil)
			s.ReplaceIH(&AccountName{}, PromptAccount, "login")
		case r.Err != nil:
			h.retry(s, r.Err)
		default:
			s.Send("Account created successfully!", nil)
			s.SetAccount(rec.Name)
			newCharacter(s, rec)
		}
		return true
	}
	return false
}

func (h *NewPassword) retry(s *conn.Socket, err error) {
	h.Waiting = false
	if errors.Is(err, auth.ErrBusy) || errors.Is(err, store.ErrBusy) {
		s.Send("The server is busy; please enter your password again in a moment.", nil)
	} else {
		s.Send("Your account could not be created; please try again.", nil)
	}
	s.SetPrompt(PromptPassword, "login")
	s.HideInput(true)
}

// Password asks for an existing account's password.
type Password struct {
	Account *persistence.AccountRecord
	Waiting bool
}

// HandleLine implements conn.Handler.
func (h *Password) HandleLine(s *conn.Socket, line string) {
	if h.Waiting {
		s.Send(busyLine, nil)
		return
	}
	s.SendRaw("\n")
	h.Waiting = true
	s.HideInput(false)
	s.SetPrompt("", "login")
	s.Context().Request(service(s, msg.ServiceAuth), &auth.Verify{ID: s.UID(), Account: h.Account.Key,
		Addr: ipOf(s.Addr()), Password: line, Hash: h.Account.PasswordHash})
}

// HandleMessage implements conn.MessageHandler.
func (h *Password) HandleMessage(s *conn.Socket, m any) bool {
	r, ok := m.(*auth.Verified)
	if !ok || r.ID != s.UID() {
		return false
	}
	h.Waiting = false
	switch {
	case errors.Is(r.Err, auth.ErrThrottled):
		s.Send("Too many failed logins. Please try again later.", nil)
		s.Close()
	case errors.Is(r.Err, auth.ErrBusy):
		s.Send("The server is busy; please enter your password again in a moment.", nil)
		s.SetPrompt(PromptPassword, "login")
		s.HideInput(true)
	case r.Err != nil || !r.OK:
		s.Send("Invalid password.", nil)
		s.Close()
	default:
		s.Send("Welcome back, [name]!", map[string]string{"name": h.Account.Name})
		s.SetAccount(h.Account.Name)
		rec := *h.Account
		rec.LastLogin, rec.LastAddr, rec.FailedLogins = time.Now().UTC(), ipOf(s.Addr()), 0
		s.Context().Send(service(s, msg.ServiceStore), &store.SaveAccount{Record: &rec})
		showMenu(s, &rec)
	}
	return true
}

// Menu is the character selection menu.
type Menu struct {
	Account *persistence.AccountRecord
	Waiting string // the character being entered
}

func showMenu(s *conn.Socket, acc *persistence.AccountRecord) {
	var b strings.Builder
	b.WriteString("--- Character Selection ---\n")
	for i, n := range acc.Characters {
		fmt.Fprintf(&b, "%d. %s\n", i+1, n)
	}
	fmt.Fprintf(&b, "%d. Create new character\n0. Quit\n", len(acc.Characters)+1)
	s.SendRaw(b.String())
	s.ReplaceIH(&Menu{Account: acc}, PromptChoice, "menu")
}

// HandleLine implements conn.Handler.
func (h *Menu) HandleLine(s *conn.Socket, line string) {
	if h.Waiting != "" {
		s.Send(busyLine, nil)
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(line))
	switch {
	case err != nil:
		s.Send("Please enter a number.", nil)
	case n == 0:
		s.Send("Goodbye!", nil)
		s.Close()
	case n == len(h.Account.Characters)+1:
		newCharacter(s, h.Account)
	case n < 0 || n > len(h.Account.Characters):
		s.Send("Invalid choice.", nil)
	default:
		h.Waiting = h.Account.Characters[n-1]
		s.SetPrompt("", "menu")
		enterGame(s, h.Account, h.Waiting)
	}
}

// HandleMessage implements conn.MessageHandler.
func (h *Menu) HandleMessage(s *conn.Socket, m any) bool {
	r, ok := m.(*character.Entered)
	if !ok || h.Waiting == "" {
		return false
	}
	h.Waiting = ""
	if r.Err != nil {
		s.Send(enterError(r.Err), nil)
		s.SetPrompt(PromptChoice, "menu")
		return true
	}
	play(s, h.Account, r)
	return true
}

func enterError(err error) string {
	switch {
	case errors.Is(err, character.ErrLeaving):
		return "That character is just leaving the game; try again in a moment."
	case errors.Is(err, character.ErrNoSuchCharacter):
		return "That character could not be found."
	default:
		return "That character cannot enter the game right now."
	}
}

func enterGame(s *conn.Socket, acc *persistence.AccountRecord, name string) {
	s.Context().Request(service(s, msg.ServiceCharacters), &character.EnterGame{Account: acc.Key, Name: name, Conn: s.Self(), Link: s.Link()})
}

// NewCharacter asks for a new character's name and creates it.
type NewCharacter struct {
	Account *persistence.AccountRecord
	Waiting string // the name being created, then entered
	Created bool
}

func newCharacter(s *conn.Socket, acc *persistence.AccountRecord) {
	s.Send("What would you like to name your character?", nil)
	s.ReplaceIH(&NewCharacter{Account: acc}, PromptCharacter, "create")
}

// HandleLine implements conn.Handler.
func (h *NewCharacter) HandleLine(s *conn.Socket, line string) {
	name, ok := nameLine(s, line, h.Waiting != "", world.ValidCharacterName)
	if !ok {
		return
	}
	name = world.CanonicalName(name)
	h.Waiting = name
	s.SetPrompt("", "create")
	v := world.DefaultPlayerVitals
	rec := &persistence.CharacterRecord{Schema: persistence.CharacterSchema, Name: name, Key: persistence.NormalizeKey(name),
		Account: h.Account.Key, Level: 1, // Room "": the character actor puts it in the start room
		Created: time.Now().UTC(),
		Vitals:  persistence.Vitals{HP: v.HP, MaxHP: v.MaxHP, MP: v.MP, MaxMP: v.MaxMP, MV: v.MV, MaxMV: v.MaxMV}}
	s.Context().Request(service(s, msg.ServiceStore), &store.CreateCharacter{Account: h.Account.Key, Record: rec})
}

// HandleMessage implements conn.MessageHandler.
func (h *NewCharacter) HandleMessage(s *conn.Socket, m any) bool {
	switch r := m.(type) {
	case *store.CharacterCreated:
		if h.Waiting == "" || r.Key != persistence.NormalizeKey(h.Waiting) {
			return false
		}
		switch {
		case errors.Is(r.Err, persistence.ErrExists):
			h.Waiting = ""
			s.Send("That character name is already taken.", nil)
			s.SetPrompt(PromptCharacter, "create")
		case r.Err != nil:
			h.Waiting = ""
			s.Send("The character could not be created; please try again.", nil)
			s.SetPrompt(PromptCharacter, "create")
		default:
			s.Send("Character '[name]' created!", map[string]string{"name": h.Waiting})
			h.Account.Characters = append(h.Account.Characters, h.Waiting)
			h.Created = true
			enterGame(s, h.Account, h.Waiting)
		}
		return true
	case *character.Entered:
		if !h.Created {
			return false
		}
		if r.Err != nil {
			s.Send(enterError(r.Err), nil)
			showMenu(s, h.Account)
			return true
		}
		play(s, h.Account, r)
		return true
	}
	return false
}

// Play is the game's input handler: every line goes to the character as a
// *msg.Command; the character answers with output and the prompt. The
// character greets the player ("Welcome to the game!") with the room.
//
// Commands run one at a time, in the order typed: while the character is
// still answering one (a move waits for the next room), the following lines
// wait here, so a speedwalk "n;n;e" or "describe" followed by editor lines
// behave as typed. A command the game has not finished after
// commandPatience no longer holds the queue.
type Play struct {
	Char       *actor.PID
	Name       string
	Account    string // the account key
	GamePrompt string
	Room       world.RoomID // where the character is (a restart puts it back there)
	// A command in flight and the lines queued behind it do not survive a
	// game restart: the game that would answer is gone.
	Busy      bool      `msgpack:"-"` // a command is with the character
	BusySince time.Time `msgpack:"-"` // when it was sent
	Queue     []string  `msgpack:"-"` // lines typed meanwhile, oldest first
	Entering  bool      `msgpack:"-"` // a resume is putting the character back
	changed   bool      // GamePrompt or Room changed since SnapshotChanged
}

// SnapshotChanged implements conn.Tracked: only the prompt and the room
// survive a restart, so a typed command costs the session no snapshot.
func (h *Play) SnapshotChanged() bool {
	c := h.changed
	h.changed = false
	return c
}

// Bounds of the play queue.
const (
	maxQueuedLines  = 100
	commandPatience = 5 * time.Second
)

func play(s *conn.Socket, acc *persistence.AccountRecord, r *character.Entered) {
	s.SetCharacter(r.Name, r.Char)
	s.ReplaceIH(&Play{Char: r.Char, Name: r.Name, Account: acc.Key, GamePrompt: "> "}, "", "playing")
}

// HandleLine implements conn.Handler.
func (h *Play) HandleLine(s *conn.Socket, line string) {
	if strings.TrimSpace(line) == "" {
		return
	}
	if h.Busy && time.Since(h.BusySince) < commandPatience {
		if len(h.Queue) >= maxQueuedLines {
			s.Send("You are typing faster than the game can follow; that line was dropped.", nil)
			return
		}
		h.Queue = append(h.Queue, line)
		return
	}
	h.send(s, line)
}

func (h *Play) send(s *conn.Socket, line string) {
	h.Busy, h.BusySince = true, time.Now()
	s.Context().Send(h.Char, &msg.Command{Line: line, Conn: s.Self()})
}

// Resume implements conn.Resumer: after a game restart the character is
// put back in the world, in the room it was in, and the game answers with
// the room and the prompt.
//
// Lines typed meanwhile wait for the character to be back. Under an editor
// the room is not shown (the player is writing).
func (h *Play) Resume(s *conn.Socket) {
	h.Busy, h.BusySince, h.Queue, h.Entering = true, time.Now(), nil, true
	s.Context().Request(service(s, msg.ServiceCharacters), &character.EnterGame{
		Account: h.Account, Name: h.Name, Conn: s.Self(), Link: s.Link(), Room: h.Room, Resume: true, Quiet: !s.IsTop(h)})
}

// QuietEntry implements conn.Quiet: the character's welcome and first look
// bring the prompt.
func (h *Play) QuietEntry() bool { return true }

// Defer implements conn.Deferrer: the prompt follows the game's answer.
// An empty line gets the prompt at once (the game has nothing to say).
func (h *Play) Defer(line string) bool { return strings.TrimSpace(line) != "" }

// Prompt implements conn.Prompter.
func (h *Play) Prompt(*conn.Socket) string { return h.GamePrompt }

// HandleMessage implements conn.MessageHandler.
func (h *Play) HandleMessage(s *conn.Socket, m any) bool {
	switch m := m.(type) {
	case *msg.SetPrompt:
		if h.GamePrompt != m.Text {
			h.GamePrompt, h.changed = m.Text, true
		}
		return true
	case *msg.InRoom:
		if h.Room != m.Room {
			h.Room, h.changed = m.Room, true
		}
		return true
	case *character.Entered:
		if !h.Entering {
			return false
		}
		h.Entering = false
		if m.Err != nil {
			s.Send("{R"+enterError(m.Err)+" Please log in again.{x", nil)
			s.Close()
			return true
		}
		h.Char, h.changed = m.Char, true
		s.SetCharacter(m.Name, m.Char)
		h.next(s)
		return true
	case *msg.CommandDone:
		if h.Entering {
			return true // an answer for the game before the restart
		}
		h.next(s)
		return true
	}
	return false
}

// next ends the wait for the game and sends the next queued line.
func (h *Play) next(s *conn.Socket) {
	h.Busy = false
	switch {
	case len(h.Queue) == 0:
	case !s.IsTop(h):
		// The command opened something on top of us (the editor): the
		// lines typed after it are for that.
		s.Reinput(h.Queue...)
		h.Queue = nil
	default:
		line := h.Queue[0]
		h.Queue = h.Queue[1:]
		h.send(s, line)
	}
}
