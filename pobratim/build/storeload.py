"""Load a TriG dump into an on-disk Oxigraph store and write the page index from it; run as its own process by
the build (``python -m``).

A process, not a thread: the load converts quads in Python between parsing and writing, and in a thread it
would contend for the GIL with the SHACL gate running at the same time.
"""

import gc
import itertools
import sys
from pathlib import Path

import pyoxigraph as ox

from pobratim import published
from pobratim.page_index import Gathered, write_gathered

# One bulk load of a million quads holds 1.2 GB of buffers; chunks of this many quads hold about 300 MB
# and are no slower.
CHUNK = 200_000


def load_store(trig: Path, folder: Path, gathered: Gathered | None = None) -> int:
    """Load ``trig`` into a new store at ``folder``, each quad also handed to ``gathered``; return the number of
    quads."""
    store = ox.Store(str(folder))
    quads = ox.parse(path=trig, format=ox.RdfFormat.TRIG)
    while chunk := list(itertools.islice(quads, CHUNK)):
        store.bulk_extend(chunk)
        if gathered is not None:
            gathered.add(chunk)
    store.optimize()
    store.flush()
    return len(store)


def main(argv: list[str]) -> int:
    """Load ``argv[0]`` (TriG) into a store at ``argv[1]``; with a base IRI ``argv[2]``, write the page index of
    the resources under it beside the store."""
    if len(argv) not in {2, 3}:
        print("usage: python -m pobratim.build.storeload DUMP.trig STORE-FOLDER [BASE-IRI]", file=sys.stderr)
        return 2
    # No cyclic garbage collection in this process: it makes millions of objects and keeps most until it ends (the
    # gathered descriptions), none of them in cycles, and each of the collector's full passes walked every one of
    # them: at 2 M quads, alone, 14 s of its CPU for nothing (the quads' loop 8.7 -> 4.4 s, the gathering
    # 10.0 -> 8.6 s, the page index 23.1 -> 19.1 s), its peak 825 -> 845 MB.
    gc.disable()
    folder = Path(argv[1])
    # The page index's descriptions are gathered from the quads as they are parsed for the store, in the same pass
    # (reading them back from the on-disk store costs three times the parse); its page queries run on the store.
    gathered = Gathered(argv[2]) if len(argv) == 3 else None
    load_store(Path(argv[0]), folder, gathered)
    if gathered is not None:
        write_gathered(ox.Store.read_only(str(folder)), gathered, folder.parent / published.PAGES)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
