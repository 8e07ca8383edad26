package auth

import (
	"container/list"
	"time"
)

// throttle counts failures per key within a sliding window, in a table bounded to max
// entries (the least recently failed entry is evicted first). Plain data, owned by the
// auth actor's mailbox; expiry is checked on use and by prune, no goroutine per entry.
type throttle struct {
	limit  int           // failures within window that block the key
	window time.Duration // how long a failure counts
	max    int           // entries kept
	lru    *list.List    // of *entry, most recent failure at the front
	byKey  map[string]*list.Element
}

type entry struct {
	key   string
	times []time.Time // failure times, oldest first, at most limit of them
}

func newThrottle(limit int, window time.Duration, maxEntries int) *throttle {
	return &throttle{limit: limit, window: window, max: maxEntries, lru: list.New(), byKey: make(map[string]*list.Element)}
}

// recent drops failures older than the window and reports how many remain.
func (t *throttle) recent(e *entry, now time.Time) int {
	cut := 0
	for cut < len(e.times) && now.Sub(e.times[cut]) >= t.window {
		cut++
	}
	e.times = e.times[cut:]
	return len(e.times)
}

// blocked reports whether key has limit failures within the window.
func (t *throttle) blocked(key string, now time.Time) bool {
	el, ok := t.byKey[key]
	if !ok {
		return false
	}
	e := el.Value.(*entry)
	if t.recent(e, now) == 0 {
		t.remove(el)
		return false
	}
	return len(e.times) >= t.limit
}

// fail records a failure of key at now.
func (t *throttle) fail(key string, now time.Time) {
	if key == "" {
		return
	}
	el, ok := t.byKey[key]
	if !ok {
		if t.lru.Len() >= t.max {
			t.remove(t.lru.Back())
		}
		el = t.lru.PushFront(&entry{key: key})
		t.byKey[key] = el
	} else {
		t.lru.MoveToFront(el)
	}
	e := el.Value.(*entry)
	t.recent(e, now)
	if len(e.times) >= t.limit {
		e.times = e.times[1:]
	}
	e.times = append(e.times, now)
}

// reset forgets key's failures (after a successful login).
func (t *throttle) reset(key string) {
	if el, ok := t.byKey[key]; ok {
		t.remove(el)
	}
}

// prune drops entries with no failure inside the window; it walks from the least
// recently failed end and stops at the first live entry.
func (t *throttle) prune(now time.Time) {
	for el := t.lru.Back(); el != nil; {
		prev := el.Prev()
		e := el.Value.(*entry)
		if t.recent(e, now) > 0 {
			return
		}
		t.remove(el)
		el = prev
	}
}

func (t *throttle) remove(el *list.Element) {
	delete(t.byKey, el.Value.(*entry).key)
	t.lru.Remove(el)
}

// len reports the number of entries.
func (t *throttle) len() int { return t.lru.Len() }
