package sim

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/net/telnet"
)

// fakeMUD is a scripted server speaking the troupe login dialogue (the
// prompts and messages actors/login uses) and a tiny game, so that the
// player's state machine is tested over real TCP without the whole server.
type fakeMUD struct {
	ln net.Listener

	mu       sync.Mutex
	accounts map[string]*fakeAccount // by account name
	chars    map[string]bool         // taken character names, lower case
	conns    map[*fakeConn]bool      // in the game
	silent   bool                    // answer nothing once in the game
	lines    int                     // game lines received
	wg       sync.WaitGroup
}

type fakeAccount struct {
	password string
	chars    []string
}

type fakeConn struct {
	nc  net.Conn
	mu  sync.Mutex // guards writes and eor
	eor bool
}

func startFakeMUD(t testing.TB) *fakeMUD {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &fakeMUD{ln: ln, accounts: map[string]*fakeAccount{}, chars: map[string]bool{}, conns: map[*fakeConn]bool{}}
	m.wg.Add(1)
	go m.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		m.mu.Lock()
		for c := range m.conns {
			_ = c.nc.Close()
		}
		m.mu.Unlock()
		m.wg.Wait()
	})
	return m
}

func (m *fakeMUD) addr() string { return m.ln.Addr().String() }

func (m *fakeMUD) serve() {
	defer m.wg.Done()
	for {
		nc, err := m.ln.Accept()
		if err != nil {
			return
		}
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			m.session(&fakeConn{nc: nc})
		}()
	}
}

// send writes text (\n → \r\n) and, if prompt is set, the prompt and its
// marker.
func (c *fakeConn) send(text, prompt string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := []byte(strings.ReplaceAll(text, "\n", "\r\n"))
	if prompt != "" {
		b = append(b, prompt...)
		if c.eor {
			b = append(b, telnet.IAC, telnet.EOR)
		} else {
			b = append(b, telnet.IAC, telnet.GA)
		}
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, _ = c.nc.Write(b)
}

// lines yields the client's input lines, handling DO EOR on the way.
func (c *fakeConn) lines(out chan<- string) {
	defer close(out)
	dec := telnet.NewDecoder(telnet.Limits{})
	buf := make([]byte, 1024)
	var evs []telnet.Event
	for {
		n, err := c.nc.Read(buf)
		evs = dec.Decode(buf[:n], evs[:0])
		for _, ev := range evs {
			switch ev.Kind {
			case telnet.EventNegotiation:
				if ev.Opt == telnet.OptEOR {
					c.mu.Lock()
					c.eor = ev.Cmd == telnet.DO
					c.mu.Unlock()
				}
			case telnet.EventLine:
				out <- string(ev.Line)
			}
		}
		if err != nil {
			return
		}
	}
}

func (m *fakeMUD) session(c *fakeConn) {
	defer c.nc.Close()
	in := make(chan string, 16)
	go c.lines(in)
	// Offer EOR and things a client should refuse; the first prompt leaves
	// before any answer, so it ends in GA.
	_, _ = c.nc.Write([]byte{telnet.IAC, telnet.WILL, telnet.OptEOR, telnet.IAC, telnet.WILL, telnet.OptMCCP2, telnet.IAC, telnet.DO, telnet.OptTTYPE})
	c.send("Welcome to the fake troupe!\n\n", "Account name: ")
	next := func() (string, bool) { l, ok := <-in; return strings.TrimSpace(l), ok }

	name, ok := next()
	if !ok {
		return
	}
	m.mu.Lock()
	acct := m.accounts[name]
	m.mu.Unlock()
	var char string
	if acct == nil {
		c.send("Account '"+name+"' does not exist. Create it? (y/n)\n", "Create account: ")
		if l, ok := next(); !ok || l != "y" {
			return
		}
		c.send("", "Password: ")
		pw, ok := next()
		if !ok || len(pw) < 6 {
			return
		}
		acct = &fakeAccount{password: pw}
		m.mu.Lock()
		m.accounts[name] = acct
		m.mu.Unlock()
		c.send("Account created successfully!\nWhat would you like to name your character?\n", "Character name: ")
		if char, ok = m.createChar(c, acct, next); !ok {
			return
		}
	} else {
		c.send("", "Password: ")
		pw, ok := next()
		if !ok {
			return
		}
		if pw != acct.password {
			c.send("\nInvalid password.\n", "")
			return
		}
		var menu strings.Builder
		menu.WriteString("\nWelcome back, " + name + "!\n--- Character Selection ---\n")
		m.mu.Lock()
		chars := append([]string(nil), acct.chars...)
		m.mu.Unlock()
		for i, ch := range chars {
			menu.WriteString(itoa(i+1) + ". " + ch + "\n")
		}
		menu.WriteString(itoa(len(chars)+1) + ". Create new character\n0. Quit\n")
		c.send(menu.String(), "Choice: ")
		l, ok := next()
		if !ok {
			return
		}
		switch {
		case l == itoa(len(chars)+1):
			c.send("What would you like to name your character?\n", "Character name: ")
			if char, ok = m.createChar(c, acct, next); !ok {
				return
			}
		case l >= "1" && l <= itoa(len(chars)) && len(l) == len(itoa(len(chars))):
			char = chars[int(l[0]-'1')]
			c.send("Welcome to the game!\nThe Fake Square\n[Exits: north east up]\n", "<20/20hp 100/100mn 100/100mv> ")
		default:
			return
		}
	}
	m.game(c, char, next)
}

func (m *fakeMUD) createChar(c *fakeConn, acct *fakeAccount, next func() (string, bool)) (string, bool) {
	for {
		l, ok := next()
		if !ok {
			return "", false
		}
		m.mu.Lock()
		taken := m.chars[strings.ToLower(l)]
		if !taken {
			m.chars[strings.ToLower(l)] = true
			acct.chars = append(acct.chars, l)
		}
		m.mu.Unlock()
		if taken {
			c.send("That character name is already taken.\n", "Character name: ")
			continue
		}
		c.send("Character '"+l+"' created!\nWelcome to the game!\nThe Fake Square\n[Exits: north east up]\n", "<20/20hp 100/100mn 100/100mv> ")
		return l, true
	}
}

// game answers a handful of commands the way troupe does: a typed line
// gets no prompt of its own, the answer comes as text followed by the
// prompt; say, emote and chat also reach every other player as an
// unsolicited burst (led by a newline, since their prompt line is open);
// the editor prompts "] " after every line.
func (m *fakeMUD) game(c *fakeConn, char string, next func() (string, bool)) {
	m.mu.Lock()
	m.conns[c] = true
	silent := m.silent
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.conns, c)
		m.mu.Unlock()
	}()
	const room = "The Fake Square\nA square that exists only in tests.\n[Exits: north east up]\nA rat is here.\n"
	const prompt = "<20/20hp 100/100mn 100/100mv> "
	others := func(text string) {
		m.mu.Lock()
		for o := range m.conns {
			if o != c {
				go o.send("\n"+text, prompt)
			}
		}
		m.mu.Unlock()
	}
	editing := false
	for {
		l, ok := next()
		if !ok {
			return
		}
		if l != "quit" {
			m.mu.Lock()
			m.lines++
			m.mu.Unlock()
		}
		if silent {
			continue
		}
		if editing {
			if l == ".s" {
				editing = false
				c.send("Text saved.\n", prompt)
				c.send("\nDescription saved.\n", prompt)
			} else {
				c.send("", "] ")
			}
			continue
		}
		verb, rest, _ := strings.Cut(l, " ")
		switch verb {
		case "":
			c.send("", prompt)
		case "look":
			c.send(room, prompt)
		case "north", "east", "up":
			others(char + " leaves " + verb + ".\n")
			c.send(room, prompt)
		case "south", "west", "down":
			c.send("You can't go that way.\n", prompt)
		case "say":
			c.send("You say, '"+rest+"'\n", prompt)
			others(char + " says, '" + rest + "'\n")
		case "emote":
			c.send(char+" "+rest+"\n", prompt)
			others(char + " " + rest + "\n")
		case "chat", "shout":
			c.send("[chat] "+char+": "+rest+"\n", prompt)
			others("[chat] " + char + ": " + rest + "\n")
		case "who":
			c.send("Players in the game:\n  "+char+"\n1 player.\n", prompt)
		case "score":
			c.send("You are "+char+".\nHit points 20/20.\n", prompt)
		case "inventory":
			c.send("You are carrying nothing.\n", prompt)
		case "help":
			c.send("HELP\nSyntax: help\n", prompt)
		case "describe":
			editing = true
			c.send("Editing text (0 lines). Type .h for help, .s to save, .q to quit without saving.\n", "] ")
		case "quit":
			c.send("Goodbye.\n", "")
			return
		default:
			c.send("Huh?\n", prompt)
		}
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
