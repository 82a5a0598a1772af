"""Database URLs: told apart from paths, and shown without their passwords."""

import pytest

from timeline.stores._urls import is_database_url, without_password


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ana:s3cret@db/news", "postgresql://ana@db/news"),
        ("postgres://ana@db:5433/news", "postgres://ana@db:5433/news"),
        (
            "postgresql:///news?host=/run/pg&password=x",
            "postgresql:///news?host=/run/pg",
        ),
        (
            "postgresql://db/news?PassWord=x&sslpassword=y&a=1",
            "postgresql://db/news?a=1",
        ),
        ("postgresql://a:b%40c@h/d#frag", "postgresql://a@h/d#frag"),
        ("postgresql://ana:pw@[::1/news", "postgresql://(a URL that cannot be parsed)"),
    ],
)
def test_the_password_is_left_out(url, shown):
    """The user's password and the password parameters go; the rest stays."""
    assert without_password(url) == shown


def test_urls_are_told_from_paths(tmp_path):
    """Only the schemes libpq reads name a database."""
    assert is_database_url("PostgreSQL://db/news")
    assert not is_database_url("log.sqlite")
    assert not is_database_url(tmp_path / "postgresql:")
    assert not is_database_url("mysql://db/news")
