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
		Entry{Text: "look", Weight: 2},
		Entry{Text: "score", Weight: 1},
	),
	"looker": newProfile("looker", 1,
		Entry{Text: "look", Weight: 4},
		Entry{Text: "score", Weight: 2},
		Entry{Text: "who", Weight: 2},
		Entry{Text: "inventory", Weight: 2},
		Entry{Text: "help", Weight: 1},
	),
	"walker": newProfile("walker", 1,
		Entry{Kind: KindMove, Weight: 6},
		Entry{Text: "look", Weight: 2},
	),
	"talker": newProfile("talker", 1,
		Entry{Text: "say", Kind: KindSay, Weight: 4},
		Entry{Text: "emote", Kind: KindSay, Weight: 2},
		Entry{Text: "chat", Kind: KindSay, Weight: 2},
		Entry{Text: "shout", Kind: KindSay, Weight: 1},
		Entry{Text: "who", Weight: 1},
	),
	"builder": newProfile("builder", 1,
		Entry{Text: "describe", Kind: KindEdit, Weight: 2},
		Entry{Text: "look", Weight: 3},
		Entry{Kind: KindMove, Weight: 1},
	),
	"normal": newProfile("normal", 1,
		Entry{Text: "look", Weight: 20},
		Entry{Text: "score", Weight: 5},
		Entry{Text: "who", Weight: 5},
		Entry{Text: "inventory", Weight: 5},
		Entry{Text: "help", Weight: 2},
		Entry{Kind: KindMove, Weight: 25},
		Entry{Text: "say", Kind: KindSay, Weight: 20},
		Entry{Text: "emote", Kind: KindSay, Weight: 8},
		Entry{Text: "chat", Kind: KindSay, Weight: 8},
		Entry{Text: "describe", Kind: KindEdit, Weight: 2},
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
