// Package starter embeds troupe's default world: three zones, 42 rooms.
//
//   - village (Millbrook Village): the start room (village:square), a tavern
//     with a cellar behind a trapdoor, a smithy, a bakery, a temple, stables,
//     a graveyard and an old well whose shaft drops into the mine.
//   - forest (Whisperwood), east of the village gate: a hermit's hut, a
//     clearing with a great oak you can climb, a stream and ford, a ruined
//     shrine, a bog and the deep wood.
//   - mine (Greyhollow Mine), south of the village: the miners' camp, the
//     foreman's shack, the adit, a crystal gallery, a flooded tunnel that
//     climbs to the village well, and the dwarven deep workings below a lift.
//
// A small quest threads through it for new players to discover: the sealed
// letter in the tavern is for the hermit, whose son was lost in the mine;
// every mobile involved answers `say` about it.
//
// Every exit has a way back; the tests check that, and that every room is
// reachable from the start room. World.Load returns a fresh *world.World each
// call; the area files are also available through FS for builders to copy.
package starter
