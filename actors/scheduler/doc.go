// Package scheduler is the scheduler actor: timed events for other actors,
// in the style of NakedMud's start_event(owner, delay, fn, data, key).
//
// An actor asks for an event with *Start (one-shot after Delay, or
// repeating every Every); when it is due, the scheduler sends the owner an
// *Event carrying the Key and Data, and the owner's Receive handles it like
// any other message (that is the "fn"). Starting an event with a key the
// owner already uses replaces it; *Cancel drops it; and every event of an
// owner is dropped once the owner has stopped: events are sent as requests,
// so the first one that reaches a stopped owner comes back as a dead-letter
// response and the scheduler forgets the rest. (Watching every owner would
// put a watcher set in each of tens of thousands of actors.) Owners that
// stop cleanly cancel their events themselves.
//
// All events live in one min-heap owned by the scheduler actor, with one Go
// timer armed for the earliest: a hundred thousand pending events cost a
// hundred thousand small heap entries, not goroutines or runtime timers.
//
// troupe's prompt redraw needs no pulse: a connection redraws a busted
// prompt as soon as its output is flushed (once per burst). Game pulses
// (regeneration, weather, resets) are repeating events here.
package scheduler
