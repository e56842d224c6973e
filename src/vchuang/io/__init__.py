"""Reading and writing community graphs.

The JSON format (:func:`load`, :func:`save`, :func:`loads`, :func:`dumps`) is the
library's own, versioned and documented on the "JSON format" page.
"""

from ._json import (
    FORMAT_VERSION,
    atomic_write_text,
    dumps,
    from_document,
    load,
    loads,
    save,
    to_document,
)

__all__ = [
    "FORMAT_VERSION",
    "atomic_write_text",
    "dumps",
    "from_document",
    "load",
    "loads",
    "save",
    "to_document",
]
