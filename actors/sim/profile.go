package sim

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// Kind says how a profile entry turns into the line a player types.
type Kind uint8

// Entry kinds.
const (
	// KindPlain sends Text as is.
	KindPlain Kind = iota
	// KindMove sends a direction: one of the exits the last look showed,
	// or a random direction when none is known.
	KindMove
	// KindSay sends Text followed by one of the canned phrases.
	KindSay
	// KindEdit sends Text (a command that opens the line editor), then a
	// few lines of text and ".s" as the following commands.
	KindEdit
)

// Entry is one weighted command in a profile's mix.
type Entry struct {
	Text   string // the verb (plus fixed arguments)
	Kind   Kind
	Weight int // relative frequency, > 0
	// Answer is the marker that identifies the server's answer (see
	// answer.go); the command completes at the prompt after the burst that
	// holds it.
	Answer Answer
	// Global marks a command whose cost grows with the number of players
	// in the game (a channel line goes to everyone, who lists everyone):
	// Config.GlobalRate caps how often the whole run sends it.
	Global bool
}

// Profile is a weighted command mix, the way MUD load runners describe a
// population of players.
type Profile struct {
	Name string
	// RateScale multiplies Config.Rate for this profile: idlers type rarely.
	RateScale float64
	Mix       []Entry
	total     int // sum of weights, computed once by newProfile
}

func newProfile(name string, scale float64, mix ...Entry) *Profile {
	p := &Profile{Name: name, RateScale: scale, Mix: mix}
	for _, e := range mix {
		p.total += e.Weight
	}
	return p
}

// maxRedraws bounds the redraws of a capped Global entry.
const maxRedraws = 8

// globalKeep returns, per entry of p, the probability that a draw of it is
// kept: 1, or for a Global entry the share that keeps the whole run
// (players at rate commands/s each) at most limit of it per second.
// limit <= 0 means no cap.
func (p *Profile) globalKeep(players int, rate, limit float64) []float64 {
	keep := make([]float64, len(p.Mix))
	for i, e := range p.Mix {
		keep[i] = 1
		if !e.Global || limit <= 0 {
			continue
		}
		if want := float64(players) * rate * p.RateScale * float64(e.Weight) / float64(p.total); want > limit {
			keep[i] = limit / want
		}
	}
	return keep
}

// pickCapped draws an entry like Pick, but a draw of entry i is kept only
// with probability keep[i] (else drawn again, at most maxRedraws times,
// then the first entry of the mix that is not capped).
func (p *Profile) pickCapped(rng *rand.Rand, keep []float64) *Entry {
	for range maxRedraws {
		e := p.Pick(rng)
		i := e.index(p)
		if keep == nil || keep[i] >= 1 || rng.Float64() < keep[i] {
			return e
		}
	}
	for i := range p.Mix {
		if keep[i] >= 1 {
			return &p.Mix[i]
		}
	}
	return &p.Mix[0]
}

// index is e's position in p.Mix (e points into it).
func (e *Entry) index(p *Profile) int {
	for i := range p.Mix {
		if &p.Mix[i] == e {
			return i
		}
	}
	return 0
}

// Pick draws one entry with probability Weight/total.
func (p *Profile) Pick(rng *rand.Rand) *Entry {
	n := rng.IntN(p.total)
	for i := range p.Mix {
		if n < p.Mix[i].Weight {
			return &p.Mix[i]
		}
		n -= p.Mix[i].Weight
	}
	return &p.Mix[len(p.Mix)-1] // unreachable: weights sum to total
}

// Profiles are the built-in command mixes by name.
var Profiles = map[string]*Profile{
	"idler": newProfile("idler", 0.05,
		Entry{Text: "look", Weight: 2, Answer: AnswerLook},
		Entry{Text: "score", Weight: 1, Answer: AnswerScore},
	),
	"looker": newProfile("looker", 1,
		Entry{Text: "look", Weight: 4, Answer: AnswerLook},
		Entry{Text: "score", Weight: 2, Answer: AnswerScore},
		Entry{Text: "who", Weight: 2, Answer: AnswerWho, Global: true},
		Entry{Text: "inventory", Weight: 2, Answer: AnswerInventory},
		Entry{Text: "help", Weight: 1, Answer: AnswerHelp},
	),
	"walker": newProfile("walker", 1,
		Entry{Kind: KindMove, Weight: 6, Answer: AnswerMove},
		Entry{Text: "look", Weight: 2, Answer: AnswerLook},
	),
	"talker": newProfile("talker", 1,
		Entry{Text: "say", Kind: KindSay, Weight: 4, Answer: AnswerSay},
		Entry{Text: "emote", Kind: KindSay, Weight: 2, Answer: AnswerEmote},
		Entry{Text: "chat", Kind: KindSay, Weight: 2, Answer: AnswerChat, Global: true},
		Entry{Text: "shout", Kind: KindSay, Weight: 1, Answer: AnswerChat, Global: true},
		Entry{Text: "who", Weight: 1, Answer: AnswerWho, Global: true},
	),
	"builder": newProfile("builder", 1,
		Entry{Text: "describe", Kind: KindEdit, Weight: 2, Answer: AnswerEditor},
		Entry{Text: "look", Weight: 3, Answer: AnswerLook},
		Entry{Kind: KindMove, Weight: 1, Answer: AnswerMove},
	),
	// crowd is `look` alone: with every player in one room (a server
	// without --start-spread) each look lists every occupant, the cost
	// scripts/bench.sh's crowd scenario measures.
	"crowd": newProfile("crowd", 1,
		Entry{Text: "look", Weight: 1, Answer: AnswerLook},
	),
	"normal": newProfile("normal", 1,
		Entry{Text: "look", Weight: 20, Answer: AnswerLook},
		Entry{Text: "score", Weight: 5, Answer: AnswerScore},
		Entry{Text: "who", Weight: 5, Answer: AnswerWho, Global: true},
		Entry{Text: "inventory", Weight: 5, Answer: AnswerInventory},
		Entry{Text: "help", Weight: 2, Answer: AnswerHelp},
		Entry{Kind: KindMove, Weight: 25, Answer: AnswerMove},
		Entry{Text: "say", Kind: KindSay, Weight: 20, Answer: AnswerSay},
		Entry{Text: "emote", Kind: KindSay, Weight: 8, Answer: AnswerEmote},
		Entry{Text: "chat", Kind: KindSay, Weight: 8, Answer: AnswerChat, Global: true},
		Entry{Text: "describe", Kind: KindEdit, Weight: 2, Answer: AnswerEditor},
	),
}

// ProfileNames lists the profiles, sorted, comma separated.
func ProfileNames() string {
	names := make([]string, 0, len(Profiles))
	for n := range Profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// Directions a walker tries when the room shows no exits.
var Directions = []string{"north", "south", "east", "west", "up", "down"}

// phrases are what talkers say, emote, chat and shout.
var phrases = []string{
	"hello there", "anyone around?", "nice weather today", "waves.",
	"is looking for a group", "has anyone seen the blacksmith?",
	"smiles.", "brb", "where is the temple?", "good luck everyone",
}

// editLines are what builders type into the editor.
var editLines = []string{
	"A narrow passage winds between walls of damp stone.",
	"Water drips somewhere out of sight, echoing softly.",
	"Scratches on the floor hint at heavy things dragged past.",
	"A faint draught carries the smell of the sea.",
	"Moss grows thick in the corners.",
}

// line builds the text to send for e (the first line of a script) and, for
// KindEdit, the follow-up lines queued into script (reused, returned).
func (e *Entry) line(rng *rand.Rand, exits []string, script []string) (string, []string) {
	switch e.Kind {
	case KindMove:
		if len(exits) > 0 {
			return exits[rng.IntN(len(exits))], script
		}
		return Directions[rng.IntN(len(Directions))], script
	case KindSay:
		return e.Text + " " + phrases[rng.IntN(len(phrases))], script
	case KindEdit:
		n := 1 + rng.IntN(3)
		for range n {
			script = append(script, editLines[rng.IntN(len(editLines))])
		}
		return e.Text, append(script, ".s")
	}
	return e.Text, script
}
