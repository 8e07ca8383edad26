package world_test

import (
	"fmt"
	"testing/fstest"

	"github.com/troupe-mud/troupe/world"
)

func ExampleLoadDir() {
	fsys := fstest.MapFS{"areas/tiny.yaml": {Data: []byte(`
zone: tiny
name: Tiny
start: hall
rooms:
  - id: hall
    name: The Hall
    descripton: A hall.
    exits:
      nort: hall
`)}}
	_, err := world.LoadDir(fsys, "areas")
	fmt.Println(err)
	// Output:
	// areas/tiny.yaml:8: unknown key "descripton" in room (did you mean "description"?)
	// areas/tiny.yaml:10: bad direction "nort" (did you mean "north"?)
}
