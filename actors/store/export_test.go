package store

// ReadBuffer is how many loads the readers' channel holds before loads wait in the
// actor's queue.
const ReadBuffer = readBuffer
