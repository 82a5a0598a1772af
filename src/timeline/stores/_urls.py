# SPDX-License-Identifier: MIT
"""Database URLs: which paths name a database, and how to show one safely.

Private: `timeline.stores.open_store`, `timeline.stores.check` and the
command line use it to tell a PostgreSQL URL from a file path, and every
message that names a database shows `without_password` of its URL.
"""

import os
import urllib.parse

SCHEMES = ("postgresql", "postgres")
"""The URL schemes libpq reads, both meaning PostgreSQL."""

_SECRET_PARAMETERS = frozenset({"password", "sslpassword"})


def is_database_url(path: str | os.PathLike[str]) -> bool:
    """Return whether *path* is a PostgreSQL URL rather than a file's path."""
    return isinstance(path, str) and path.lower().startswith(
        tuple(f"{scheme}://" for scheme in SCHEMES)
    )


def without_password(url: str) -> str:
    """Return *url* with any password left out, to be shown or logged.

    The password in the user part (``user:secret@host``) and the query
    parameters ``password`` and ``sslpassword`` are dropped; everything
    else is kept as written. A URL that cannot be parsed is not shown at
    all.

    >>> without_password("postgresql://ana:s3cret@db.example/news?password=x&a=1")
    'postgresql://ana@db.example/news?a=1'
    """
    try:
        parts = urllib.parse.urlsplit(url)
        user, at, host = parts.netloc.rpartition("@")
        user = user.partition(":")[0]
        kept = [
            pair
            for pair in parts.query.split("&")
            if pair
            and urllib.parse.unquote(pair.partition("=")[0]).lower()
            not in _SECRET_PARAMETERS
        ]
        query = f"?{'&'.join(kept)}" if kept else ""
        fragment = f"#{parts.fragment}" if parts.fragment else ""
    except ValueError:
        return f"{url.partition(':')[0]}://(a URL that cannot be parsed)"
    return f"{parts.scheme}://{user}{at}{host}{parts.path}{query}{fragment}"
