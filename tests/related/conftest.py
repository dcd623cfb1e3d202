from tests.desk.conftest import users  # noqa: F401  (the role fixtures)
