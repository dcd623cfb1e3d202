"""The fixture board written to a real MariaDB and read back through ``source``: every record
is what the generator says Phorum holds, and reading never writes."""

import dataclasses

import pymysql
import pytest

from newsbrief.phorum import generator, records, source

pytestmark = pytest.mark.mysql


@pytest.fixture(scope="module")
def board(phorum_url):
    connection = source.connect(phorum_url)
    written = generator.fill(connection, seed=7, messages=400, prefix="nsc_")
    connection.close()
    return written


@pytest.fixture
def phorum(phorum_url, board):
    with source.open(phorum_url, prefix="nsc_") as opened:
        yield opened


def comparable(message: records.Message) -> records.Message:
    return dataclasses.replace(
        message, repairs=tuple(sorted(message.repairs)), problems=tuple(sorted(message.problems))
    )


def test_every_message_round_trips(phorum, board):
    read = [comparable(m) for m in phorum.messages(batch=97)]
    assert [m.message_id for m in read] == [m.message_id for m in board.messages]
    for got, expected in zip(read, map(comparable, board.messages), strict=True):
        assert got == expected, got.message_id


def test_the_board_has_what_importers_lose(board):
    """The fixture is only as good as what it holds: every case is there."""
    messages = board.messages
    ids = {m.message_id for m in messages}
    repairs = " ".join(r for m in messages for r in m.repairs)
    problems = " ".join(p for m in messages for p in m.problems)
    assert {m.status for m in messages} == {records.APPROVED, records.HELD, records.HIDDEN}
    assert {m.sort for m in messages} == {0, 1, 2}
    assert any(m.moved for m in messages)
    assert any(m.parent_id and m.parent_id not in ids for m in messages)  # deleted parents
    assert any(m.user_id == 0 and m.author for m in messages)
    assert any(len(m.versions) > 2 for m in messages)  # tracked edits
    assert any(m.edit_count and len(m.versions) == 1 for m in messages)  # untracked
    assert any(m.edit_count and not m.edited_by for m in messages)  # no edit_username
    assert any(m.attachment_ids for m in messages)
    for needed in ("Big5", "double-encoded", "meta: string lengths", "edittrack: string"):
        assert needed in repairs
    for needed in ("neither UTF-8", "tracked", "not in files"):
        assert needed in problems
    languages = {f.forum_id: f.language for f in board.forums}
    chinese = [m for m in messages if languages[m.forum_id] == "zh_TW" and not m.parent_id]
    english = [m for m in messages if languages[m.forum_id] == "english" and not m.moved]
    assert all("英文版" in m.versions[0].body for m in chinese)
    assert any(
        "Chinese Version" in m.body
        and "Related Historical Messages:" in m.body
        and "Further Information:" in m.body
        for m in english
    )
    assert any("[url=" in m.body for m in english) and any("<a href" in m.body for m in english)


def test_an_edit_history_is_phorums(phorum, board):
    """A message edited twice: the versions, oldest first, their editors and times."""
    edited = next(m for m in board.messages if len(m.versions) == 3 and not m.problems)
    got = next(m for m in phorum.messages(after=edited.message_id - 1))
    assert got.versions == edited.versions and got.edit_count == 2
    assert got.versions[0].at == got.posted_at and got.versions[-1].at == got.edited_at
    assert got.versions[-1].body == got.body


def test_forums_users_and_attachments(phorum, board):
    assert phorum.forums() == board.forums
    assert phorum.users() == board.users
    assert sorted(phorum.notes) == sorted(board.user_notes)
    for attachment in board.attachments.values():
        assert phorum.attachment(attachment.file_id) == attachment
    assert phorum.attachment(10**9) is None


def test_resumes_after_an_id_and_filters_forums(phorum, board):
    middle = board.messages[len(board.messages) // 2].message_id
    assert [m.message_id for m in phorum.messages(after=middle)] == [
        m.message_id for m in board.messages if m.message_id > middle
    ]
    chinese = [m.message_id for m in board.messages if m.forum_id == generator.CHINESE]
    assert [m.message_id for m in phorum.messages([generator.CHINESE])] == chinese
    assert phorum.count([generator.CHINESE]) == len(chinese)
    assert phorum.count() == len(board.messages)
    assert list(phorum.messages([])) == [] and phorum.count([]) == 0


def checksums(url: str) -> dict:
    connection = source.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SHOW TABLES")
        tables = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"CHECKSUM TABLE {', '.join(tables)} EXTENDED")
        found = dict(cursor.fetchall())
    connection.close()
    return found


def test_reading_never_writes(phorum_url, board):
    before = checksums(phorum_url)
    with source.open(phorum_url, prefix="nsc_") as phorum:
        assert phorum.read_only
        list(phorum.messages())
        phorum.users(), phorum.forums(), phorum.attachment(1)
        # Even a write slipped through its connection is refused: the transaction is read-only.
        with pytest.raises(pymysql.err.MySQLError), phorum.connection.cursor() as cursor:
            cursor.execute("UPDATE nsc_messages SET subject = 'x' WHERE message_id = 1")
    assert checksums(phorum_url) == before


def test_a_prefix_that_is_not_one_is_refused(phorum_url):
    with pytest.raises(ValueError):
        source.PhorumSource(source.connect(phorum_url), prefix="x; DROP TABLE y")


def test_a_history_that_does_not_fit_is_reported(phorum_url):
    """A track row whose diff cannot have come from this text (a hand-edited database): the
    current text is kept as the only version, and the report says why."""
    from newsbrief.phorum.serialized import serialize

    connection = source.connect(phorum_url)
    generator.create_schema(connection, "bad_")
    meta = serialize({"edit_count": 1, "edit_date": 1332278700, "edit_user_id": 9})
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bad_messages (message_id, forum_id, thread, subject, body, datestamp,"
            " meta, author) VALUES (1, 2, 1, 'Hello', 'Short body', 1332278400, %s, 'techman')",
            [meta],
        )
        cursor.execute(
            "INSERT INTO bad_messages_edittrack (message_id, user_id, time, diff_body,"
            " diff_subject) VALUES (1, 9, 1332278700, %s, %s)",
            [serialize(["400-gone"]), serialize([])],
        )
    connection.commit()
    connection.close()
    with source.open(phorum_url, prefix="bad_") as phorum:
        (message,) = phorum.messages()
    assert message.problems == (
        "history: edit 1 does not apply (offset 400 past the end (10 bytes))",
    )
    assert [v.body for v in message.versions] == ["Short body"]
    assert message.versions[0].at == message.edited_at and message.versions[0].editor_id == 9


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_round_trip(phorum_url, seed):
    connection = source.connect(phorum_url)
    written = generator.fill(connection, seed=seed, messages=150, prefix=f"s{seed}_")
    connection.close()
    with source.open(phorum_url, prefix=f"s{seed}_") as phorum:
        read = [comparable(m) for m in phorum.messages()]
        assert read == [comparable(m) for m in written.messages]
        assert phorum.users() == written.users
        assert sorted(phorum.notes) == sorted(written.user_notes)
