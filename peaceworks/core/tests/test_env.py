import pytest
from django.core.exceptions import ImproperlyConfigured

from peaceworks.core.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    parse_database_url,
    parse_email_url,
)


def test_bool_accepts_common_spellings():
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True


def test_bool_rejects_malformed_value_with_clear_message():
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG must be one of .*got 'maybe'"):
        env_bool("DEBUG", False, environ={"DEBUG": "maybe"})


def test_int_rejects_text_and_out_of_range():
    with pytest.raises(ImproperlyConfigured, match="must be a whole number"):
        env_int("N", 1, environ={"N": "five"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("N", 1, minimum=1, environ={"N": "0"})
    assert env_int("N", 3, environ={"N": " 7 "}) == 7


def test_list_rejects_empty_items():
    with pytest.raises(ImproperlyConfigured, match="no empty items"):
        env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.org,,b.org"})
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.org, b.org"}) == [
        "a.org",
        "b.org",
    ]


def test_choice_rejects_unknown_value():
    with pytest.raises(ImproperlyConfigured, match="TASK_BACKEND must be one of"):
        env_choice("TASK_BACKEND", "database", {"database", "rq"}, environ={"TASK_BACKEND": "x"})


def test_database_url_sqlite_and_postgres():
    sqlite = parse_database_url("sqlite:////tmp/pw.sqlite3")
    assert sqlite["NAME"] == "/tmp/pw.sqlite3"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    assert parse_database_url("sqlite:///pw.sqlite3")["NAME"] == "pw.sqlite3"
    postgres = parse_database_url("postgres://pw:s%40cret@db.local:5433/peace")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["USER"], postgres["PASSWORD"], postgres["HOST"], postgres["PORT"]) == (
        "pw",
        "s@cret",
        "db.local",
        "5433",
    )
    assert postgres["NAME"] == "peace"


def test_postgres_statements_are_prepared_after_five_runs_unless_the_url_says_otherwise():
    assert parse_database_url("postgres://h/db")["OPTIONS"] == {"prepare_threshold": 5}
    options = parse_database_url("postgres://h/db?sslmode=require&prepare_threshold=0")["OPTIONS"]
    assert options == {"sslmode": "require", "prepare_threshold": 0}
    assert parse_database_url("postgres://h/db?prepare_threshold=")["OPTIONS"] == {
        "prepare_threshold": None
    }
    for bad in ("many", "-1"):
        with pytest.raises(ImproperlyConfigured, match="prepare_threshold"):
            parse_database_url(f"postgres://h/db?prepare_threshold={bad}")


@pytest.mark.parametrize(
    "url",
    ["mysql://x/y", "postgres://host", "postgres://host:port/db", "sqlite://host/db", "nonsense"],
)
def test_database_url_rejects_malformed(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url)


def test_email_url():
    assert parse_email_url("console://").backend.endswith("console.EmailBackend")
    smtp = parse_email_url("smtp://me:pw@mail.example.org:587?tls=1")
    assert (smtp.host, smtp.port, smtp.use_tls, smtp.user) == ("mail.example.org", 587, True, "me")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse_email_url("pigeon://coop")
