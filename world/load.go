package world

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Loader limits. They keep a hostile or broken area directory from using
// unbounded memory.
const (
	// MaxAreaFileSize is the largest area file LoadDir reads.
	MaxAreaFileSize = 8 << 20
	// MaxProblems is how many problems a LoadError lists before it stops.
	MaxProblems = 200
	// MaxResetCount bounds the count of one item or mobile reset line.
	MaxResetCount = 100
)

// ErrNoAreaFiles is reported (inside a LoadError) when a directory has no
// *.yaml files.
var ErrNoAreaFiles = errors.New("no area files (*.yaml)")

// Problem is one thing wrong with an area file.
type Problem struct {
	// File is the path inside the fs.FS handed to the loader.
	File string
	// Line is 1-based; 0 when the problem concerns the file or world as a whole.
	Line int
	// Msg says what is wrong, in words a builder understands.
	Msg string
}

// String formats the problem as "file:line: msg" (or "file: msg" without a line).
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// LoadError lists every problem found while loading a world. A world with
// any problem is never returned: the server refuses to start instead of
// starting half a world.
type LoadError struct {
	Problems []Problem
}

// Error lists every problem, one "file:line: problem" per line.
func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// LoadDir loads every *.yaml file directly inside dir of fsys, in sorted
// order, as one world, and validates it. On any problem it returns nil and a
// *LoadError listing all of them. dir "." means the root of fsys.
func LoadDir(fsys fs.FS, dir string) (*World, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, &LoadError{Problems: []Problem{{File: dir, Msg: err.Error()}}}
	}
	if len(names) == 0 {
		return nil, &LoadError{Problems: []Problem{{File: dir, Msg: ErrNoAreaFiles.Error()}}}
	}
	sort.Strings(names)
	return LoadFiles(fsys, names...)
}

// LoadFiles loads the named area files of fsys as one world, in the order
// given, and validates it like LoadDir.
func LoadFiles(fsys fs.FS, names ...string) (*World, error) {
	l := &loader{
		w:       NewWorld(),
		roomPos: map[RoomID]pos{},
		itemPos: map[ItemID]pos{},
		mobPos:  map[MobID]pos{},
		zonePos: map[string]pos{},
	}
	for _, name := range names {
		l.loadFile(fsys, name)
	}
	l.resolve()
	if len(l.problems) > 0 {
		sort.SliceStable(l.problems, func(i, j int) bool {
			a, b := l.problems[i], l.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		if len(l.problems) > MaxProblems {
			n := len(l.problems) - MaxProblems
			l.problems = append(l.problems[:MaxProblems:MaxProblems],
				Problem{File: l.problems[MaxProblems].File, Msg: fmt.Sprintf("... and %d more problems", n)})
		}
		return nil, &LoadError{Problems: l.problems}
	}
	return l.w, nil
}

type pos struct {
	file string
	line int
}

func (p pos) String() string { return fmt.Sprintf("%s:%d", p.file, p.line) }

type refKind int

const (
	refRoom refKind = iota
	refItem
	refMob
)

// ref is a reference checked after every file is loaded.
type ref struct {
	pos
	kind refKind
	id   string // qualified "zone:local"
	what string // "exit north", "item reset", ...
}

type loader struct {
	w        *World
	problems []Problem
	file     string
	zone     string // current zone id ("" if the header was bad)

	roomPos map[RoomID]pos
	itemPos map[ItemID]pos
	mobPos  map[MobID]pos
	zonePos map[string]pos
	refs    []ref
	starts  []ref
	// typos records, per mapping node, the known keys an unknown key was
	// taken for ("descripton" → "description"), so that the same mistake is
	// not also reported as a missing field.
	typos map[*yaml.Node]map[string]bool
	// unreadable is set when some file could not be parsed at all; its zone
	// is unknown, so references into unknown zones are not reported twice.
	unreadable bool
}

func (l *loader) problem(line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: l.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (l *loader) loadFile(fsys fs.FS, name string) {
	l.file, l.zone = name, ""
	f, err := fsys.Open(name)
	if err != nil {
		l.problem(0, "cannot open: %v", err)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxAreaFileSize+1))
	f.Close()
	if err != nil {
		l.problem(0, "cannot read: %v", err)
		return
	}
	if len(data) > MaxAreaFileSize {
		l.problem(0, "file is larger than %d bytes", MaxAreaFileSize)
		return
	}

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		l.unreadable = true
		msg := err.Error()
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			l.problem(line, "YAML syntax error: %s", m[2])
		} else {
			l.problem(0, "YAML syntax error: %s", strings.TrimPrefix(msg, "yaml: "))
		}
		return
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		l.problem(0, "empty area file")
		return
	}
	l.zoneFile(doc.Content[0])
}

var zoneKeys = []string{"zone", "name", "description", "credits", "start", "rooms", "items", "mobiles"}

func (l *loader) zoneFile(n *yaml.Node) {
	f, ok := l.fields(n, "zone file", zoneKeys)
	if !ok {
		return
	}
	z := &Zone{File: l.file}
	zn := f["zone"]
	if zn == nil {
		l.problem(n.Line, "missing zone id (add `zone: <id>`)")
		return
	}
	id, ok := l.text(zn, "zone")
	if !ok {
		return
	}
	if !validID(id) {
		l.problem(zn.Line, "invalid zone id %q: use lower-case letters, digits, '-' and '_'", id)
		return
	}
	if p, dup := l.zonePos[id]; dup {
		l.problem(zn.Line, "zone %q is already defined at %s", id, p)
		return
	}
	l.zonePos[id] = pos{l.file, zn.Line}
	z.ID, l.zone = id, id
	z.Name = l.required(f, n, "name", "zone")
	z.Description = l.optText(f["description"], "description")
	z.Credits = l.optText(f["credits"], "credits")
	l.w.Zones[id] = z

	if s := f["start"]; s != nil {
		if v, ok := l.text(s, "start"); ok {
			if q, ok := l.qualify(s, v, "start room"); ok {
				l.starts = append(l.starts, ref{pos: pos{l.file, s.Line}, kind: refRoom, id: q, what: "start room"})
			}
		}
	}
	if items := f["items"]; items != nil {
		for _, it := range l.seq(items, "items") {
			l.itemProto(it)
		}
	}
	if mobs := f["mobiles"]; mobs != nil {
		for _, m := range l.seq(mobs, "mobiles") {
			l.mobProto(m)
		}
	}
	if rooms := f["rooms"]; rooms != nil {
		for _, r := range l.seq(rooms, "rooms") {
			if id, ok := l.room(r); ok {
				z.Rooms = append(z.Rooms, id)
			}
		}
	}
}

var roomKeys = []string{"id", "name", "description", "exits", "extras", "items", "mobiles"}

func (l *loader) room(n *yaml.Node) (RoomID, bool) {
	f, ok := l.fields(n, "room", roomKeys)
	if !ok {
		return "", false
	}
	local, ok := l.localID(f, n, "room")
	if !ok {
		return "", false
	}
	r := &Room{ID: MakeRoomID(l.zone, local)}
	r.Name = l.required(f, n, "name", "room")
	r.Description = l.required(f, n, "description", "room")
	if ex := f["exits"]; ex != nil {
		l.exits(ex, r)
	}
	if ex := f["extras"]; ex != nil {
		r.Extras = l.extras(ex)
	}
	if it := f["items"]; it != nil {
		for _, e := range l.seq(it, "items") {
			id, count, ok := l.reset(e, "item", "item reset")
			if ok {
				l.refs = append(l.refs, ref{pos: pos{l.file, e.Line}, kind: refItem, id: id, what: "item reset"})
				r.Items = append(r.Items, ItemReset{Item: ItemID(id), Count: count})
			}
		}
	}
	if mb := f["mobiles"]; mb != nil {
		for _, e := range l.seq(mb, "mobiles") {
			id, count, ok := l.reset(e, "mobile", "mobile reset")
			if ok {
				l.refs = append(l.refs, ref{pos: pos{l.file, e.Line}, kind: refMob, id: id, what: "mobile reset"})
				r.Mobiles = append(r.Mobiles, MobReset{Mobile: MobID(id), Count: count})
			}
		}
	}
	if p, dup := l.roomPos[r.ID]; dup {
		l.problem(n.Line, "duplicate room id %q (first defined at %s)", r.ID, p)
		return "", false
	}
	l.roomPos[r.ID] = pos{l.file, n.Line}
	l.w.Rooms[r.ID] = r
	return r.ID, true
}

var exitKeys = []string{"to", "description", "door", "closed"}

func (l *loader) exits(n *yaml.Node, r *Room) {
	if n.Kind != yaml.MappingNode {
		l.problem(n.Line, "exits must be a mapping of direction to room, like `north: square`")
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := strings.ToLower(k.Value)
		if first, dup := seen[name]; dup {
			l.problem(k.Line, "duplicate exit %q (first at line %d)", k.Value, first)
			continue
		}
		seen[name] = k.Line
		d, ok := directionByName(name)
		if !ok {
			if s := Closest(name, dirNames[:]); s != "" {
				l.problem(k.Line, "bad direction %q (did you mean %q?)", k.Value, s)
			} else {
				l.problem(k.Line, "bad direction %q: use north, east, south, west, up or down", k.Value)
			}
			continue
		}
		what := "exit " + d.String()
		var e Exit
		var toNode *yaml.Node
		if v.Kind == yaml.MappingNode {
			f, ok := l.fields(v, what, exitKeys)
			if !ok {
				continue
			}
			toNode = f["to"]
			if toNode == nil {
				l.problem(v.Line, "%s has no destination (add `to: <room>`)", what)
				continue
			}
			e.Description = l.optText(f["description"], "description")
			e.Door = l.optBool(f["door"], "door")
			e.Closed = l.optBool(f["closed"], "closed")
			if e.Closed && !e.Door {
				l.problem(f["closed"].Line, "%s is closed but has no door (add `door: true`)", what)
			}
		} else {
			toNode = v
		}
		to, ok := l.text(toNode, what)
		if !ok {
			continue
		}
		if to == "" {
			l.problem(toNode.Line, "%s has no destination", what)
			continue
		}
		q, ok := l.qualify(toNode, to, what)
		if !ok {
			continue
		}
		e.To = RoomID(q)
		r.Exits[d] = e
		l.refs = append(l.refs, ref{pos: pos{l.file, toNode.Line}, kind: refRoom, id: q, what: what})
	}
}

func directionByName(s string) (Direction, bool) {
	for i, n := range dirNames {
		if n == s {
			return Direction(i), true
		}
	}
	return 0, false
}

var extraKeys = []string{"keywords", "text"}

func (l *loader) extras(n *yaml.Node) []ExtraDesc {
	var out []ExtraDesc
	for _, e := range l.seq(n, "extras") {
		f, ok := l.fields(e, "extra description", extraKeys)
		if !ok {
			continue
		}
		kw := l.keywords(f, e, "extra description")
		text := l.required(f, e, "text", "extra description")
		if len(kw) > 0 && text != "" {
			out = append(out, ExtraDesc{Keywords: kw, Text: text})
		}
	}
	return out
}

// reset reads a room's item or mobile reset line: either a bare reference
// ("coin") or a mapping {item: coin, count: 3}.
func (l *loader) reset(n *yaml.Node, key, what string) (string, int, bool) {
	var idNode *yaml.Node
	count := 1
	if n.Kind == yaml.MappingNode {
		f, ok := l.fields(n, what, []string{key, "count"})
		if !ok {
			return "", 0, false
		}
		idNode = f[key]
		if idNode == nil {
			l.problem(n.Line, "%s has no %s (add `%s: <id>`)", what, key, key)
			return "", 0, false
		}
		if c := f["count"]; c != nil {
			v, ok := l.integer(c, "count", 1, MaxResetCount)
			if !ok {
				return "", 0, false
			}
			count = v
		}
	} else {
		idNode = n
	}
	v, ok := l.text(idNode, what)
	if !ok || v == "" {
		if ok {
			l.problem(idNode.Line, "%s is empty", what)
		}
		return "", 0, false
	}
	q, ok := l.qualify(idNode, v, what)
	return q, count, ok
}

var itemKeys = []string{"id", "keywords", "short", "long", "description", "extras", "wear", "weight", "value"}

func (l *loader) itemProto(n *yaml.Node) {
	f, ok := l.fields(n, "item", itemKeys)
	if !ok {
		return
	}
	local, ok := l.localID(f, n, "item")
	if !ok {
		return
	}
	p := &ItemProto{ID: ItemID(l.zone + ":" + local)}
	p.Keywords = l.keywords(f, n, "item")
	p.Short = l.required(f, n, "short", "item")
	p.Long = l.required(f, n, "long", "item")
	p.Description = l.optText(f["description"], "description")
	if ex := f["extras"]; ex != nil {
		p.Extras = l.extras(ex)
	}
	if w := f["wear"]; w != nil {
		if s, ok := l.text(w, "wear"); ok {
			slot, ok := ParseWearSlot(s)
			if !ok {
				names := slotNames[:]
				if c := Closest(strings.ToLower(s), names); c != "" {
					l.problem(w.Line, "unknown wear slot %q (did you mean %q?)", s, c)
				} else {
					l.problem(w.Line, "unknown wear slot %q: use one of %s", s, strings.Join(names, ", "))
				}
			}
			p.Wear = slot
		}
	}
	if w := f["weight"]; w != nil {
		p.Weight, _ = l.integer(w, "weight", 0, 1_000_000)
	}
	if v := f["value"]; v != nil {
		p.Value, _ = l.integer(v, "value", 0, 1_000_000_000)
	}
	if prev, dup := l.itemPos[p.ID]; dup {
		l.problem(n.Line, "duplicate item id %q (first defined at %s)", p.ID, prev)
		return
	}
	l.itemPos[p.ID] = pos{l.file, n.Line}
	l.w.Items[p.ID] = p
}

var mobKeys = []string{"id", "keywords", "short", "long", "description", "vitals", "behaviours"}

// Default mobile vitals when an area file gives none.
const (
	defaultMobHP = 10
	defaultMobMP = 0
	defaultMobMV = 100
	// DefaultWanderInterval is used by `wander: {}` without an interval.
	DefaultWanderInterval = time.Minute
)

func (l *loader) mobProto(n *yaml.Node) {
	f, ok := l.fields(n, "mobile", mobKeys)
	if !ok {
		return
	}
	local, ok := l.localID(f, n, "mobile")
	if !ok {
		return
	}
	p := &MobProto{ID: MobID(l.zone + ":" + local)}
	p.Keywords = l.keywords(f, n, "mobile")
	p.Short = l.required(f, n, "short", "mobile")
	p.Long = l.required(f, n, "long", "mobile")
	p.Description = l.optText(f["description"], "description")
	hp, mp, mv := defaultMobHP, defaultMobMP, defaultMobMV
	if v := f["vitals"]; v != nil {
		if vf, ok := l.fields(v, "vitals", []string{"hp", "mp", "mv"}); ok {
			if x := vf["hp"]; x != nil {
				hp, _ = l.integer(x, "hp", 1, 1_000_000)
			}
			if x := vf["mp"]; x != nil {
				mp, _ = l.integer(x, "mp", 0, 1_000_000)
			}
			if x := vf["mv"]; x != nil {
				mv, _ = l.integer(x, "mv", 0, 1_000_000)
			}
		}
	}
	p.Vitals = Vitals{HP: hp, MaxHP: hp, MP: mp, MaxMP: mp, MV: mv, MaxMV: mv}
	if b := f["behaviours"]; b != nil {
		p.Behaviours = l.behaviours(b)
	}
	if prev, dup := l.mobPos[p.ID]; dup {
		l.problem(n.Line, "duplicate mobile id %q (first defined at %s)", p.ID, prev)
		return
	}
	l.mobPos[p.ID] = pos{l.file, n.Line}
	l.w.Mobiles[p.ID] = p
}

func (l *loader) behaviours(n *yaml.Node) Behaviours {
	var b Behaviours
	f, ok := l.fields(n, "behaviours", []string{"wander", "greet", "respond"})
	if !ok {
		return b
	}
	if w := f["wander"]; w != nil {
		iv := DefaultWanderInterval
		var ivNode *yaml.Node
		switch w.Kind {
		case yaml.MappingNode:
			if wf, ok := l.fields(w, "wander", []string{"interval"}); ok {
				ivNode = wf["interval"]
			}
		case yaml.ScalarNode:
			if w.Tag != "!!bool" || w.Value != "true" {
				ivNode = w
			}
		}
		if ivNode != nil {
			if d, ok := l.duration(ivNode, "wander interval"); ok {
				iv = d
			}
		}
		b.Wander = &WanderBehaviour{Interval: iv}
	}
	if g := f["greet"]; g != nil {
		b.Greet = l.optText(g, "greet")
	}
	if r := f["respond"]; r != nil {
		for _, e := range l.seq(r, "respond") {
			rf, ok := l.fields(e, "response", []string{"keywords", "reply"})
			if !ok {
				continue
			}
			kw := l.keywords(rf, e, "response")
			var reply []string
			switch rn := rf["reply"]; {
			case rn == nil:
				l.problem(e.Line, "response is missing reply")
			case rn.Kind == yaml.SequenceNode:
				reply = l.stringList(rn, "reply")
			default:
				if s, ok := l.text(rn, "reply"); ok && s != "" {
					reply = []string{s}
				}
			}
			if len(kw) > 0 && len(reply) > 0 {
				b.Respond = append(b.Respond, Response{Keywords: kw, Reply: reply})
			}
		}
	}
	return b
}

// resolve checks every recorded cross-reference once all files are in.
func (l *loader) resolve() {
	for _, r := range l.refs {
		l.file = r.file
		if zone, _, _ := strings.Cut(r.id, ":"); l.unreadable && l.zonePos[zone] == (pos{}) {
			continue // probably defined in the file that did not parse
		}
		switch r.kind {
		case refRoom:
			if _, ok := l.w.Rooms[RoomID(r.id)]; !ok {
				l.problem(r.line, "%s leads to unknown room %q", r.what, r.id)
			}
		case refItem:
			if _, ok := l.w.Items[ItemID(r.id)]; !ok {
				l.problem(r.line, "%s names unknown item %q", r.what, r.id)
			}
		case refMob:
			if _, ok := l.w.Mobiles[MobID(r.id)]; !ok {
				l.problem(r.line, "%s names unknown mobile %q", r.what, r.id)
			}
		}
	}
	switch {
	case len(l.starts) == 0 && len(l.problems) == 0:
		file := "world"
		if len(l.zonePos) > 0 {
			file = minFile(l.zonePos)
		}
		l.problems = append(l.problems, Problem{File: file, Msg: "no start room: add `start: <room>` to one zone file"})
	case len(l.starts) > 0:
		first := l.starts[0]
		l.file = first.file
		if _, ok := l.w.Rooms[RoomID(first.id)]; !ok {
			l.problem(first.line, "start room %q does not exist", first.id)
		}
		l.w.Start = RoomID(first.id)
		for _, s := range l.starts[1:] {
			l.file = s.file
			l.problem(s.line, "start room already set at %s", first.pos)
		}
	}
}

func minFile(m map[string]pos) string {
	best := ""
	for _, p := range m {
		if best == "" || p.file < best {
			best = p.file
		}
	}
	return best
}

// --- node helpers -------------------------------------------------------

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "something else"
}

// fields checks that n is a mapping whose keys are all in allowed, with no
// duplicates, and returns key → value node.
func (l *loader) fields(n *yaml.Node, what string, allowed []string) (map[string]*yaml.Node, bool) {
	if n.Kind == yaml.AliasNode {
		l.problem(n.Line, "anchors and aliases are not supported")
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		l.problem(n.Line, "%s must be a mapping of key: value, not %s", what, kindName(n))
		return nil, false
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.problem(k.Line, "%s has a key that is not a plain word", what)
			continue
		}
		if v.Kind == yaml.AliasNode {
			l.problem(v.Line, "anchors and aliases are not supported")
			continue
		}
		if first, dup := lines[k.Value]; dup {
			l.problem(k.Line, "duplicate key %q in %s (first at line %d)", k.Value, what, first)
			continue
		}
		lines[k.Value] = k.Line
		if !contains(allowed, k.Value) {
			if s := Closest(strings.ToLower(k.Value), allowed); s != "" {
				l.problem(k.Line, "unknown key %q in %s (did you mean %q?)", k.Value, what, s)
				if l.typos == nil {
					l.typos = map[*yaml.Node]map[string]bool{}
				}
				if l.typos[n] == nil {
					l.typos[n] = map[string]bool{}
				}
				l.typos[n][s] = true
			} else {
				l.problem(k.Line, "unknown key %q in %s (expected one of: %s)", k.Value, what, strings.Join(allowed, ", "))
			}
			continue
		}
		out[k.Value] = v
	}
	return out, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// seq returns the items of a list node, reporting anything else.
func (l *loader) seq(n *yaml.Node, what string) []*yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.problem(n.Line, "%s must be a list (lines starting with '-'), not %s", what, kindName(n))
		return nil
	}
	var out []*yaml.Node
	for _, c := range n.Content {
		if c.Kind == yaml.AliasNode {
			l.problem(c.Line, "anchors and aliases are not supported")
			continue
		}
		out = append(out, c)
	}
	return out
}

// text reads a scalar as text. Numbers and booleans are accepted as their
// written form; null reads as "".
func (l *loader) text(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		l.problem(n.Line, "%s must be text, not %s", what, kindName(n))
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

func (l *loader) optText(n *yaml.Node, what string) string {
	if n == nil {
		return ""
	}
	s, _ := l.text(n, what)
	return strings.TrimRight(s, "\n")
}

// required reads a mandatory text field of the mapping node parent.
func (l *loader) required(f map[string]*yaml.Node, parent *yaml.Node, key, what string) string {
	n := f[key]
	if n == nil {
		if !l.typos[parent][key] {
			l.problem(parent.Line, "%s is missing %s", what, key)
		}
		return ""
	}
	s, ok := l.text(n, key)
	if !ok {
		return ""
	}
	s = strings.TrimRight(s, "\n")
	if strings.TrimSpace(s) == "" {
		l.problem(n.Line, "%s has an empty %s", what, key)
	}
	return s
}

func (l *loader) optBool(n *yaml.Node, what string) bool {
	if n == nil {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.problem(n.Line, "%s must be true or false, not %s", what, kindName(n))
		return false
	}
	b, _ := strconv.ParseBool(strings.ToLower(n.Value))
	return b
}

func (l *loader) integer(n *yaml.Node, what string, lo, hi int) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		l.problem(n.Line, "%s must be a whole number, not %s", what, kindName(n))
		return lo, false
	}
	v, err := strconv.ParseInt(n.Value, 0, 64)
	if err != nil || v < int64(lo) || v > int64(hi) {
		l.problem(n.Line, "%s must be between %d and %d, not %s", what, lo, hi, n.Value)
		return lo, false
	}
	return int(v), true
}

// duration reads "30s", "2m" or a whole number of seconds, 1s to 24h.
func (l *loader) duration(n *yaml.Node, what string) (time.Duration, bool) {
	if n.Kind != yaml.ScalarNode {
		l.problem(n.Line, "%s must be a duration like 30s or 2m, not %s", what, kindName(n))
		return 0, false
	}
	var d time.Duration
	if n.Tag == "!!int" {
		secs, err := strconv.Atoi(n.Value)
		if err != nil {
			l.problem(n.Line, "%s must be a duration like 30s or 2m, not %q", what, n.Value)
			return 0, false
		}
		d = time.Duration(secs) * time.Second
	} else {
		var err error
		if d, err = time.ParseDuration(n.Value); err != nil {
			l.problem(n.Line, "%s must be a duration like 30s or 2m, not %q", what, n.Value)
			return 0, false
		}
	}
	if d < time.Second || d > 24*time.Hour {
		l.problem(n.Line, "%s must be between 1s and 24h, not %s", what, n.Value)
		return 0, false
	}
	return d, true
}

func (l *loader) stringList(n *yaml.Node, what string) []string {
	var out []string
	for _, c := range l.seq(n, what) {
		if s, ok := l.text(c, what); ok && s != "" {
			out = append(out, strings.TrimRight(s, "\n"))
		}
	}
	return out
}

// keywords reads the mandatory keywords field: a list, or one string of
// space-separated words. Keywords are stored lower case.
func (l *loader) keywords(f map[string]*yaml.Node, parent *yaml.Node, what string) []string {
	n := f["keywords"]
	if n == nil {
		if !l.typos[parent]["keywords"] {
			l.problem(parent.Line, "%s is missing keywords", what)
		}
		return nil
	}
	var words []string
	if n.Kind == yaml.SequenceNode {
		for _, s := range l.stringList(n, "keywords") {
			words = append(words, strings.Fields(s)...)
		}
	} else if s, ok := l.text(n, "keywords"); ok {
		words = strings.Fields(s)
	} else {
		return nil
	}
	if len(words) == 0 {
		l.problem(n.Line, "%s has no keywords", what)
		return nil
	}
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return words
}

// localID reads and checks the mandatory zone-local `id` of a room or prototype.
func (l *loader) localID(f map[string]*yaml.Node, parent *yaml.Node, what string) (string, bool) {
	n := f["id"]
	if n == nil {
		if !l.typos[parent]["id"] {
			l.problem(parent.Line, "%s is missing id", what)
		}
		return "", false
	}
	id, ok := l.text(n, what+" id")
	if !ok {
		return "", false
	}
	if !validID(id) {
		l.problem(n.Line, "invalid %s id %q: use lower-case letters, digits, '-' and '_'", what, id)
		return "", false
	}
	return id, true
}

// qualify turns a local reference "square" into "zone:square" and checks
// both halves of a qualified "zone:id".
func (l *loader) qualify(n *yaml.Node, ref, what string) (string, bool) {
	zone, local, cross := strings.Cut(ref, ":")
	if !cross {
		zone, local = l.zone, ref
	}
	if !validID(zone) || !validID(local) {
		l.problem(n.Line, "%s %q is not a valid reference: use `id` or `zone:id`", what, ref)
		return "", false
	}
	return zone + ":" + local, true
}

// validID reports whether s is a valid zone or local id: 1-64 characters of
// lower-case letters, digits, '-' and '_'.
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
