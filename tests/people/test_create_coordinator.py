"""The command that gives a new district its first coordinator."""

import pytest
from django.core.management import CommandError, call_command

from district.models import User
from district.roles import Role
from people.models import AccessChange, AccessChangeAction
from tests.district.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "a-long-and-unusual-passphrase-7"
ARGS = [
    "--username",
    "jrivera",
    "--email",
    "J.Rivera@district.example",
    "--first-name",
    "Jo",
    "--last-name",
    "Rivera",
]


def test_with_no_input_the_password_comes_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("COORDINATOR_PASSWORD", STRONG)
    call_command("create_coordinator", *ARGS, "--no-input")
    user = User.objects.get(username="jrivera")
    assert user.email == "j.rivera@district.example" and user.get_full_name() == "Jo Rivera"
    assert user.check_password(STRONG) and user.is_active and not user.is_staff
    assert user.roles == {Role.COORDINATOR}
    assert AccessChange.objects.get(user=user).action == AccessChangeAction.CREATED
    assert "Coordinator jrivera" in capsys.readouterr().out


def test_interactively_the_password_is_asked_twice(monkeypatch):
    answers = iter([STRONG, STRONG])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_coordinator", *ARGS)
    assert User.objects.get(username="jrivera").check_password(STRONG)


def test_two_different_passwords_create_nothing(monkeypatch):
    answers = iter([STRONG, STRONG + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="the two passwords differ"):
        call_command("create_coordinator", *ARGS)
    assert not User.objects.filter(username="jrivera").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        ("8675309123456", "This password is entirely numeric."),
        ("jrivera-district", "The password is too similar to the"),
    ],
)
def test_a_weak_password_is_refused_with_the_validators_messages(monkeypatch, password, message):
    monkeypatch.setenv("COORDINATOR_PASSWORD", password)
    with pytest.raises(CommandError) as refused:
        call_command("create_coordinator", *ARGS, "--no-input")
    assert "No account was created." in str(refused.value) and message in str(refused.value)
    assert not User.objects.filter(username="jrivera").exists()
    assert not AccessChange.objects.exists()


def test_without_the_variable_nothing_is_created(monkeypatch):
    monkeypatch.delenv("COORDINATOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="set COORDINATOR_PASSWORD"):
        call_command("create_coordinator", *ARGS, "--no-input")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("existing", "message"),
    [
        ({"username": "JRivera"}, "username: An account already uses this username."),
        (
            {"username": "other", "email": "j.rivera@district.example"},
            "email: An account already uses this email",
        ),
    ],
)
def test_an_existing_username_or_email_is_refused(monkeypatch, existing, message):
    UserFactory(**existing)
    monkeypatch.setenv("COORDINATOR_PASSWORD", STRONG)
    with pytest.raises(CommandError) as refused:
        call_command("create_coordinator", *ARGS, "--no-input")
    assert message in str(refused.value)
    assert User.objects.count() == 1


def test_run_as_a_script_a_refusal_exits_non_zero(monkeypatch):
    import subprocess
    import sys

    from django.conf import settings
    from django.db import connection

    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "sro_program.settings.test",
        "COORDINATOR_PASSWORD": "password",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "create_coordinator", *ARGS, "--no-input"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "This password is too common." in result.stderr
