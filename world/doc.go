// Package world holds troupe's game rules and data as plain Go: rooms,
// exits, directions, item and mobile prototypes and instances, characters'
// value state, name validation, and the loader for YAML area files.
//
// Nothing here starts a goroutine, does I/O beyond reading an fs.FS handed
// in, or imports the actor runtime: the actors under actors/ own values of
// these types and call these functions from inside their Receive.
//
// # Sharing and ownership
//
// A *World and everything reachable from it (Zone, Room, ItemProto,
// MobProto) is built once by LoadDir or GenerateGrid and then shared
// read-only by every actor: never mutate it. Instances are plain values
// owned by exactly one actor at a time: an Item lies in one room's floor list
// or one character's inventory and moves between them by value; a Character
// is owned by its character actor. Instances point at their prototype for
// display text but persist only the prototype id (Item.ProtoID,
// Character.Mobile) and re-attach it with Resolve after a load.
//
// # Ids
//
// Rooms, item prototypes and mobile prototypes are named "zone:local"
// (RoomID, ItemID, MobID). Inside an area file a bare "local" refers to the
// file's own zone; "zone:local" crosses zones.
//
// # Area files
//
// The YAML format is documented, with a complete example, in BUILDING.md
// next to this file. LoadDir decodes through yaml.Node rather than into
// structs so that every problem carries its file and line, unknown keys are
// caught (with a "did you mean" for typos), and all problems of all files are
// reported together in one *LoadError. A world with any problem is not
// returned: the server refuses to start rather than run half a world.
// Anchors and aliases are rejected (they buy builders little and open the
// door to alias bombs); files are capped at MaxAreaFileSize and the problem
// list at MaxProblems.
//
// # Other decisions
//
//   - Direction is a small integer with the six classic directions;
//     ParseDirection accepts any prefix ("n", "nor", "north") because the six
//     names start with different letters. Area files must spell directions
//     out in full.
//   - Exits are an array indexed by Direction inside Room, so a Room copies
//     as a value and needs no map allocation.
//   - EditDistance is optimal string alignment (a swap of two neighbouring
//     letters costs 1), which matches how people mistype; Closest suggests
//     only a clear winner.
//   - Name validation errors are the exact sentences the login flow prints.
//   - GenerateGrid/GenerateGridFS build large synthetic worlds for start-up
//     benchmarks without files on disk.
package world
