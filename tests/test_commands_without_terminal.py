"""Commands that ask, run where nothing can answer (cron, a pipe, stdin at its end): one line
naming the flag to pass, a non-zero exit, no traceback."""

from tests.test_settings import run_newsbrief


def test_commands_that_ask_name_noinput_when_nothing_can_answer(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "NEWSBRIEF_DATA_DIR": str(tmp_path),
        "NEWSBRIEF_SECRET_KEY": "x" * 60 + "-a-long-random-secret-key-for-this-test",
        # A deployment's public address, so that no system check warns on stderr.
        "NEWSBRIEF_ALLOWED_HOSTS": "news.example.org",
        "NEWSBRIEF_BASE_URL": "https://news.example.org",
    }
    assert run_newsbrief("migrate", "-v0", env=env).returncode == 0
    backup = tmp_path / "board.backup"
    assert run_newsbrief("backup", str(backup), env=env).returncode == 0
    # restore is newsbrief's own; flush is one of Django's, which ask with input().
    for args in (["restore", str(backup)], ["flush"]):
        done = run_newsbrief(*args, env=env)  # stdin is /dev/null
        assert done.returncode == 1, done
        assert done.stderr.count("\n") == 1 and "pass --noinput" in done.stderr, done.stderr
    assert run_newsbrief("restore", str(backup), "--noinput", env=env).returncode == 0
