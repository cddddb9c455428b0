"""The kept test database is named after its DATABASE_URL and a digest of every migration."""

from sro_program.settings import test as test_settings


def make_app(root, name: str, migrations: dict[str, str]) -> None:
    folder = root / name / "migrations"
    folder.mkdir(parents=True)
    (root / name / "__init__.py").write_text("")
    for filename, text in migrations.items():
        (folder / filename).write_text(text)


def test_a_changed_added_or_removed_migration_changes_the_digest(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    make_app(tmp_path, "someapp", {"__init__.py": "", "0001_initial.py": "operations = []\n"})
    monkeypatch.setattr(test_settings, "INSTALLED_APPS", ["someapp"])
    migration = tmp_path / "someapp" / "migrations" / "0001_initial.py"

    first = test_settings._migrations_digest()
    assert test_settings._migrations_digest() == first, "the same files, the same digest"
    migration.write_text("operations = ['changed']\n")
    changed = test_settings._migrations_digest()
    (tmp_path / "someapp" / "migrations" / "0002_more.py").write_text("operations = []\n")
    added = test_settings._migrations_digest()
    migration.write_text("operations = []\n")
    (tmp_path / "someapp" / "migrations" / "0002_more.py").unlink()

    assert len({first, changed, added}) == 3
    assert test_settings._migrations_digest() == first


def test_the_name_carries_the_database_urls_name_and_fits_postgresql():
    assert test_settings._test_database_name("sro", "0123456789ab") == "test_sro_0123456789ab"
    long = test_settings._test_database_name("x" * 80, "0123456789ab")
    assert len(long) == 63 and long.endswith("_0123456789ab")
