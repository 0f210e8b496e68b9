"""A small thread-safe LRU cache for answers that only change with the build (keys include its version)."""

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V")


class LRUCache(Generic[V]):
    """Keep the most recently used answers, up to ``max_items`` and ``max_bytes`` in all."""

    def __init__(self, max_items: int = 2048, max_bytes: int = 64 * 1024 * 1024, item_bytes: int = 1024 * 1024):
        self.max_items, self.max_bytes, self.item_bytes = max_items, max_bytes, item_bytes
        self._data: OrderedDict[str, tuple[V, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def size(self) -> int:
        """The bytes counted for what is held now (never above ``max_bytes``)."""
        return self._size

    def get(self, key: str) -> V | None:
        with self._lock:
            found = self._data.get(key)
            if found is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: str, value: V, size: int) -> None:
        if size > self.item_bytes or self.max_items == 0:
            return
        with self._lock:
            if key in self._data:
                self._size -= self._data.pop(key)[1]
            self._data[key] = (value, size)
            self._size += size
            while self._data and (len(self._data) > self.max_items or self._size > self.max_bytes):
                _key, (_value, old) = self._data.popitem(last=False)
                self._size -= old
